"""The list cache (summaries.json) and the settings digest are shortcuts only: a file that
changed is read again, and a damaged cache is ignored."""

from __future__ import annotations

import json

from jixiao.store.disk.cache import CACHE_DIR
from jixiao.store.workspace.project_summaries import LIST_CACHE, summaries
from jixiao.store.workspace.workspace import SETTINGS, Workspace
from test_summaries_cache import REL, by_rel, edit_in_place_keeping_mtime, fresh


def list_cache(ws: Workspace) -> tuple[dict, str]:
    raw = json.loads((ws.root / CACHE_DIR / f"{LIST_CACHE}.json").read_bytes())
    key = next(k for k in raw if k not in ("format", "code", "home"))
    return raw, key


def make_trusted(ws: Workspace) -> None:
    """Every row of the list cache no longer racy: only the stat can give a change away."""
    raw, key = list_cache(ws)
    for row in raw[key].values():
        row[4] = row[0] + 10**10
    (ws.root / CACHE_DIR / f"{LIST_CACHE}.json").write_text(
        json.dumps(raw, ensure_ascii=False), encoding="utf-8"
    )


def test_a_trusted_row_is_used_and_an_edited_file_is_read_again(workspace: Workspace) -> None:
    summaries(workspace)
    make_trusted(workspace)
    assert summaries(Workspace(workspace.root)) == fresh(workspace)
    path = workspace.root / REL
    path.write_text(
        path.read_text(encoding="utf-8").replace("预算执行率权重: 10", "预算执行率权重: 0")
    )
    got = by_rel(summaries(Workspace(workspace.root)))[REL]
    assert got.weight_total == 90 and not got.weight_ok


def test_a_same_size_edit_keeping_the_mtime_is_seen(workspace: Workspace) -> None:
    summaries(workspace)
    make_trusted(workspace)
    edit_in_place_keeping_mtime(workspace.root / REL, "预算执行率权重: 10", "预算执行率权重: 20")
    assert by_rel(summaries(Workspace(workspace.root)))[REL].weight_total == 110  # ctime moved


def test_damaged_rows_are_not_used(workspace: Workspace) -> None:
    truth = summaries(workspace)
    make_trusted(workspace)
    raw, key = list_cache(workspace)
    raw[key][REL][-1] = "three"  # wrong type
    raw[key]["store/x/y.yaml"] = "not a row"
    (workspace.root / CACHE_DIR / f"{LIST_CACHE}.json").write_text(json.dumps(raw))
    assert summaries(Workspace(workspace.root)) == truth


def test_changed_rules_do_not_reuse_the_list(workspace: Workspace) -> None:
    before = by_rel(summaries(workspace))[REL]
    assert before.weight_ok
    settings = workspace.root / SETTINGS
    text = settings.read_text(encoding="utf-8").replace(
        "profile: {}", "profile: {weight_total: 90}"
    )
    settings.write_text(text, encoding="utf-8")
    ws = Workspace(workspace.root)
    assert ws.profile_data() == {"weight_total": 90}
    assert not by_rel(summaries(ws))[REL].weight_ok


def test_the_settings_digest_follows_jixiao_yaml(workspace: Workspace) -> None:
    order = [r.rel for r in workspace.projects()]
    again = Workspace(workspace.root)
    assert [r.rel for r in again.projects()] == order  # from the cache now
    assert (workspace.root / CACHE_DIR / "settings.json").is_file()
    settings = workspace.root / SETTINGS
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("profile: {}", "profile:\n  weight_total: 80")
    )
    assert Workspace(workspace.root).profile_data() == {"weight_total": 80}

"""`check` remembers findings per project (.jixiao-cache/findings.json), but never over the
file: whatever happens to the cache or to the files, the findings are those of the files."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from jixiao import cli
from jixiao.store.disk.cache import CACHE_DIR, key_of
from jixiao.store.rules.profile import DEFAULT_PROFILE, Ignore, Profile, Scoring
from jixiao.store.workspace.checkcache import FINDINGS_CACHE
from jixiao.store.workspace.project_summaries import profile_key
from jixiao.store.workspace.workspace import SETTINGS, Workspace
from test_summaries_cache import REL, edit_in_place_keeping_mtime
from typer.testing import CliRunner

runner = CliRunner()


def check(ws: Workspace, *args: str) -> list[dict]:
    result = runner.invoke(cli.app, ["-C", str(ws.root), "check", "--format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def truth(ws: Workspace) -> list[dict]:
    return check(ws, "--no-cache")


def cache_file(ws: Workspace) -> Path:
    return ws.root / CACHE_DIR / f"{FINDINGS_CACHE}.json"


def rewrite(ws: Workspace, change) -> None:  # noqa: ANN001 (a function of the raw cache)
    raw = json.loads(cache_file(ws).read_bytes())
    change(raw, raw[next(k for k in raw if k not in ("format", "code", "home"))])
    cache_file(ws).write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")


def trust_every_entry(raw: dict, entries: dict) -> None:
    """Entries recorded long after their files' mtimes: only the stat can give a change away."""
    for entry in entries.values():
        entry["seen"] = entry["stat"][0] + 10**10


def fake_report(entry: dict) -> None:
    entry["reports"] = [["W103", "warning", 1, "假的", None, "from the cache"]]


def test_warm_check_equals_a_full_run_and_the_cache_is_written(workspace: Workspace) -> None:
    first = check(workspace)
    assert cache_file(workspace).is_file()
    assert check(workspace) == first == truth(workspace)
    assert {f["code"] for f in first} >= {"W113", "I161"}


def test_an_unchanged_file_is_taken_from_the_cache_on_its_stat(workspace: Workspace) -> None:
    check(workspace)
    rewrite(workspace, trust_every_entry)
    rewrite(workspace, lambda raw, entries: fake_report(entries[REL]))
    got = [f for f in check(workspace) if f["file"] == REL]
    assert [f["message"] for f in got] == ["from the cache"]  # the shortcut is taken
    assert "from the cache" not in str(check(workspace, "--no-cache"))  # --no-cache: full run


def test_same_size_same_mtime_edit_is_checked_again(workspace: Workspace) -> None:
    check(workspace)
    rewrite(workspace, trust_every_entry)
    assert not [f for f in check(workspace) if f["file"] == REL and f["code"] == "E101"]
    edit_in_place_keeping_mtime(workspace.root / REL, "预算执行率权重: 10", "预算执行率权重: 20")
    got = check(workspace)
    assert [f for f in got if f["file"] == REL and f["code"] == "E101"]
    assert got == truth(workspace)


def test_a_stat_recorded_within_the_racy_window_is_verified_by_hash(
    workspace: Workspace,
) -> None:
    # A coarse clock can leave an edited file with exactly the stat the cache recorded. An
    # entry whose stat was taken within 2 s of the file's mtime is checked against the hash.
    path = workspace.root / REL
    check(workspace)
    edit_in_place_keeping_mtime(path, "预算执行率权重: 10", "预算执行率权重: 20")
    st = path.stat()
    exact = [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]

    def same_stat_racy(raw: dict, entries: dict) -> None:
        entries[REL].update(stat=exact, seen=st.st_mtime_ns + 1)  # the old content's sha stays

    rewrite(workspace, same_stat_racy)
    got = check(workspace)
    assert [f for f in got if f["file"] == REL and f["code"] == "E101"]
    assert got == truth(workspace)


def test_damaged_or_foreign_caches_are_rebuilt_never_an_error(workspace: Workspace) -> None:
    want = check(workspace)
    cache_file(workspace).write_bytes(b"\x00not json")
    assert check(workspace) == want
    json.loads(cache_file(workspace).read_bytes())  # rebuilt

    def foreign(raw: dict, entries: dict) -> None:
        raw["code"] = "0" * 16  # written by other code
        trust_every_entry(raw, entries)
        fake_report(entries[REL])

    rewrite(workspace, foreign)
    assert check(workspace) == want


def test_records_of_the_wrong_shape_are_misses(workspace: Workspace) -> None:
    want = check(workspace)
    bad_records = [
        "not a list",
        [["W103", "warning", "1", "x", None, "line as text"]],
        [["W103", "fatal", 1, "x", None, "unknown severity"]],
        [["W103", "warning", True, "x", None, "a bool for a line"]],
        [["W103", "warning", 1, "x", None]],
        [None],
    ]
    for records in bad_records:

        def damage(raw: dict, entries: dict, records=records) -> None:
            trust_every_entry(raw, entries)
            entries[REL]["reports"] = records
            entries["store/x/not-a-dict.yaml"] = ["no"]

        rewrite(workspace, damage)
        assert check(workspace) == want, records


def test_new_rules_are_not_answered_from_the_cache(workspace: Workspace) -> None:
    check(workspace)
    rewrite(workspace, trust_every_entry)
    settings = workspace.root / SETTINGS
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("profile: {}", "profile: {disable: [W113]}"),
        encoding="utf-8",
    )
    got = check(workspace)
    assert "W113" not in {f["code"] for f in got}
    assert got == truth(workspace)


def test_checking_some_projects_keeps_the_others_entries(workspace: Workspace) -> None:
    check(workspace)
    before = json.loads(cache_file(workspace).read_bytes())
    check(workspace, "安置帮教工作经费")
    after = json.loads(cache_file(workspace).read_bytes())
    key = next(k for k in after if k not in ("format", "code", "home"))
    assert set(after[key]) == set(before[key]) and len(after[key]) == 16


def test_every_profile_field_is_part_of_the_key() -> None:
    """A field added to Profile later changes the key without anyone listing it."""
    other = {
        "weight_total": 90.0,
        "levels": {"产出指标": ("数量指标",)},
        "required": ("产出指标",),
        "aliases": {"甲": "乙"},
        "severity": {"W103": "info"},
        "disabled": frozenset({"I161"}),
        "ignores": (Ignore("x", frozenset({"W113"}), "why"),),
        "scoring": Scoring(decimals=1),
    }
    names = [f.name for f in dataclasses.fields(Profile)]
    assert sorted(names) == sorted(other), "a new Profile field: give it a test value here"
    keys = {profile_key(DEFAULT_PROFILE)}
    for name in names:
        keys.add(profile_key(dataclasses.replace(DEFAULT_PROFILE, **{name: other[name]})))
    assert len(keys) == len(names) + 1
    # Sets hash the same whatever their order (it differs between processes).
    a = Profile(disabled=frozenset({"I161", "W103", "W113"}))
    b = Profile(disabled=frozenset({"W113", "I161", "W103"}))
    assert key_of(a) == key_of(b)

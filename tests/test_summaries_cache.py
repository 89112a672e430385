"""The summary cache is a shortcut only: whatever happens to it or to the files, summaries
are those of the files on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import SAMPLE, git
from jixiao.store.disk.cache import CACHE_DIR, Probe, ProjectCache, code_fingerprint, stat_key
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.project_summaries import (
    _CACHED as FACTS,  # a cached summary: [profile key, *FACTS]
)
from jixiao.store.workspace.project_summaries import summaries
from jixiao.store.workspace.workspace import Workspace

REL = "store/135001-大竹县司法局/安置帮教工作经费.yaml"


def fresh(ws: Workspace) -> list:
    """Summaries computed with no cache at all (the truth to compare with)."""
    cache = ws.root / CACHE_DIR
    saved = {p.name: p.read_bytes() for p in cache.iterdir()} if cache.is_dir() else {}
    for p in cache.glob("*"):
        p.unlink()
    try:
        return summaries(Workspace(ws.root))
    finally:
        for name, data in saved.items():
            (cache / name).write_bytes(data)


def by_rel(items: list) -> dict:
    return {s.ref.rel: s for s in items}


def edit_in_place_keeping_mtime(path: Path, old: str, new: str) -> None:
    """Same size, same inode, same mtime: only the content (and ctime) differ."""
    assert len(old.encode()) == len(new.encode())
    st = path.stat()
    data = path.read_bytes()
    assert old.encode() in data
    with path.open("r+b") as f:
        f.write(data.replace(old.encode(), new.encode(), 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns


def test_warm_summaries_equal_fresh_ones_and_the_cache_is_written(workspace: Workspace) -> None:
    cold = summaries(workspace)
    assert (workspace.root / CACHE_DIR / "projects.json").is_file()
    warm = summaries(Workspace(workspace.root))
    assert warm == cold == fresh(workspace)
    assert len(warm) == 16 and by_rel(warm)[REL].weight_total == 100


def test_same_size_edit_with_the_old_mtime_is_seen(workspace: Workspace) -> None:
    summaries(workspace)
    path = workspace.root / REL
    edit_in_place_keeping_mtime(path, "预算执行率权重: 10", "预算执行率权重: 20")
    got = by_rel(summaries(Workspace(workspace.root)))[REL]
    assert got.weight_total == 110 and not got.weight_ok
    assert got == by_rel(fresh(workspace))[REL]


def test_a_matching_stat_taken_in_the_files_mtime_tick_is_verified_by_hash(
    workspace: Workspace,
) -> None:
    # A coarse clock can give an edited file the very stat the cache recorded; an entry
    # recorded within that window is checked against the file's hash, not trusted.
    path = workspace.root / REL
    st = stat_key(path.stat())
    cache = ProjectCache(workspace.root)
    probe = Probe(REL, None, None, st, seen=st[0], sha="0" * 64)
    cache.put(probe, summary={"stale": True})
    cache.save()
    found = ProjectCache(workspace.root).lookup(REL, path)
    assert found.entry is None and found.data == path.read_bytes()
    # Recorded long after the mtime, the same stat is trusted without reading the file.
    cache.put(Probe(REL, None, None, st, seen=st[0] + 10**10, sha="0" * 64), summary={})
    cache.save()
    trusted = ProjectCache(workspace.root).lookup(REL, path)
    assert trusted.entry is not None and trusted.data is None


def test_an_edit_through_save_is_seen(workspace: Workspace) -> None:
    summaries(workspace)
    ref = workspace.resolve("安置帮教工作经费")
    text = workspace.read_text(ref)
    sheet = workspace.load(ref)
    sheet.indicators = sheet.indicators[:2]
    workspace.save(ref, sheet, text)
    got = by_rel(summaries(Workspace(workspace.root)))[REL]
    assert got.indicators == 2
    assert got == by_rel(fresh(workspace))[REL]


def test_a_deleted_cache_is_rebuilt(workspace: Workspace) -> None:
    before = summaries(workspace)
    for p in (workspace.root / CACHE_DIR).iterdir():
        p.unlink()
    (workspace.root / CACHE_DIR).rmdir()
    assert summaries(Workspace(workspace.root)) == before
    assert (workspace.root / CACHE_DIR / "projects.json").is_file()


def test_a_corrupt_cache_file_is_ignored_and_rebuilt(workspace: Workspace) -> None:
    truth = summaries(workspace)
    cache_file = workspace.root / CACHE_DIR / "projects.json"
    for junk in (b"\x00\xffnot json", b'{"format": 1', b"[]", b"null"):
        cache_file.write_bytes(junk)
        assert summaries(Workspace(workspace.root)) == truth
        assert json.loads(cache_file.read_bytes())["format"] == 1  # rewritten whole


def test_damaged_entries_are_not_used(workspace: Workspace) -> None:
    truth = summaries(workspace)
    cache_file = workspace.root / CACHE_DIR / "projects.json"
    raw = json.loads(cache_file.read_bytes())
    assert raw["code"] == code_fingerprint()
    entry = raw["entries"][REL]
    entry["seen"] = entry["stat"][0] + 10**10  # not racy: only the facts can give it away
    entry["summary"][1 + FACTS.index("indicators")] = "six"  # wrong type
    raw["entries"]["store/x/y.yaml"] = "not an entry"
    cache_file.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert summaries(Workspace(workspace.root)) == truth


def test_a_cache_from_other_code_is_ignored(workspace: Workspace) -> None:
    truth = summaries(workspace)
    cache_file = workspace.root / CACHE_DIR / "projects.json"
    raw = json.loads(cache_file.read_bytes())
    for entry in raw["entries"].values():
        entry["summary"][1 + FACTS.index("project")] = "过期"
        entry["seen"] = entry["stat"][0] + 10**10
    raw["code"] = "another-version"
    cache_file.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    assert summaries(Workspace(workspace.root)) == truth


def test_a_removed_project_disappears_and_leaves_the_cache(workspace: Workspace) -> None:
    summaries(workspace)
    (workspace.root / REL).unlink()
    got = summaries(Workspace(workspace.root))
    assert len(got) == 15 and REL not in by_rel(got)
    raw = json.loads((workspace.root / CACHE_DIR / "projects.json").read_bytes())
    assert REL not in raw["entries"] and len(raw["entries"]) == 15


def test_a_broken_file_is_reported_not_cached_over(workspace: Workspace) -> None:
    summaries(workspace)
    path = workspace.root / REL
    good = path.read_bytes()
    path.write_text("单位信息: [unclosed\n", encoding="utf-8")
    broken = by_rel(summaries(Workspace(workspace.root)))[REL]
    assert broken.error and REL in broken.error
    path.write_bytes(good)
    assert by_rel(summaries(Workspace(workspace.root)))[REL].error is None


def test_a_new_profile_recounts(workspace: Workspace) -> None:
    assert by_rel(summaries(workspace))[REL].weight_ok
    settings = workspace.root / "jixiao.yaml"
    text = settings.read_text(encoding="utf-8").replace(
        "profile: {}", "profile: {weight_total: 90}"
    )
    settings.write_text(text, encoding="utf-8")
    got = by_rel(summaries(Workspace(workspace.root)))[REL]
    assert not got.weight_ok and got == by_rel(fresh(workspace))[REL]


def test_the_cache_stays_out_of_git(committed: Workspace) -> None:
    summaries(committed)  # the import's cache was there when `git add -A` ran, too
    assert (committed.root / CACHE_DIR).is_dir()
    assert git(committed.root, "status", "--porcelain", "--untracked-files=all") == ""


def test_reimport_of_an_unchanged_file_changes_nothing(workspace: Workspace) -> None:
    before = {p: p.read_bytes() for p in workspace.store.rglob("*.yaml")}
    report = import_files(Workspace(workspace.root), [SAMPLE])
    assert len(report.unchanged) == 16 and not report.created and not report.updated
    assert {p: p.read_bytes() for p in workspace.store.rglob("*.yaml")} == before


def test_reimport_after_a_hand_edit_puts_the_sheet_back(workspace: Workspace) -> None:
    path = workspace.root / REL
    original = path.read_bytes()
    import_files(Workspace(workspace.root), [SAMPLE])  # the cache now knows every file
    edit_in_place_keeping_mtime(path, "预算执行率权重: 10", "预算执行率权重: 20")
    # The edit is not committed, so only a forced import may overwrite it (see test_cli).
    report = import_files(Workspace(workspace.root), [SAMPLE], force=True)
    assert report.updated == [REL] and len(report.unchanged) == 15
    assert path.read_bytes() == original


def test_reimport_with_no_cache_compares_the_files(workspace: Workspace) -> None:
    cache = workspace.root / CACHE_DIR
    for p in cache.iterdir():
        p.unlink()
    report = import_files(Workspace(workspace.root), [SAMPLE])
    assert len(report.unchanged) == 16
    assert (cache / "projects.json").is_file()  # and it learned every file again

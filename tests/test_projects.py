"""Moving and renaming project files (store/workspace/projects.py) on a real workspace."""

from __future__ import annotations

import pytest
from conftest import git
from jixiao.store.workspace import projects
from jixiao.store.workspace.workspace import Workspace, safe_name

PROJECT = "安置帮教工作经费"


def rels(ws: Workspace) -> list[str]:
    return [r.rel for r in ws.projects()]


def test_rename_keeps_the_project_in_its_place_in_the_import_order(workspace: Workspace) -> None:
    ws = workspace
    before = rels(ws)
    ref = ws.resolve("法律援助工作经费")
    at = before.index(ref.rel)
    assert at not in (0, len(before) - 1)  # somewhere in the middle, so the test means something
    text = ws.read_text(ref)
    new_ref, new_text = projects.rename(ws, ref, ws.load(ref), text, "法律援助经费")
    assert new_ref.path.exists() and not ref.path.exists()
    assert new_ref.rel.endswith("/法律援助经费.yaml")
    after = rels(Workspace(ws.root))  # a fresh look at the import history
    assert after == before[:at] + [new_ref.rel] + before[at + 1 :]
    assert "法律援助经费" in (ws.root / "jixiao-imports.yaml").read_text(encoding="utf-8")
    # Only the name changed in the file; the export keeps it in its place.
    changed = [
        (a, b) for a, b in zip(text.splitlines(), new_text.splitlines(), strict=True) if a != b
    ]
    assert changed == [("预算项目: 法律援助工作经费", "预算项目: 法律援助经费")]
    sheets = [ws.load(r) for r in ws.projects()]
    exported = ws.export(sheets).decode(sheets[0].layout.file.encoding)
    neighbours = [sheets[at - 1].project, "法律援助经费", sheets[at + 1].project]
    places = [exported.index(f"\t{name}") for name in neighbours]
    assert places == sorted(places)


def test_move_to_another_unit_with_unsaved_edits(workspace: Workspace) -> None:
    ws = workspace
    before = rels(ws)
    ref = ws.resolve(PROJECT)
    text = ws.read_text(ref)
    sheet = ws.load(ref)
    sheet.unit = "135002-另一个单位"
    sheet.indicators[0].annual_weight = "15"
    new_ref, _ = projects.move(ws, ref, sheet, text)
    assert new_ref.rel == f"store/{safe_name(sheet.unit)}/{PROJECT}.yaml"
    assert not ref.path.exists()
    moved = ws.load(new_ref)
    assert moved.unit == "135002-另一个单位" and moved.indicators[0].annual_weight == "15"
    assert rels(Workspace(ws.root)) == [new_ref.rel if r == ref.rel else r for r in before]


def test_move_never_replaces_another_project(workspace: Workspace) -> None:
    ws = workspace
    git(ws.root, "add", "-A")
    git(ws.root, "commit", "-qm", "sample")
    ref = ws.resolve(PROJECT)
    sheet = ws.load(ref)
    sheet.project = "法律援助工作经费"
    with pytest.raises(projects.ProjectExists) as e:
        projects.move(ws, ref, sheet, ws.read_text(ref))
    assert e.value.rel.endswith("/法律援助工作经费.yaml")
    assert git(ws.root, "status", "--porcelain") == ""  # nothing written, nothing removed

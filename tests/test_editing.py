"""EditSession: the TUI's editing logic without a terminal."""

from __future__ import annotations

import pytest
from conftest import SAMPLE
from jixiao.store.session.editing import EditSession, op_row
from jixiao.store.sheet.model import Sheet
from jixiao.store.tab import tabfile


@pytest.fixture
def sheet() -> Sheet:
    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    return sheets[0]  # 安置帮教工作经费: 6 indicators, weights add up to 100


def test_preview_changes_the_checks_but_not_the_sheet(sheet: Sheet) -> None:
    s = EditSession(sheet)
    assert s.check.weights.ok and s.check.status == "合计 100 ✓"
    path = ("indicators", 0, "annual_weight")
    old = s.value(path)
    check = s.preview(path, str(int(old) - 5))
    assert check.status == "合计 95，还差 5"
    assert any(f.code == "E101" for f in check.findings)
    assert s.value(path) == old and not s.dirty and s.check.weights.ok
    assert s.preview(path, str(int(old) + 5)).status == "合计 105，多 5"


def test_set_undo_redo_and_dirty(sheet: Sheet) -> None:
    s = EditSession(sheet, base_text="x")
    path = ("indicators", 1, "weight")
    old = s.value(path)
    assert not s.set(path, old)  # no change, no history
    assert not s.can_undo
    assert s.set(path, "7")
    assert s.dirty and s.value(path) == "7"
    assert (1, "weight") in s.check.cells and 1 in s.check.rows  # W103: 权重 != 本年权重
    op = s.undo()
    assert op is not None and op_row(op, undone=True) == 1
    assert s.value(path) == old and not s.dirty
    s.redo()
    assert s.value(path) == "7" and s.dirty
    s.mark_saved("y")
    assert not s.dirty and s.base_text == "y"
    s.undo()
    assert s.dirty  # back to before the save: differs from the file


def test_header_and_funding_fields(sheet: Sheet) -> None:
    s = EditSession(sheet)
    s.set(("funding", "fiscal"), "1")
    assert "funding" in s.check.fields
    s.set(("goal",), "第一行\n第二行")
    assert sheet.goal == "第一行\n第二行"
    with pytest.raises(KeyError):
        s.value(("layout",))


def test_rows_add_duplicate_delete_move(sheet: Sheet) -> None:
    s = EditSession(sheet)
    names = [i.level3 for i in sheet.indicators]
    n = len(names)
    at = s.new_row(after=0)
    assert at == 1 and len(sheet.indicators) == n + 1
    new = sheet.indicators[1]
    assert new.level1 == sheet.indicators[0].level1 and new.level3 == ""
    s.undo()
    assert [i.level3 for i in sheet.indicators] == names
    at = s.duplicate_row(2)
    assert (
        sheet.indicators[at].level3 == names[2] and sheet.indicators[at] is not sheet.indicators[2]
    )
    assert not s.check.weights.ok  # the copy's weight counts twice
    s.delete_row(at)
    assert [i.level3 for i in sheet.indicators] == names and s.check.weights.ok
    assert s.move_row(0, -1) is None
    assert s.move_row(0, +1) == 1
    assert [i.level3 for i in sheet.indicators][:2] == [names[1], names[0]]
    s.undo()
    s.undo()  # the delete
    s.undo()  # the duplicate
    assert [i.level3 for i in sheet.indicators] == names
    assert not s.dirty
    s.redo()
    assert len(sheet.indicators) == n + 1
    s.set(("indicators", 0, "note"), "x")
    assert not s.can_redo  # a new change drops the redo history


def test_each_marked_row_knows_its_gravest_finding(sheet: Sheet) -> None:
    s = EditSession(sheet)
    # The sample's 3rd row has only W113, its 6th W103 and W124: warnings, no error.
    assert s.check.row_severity == {2: "warning", 5: "warning"}
    s.set(("indicators", 5, "annual_weight"), "十")  # not a number: an error on that row
    assert s.check.row_severity[5] == "error" and s.check.row_severity[2] == "warning"
    assert set(s.check.row_severity) == set(s.check.rows)


def test_a_merge_adopted_at_save_is_one_undoable_step(sheet: Sheet) -> None:
    """ctrl+s over a file changed on disk saves my edits merged with the disk's: the history
    stays, undo takes back the merge (back to my edits alone), then my edits one by one."""
    import copy

    from jixiao.store.sheet.identity import same_sheet

    s = EditSession(sheet, base_text="x")
    original = copy.deepcopy(sheet)
    s.set(("indicators", 0, "note"), "我方备注")
    s.move_row(0, 1)
    mine = copy.deepcopy(s.sheet)
    merged = copy.deepcopy(mine)
    merged.manager = "李四"  # came from disk
    merged.indicators.append(copy.deepcopy(merged.indicators[0]))
    merged.indicators[-1].level3 = "磁盘上新增"
    held = s.sheet
    assert s.adopt(copy.deepcopy(mine)) is None  # nothing came from disk: no step
    op = s.adopt(merged)
    assert op is not None and s.sheet is held  # the editor's Sheet object, changed in place
    assert same_sheet(s.sheet, merged) and op_row(op) is None
    s.mark_saved("merged text")
    assert not s.dirty
    merged.manager = "changed later"  # the step holds its own copy
    s.undo()
    assert same_sheet(s.sheet, mine) and s.dirty
    s.undo()
    s.undo()
    assert same_sheet(s.sheet, original) and not s.can_undo
    s.redo()
    s.redo()
    s.redo()
    assert s.sheet.manager == "李四" and s.sheet.indicators[-1].level3 == "磁盘上新增"
    assert not s.dirty and s.check == EditSession(copy.deepcopy(s.sheet)).check


def test_undo_and_redo_through_a_merge_find_the_rows_earlier_steps_hold(sheet: Sheet) -> None:
    """A row inserted and then edited before the merge: undoing back past the merge and
    redoing the insert gives the row as it was inserted, its edit still to redo."""
    import copy

    s = EditSession(sheet)
    at = s.new_row(0)
    s.set(("indicators", at, "level3"), "新指标")
    merged = copy.deepcopy(s.sheet)
    merged.goal = "磁盘上的年度目标"
    s.adopt(merged)
    s.undo()  # the merge
    s.undo()  # the edit
    s.undo()  # the insert
    s.redo()
    assert s.sheet.indicators[at].level3 == ""
    s.redo()
    assert s.sheet.indicators[at].level3 == "新指标"
    s.redo()
    assert s.sheet.goal == "磁盘上的年度目标" and s.sheet.indicators[at].level3 == "新指标"

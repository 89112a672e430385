"""What people type into a cell is stored in the sheet's canonical form (store/session/entry.py)."""

from __future__ import annotations

import pytest
from jixiao.store.session.editing import EditSession
from jixiao.store.session.entry import canonical, read_paste
from jixiao.store.sheet.model import Indicator, Sheet


@pytest.mark.parametrize(
    ("name", "typed", "stored"),
    [
        ("annual_weight", "２０", "20"),
        ("annual_weight", "２０．５", "20.5"),
        ("annual_weight", " 20 ", "20"),
        ("weight", "1,000", "1000"),
        ("exec_weight", "１０", "10"),
        ("total", "150000", "150,000"),  # the sheet groups its amounts
        ("total", "１５０，０００", "150,000"),
        ("fiscal", " 36000 ", "36,000"),
        ("annual_weight", "十", "十"),  # not a number: kept as typed, for E102 to say so
        ("annual_weight", "-5", "-5"),
        ("annual_weight", "", ""),
        ("nature", ">=", "≥"),
        ("nature", "＞＝", "≥"),
        ("nature", "<=", "≤"),
        ("nature", "＝", "="),
        ("nature", " ≥ ", "≥"),
        ("nature", "不低于", "不低于"),  # a word stays a word (E121 suggests ≥)
        ("target", "９５％", "95%"),
        ("target", "１００", "100"),
        ("target", "≥９５％", "≥９５％"),  # text stays text
        ("level3", "２０人", "２０人"),
    ],
)
def test_canonical(name: str, typed: str, stored: str) -> None:
    assert canonical(name, typed) == stored


def test_amounts_follow_the_sheets_grouping() -> None:
    assert canonical("total", "150,000", grouping=False) == "150000"


def test_the_session_stores_and_checks_the_canonical_form() -> None:
    sheet = Sheet(exec_weight="10", indicators=[Indicator(level1="产出指标", annual_weight="90")])
    s = EditSession(sheet)
    path = ("indicators", 0, "annual_weight")
    assert s.preview(path, "８５").weights.total == 95
    assert s.set(path, "９０") is False  # '９０' is '90': no change, no history entry
    assert s.set(path, " 85 ")
    assert sheet.indicators[0].annual_weight == "85"
    s.set(("indicators", 0, "nature"), ">=")
    assert sheet.indicators[0].nature == "≥"


def test_a_pasted_row_is_one_undoable_step() -> None:
    sheet = Sheet(indicators=[Indicator(level3="a"), Indicator(level3="b")])
    s = EditSession(sheet)
    op = s.set_many([(("indicators", 0, "target"), "５"), (("indicators", 0, "measure"), "人")])
    assert op is not None and len(op.fields) == 2
    assert (sheet.indicators[0].target, sheet.indicators[0].measure) == ("5", "人")
    s.undo()
    assert (sheet.indicators[0].target, sheet.indicators[0].measure) == ("", "")
    s.redo()
    assert sheet.indicators[0].measure == "人"


def test_read_paste() -> None:
    assert read_paste("a\tb\r\nc\td\r\n").rows == (("a", "b"), ("c", "d"))
    assert read_paste("a\tb").is_grid
    lines = read_paste("一\n二\n")
    assert not lines.is_grid and lines.lines == 2 and lines.joined() == "一 二"

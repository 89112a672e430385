"""One definition of a number (store/sheet/model.py `as_number`): ASCII digits, at most 30 of them.

Before it, a cell of 5,000 digits hit Python's 4,300-digit int conversion limit: `import`
printed a traceback and the editor's save raised, exiting with every edit lost; a 400-digit
amount became the float inf and E131 printed `inf`/`nan`; `check` read Arabic-Indic digits
(٣٠) as 30 while the export wrote them as text. Now such a cell is text everywhere, and a
weight or amount that is text is a finding.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from _sample import sample_sheets
from conftest import SAMPLE
from jixiao.store.rules.rules import check_sheet
from jixiao.store.session.entry import canonical
from jixiao.store.sheet.model import NUMBER_DIGITS, as_number
from jixiao.store.workspace.workspace import Workspace
from jixiao.store.xlsx.xlsx_write import cell_number
from jixiao.tui.app import JixiaoApp
from test_tui_app import PROJECT, SIZE, open_at, sync, yaml_path

ROOT = Path(__file__).resolve().parent.parent
LONG = "1" * 5000


def jixiao(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def _sample_with(tmp_path: Path, label: str, old: str, new: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    cell = f"{label}:\t{old}"
    assert cell in text
    path = tmp_path / "long.txt"
    path.write_text(text.replace(cell, f"{label}:\t{new}", 1), encoding="utf-8")
    return path


def test_import_of_a_5000_digit_weight_keeps_it_as_text_and_check_flags_it(
    committed: Workspace, tmp_path: Path
) -> None:
    workspace = committed
    src = _sample_with(tmp_path, "预算执行率权重", "10", LONG)
    done = jixiao(workspace.root, "import", str(src))
    assert done.returncode == 0, done.stderr[-800:]
    assert "Traceback" not in done.stderr
    text = yaml_path(workspace).read_text(encoding="utf-8")
    assert f"预算执行率权重: '{LONG}'" in text  # a string in YAML, never an int
    checked = jixiao(workspace.root, "check", "--format", "json")
    assert "Traceback" not in checked.stderr
    assert "E102" in checked.stdout and LONG in checked.stdout
    exported = jixiao(workspace.root, "export", "-o", "-")
    assert exported.returncode == 0 and LONG in exported.stdout


def test_a_400_digit_amount_is_a_finding_never_inf_or_nan() -> None:
    sheet = sample_sheets()[0]
    sheet.funding.fiscal = "9" * 400
    findings = check_sheet(sheet)
    messages = " ".join(f.message for f in findings)
    assert "inf" not in messages and "nan" not in messages, messages
    assert any(f.code == "E131" and "不是数字" in f.message for f in findings), messages


@pytest.mark.parametrize("text", ["٣٠", "३०", "３０", "30" + "0" * NUMBER_DIGITS, "1e3", "∞"])
def test_every_reader_agrees_what_is_not_a_number(text: str) -> None:
    assert as_number(text) is None
    assert cell_number(text, amount=True) is None  # the export writes it as text
    sheet = sample_sheets()[0]
    sheet.indicators[0].annual_weight = text
    assert any(f.code == "E102" for f in check_sheet(sheet))


def test_the_editor_keeps_digits_as_typed_only_when_ascii() -> None:
    assert canonical("annual_weight", "３０") == "30"  # typed full-width: made ASCII
    assert canonical("annual_weight", "٣٠") == "٣٠"  # not a number: kept, for E102
    assert canonical("total", LONG) == LONG


@sync
async def test_the_editor_saves_a_5000_digit_weight_and_keeps_the_session(
    committed: Workspace,
) -> None:
    app = JixiaoApp(committed, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "annual_weight")
        screen.pane.apply_set(("indicators", 0, "annual_weight"), LONG)
        await pilot.pause()
        s = screen.session
        assert s is not None and s.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.is_running and screen.session is s and not s.dirty
        assert any(f.code == "E102" for f in screen.query_one("#findings").findings)
    assert f"本年权重: '{LONG}'" in yaml_path(committed).read_text(encoding="utf-8")

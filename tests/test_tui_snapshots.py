"""The editor's looks, pinned with pytest-textual-snapshot (update: --snapshot-update)."""

from __future__ import annotations

import pytest
from conftest import settle, wait_until
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp

SIZE = (130, 42)
PROJECT = "安置帮教工作经费"


@pytest.fixture
def app(workspace: Workspace) -> JixiaoApp:
    return JixiaoApp(workspace, PROJECT)


def test_project_open(snap_compare, app: JixiaoApp) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_editing_a_weight_shows_the_shortfall(snap_compare, app: JixiaoApp) -> None:
    async def to_weight(pilot) -> None:
        screen = pilot.app.main
        screen.pane.table.go(0, "annual_weight")
        await pilot.pause()
        await pilot.press("enter", "backspace", "backspace", "5")
        # The picture once every part shows the new total (a loaded machine draws late).
        bar, findings = screen.query_one("#weights"), screen.query_one("#findings")
        await wait_until(
            pilot,
            lambda: (
                bar.check.status == "合计 95，还差 5"
                and any(f.code == "E101" for f in findings.findings)
                and str(screen.pane.table.get_cell_at((0, 9))) == "5"
            ),
        )
        await settle(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=to_weight)


def test_project_list_filtered(snap_compare, workspace: Workspace) -> None:
    assert snap_compare(JixiaoApp(workspace), terminal_size=SIZE, press=["ctrl+f", *"法律"])


def test_help(snap_compare, app: JixiaoApp) -> None:
    assert snap_compare(app, terminal_size=SIZE, press=["f1"])


def test_changes_view_with_an_unsaved_edit(snap_compare, committed: Workspace) -> None:
    app = JixiaoApp(committed, PROJECT)

    async def to_weight(pilot) -> None:
        pilot.app.main.pane.table.go(0, "annual_weight")
        await pilot.pause()

    assert snap_compare(
        app, terminal_size=SIZE, run_before=to_weight, press=["1", "5", "enter", "ctrl+g"]
    )


# Issue 10.5: the editor at the sizes people's terminals have. At each, typing a weight:
# the weight total, the cell editor and the rows around it are all in view.
@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_a_weight_at_terminal_size(snap_compare, app: JixiaoApp, size) -> None:
    async def to_weight(pilot) -> None:
        pilot.app.main.pane.table.go(0, "annual_weight")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=to_weight, press=["enter", "5"])


def test_self_evaluation_view(snap_compare, workspace: Workspace) -> None:
    """Issue 22: the 自评 view of a filled self-evaluation, one actual being typed."""
    from jixiao.store.projectfile import yamlsave
    from jixiao.store.sheet.year_model import ActualRow, SelfEvaluation, SpentRow

    ref = workspace.resolve(PROJECT)
    sheet = workspace.load(ref)
    actuals = ("450", "达成年度指标", "部分达成年度指标并具有一定效果", "96%", "310", "11个月")
    sheet.evaluation = SelfEvaluation(
        funding={"total": SpentRow("150,000", "138,000")},
        indicators=[
            ActualRow(i.level1, i.level2, i.level3, a, "刑释人员减少" if k == 0 else "")
            for k, (i, a) in enumerate(zip(sheet.indicators, actuals, strict=True))
        ],
        problems="个别指标未完成",
    )
    ref.path.write_text(yamlsave.dumps(sheet, ref.path.read_text("utf-8")), "utf-8")

    async def to_actual(pilot) -> None:
        pane = pilot.app.main.pane
        pane.switch_view()
        pane.switch_view()
        pane.year.move_cursor(row=9, column=5)
        # A steady cursor: the blink's half-second would otherwise decide the picture when
        # the machine is busy (seen with pytest -n 2).
        pane.editor.query_one("#editor-input").cursor_blink = False
        await pilot.pause()

    assert snap_compare(
        JixiaoApp(workspace, PROJECT),
        terminal_size=SIZE,
        run_before=to_actual,
        press=["enter", "ctrl+u", "2", "8", "0"],
    )

"""Issue 21 (points 1-5) through Pilot: a spreadsheet user's habits, keys in a burst, widths,
the findings' order and the filter. tests/test_tui_tmux.py drives the same in a terminal."""

from __future__ import annotations

import pytest
from conftest import at_cell, sync
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.keys import APP_COMMANDS, MAIN_COMMANDS
from jixiao.tui.widgets.indicator_table import NAMES
from test_tui_app import PROJECT, SIZE, main
from textual import events


@pytest.fixture
def ws(workspace: Workspace) -> Workspace:
    return workspace


def test_no_command_takes_a_key_that_types() -> None:
    """Every printable key starts an edit, so no command may be bound to one."""
    for c in MAIN_COMMANDS + APP_COMMANDS:
        for key in c.keys.split(","):
            assert len(key) > 1 and key not in ("slash", "space"), (c.action, key)


@sync
async def test_a_burst_of_keys_acts_in_the_order_typed(ws: Workspace) -> None:
    """`1` Enter Right `个` Enter posted all at once, before the app has handled any: each
    key acts where the one before it left the cursor (issue 21.2)."""
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "target")
        s = screen.session
        for key, char in (("1", "1"), ("enter", None), ("right", None), ("个", "个")):
            app.post_message(events.Key(key, char))
        app.post_message(events.Key("enter", None))
        await pilot.pause()
        rows = s.sheet.indicators
        assert rows[0].target == "1"  # kept; Enter moved down a row
        assert rows[1].annual_target == "个"  # Right, then typed into the next cell
        assert screen.pane.table.cursor_coordinate.row == 2
        # A command that moves the focus, then typing: the typing lands where it went.
        app.post_message(events.Key("ctrl+e", None))
        app.post_message(events.Key("x", "x"))
        await pilot.pause()
        editor = screen.pane.editor
        assert editor.path == screen.pane.header.path and editor.text == "x"


@sync
async def test_enter_moves_down_tab_moves_right_and_letters_type(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "measure")
        s, table = screen.session, screen.pane.table
        await pilot.press(*"km", "tab")  # letters are text now, not commands
        assert s.sheet.indicators[0].measure == "km"
        assert (table.cursor_coordinate.row, table.field_name) == (0, "weight")
        await pilot.press(*"day", "shift+tab")
        assert s.sheet.indicators[0].weight == "day"
        assert table.field_name == "measure"
        await pilot.press("x", "enter")
        assert s.sheet.indicators[0].measure == "x" and table.cursor_coordinate.row == 1
        await pilot.press("a", "escape")  # Esc keeps the old text and the cursor where it is
        assert s.sheet.indicators[1].measure != "a" and table.cursor_coordinate.row == 1


@sync
async def test_ctrl_c_copies_the_cell_or_the_row_and_says_so_in_chinese(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "level3")
        await pilot.press("ctrl+c")
        assert app.clipboard == "接收安置帮教人数"
        messages = [n.message for n in app._notifications]
        assert any("已复制第1行 三级指标" in m for m in messages)
        assert not any("quit" in m.lower() for m in messages)  # not Textual's English notice
        screen.pane.table.move_cursor(row=0, column=0)  # the # column: the whole row
        await pilot.press("ctrl+c")
        rows = screen.session.sheet.indicators
        assert app.clipboard == "\t".join(getattr(rows[0], n) for n in NAMES)
        await pilot.press("right", "shift+down", "shift+down", "ctrl+c")  # rows 1-3 selected
        assert app.clipboard == "\n".join(
            "\t".join(getattr(ind, n) for n in NAMES) for ind in rows[:3]
        )
        assert any("已复制第1–3行" in n.message for n in app._notifications)
        await pilot.press("right")  # moving on drops the selection: a cell again
        assert screen.pane.table.selection is None
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("ctrl+c")  # in a dialog: copies selected text, if any, silently
        messages = [n.message for n in app._notifications]
        assert len(messages) == 3 and not any("quit" in m.lower() for m in messages)


@sync
async def test_at_100_columns_with_the_list_the_columns_that_count_stay(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = main(app)
        await pilot.pause()
        table = screen.pane.table
        assert screen.projects.display  # the list stays shown with a project open
        assert {"level1", "level3", "annual_weight"} <= set(table.names)
        assert table.hidden  # what did not fit is named, with the key that shows it
        assert "F2" in str(screen.pane.detail.render())
        await pilot.press("f2")
        await pilot.pause()
        assert table.names == NAMES and "F2" not in str(screen.pane.detail.render())


@sync
async def test_findings_list_errors_then_warnings_then_notes(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 5, "level1")
        await pilot.press("x", "enter")  # an unknown 一级指标: an error below the warnings
        shown = [f.severity for f in screen.pane.findings.findings]
        assert "error" in shown and shown == sorted(
            shown, key=lambda v: ("error", "warning", "info").index(v)
        )


@sync
async def test_down_from_the_filter_goes_into_the_results_and_enter_opens_the_first(
    ws: Workspace,
) -> None:
    app = JixiaoApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main(app)
        plist = screen.projects
        await pilot.press("ctrl+f", *"法律", "down")
        assert plist.tree.has_focus
        assert plist.tree.cursor_row.summary.ref.name == plist.visible_projects()[0]
        await pilot.press("ctrl+f", "enter")
        await pilot.pause()
        assert screen.ref is not None and screen.ref.name == plist.visible_projects()[0]

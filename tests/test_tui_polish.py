"""The editor's finer points, driven through Pilot over a real workspace in a real git repo:
the semantic changes view, type-to-edit, renaming through the header, the palette, row marks."""

from __future__ import annotations

import pytest
from conftest import at_cell, palette_hit, settle, sync, wait_until
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.main import MainScreen

PROJECT = "安置帮教工作经费"  # 6 indicators; 本年权重 10/20/30/10/10/10 + 预算执行率权重 10
SIZE = (140, 45)


@pytest.fixture
def ws(committed: Workspace) -> Workspace:
    return committed


# ---------------------------------------------------------------------- the changes view


@sync
async def test_changes_view_shows_unsaved_edits_in_the_forms_words(ws: Workspace) -> None:
    from jixiao.tui.screens.changes import RAW, SEMANTIC, ChangesScreen

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "annual_weight")
        await pilot.press("enter", "ctrl+u", "1", "5", "enter")
        assert screen.session.dirty
        await pilot.press("ctrl+g")
        view = app.screen
        assert isinstance(view, ChangesScreen)
        assert view.tab == SEMANTIC
        assert "本年权重: 10 → 15" in view.text
        assert "权重合计: 100 ✓ → 105 多 5" in view.text
        assert view.diff == ""  # nothing saved yet: the raw git diff is empty
        await pilot.press("d")
        assert view.tab == RAW
        await pilot.press("escape", "ctrl+s", "ctrl+g")
        view = app.screen
        assert isinstance(view, ChangesScreen)
        assert "-  本年权重: 10\n+  本年权重: 15\n" in view.diff
        assert "本年权重: 10 → 15" in view.text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


@sync
async def test_changes_view_without_changes(ws: Workspace) -> None:
    from jixiao.tui.screens.changes import ChangesScreen

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, ChangesScreen)
        assert app.screen.text == "与 git HEAD 相同，没有改动"


# ---------------------------------------------------------------------- the table's columns


@pytest.mark.parametrize("size", [(120, 40), (140, 45)])
@sync
async def test_all_ten_columns_fit_without_scrolling(ws: Workspace, size: tuple[int, int]) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        table = app.main.pane.table
        assert len(table.columns) == 11
        assert table.max_scroll_x == 0  # nothing hidden to the right
        right = table.region.right
        last = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert table.region.x + last <= right
        # 本年权重 of the first row is on screen, as typed in the sheet.
        assert str(table.get_cell_at((0, 9))) == "10"
        # A long 三级指标 is cut short in its column; the detail line has it whole.
        level3 = table.ordered_columns[3]
        name = app.main.session.sheet.indicators[1].level3
        assert level3.width < len(name) * 2
        table.go(1, "level3")
        await pilot.pause()
        assert name in str(app.main.query_one("#detail").render())


# ---------------------------------------------------------------------- row marks


@sync
async def test_rows_with_errors_and_rows_with_only_warnings_are_marked(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "annual_weight")
        cell = screen.pane.table.get_cell_at
        # Row 3: W113 (二级指标 not in the profile), a warning; row 1: nothing.
        assert str(cell((2, 0))) == "!3" and str(cell((0, 0))) == "1"
        await pilot.press("enter", "ctrl+u", "x")  # 本年权重 not a number: an error, while typing
        assert str(cell((0, 0))) == "✗1"
        await pilot.press("escape")
        assert str(cell((0, 0))) == "1" and str(cell((2, 0))) == "!3"


def test_column_widths_give_way_to_fit_and_grow_to_show_text() -> None:
    from conftest import SAMPLE
    from jixiao.store.tab import tabfile
    from jixiao.tui.widgets.indicator_table import FLOOR_LEVEL3, column_widths, shown

    sheets = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)[0]
    sheet = sheets[0]
    narrow = column_widths(sheet, 72)  # the table of an 80-column terminal
    assert sum(w + 2 for w in narrow.values()) <= 72  # 三级指标 and 本年权重 both in view
    assert narrow["level3"] >= FLOOR_LEVEL3
    assert narrow["annual_target"] >= 8  # never narrower than its header's longer line (本年绩效)
    wide = column_widths(sheet, 400)
    longest = max(len(i.level3) for i in sheet.indicators) * 2
    assert wide["level3"] == min(longest, 40)  # room to spare: long text is shown whole
    assert wide["annual_weight"] == narrow["annual_weight"] == 4  # short columns stay tight
    # Issue 10.6: the table of a 120-column terminal (with the project list) gives 三级指标
    # the most room of the text columns, and 一级/二级 read as 产出/数量.
    for s in sheets:
        mid = column_widths(s, 82)
        if sum(w + 2 for w in mid.values()) <= 82:
            assert mid["level3"] >= min(16, max(len(i.level3) * 2 for i in s.indicators))
            assert mid["level3"] >= max(mid[n] for n in ("target", "annual_target", "note"))
    assert shown("level1", "产出指标") == "产出" and shown("level2", "数量指标") == "数量"
    assert shown("level3", "产出指标") == "产出指标"


# ---------------------------------------------------------------------- type to edit


@sync
async def test_typing_on_a_cell_starts_editing_it_with_that_character(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "annual_weight")
        s = screen.session
        await pilot.press("1", "5")
        assert screen.pane.editor.is_open and screen.pane.editor.text == "15"
        assert screen.query_one("#weights").check.status == "合计 105，多 5"  # live, uncommitted
        assert s.sheet.indicators[0].annual_weight == "10"
        await pilot.press("enter")
        assert s.sheet.indicators[0].annual_weight == "15" and not screen.pane.editor.is_open
        # Enter kept it and moved down a row, as in a spreadsheet.
        assert screen.pane.table.cursor_coordinate.row == 1
        await pilot.press("left", "left", "left", "left", "left", "left")  # to 三级指标
        assert screen.pane.table.field_name == "level3"
        await pilot.press("新", "名", "enter")
        assert s.sheet.indicators[1].level3 == "新名"
        rows = len(s.sheet.indicators)
        await pilot.press("insert")  # Insert adds a row; a letter types
        assert len(s.sheet.indicators) == rows + 1 and not screen.pane.editor.is_open
        await pilot.press("a")
        assert screen.pane.editor.is_open and screen.pane.editor.text == "a"


@sync
async def test_keys_typed_straight_after_enter_are_not_lost(ws: Workspace) -> None:
    """What a fast typist (or tmux send-keys) does: Enter and the new text in one burst, all
    queued before the app has handled the Enter."""
    from textual import events

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 1, "annual_weight")
        for key, char in [("enter", "\r"), ("2", "2"), ("5", "5"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        s = screen.session
        assert s.sheet.indicators[1].annual_weight == "25"  # Enter selected "20"; "25" replaced it
        assert not screen.pane.editor.is_open
        for key, char in [("enter", "\r"), ("9", "9"), ("escape", None)]:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert s.sheet.indicators[1].annual_weight == "25" and not screen.pane.editor.is_open


@sync
async def test_pasting_on_a_cell_starts_editing_it(ws: Workspace) -> None:
    from textual import events

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "note")
        app.post_message(events.Paste("见附件\n第二行也要"))
        await pilot.pause()
        # Nothing pasted is dropped: a one-line cell gets every line, joined, and is told so.
        assert screen.pane.editor.is_open and screen.pane.editor.text == "见附件 第二行也要"
        assert any("粘贴了 2 行" in n.message for n in app._notifications)
        await pilot.press("enter")
        assert screen.session.sheet.indicators[0].note == "见附件 第二行也要"


# ---------------------------------------------------------------------- renaming in the header


@sync
async def test_editing_the_project_name_in_the_header_moves_the_file_on_save(ws: Workspace) -> None:
    order = [r.rel for r in ws.projects()]
    old = ws.resolve(PROJECT)
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await pilot.press("ctrl+e", "down")  # 单位信息 → 预算项目
        assert screen.pane.header.path == ("project",)
        await pilot.press("enter", "ctrl+u", *"安置帮教经费", "enter", "ctrl+s")
        await pilot.pause()
        new = screen.ref
        assert new.rel == old.rel.replace(PROJECT, "安置帮教经费")
        assert new.path.exists() and not old.path.exists()
        assert not screen.session.dirty
        assert app.sub_title == new.rel and app.title == "安置帮教经费"
        assert "安置帮教经费" in screen.projects.visible_projects()
        assert PROJECT not in screen.projects.visible_projects()
        # The unit too: the file moves to the other unit's folder.
        await pilot.press("ctrl+e", "up")  # back to 单位信息
        assert screen.pane.header.path == ("unit",)
        await pilot.press("enter", "ctrl+u", *"135009-新单位", "enter", "ctrl+s")
        await pilot.pause()
        assert screen.ref.rel == "store/135009-新单位/安置帮教经费.yaml"
        assert screen.ref.path.exists() and not new.path.exists()
        # The changes view follows the move: a changed 预算项目, not a new project.
        await pilot.press("ctrl+g")
        view = app.screen
        assert "预算项目: 安置帮教工作经费 → 安置帮教经费" in view.text
        assert "单位信息: 135001-大竹县司法局 → 135009-新单位" in view.text
        assert "deleted file mode" in view.diff and "+预算项目: 安置帮教经费" in view.diff
        await pilot.press("escape")
    assert ws.load(screen.ref).project == "安置帮教经费"
    after = [r.rel for r in Workspace(ws.root).projects()]
    assert after == [screen.ref.rel if r == old.rel else r for r in order]


@sync
async def test_a_name_taken_by_another_project_is_refused_and_nothing_is_lost(
    ws: Workspace,
) -> None:
    other = ws.resolve("法律援助工作经费")
    other_text = other.path.read_text(encoding="utf-8")
    old = ws.resolve(PROJECT)
    old_text = old.path.read_text(encoding="utf-8")
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await pilot.press(
            "ctrl+e", "down", "enter", "ctrl+u", *"法律援助工作经费", "enter", "ctrl+s"
        )
        await pilot.pause()
        assert screen.ref == old and screen.session.dirty  # the edit is kept, unsaved
        assert screen.session.sheet.project == "法律援助工作经费"
        assert any("已是另一个项目" in n.message for n in app._notifications)
    assert other.path.read_text(encoding="utf-8") == other_text
    assert old.path.read_text(encoding="utf-8") == old_text


# ---------------------------------------------------------------------- the command palette


@sync
async def test_the_command_palette_offers_every_action_of_the_keys_table(ws: Workspace) -> None:
    from jixiao.tui.keys import APP_COMMANDS, MAIN_COMMANDS
    from textual.command import CommandList, CommandPalette

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        await pilot.press("ctrl+p")
        commands = [c for c in MAIN_COMMANDS + APP_COMMANDS if c.action != "command_palette"]
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, CommandPalette)
                and app.screen.query_one(CommandList).option_count >= len(commands)
            ),
        )
        hits = app.screen.query_one(CommandList)
        offered = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        # Every command but the palette itself (ctrl+p opens it; it makes no sense inside it).
        for c in MAIN_COMMANDS + APP_COMMANDS:
            if c.action == "command_palette":
                continue
            assert any(text.startswith(f"{c.label}  ·") and c.help in text for text in offered), (
                f"{c.action} ({c.label}) is not in the command palette"
            )
            target = screen if c in MAIN_COMMANDS else app
            assert callable(getattr(target, f"action_{c.action}", None)), c.action
        await pilot.press("escape")
        # And a command run from it acts like its key: 退出 with unsaved changes asks first.
        await at_cell(pilot, 0, "note")
        await pilot.press("7", "enter")
        assert screen.session.dirty
        await pilot.press("ctrl+p", *"退出")
        await wait_until(pilot, lambda: palette_hit(app, "退出"))
        await pilot.press("enter")
        await pilot.pause()
        from jixiao.tui.screens.choice import ChoiceScreen

        assert isinstance(app.screen, ChoiceScreen) and app.is_running
        assert "有未保存的修改" in str(app.screen.query_one("#dialog-title").render())


@sync
async def test_header_fields_take_typing_too(ws: Workspace) -> None:
    from textual import events

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main
        s = screen.session
        await pilot.press("ctrl+e", *["down"] * 6)  # 单位信息 … 项目总额
        assert screen.pane.header.path == ("total",)
        await pilot.press("1", "6", "0", ",", "0", "0", "0", "enter")
        assert s.sheet.total == "160,000"
        await pilot.press("down")  # 财政资金, Enter and the new text in one burst
        for key, char in [("enter", "\r"), ("1", "1"), ("6", "6"), ("0", "0"), ("enter", "\r")]:
            app.post_message(events.Key(key, char))
        await settle(pilot)
        assert s.sheet.funding.fiscal == "160" and not screen.pane.editor.is_open

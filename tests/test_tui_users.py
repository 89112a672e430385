"""Issue 10: the editor where real users meet it (what they type and paste, small terminals,
the state shown), driven through Pilot over a real workspace in a real git repository."""

from __future__ import annotations

import pytest
from conftest import at_cell, git, sync
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.choice import ChoiceScreen
from jixiao.tui.screens.prompt import PromptScreen
from jixiao.tui.widgets.indicator_table import NAMES
from rich.console import Console
from test_tui_app import PROJECT, SIZE, main


@pytest.fixture
def ws(committed: Workspace) -> Workspace:
    return committed


def notices(app: JixiaoApp) -> list[str]:
    return [n.message for n in app._notifications]


def line_text(tree, ref) -> str:  # noqa: ANN001
    """The project list's line for `ref` as drawn."""
    line = tree.line_of(ref)
    assert line is not None
    strip = tree.render_line(line - tree.scroll_offset.y)
    return "".join(seg.text for seg in strip)


# ---------------------------------------------------------------------- 1-2: what people type


@sync
async def test_full_width_digits_spaces_and_ascii_operators_are_stored_canonically(
    ws: Workspace,
) -> None:
    path = ws.resolve(PROJECT).path
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "annual_weight")
        await pilot.press("enter", "２", "０", "space")  # the live total reads it already
        assert screen.pane.weights.check.weights.total == 110
        await pilot.press("enter")
        ind = screen.session.sheet.indicators[0]
        assert ind.annual_weight == "20"
        await at_cell(pilot, 0, "nature")
        await pilot.press("enter", "ctrl+u", ">", "=", "enter")
        assert ind.nature == "≥"
        assert not [f for f in screen.session.check.findings if f.code == "E121"]
        screen.pane.header.select(("total",))
        screen.pane.header.focus()
        await pilot.press("enter", "ctrl+u", *" １５００００ ", "enter")
        assert screen.session.sheet.total == "150,000"  # as the sheet writes its amounts
        await pilot.press("ctrl+s")
    text = path.read_text(encoding="utf-8")
    assert "本年权重: 20\n" in text
    assert "指标性质: ≥" in text and "２" not in text and "＞" not in text


# ---------------------------------------------------------------------- 3: pasting


@sync
async def test_a_pasted_spreadsheet_row_fills_the_cells_to_the_right_in_one_undo(
    ws: Workspace,
) -> None:
    from textual import events

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 1, "target")
        ind = screen.session.sheet.indicators[1]
        before = (ind.target, ind.annual_target, ind.measure)
        app.post_message(events.Paste("１００\t98\t户\r\n"))
        await pilot.pause()
        assert (ind.target, ind.annual_target, ind.measure) == ("100", "98", "户")
        assert str(screen.pane.table.get_cell_at((1, NAMES.index("measure") + 1))) == "户"
        assert any("已粘贴 1 行 3 列" in n for n in notices(app))
        await pilot.press("ctrl+z")  # one step back undoes the whole row
        assert (ind.target, ind.annual_target, ind.measure) == before
        # Too wide to fit from 备注: nothing is pasted, and the notice says why.
        await at_cell(pilot, 1, "note")
        app.post_message(events.Paste("a\tb\tc"))
        await pilot.pause()
        assert ind.note == "" and any("没有粘贴" in n for n in notices(app))


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"], ids=["LF", "CR", "CRLF"])
@sync
async def test_several_lines_pasted_into_the_open_editor_are_all_kept(
    ws: Workspace, end: str
) -> None:
    from textual import events

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "note")
        await pilot.press("enter")
        # As the terminal's driver posts it; tmux's paste-buffer ends lines with CR, which
        # once put the first line in twice and dropped the others (issue 21.1).
        app.post_message(events.Paste(f"第一行{end}第二行{end}"))
        await pilot.pause()
        assert screen.pane.editor.text == "第一行 第二行"
        assert any("粘贴了 2 行" in n for n in notices(app))


# ---------------------------------------------------------------------- 4: saving with errors


@sync
async def test_saving_a_sheet_with_errors_says_so_and_quitting_warns(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await at_cell(pilot, 0, "annual_weight")
        await pilot.press("enter", "5", "enter", "ctrl+s")
        saved = [n for n in notices(app) if n.startswith("已保存")]
        assert saved and "（1 个错误：E101" in saved[-1]
        await pilot.press("7", "enter", "ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        assert "个错误" in app.screen.message


# ---------------------------------------------------------------------- 5: small terminals


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
@sync
async def test_the_editor_is_usable_in_a_small_terminal(ws: Workspace, size) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=size) as pilot:
        screen = await at_cell(pilot, 0, "annual_weight")
        pane, table = screen.pane, screen.pane.table
        screen_box = screen.region
        assert screen.projects.display == (size[0] >= 100)  # hides itself when narrow
        assert pane.header.compact == (size[1] < 34)
        rows_shown = table.scrollable_content_region.height - table.header_height
        assert rows_shown >= 5
        await pilot.press("enter", "5")
        # The live total and the cell editor are on screen while typing.
        assert screen_box.contains_region(pane.weights.region)
        assert "还差 5" in pane.weights.check.status
        assert screen_box.contains_region(pane.editor.region) and pane.editor.region.height
        # 三级指标 and 本年权重 are in view together.
        visible = table.scrollable_content_region.width
        x = {
            n: sum(c.get_render_width(table) for c in list(table.columns.values())[: k + 1])
            for k, n in enumerate(("#", *NAMES))
        }
        left = table.scroll_offset.x
        assert x["level2"] >= left and x["annual_weight"] <= left + visible
        await pilot.press("escape", "f2")  # the list toggles at any size
        assert screen.projects.display == (size[0] < 100)
        await pilot.press("f3")
        assert pane.header.compact == (size[1] >= 34)


# ---------------------------------------------------------------------- 6: cut text ends in …


@sync
async def test_cut_project_names_and_goals_end_in_an_ellipsis(ws: Workspace) -> None:
    app = JixiaoApp(ws, "第一书记和驻村工作队工作经费")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main(app)
        await pilot.pause()
        tree = screen.projects.tree
        assert line_text(tree, screen.ref).rstrip().endswith("…")
        long_goal = "为" * 400
        screen.pane.session.sheet.goal = long_goal
        screen.pane.redraw()
        await pilot.pause()
        console = Console(width=screen.pane.header.content_size.width, color_system=None)
        with console.capture() as out:
            console.print(screen.pane.header.render())
        assert out.get().rstrip().endswith("…")


# ---------------------------------------------------------------------- 7-8: the list's state


@sync
async def test_the_list_starts_on_the_open_project_and_shows_its_live_state(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.pause()
        tree = screen.projects.tree
        assert tree.cursor_row is not None and tree.cursor_row.summary.ref == screen.ref
        assert "*" not in line_text(tree, screen.ref) and "✓" in line_text(tree, screen.ref)
        await at_cell(pilot, 0, "annual_weight")
        await pilot.press("enter", "1", "5", "enter")  # 合计 105, unsaved
        line = line_text(tree, screen.ref)
        assert "✗" in line and f"*{PROJECT}" in line
        await pilot.press("ctrl+z")  # back to the saved state: no mark
        assert "*" not in line_text(tree, screen.ref) and "✓" in line_text(tree, screen.ref)
        await pilot.press("ctrl+y", "ctrl+s")
        line = line_text(tree, screen.ref)
        assert "✗" in line and "*" not in line
        # Discarding unsaved changes puts the saved state back in the list.
        await at_cell(pilot, 0, "annual_weight")
        await pilot.press("enter", "1", "0", "enter")
        assert "✓" in line_text(tree, screen.ref) and "*" in line_text(tree, screen.ref)
        opened = screen.ref
        await pilot.press("ctrl+l", "down", "enter")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#discard")
        await pilot.pause()
        assert screen.ref != opened
        assert "✗" in line_text(tree, opened) and "*" not in line_text(tree, opened)


# ---------------------------------------------------------------------- 10: projects, F1


@sync
async def test_delete_a_project_after_confirming(ws: Workspace) -> None:
    ref = ws.resolve(PROJECT)
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("ctrl+d")
        assert isinstance(app.screen, ChoiceScreen) and "git" in app.screen.message
        await pilot.press("escape")
        assert ref.path.exists()
        await pilot.press("ctrl+d")
        await pilot.click("#delete")
        await pilot.pause()
        assert not ref.path.exists() and screen.session is None and screen.ref is None
        assert PROJECT not in screen.projects.visible_projects()
        assert screen.query_one("#empty").display
    assert PROJECT in git(ws.root, "show", f"HEAD:{ref.rel}")  # git keeps it


@sync
async def test_rename_and_new_project_say_they_are_immediate(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, PromptScreen) and "立即保存" in app.screen.message
        await pilot.press("escape", "ctrl+n")
        assert isinstance(app.screen, PromptScreen) and "立即写入" in app.screen.message


@sync
async def test_a_filter_with_no_match_says_so(ws: Workspace) -> None:
    app = JixiaoApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f", *"没有这个")
        tree = main(app).projects.tree
        assert not tree.rows
        drawn = "".join(seg.text for seg in tree.render_line(0))
        assert "没有匹配的项目" in drawn


def test_f1_lists_every_key() -> None:
    from jixiao.tui.screens.help import key_table

    console = Console(width=120, color_system=None)
    with console.capture() as out:
        console.print(key_table())
    text = out.get()
    for key in (
        "Del",
        "Ins",
        "F4",
        "^c",
        "^e",
        "^g",
        "F5",
        "F6",
        "^↑ / alt+↑",
        "^↓ / alt+↓",
        "^d",
        "F2",
        "F3",
        "^p",
        "^q",
    ):
        assert key in text, key


# ---------------------------------------------------------------------- 9: one wording


@pytest.mark.parametrize("typed", ["-5", "十"])
@sync
async def test_an_uncountable_weight_is_worded_as_its_finding(ws: Workspace, typed: str) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await at_cell(pilot, 0, "annual_weight")
        await pilot.press("enter", *typed, "enter")
        status = screen.pane.weights.check.status
        e102 = [f.message for f in screen.session.check.findings if f.code == "E102"]
        assert e102 == [status]
        assert "本年权重" in status and typed in status


# ---------------------------------------------------------------------- 11: one language


@sync
async def test_the_palette_speaks_chinese(ws: Workspace) -> None:
    from jixiao.tui.keys import APP_COMMANDS, MAIN_COMMANDS
    from textual.command import CommandInput, CommandList, CommandPalette

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        while not isinstance(app.screen, CommandPalette):
            await pilot.pause()
        palette = app.screen
        assert palette.query_one(CommandInput).placeholder == "搜索命令…"
        hits = palette.query_one(CommandList)
        while hits.option_count < len(MAIN_COMMANDS):
            await pilot.pause()
        offered = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
        ours = {c.label for c in MAIN_COMMANDS + APP_COMMANDS}
        assert {text.split("  ·")[0] for text in offered} <= ours  # no Keys/Theme/Screenshot
        await pilot.press(*"zzzz")
        for _ in range(200):  # Textual says it after a 0.5 s countdown
            said = [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]
            if any("没有匹配的命令" in text for text in said):
                break
            await pilot.pause(0.05)
        else:
            raise AssertionError(f"no 'no match' line: {said}")
    assert "palette" not in str(
        [b.description for b in app._bindings.key_to_bindings.get("ctrl+p", [])]
    )

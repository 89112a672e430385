"""The editor driven through Textual's Pilot, over a real workspace in a real git repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import at_cell as open_at
from conftest import palette_hit, sync, wait_until
from jixiao import cli
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.screens.choice import ChoiceScreen
from jixiao.tui.screens.main import MainScreen
from jixiao.tui.widgets.project_list import ProjectList
from typer.testing import CliRunner

PROJECT = "安置帮教工作经费"  # 6 indicators; 本年权重 10/20/30/10/10/10 + 预算执行率权重 10
SIZE = (140, 45)


@pytest.fixture
def ws(committed: Workspace) -> Workspace:
    return committed


def main(app: JixiaoApp) -> MainScreen:
    screen = app.main
    assert screen is not None
    return screen


def yaml_path(ws: Workspace) -> Path:
    return ws.resolve(PROJECT).path


@sync
async def test_open_from_the_tree(ws: Workspace) -> None:
    app = JixiaoApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = main(app)
        assert screen.session is None
        assert isinstance(app.focused, type(screen.projects.tree))
        await pilot.press("down", "enter")  # second project of the unit
        assert screen.session is not None
        second = ws.projects()[1]
        assert screen.ref == second
        assert app.title == screen.session.sheet.project
        assert screen.pane.table.row_count == len(screen.session.sheet.indicators)
        assert screen.pane.table.columns and len(screen.pane.table.columns) == 11  # # + ten fields


@sync
async def test_weight_total_changes_while_typing_then_save_changes_one_line(ws: Workspace) -> None:
    before = yaml_path(ws).read_text(encoding="utf-8")
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "annual_weight")
        s = screen.session
        assert s is not None and s.check.status == "合计 100 ✓"
        await pilot.press("enter", "backspace", "backspace", "5")
        # Not committed yet: the sheet is unchanged, but everything shows the new total.
        assert s.sheet.indicators[0].annual_weight == "10" and not s.dirty
        bar = screen.query_one("#weights")
        assert bar.check.status == "合计 95，还差 5"
        assert any(f.code == "E101" for f in screen.query_one("#findings").findings)
        assert 0 in screen.pane.table.check.rows
        assert str(screen.pane.table.get_cell_at((0, 9))) == "5"
        await pilot.press("enter")
        assert s.sheet.indicators[0].annual_weight == "5" and s.dirty
        assert app.title.endswith("*")
        await pilot.press("ctrl+s")
        assert not s.dirty and not app.title.endswith("*")
    after = yaml_path(ws).read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [("  本年权重: 10", "  本年权重: 5")]


@sync
async def test_escape_cancels_an_edit(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 1, "annual_weight")
        await pilot.press("enter", "9", "escape")
        s = screen.session
        assert s is not None and not s.dirty and s.check.weights.ok
        assert str(screen.pane.table.get_cell_at((1, 9))) == "20"
        assert screen.query_one("#weights").check.status == "合计 100 ✓"


@sync
async def test_undo_and_redo(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 2, "measure")
        await pilot.press("enter", "ctrl+u", *"次", "enter")
        s = screen.session
        assert s is not None and s.sheet.indicators[2].measure == "次" and s.dirty
        await pilot.press("ctrl+z")
        assert s.sheet.indicators[2].measure == "" and not s.dirty
        assert not app.title.endswith("*")
        await pilot.press("ctrl+y")
        assert s.sheet.indicators[2].measure == "次" and app.title.endswith("*")
        assert str(screen.pane.table.get_cell_at((2, 7))) == "次"


@sync
async def test_quit_asks_when_there_are_unsaved_changes(ws: Workspace) -> None:
    before = yaml_path(ws).read_text(encoding="utf-8")
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, 0, "note")
        await pilot.press("enter", *"备注", "enter", "ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")  # cancel: stay, keep the edit
        assert isinstance(app.screen, MainScreen) and main(app).session.dirty
        await pilot.press("ctrl+q")
        await pilot.click("#save")
        await pilot.pause()
    assert not app.is_running
    after = yaml_path(ws).read_text(encoding="utf-8")
    assert after == before.replace("  备注: ''", "  备注: 备注", 1)


@sync
async def test_quit_without_saving_leaves_the_file(ws: Workspace) -> None:
    before = yaml_path(ws).read_text(encoding="utf-8")
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, 0, "note")
        await pilot.press("enter", "x")  # still typing: the edit counts as a change
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.click("#discard")
        await pilot.pause()
    assert not app.is_running
    assert yaml_path(ws).read_text(encoding="utf-8") == before


@sync
async def test_leaving_a_project_with_changes_asks_first(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "note")
        await pilot.press("enter", "x", "enter")
        other = next(r for r in ws.projects() if r.name != PROJECT)
        screen.projects.post_message(ProjectList.Open(other))
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("escape")
        assert screen.ref is not None and screen.ref.name == PROJECT
        screen.projects.post_message(ProjectList.Open(other))
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
        assert screen.ref == other and not screen.session.dirty


@sync
async def test_file_changed_on_disk_is_never_overwritten_unasked(ws: Workspace) -> None:
    """The same field changed on disk: ctrl+s asks (tests/test_tui_disk.py has the rest)."""
    path = yaml_path(ws)
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "note")
        await pilot.press("enter", *"mine", "enter")
        theirs = path.read_text(encoding="utf-8").replace("度量单位: 人", "度量单位: 名", 1)
        theirs = theirs.replace("  备注: ''", "  备注: theirs", 1)
        path.write_text(theirs, encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert path.read_text(encoding="utf-8") == theirs  # nothing written yet
        await pilot.press("escape")
        await pilot.pause()
        assert screen.session.dirty and path.read_text(encoding="utf-8") == theirs
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#ours")
        await pilot.pause()
        text = path.read_text(encoding="utf-8")
        assert "备注: mine\n" in text and "度量单位: 名" in text and not screen.session.dirty


@sync
async def test_a_file_that_is_no_longer_utf8_on_disk_is_a_conflict_not_a_crash(
    ws: Workspace,
) -> None:
    """Found in review: saving over a file someone made non-UTF-8 crashed and lost the edit."""
    path = yaml_path(ws)
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "note")
        await pilot.press("enter", *"mine", "enter")
        damaged = path.read_bytes() + b"\xff\xfe"
        path.write_bytes(damaged)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ChoiceScreen)
        assert path.read_bytes() == damaged and screen.session.dirty
        await pilot.click("#overwrite")
        await pilot.pause()
        text = path.read_text(encoding="utf-8")  # UTF-8 again
        assert "备注: mine\n" in text and not screen.session.dirty


@sync
async def test_reload_after_external_change(ws: Workspace) -> None:
    path = yaml_path(ws)
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "note")
        await pilot.press("enter", *"mine", "enter")
        path.write_text(
            path.read_text(encoding="utf-8").replace("度量单位: 人", "度量单位: 名", 1), "utf-8"
        )
        await pilot.press("f5")
        await pilot.click("#discard")
        await pilot.pause()
        s = screen.session
        assert s is not None and not s.dirty
        assert s.sheet.indicators[0].measure == "名" and s.sheet.indicators[0].note == ""


@sync
async def test_filter_as_you_type(ws: Workspace) -> None:
    app = JixiaoApp(ws)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        plist = main(app).projects
        assert len(plist.visible_projects()) == 16
        await pilot.press("ctrl+f", *"法律")
        shown = plist.visible_projects()
        assert shown and len(shown) < 16 and all("法律" in name for name in shown)
        await pilot.press("backspace")
        assert len(plist.visible_projects()) > len(shown)
        await pilot.press("enter")  # to the tree, cursor on the first match
        await pilot.press("enter")
        assert main(app).session is not None
        await pilot.press("ctrl+l", "escape")
        plist.action_clear_filter()
        await pilot.pause()
        assert len(plist.visible_projects()) == 16


@sync
async def test_add_duplicate_delete_and_move_rows(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "level3")
        s = screen.session
        names = [i.level3 for i in s.sheet.indicators]
        await pilot.press("insert")
        assert len(s.sheet.indicators) == 7 and screen.pane.table.row_count == 7
        new = s.sheet.indicators[1]
        assert (new.level1, new.level3) == ("产出指标", "")
        assert screen.pane.table.cursor_coordinate.row == 1
        await pilot.press("delete")
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the focused answer: 删除
        assert [i.level3 for i in s.sheet.indicators] == names
        assert screen.pane.table.cursor_coordinate.row == 1
        await pilot.press("f4")
        assert [i.level3 for i in s.sheet.indicators][:3] == [names[0], names[1], names[1]]
        assert screen.pane.table.cursor_coordinate.row == 2
        await pilot.press("ctrl+z")
        assert [i.level3 for i in s.sheet.indicators] == names
        await pilot.press("ctrl+down")
        assert [i.level3 for i in s.sheet.indicators][:3] == [names[0], names[2], names[1]]
        assert screen.pane.table.cursor_coordinate.row == 2
        await pilot.press("ctrl+up", "ctrl+up")
        assert [i.level3 for i in s.sheet.indicators][:3] == [names[1], names[0], names[2]]
        for _ in range(5):
            await pilot.press("ctrl+z")
        assert [i.level3 for i in s.sheet.indicators] == names and not s.dirty


@sync
async def test_header_and_goal_are_editable(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        s = screen.session
        await pilot.press("ctrl+e", "up")  # from 单位信息 back round to 年度目标
        assert screen.pane.header.path == ("goal",)
        await pilot.press("enter", "enter", *"第二行")  # the cursor starts at the end
        assert s.sheet.goal.count("\n") == 0  # still typing
        await pilot.press("ctrl+s")
        assert s.sheet.goal.endswith("\n第二行") and not s.dirty
        await pilot.press("ctrl+e", *["down"] * 7)  # from 年度目标 round to 项目总额
        assert screen.pane.header.path == ("total",)
        await pilot.press("enter", "ctrl+u", *"140,000")
        assert "total" in screen.pane.header.check.fields  # 资金来源 no longer adds up
        await pilot.press("enter")
        assert s.sheet.total == "140,000" and any(f.code == "E131" for f in s.check.findings)
    text = yaml_path(ws).read_text(encoding="utf-8")
    assert "年度目标: |-" in text and "  第二行" in text


@sync
async def test_choices_for_level2(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 2, "level2")  # 效益指标 / 可持续发展指标 (W113)
        s = screen.session
        assert any(f.code == "W113" for f in s.check.findings)
        await pilot.press("enter", "ctrl+u", "down")
        assert screen.pane.editor.text == "经济效益指标"
        await pilot.press("up")
        assert screen.pane.editor.text == "可持续影响指标"
        await pilot.press("enter")
        assert s.sheet.indicators[2].level2 == "可持续影响指标"
        assert not any(f.code == "W113" for f in s.check.findings)


@sync
async def test_command_palette_runs_actions(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_at(pilot, 0, "level3")
        await pilot.press("ctrl+p", *"新增行")
        await wait_until(pilot, lambda: palette_hit(app, "新增行"))
        await pilot.press("enter")
        await pilot.pause()
        assert len(screen.session.sheet.indicators) == 7


@sync
async def test_new_project_and_rename(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        screen = main(app)
        await pilot.press("ctrl+n", *"新项目", "enter")
        await pilot.pause()
        s = screen.session
        assert s.sheet.project == "新项目" and screen.ref.path.exists()
        assert [i.level1 for i in s.sheet.indicators] == [
            "产出指标",
            "成本指标",
            "效益指标",
            "满意度指标",
        ]
        assert "新项目" in screen.projects.visible_projects()
        await pilot.press("ctrl+r", "ctrl+u", *"改过的名字", "enter")
        await pilot.pause()
        assert screen.ref.name == "改过的名字" and screen.ref.path.exists()
        assert not (screen.ref.path.parent / "新项目.yaml").exists()
        assert "改过的名字" in screen.projects.visible_projects()
        assert "新项目" not in screen.projects.visible_projects()
        assert ws.load(screen.ref).project == "改过的名字"


@sync
async def test_changes_view_and_help(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await open_at(pilot, 0, "note")
        await pilot.press("enter", *"x", "enter", "ctrl+s", "ctrl+g")
        from jixiao.tui.screens.changes import ChangesScreen

        assert isinstance(app.screen, ChangesScreen)
        assert "+  备注: x\n" in app.screen.diff
        await pilot.press("escape", "f1")
        from jixiao.tui.screens.help import HelpScreen

        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


def test_edit_command_rejects_an_unknown_project(ws: Workspace) -> None:
    result = CliRunner().invoke(cli.app, ["-C", str(ws.root), "edit", "没有这个项目"])
    assert result.exit_code == 2
    assert "中没有这个项目" in result.output

"""The editor's year views (issue 22 point 7): F6 switches 批复 → 监控 → 自评; the 自评 shows
target, 实际完成值, 分值, 得分 and the reason; 总分/等级 follow every keystroke; undo and save
work there; the project list shows each project's 等级."""

from __future__ import annotations

import pytest
from conftest import settle, sync
from jixiao.store.projectfile import yamlfile
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.keys import MAIN_COMMANDS
from jixiao.tui.screens.main import MainScreen
from jixiao.tui.widgets.project_list import summary_label
from test_tui_app import PROJECT, SIZE, main, yaml_path


@pytest.fixture
def ws(committed: Workspace) -> Workspace:
    return committed


def score_line(screen: MainScreen) -> str:
    return str(screen.query_one("#year-score").render())


def test_f6_is_in_the_table_of_keys() -> None:
    c = next(c for c in MAIN_COMMANDS if c.action == "switch_view")
    assert c.keys == "f6" and c.footer and "自评" in c.help


@sync
async def test_self_evaluation_view_scores_as_you_type_and_saves(ws: Workspace) -> None:
    before = yaml_path(ws).read_text("utf-8")
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        pane = screen.pane
        await pilot.press("f6")
        assert pane.view == "监控" and pane.year.display and not pane.table.display
        await pilot.press("f6")
        assert pane.view == "自评"
        assert "还没有填写" in score_line(screen)
        headers = [str(c.label) for c in pane.year.columns.values()]
        assert headers == ["#", "三级指标", "性质", "年度指标值", "单位", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施"]  # fmt: skip
        # 年度资金总额: 全年预算数 and 全年执行数 (the first row), typed straight in.
        pane.year.move_cursor(row=0, column=3)
        await pilot.press(*"150000", "enter")
        pane.year.move_cursor(row=0, column=5)
        await pilot.press(*"138000", "enter")
        s = screen.session
        assert s.sheet.evaluation.funding["total"].budget == "150,000"
        # Row 1 of the approval (接收安置帮教人数, ≥500, w10): the score follows each key.
        pane.year.move_cursor(row=5, column=5)
        await pilot.press("4", "5")
        assert "总分 10.10" in score_line(screen)  # 9.2 + 10 × 45/500
        await pilot.press("0")
        assert "总分 18.20" in score_line(screen)  # 9.2 + 10 × 450/500 = 9
        await pilot.press("enter")
        assert s.sheet.evaluation.indicators[0].actual == "450"
        assert str(pane.year.get_cell_at((5, 7))) == "9.00"
        await pilot.press("ctrl+z")
        assert s.sheet.evaluation.indicators == []
        assert "总分 9.20" in score_line(screen)
        await pilot.press("ctrl+y", "ctrl+s")
        await settle(pilot)
        assert not s.dirty
        mine = next(x for x in screen.projects.summaries if x.project == PROJECT)
        assert mine.grade == "差"  # 9.2 + 9 = 18.2: the list shows [差] before the name
        assert "[差]" in summary_label(mine).plain
    after = yaml_path(ws).read_text("utf-8")
    assert after.startswith(before)  # the approval's lines untouched; the year follows
    sheet = yamlfile.loads(after, "x")
    assert sheet.evaluation.indicators[0].actual == "450"
    assert sheet.evaluation.funding["total"].spent == "138,000"


@sync
async def test_qualitative_rows_offer_the_three_bands(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        pane = screen.pane
        await pilot.press("f6", "f6")
        pane.year.move_cursor(row=6, column=5)  # row 2: 定性, w20
        await pilot.press("enter")
        assert pane.choices(("evaluation", "indicators", 1, "actual"))[0] == "达成年度指标"
        pane.editor.feed("部分达成年度指标并具有一定效果")  # as a paste would
        await pilot.press("enter")
        assert str(pane.year.get_cell_at((6, 7))) == "16.00"
        pane.year.move_cursor(row=0, column=2)  # an approval cell: typing does nothing
        await pilot.press("9")
        assert not pane.editor.is_open


@sync
async def test_at_80x24_the_score_column_is_in_view(ws: Workspace) -> None:
    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = main(app).pane
        await pilot.press("f6", "f6")
        await settle(pilot)
        table = pane.year
        keys = [str(k.value) for k in table.columns]
        upto = keys.index("score") + 1
        used = sum(c.get_render_width(table) for c in list(table.columns.values())[:upto])
        assert used <= table.size.width
        pane.year.move_cursor(row=5, column=5)
        await pilot.press("4", "5", "0")
        assert str(table.get_cell_at((5, 7))) == "9.00"  # the score of what is being typed


@sync
async def test_the_view_follows_the_file_changed_on_disk(ws: Workspace) -> None:
    from conftest import wait_until
    from jixiao.store.projectfile import yamlsave
    from jixiao.store.sheet.year_model import ActualRow, SelfEvaluation

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("f6", "f6")
        path = yaml_path(ws)
        sheet = yamlfile.loads(path.read_text("utf-8"), "x")
        i = sheet.indicators[0]
        sheet.evaluation = SelfEvaluation(
            indicators=[ActualRow(i.level1, i.level2, i.level3, "500")]
        )
        path.write_text(yamlsave.dumps(sheet, path.read_text("utf-8")), "utf-8")  # a colleague

        def followed() -> bool:
            s = screen.session
            return s is not None and s.sheet.evaluation is not None

        await wait_until(pilot, followed)
        await settle(pilot)
        pane = screen.pane
        assert pane.view == "自评" and app.focused is pane.year
        assert str(pane.year.get_cell_at((5, 5))) == "500"
        assert str(pane.year.get_cell_at((5, 7))) == "10.00"


@sync
async def test_the_palette_finds_the_switch_and_the_monitoring_offers_its_choices(
    ws: Workspace,
) -> None:
    from conftest import palette_hit, wait_until

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        await pilot.press("ctrl+p", *"监控")
        await wait_until(pilot, lambda: palette_hit(app, "批复/监控/自评"))
        await pilot.press("enter")
        await settle(pilot)
        pane = screen.pane
        assert pane.view == "监控"
        path = ("monitoring", "indicators", 0, "likelihood")
        assert pane.choices(path) == ["确定能", "有可能", "完全不可能"]
        pane.year.move_cursor(row=5, column=8)  # 完成目标可能性 of row 1
        await pilot.press(*"有可能", "enter")
        s = screen.session
        assert s.sheet.monitoring.indicators[0].likelihood == "有可能"
        assert [f.code for f in s.check.findings if f.code == "W178"] == ["W178"]
        assert "已填 0/6" in score_line(screen)


@sync
async def test_year_keys_go_through_the_route_in_the_order_typed(ws: Workspace) -> None:
    """Main's editor on the 自评 (issue 21 on issue 22's view): a burst posted at once acts in
    order; typing starts an edit, Tab keeps and moves right, Enter keeps and moves down, Esc
    cancels; ctrl+c copies the cell; the row commands say rows live in the approval (F6)."""
    from textual import events

    app = JixiaoApp(ws, PROJECT)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main(app)
        pane = screen.pane
        await pilot.press("f6", "f6")
        assert pane.view == "自评" and app.focused is pane.year
        pane.year.move_cursor(row=5, column=5)  # row 1's 实际完成值
        burst = [("4", "4"), ("5", "5"), ("0", "0"), ("tab", None), ("tab", None)]
        burst += [("tab", None), ("原", "原"), ("因", "因"), ("enter", None)]
        burst += [("z", "z"), ("escape", None)]
        for key, char in burst:
            app.post_message(events.Key(key, char))
        await pilot.pause()
        rows = screen.session.sheet.evaluation.indicators
        assert rows[0].actual == "450"  # Tab kept it and moved right (分值, 得分, then the reason)
        assert rows[0].reason == "原因"  # Enter kept it and moved down a row …
        assert pane.year.cursor_coordinate == (6, 8)
        assert not pane.editor.is_open and app.focused is pane.year
        assert len(rows) == 1  # … where Esc dropped the z
        assert str(pane.year.get_cell_at((5, 7))) == "9.00"
        pane.year.move_cursor(row=5, column=5)
        await pilot.press("ctrl+c")
        assert app.clipboard == "450"
        pane.year.move_cursor(row=5, column=1)  # an approval cell: copied as shown
        await pilot.press("ctrl+c")
        assert app.clipboard == screen.session.sheet.indicators[0].level3
        n = len(screen.session.sheet.indicators)
        await pilot.press("insert")
        assert len(screen.session.sheet.indicators) == n
        assert any("F6" in str(m.message) for m in app._notifications)
        await pilot.press("ctrl+z", "ctrl+z")  # the reason, then the actual value
        assert screen.session.value(("evaluation", "indicators", 0, "actual")) == ""
        await pilot.press("ctrl+y")
        assert screen.session.value(("evaluation", "indicators", 0, "actual")) == "450"

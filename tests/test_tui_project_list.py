"""The project list: badge and findings count before the name, folding, keys."""

from __future__ import annotations

import asyncio

from jixiao.store.workspace.project_summaries import summaries
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.widgets.project_list import summary_label


def test_the_badge_and_count_come_before_the_name(workspace: Workspace) -> None:
    items = {s.project: s for s in summaries(workspace)}
    assert str(summary_label(items["安置帮教工作经费"], count_width=2)) == "✓  3 安置帮教工作经费"
    assert str(summary_label(items["法治宣传经费"])) == "✓   法治宣传经费"


def test_fold_unfold_and_open_with_keys(workspace: Workspace) -> None:
    async def run() -> None:
        app = JixiaoApp(workspace)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            tree = app.main.projects.tree
            assert len(tree.rows) == 17 and tree.cursor_line == 1  # the unit, its 16 projects
            await pilot.press("left")  # on a project: fold its unit, cursor on the unit
            assert len(tree.rows) == 1 and tree.cursor_line == 0
            await pilot.press("enter")  # on a unit: unfold
            assert len(tree.rows) == 17
            await pilot.press("right", "down", "down", "enter")
            assert app.main.ref == workspace.projects()[2]
            assert tree.current == app.main.ref

    asyncio.run(run())

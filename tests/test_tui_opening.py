"""Opening projects: the sheet pane laid out before the first open stays out of reach until
then, and the header's height follows each sheet's 年度目标 from one project to the next."""

from __future__ import annotations

import asyncio

from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from jixiao.tui.widgets.findings_list import FindingsList
from jixiao.tui.widgets.indicator_table import IndicatorTable
from jixiao.tui.widgets.sheet_header import HeaderPanel
from rich.console import Console

SIZE = (140, 45)


def goal_lines(header: HeaderPanel) -> int:
    """The 年度目标's lines as drawn: counted in what the header shows, not in its size."""
    console = Console(width=header.content_size.width, color_system=None, legacy_windows=False)
    with console.capture() as out:
        console.print(header.render())
    return len(out.get().rstrip("\n").split("\n")) - 8  # 7 rows of fields + the funding line


def test_the_hidden_sheet_pane_takes_no_focus_until_a_project_opens(workspace: Workspace):
    async def run() -> None:
        app = JixiaoApp(workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.main
            assert screen is not None
            sheet = (HeaderPanel, IndicatorTable, FindingsList)
            assert not [w for w in screen.focus_chain if isinstance(w, sheet)]
            await pilot.press("tab", "tab", "tab")
            assert not isinstance(app.focused, sheet)
            await pilot.press("shift+tab", "down", "enter")
            await pilot.pause()
            assert screen.session is not None
            assert app.focused is screen.pane.table
            assert screen.pane.table.row_count == len(screen.session.sheet.indicators)
            assert {type(w) for w in screen.focus_chain} >= set(sheet)
            assert not screen.query_one("#empty").display

    asyncio.run(run())


def test_the_header_grows_and_shrinks_with_the_goal(workspace: Workspace):
    async def run() -> None:
        app = JixiaoApp(workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.main
            assert screen is not None
            heights = set()
            for ref in workspace.projects():
                screen.open_project(ref)
                await pilot.pause()
                header = screen.pane.header
                assert header.size.height == 8 + goal_lines(header), ref.rel
                # The table starts right below the header, the weight bar and their margins.
                assert screen.pane.table.region.y == header.region.bottom + 1 + 2 + 1
                heights.add(header.size.height)
            assert len(heights) >= 3, "the sample's goals should take different heights"

    asyncio.run(run())


def settled(screen) -> bool:  # noqa: ANN001
    """Whether the screen has nothing left to lay out or draw (Textual's update flags)."""
    return not (
        screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
    )


async def frames_of(pilot, *keys: str) -> int:  # noqa: ANN001
    """How many frames the app writes for `keys`, counted until the screen has settled."""
    app = pilot.app
    frames = 0
    display = app._display

    def counted(screen, update) -> None:  # noqa: ANN001 (Textual's private hook)
        nonlocal frames
        frames += 1
        display(screen, update)

    app._display = counted
    try:
        await pilot.press(*keys)
        calm = 0
        while calm < 3:  # three idle turns in a row with nothing pending
            await pilot.pause()
            calm = calm + 1 if settled(app.screen) else 0
    finally:
        app._display = display
    return frames


def test_opening_a_project_is_drawn_in_two_frames(workspace: Workspace):
    """The contract tui/frames.py keeps with Textual's internals (why textual is pinned): an
    open from the project list is the list's own frame plus one for the whole sheet. Without
    draw_once the sheet's widgets draw over three or more; a Textual release that breaks the
    hooks shows here first."""

    async def run() -> None:
        app = JixiaoApp(workspace)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.main
            assert screen is not None
            await frames_of(pilot, "down")
            first = await frames_of(pilot, "enter")
            assert screen.session is not None
            await frames_of(pilot, "ctrl+l", "down")  # back to the list, on the next project
            another = await frames_of(pilot, "enter")
            assert screen.ref == workspace.projects()[2]
            assert (first, another) == (2, 2)

    asyncio.run(run())

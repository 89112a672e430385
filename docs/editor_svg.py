"""Retake docs/editor.svg, the README's screenshot: `python docs/editor_svg.py` (with the
venv of the README's set-up active).

The demo workspace (`jixiao demo`'s), 安置帮教工作经费 open in a 100×30 terminal with the
project list shown, 5 typed into row 1's 本年权重 (the bar and the findings already say 还差 5),
saved as SVG by Textual's own screenshot through Pilot.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from jixiao.store.workspace.demo import make_demo_workspace
from jixiao.tui.app import JixiaoApp

ROOT = Path(__file__).resolve().parent.parent

SIZE = (100, 30)
PROJECT = "安置帮教工作经费"


async def take(out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="jixiao-shot-") as base:
        app = JixiaoApp(make_demo_workspace(Path(base)), PROJECT)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            main = app.main
            assert main is not None
            main.pane.table.go(0, "annual_weight")
            await pilot.pause()
            await pilot.press("enter", "5")
            await pilot.pause(0.3)
            app.save_screenshot(filename=out.name, path=str(out.parent))


if __name__ == "__main__":
    asyncio.run(take(ROOT / "docs" / "editor.svg"))

"""Our code's work per keystroke in the editor, on a 60-indicator sheet (budget: < 2 ms).

    python tests/bench/bench_tui_keystroke.py

A keystroke in a cell editor costs EditSession.preview (the rules engine over the sheet as it
would be) plus redrawing what changed. The first is measured directly; the second through the
real app under Pilot, which includes Textual's own work and so is an upper bound.
"""

from __future__ import annotations

import asyncio
import copy
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from jixiao.store.session.editing import EditSession  # noqa: E402
from jixiao.store.sheet.model import Sheet  # noqa: E402
from jixiao.store.tab import tabfile  # noqa: E402

SAMPLE = ROOT / "store" / "sample" / "dazhu-sifaju-2024.txt"


def sixty_rows() -> Sheet:
    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    sheet = copy.deepcopy(sheets[0])
    rows = [copy.deepcopy(ind) for s in sheets for ind in s.indicators]
    sheet.indicators = rows[:60]
    assert len(sheet.indicators) == 60
    return sheet


def bench_preview(n: int = 2000) -> list[float]:
    session = EditSession(sixty_rows())
    texts = [str(k % 30) for k in range(n)]
    out = []
    for text in texts:
        t = time.perf_counter()
        session.preview(("indicators", 30, "annual_weight"), text)
        out.append((time.perf_counter() - t) * 1000)
    return out


async def bench_app(n: int = 200) -> list[float]:
    from jixiao.store.projectfile import yamlsave
    from jixiao.store.workspace.workspace import Workspace
    from jixiao.tui.app import JixiaoApp

    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.init(Path(tmp) / "ws")
        sheet = sixty_rows()
        sheet.project = "六十行"
        ref = ws.project_ref(sheet)
        ref.path.parent.mkdir(parents=True)
        ref.path.write_text(yamlsave.dumps(sheet), encoding="utf-8")
        app = JixiaoApp(ws, "六十行")
        async with app.run_test(size=(140, 45)) as pilot:
            screen = app.main
            screen.pane.table.go(30, "annual_weight")
            await pilot.press("enter")
            editor = screen.pane.editor
            out = []
            for k in range(n):
                t = time.perf_counter()
                # What one keystroke triggers in our code: the Changed handler.
                screen.pane._typing(
                    editor.Changed(("indicators", 30, "annual_weight"), str(k % 30))
                )
                out.append((time.perf_counter() - t) * 1000)
            return out


def report(name: str, ms: list[float]) -> None:
    ms = sorted(ms)
    p50 = statistics.median(ms)
    p95 = ms[int(len(ms) * 0.95)]
    print(f"{name:<38} median {p50:6.3f} ms   p95 {p95:6.3f} ms   max {ms[-1]:6.3f} ms")


if __name__ == "__main__":
    report("EditSession.preview (rules engine)", bench_preview())
    report("keystroke handler in the app", asyncio.run(bench_app()))
    print("budget: 2 ms per keystroke for our code")

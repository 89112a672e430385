#!/usr/bin/env python
"""Scale benchmark (docs/ARCHITECTURE.md, "Budgets"): thousands of projects in one workspace.

Run by hand from the repository root (pytest does not collect it: the name is bench_*.py):

    python tests/bench/bench_scale.py                # 2,000 projects; TUI with 5,000
    python tests/bench/bench_scale.py --projects 500 --tui-projects 1000 --repeat 2
    python tests/bench/bench_scale.py --scaling 500,2000,8000   # the scaling rows (default)
    python tests/bench/bench_scale.py --scaling-only             # those rows alone

It builds synthetic workspaces in a temp folder from the bundled sample (many units, varied
values, ONE exported tab file holding every sheet, imported the way a user would), then
measures side by side in one run and prints a table of times and ratios against the baseline:
reading and parsing every project YAML file with ruamel.yaml's C loader. Each measurement runs
--repeat times; the best time counts. Exit status 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from jixiao.store import texttable  # noqa: E402
from jixiao.store.disk.cache import CACHE_DIR  # noqa: E402
from jixiao.store.sheet.model import Sheet  # noqa: E402
from jixiao.store.tab import tabfile
from jixiao.store.workspace import views as list_report  # noqa: E402
from jixiao.store.workspace.checkcache import check_refs  # noqa: E402
from jixiao.store.workspace.importer import import_files  # noqa: E402
from jixiao.store.workspace.project_summaries import summaries  # noqa: E402
from jixiao.store.workspace.workspace import Workspace  # noqa: E402
from ruamel.yaml import YAML  # noqa: E402

SAMPLE = ROOT / "store" / "sample" / "dazhu-sifaju-2024.txt"
UNIT_NAMES = ("司法局", "教育局", "卫生健康局", "农业农村局", "交通运输局", "民政局", "水务局")

# ---------------------------------------------------------------------------- the workspace


def synthetic_sheets(n: int) -> tuple[list[Sheet], tabfile.FileLayout]:
    """`n` distinct sheets made from the sample's 16: 8 projects per unit, values varied."""
    sample, file = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    out: list[Sheet] = []
    for i in range(n):
        s = copy.deepcopy(sample[i % len(sample)])
        u = i // 8
        s.unit = f"{135001 + u}-大竹县{UNIT_NAMES[u % len(UNIT_NAMES)]}{u:04d}"
        s.department = f"{135 + u % 40}-大竹县{UNIT_NAMES[u % len(UNIT_NAMES)]}部门"
        if i >= len(sample):
            s.project = f"{s.project}（{i // len(sample)}期）"
        s.manager_phone = f"0818-62{i % 10000:04d}"
        s.goal = f"{s.goal}（{s.unit.split('-', 1)[1]}）"
        # Amounts, quantities and costs stay as in the sample, so each sheet keeps the findings
        # of its sample sheet (11 of the 16 have some; the cost rule multiplies quantities).
        out.append(s)
    return out, file


def build_export(path: Path, n: int) -> None:
    sheets, file = synthetic_sheets(n)
    path.write_bytes(tabfile.emit(sheets, file))


def init_workspace(root: Path) -> Workspace:
    ws = Workspace.init(root)
    return ws


def git(root: Path, *args: str) -> None:
    env = dict(
        os.environ,
        GIT_AUTHOR_NAME="bench",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="bench",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
    )
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


# ---------------------------------------------------------------------------- measuring


@dataclass
class Row:
    name: str
    seconds: float | None
    ratio_of: float | None = None  # divide by this for the ratio column
    budget: str = ""
    ok: bool | None = None
    note: str = ""
    cpu: float | None = None  # best CPU seconds (this process and its children)
    cpu_of: float | None = None


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def run_cli(ws_root: Path, *args: str) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("JIXIAO_DEBUG", None)
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(ws_root), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"jixiao {' '.join(args)} failed: {proc.stderr.decode()[-500:]}")


def progress_printer(label: str) -> Callable[[int, int], None]:
    def show(done: int, total: int) -> None:
        if done == total or done % 100 == 0:
            end = "\n" if done == total else ""
            print(f"\r  {label}: {done}/{total} sheets", end=end, file=sys.stderr, flush=True)

    return show


def fmt_row(r: Row, width: int) -> str:
    secs = "n/a" if r.seconds is None else f"{r.seconds * 1000:9.1f} ms"
    ratio = ""
    if r.seconds is not None and r.ratio_of:
        ratio = f"{r.seconds / r.ratio_of:6.2f}×"
    cpu = ""
    if r.cpu is not None and r.cpu_of:
        cpu = f"{r.cpu * 1000:8.0f} ms {r.cpu / r.cpu_of:5.2f}×"
    verdict = {True: "ok", False: "OVER", None: ""}[r.ok]
    return (
        f"{r.name:<{width}}  {secs:>12}  {ratio:>7}  {cpu:>17}  {r.budget:<14} {verdict:<4} "
        f"{r.note}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--tui-projects", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; best counts")
    ap.add_argument("--keep", type=Path, help="build the workspaces here and keep them")
    ap.add_argument(
        "--scaling",
        default="500,2000,8000",
        help="project counts for the scaling rows (comma-separated; empty: none)",
    )
    ap.add_argument(
        "--scaling-only", action="store_true", help="measure the scaling rows and nothing else"
    )
    ap.add_argument("--tui-session", type=Path, help=argparse.SUPPRESS)  # one TUI measurement
    ap.add_argument("--time-import", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--scaling-measure", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.tui_session:
        print(*asyncio.run(tui_session(args.tui_session)))
        return 0
    if args.time_import:
        print(json.dumps(time_import(*args.time_import)))
        return 0
    if args.scaling_measure:
        root, what = args.scaling_measure
        print(json.dumps(scaling_measure(Path(root), what)))
        return 0

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        base = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="jixiao-bench-")
        base = Path(tmp.name)
    try:
        if args.scaling_only:
            rows = scaling(
                base, [int(x) for x in args.scaling.split(",") if x.strip()], args.repeat
            )
        else:
            rows = run(base, args)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    width = max(len(r.name) for r in rows)
    print()
    print(f"jixiao scale benchmark: {args.projects} projects, best of {args.repeat}")
    print(
        f"{'measurement':<{width}}  {'time':>12}  {'ratio':>7}  {'CPU, ratio':>17}  {'budget':<14}"
    )
    print("-" * (width + 50))
    for r in rows:
        print(fmt_row(r, width))
    return 1 if any(r.ok is False for r in rows) else 0


# ---------------------------------------------------------------------------- the TUI


def tui_available() -> bool:
    try:
        import jixiao.tui.app  # noqa: F401
    except ImportError:
        return False
    return True


async def tui_session(root: Path) -> tuple[float, ...]:
    """Seconds until the project list is drawn and answers a key; then what opening a project
    and moving the cursor cost the app itself.

    Pilot's `press` + `pause` cannot time a single key finely: it waits for the app to go idle
    in 20 ms sleeps, so every key costs ~84 ms of harness time. The app's own share is taken
    from the frames it writes: from just before the key is sent to the last frame the key
    caused (the compositor's update, written through App._display), so everything the key
    set off — the sheet pane laid out and drawn, any work deferred to after a refresh —
    counts, and the harness's idle-waiting does not."""
    from jixiao.tui.app import JixiaoApp

    started = time.perf_counter()
    app = JixiaoApp(Workspace(root))
    frames: list[float] = []
    display = app._display

    def timed_display(screen, update) -> None:  # noqa: ANN001 (Textual's private hook)
        display(screen, update)
        frames.append(time.perf_counter())

    app._display = timed_display

    async def key(name: str) -> tuple[float, float]:
        """(the app's own time: key → its last frame, the harness's press + pause time)"""
        frames.clear()
        t = time.perf_counter()
        await pilot.press(name)
        await pilot.pause()
        harness = time.perf_counter() - t
        assert frames, f"{name}: nothing was drawn"
        return frames[-1] - t, harness

    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        screen = app.main
        tree = screen.projects.tree
        assert tree.rows, "the project list is empty"
        await pilot.press("down")  # responding: the cursor moves
        await pilot.pause()
        assert tree.cursor_line >= 1, "the project list did not answer a key"
        ready = time.perf_counter() - started
        move, floor = await key("down")  # a key that only moves the cursor
        opened, opened_harness = await key("enter")  # open the project under the cursor
        assert screen.session is not None, "no project opened"
        assert screen.pane.table.row_count == len(screen.session.sheet.indicators)
        await key("p")  # back to the list
        await key("down")
        again, _ = await key("enter")  # open another one: the sheet pane is already there
        assert screen.session is not None and screen.ref == tree.cursor_row.summary.ref
    return ready, opened, again, move, floor, opened_harness


def tui_in_fresh_process(root: Path) -> tuple[float, ...]:
    """tui_session in a new interpreter, as a user starts `jixiao edit` (and free of this
    process's heap, which would slow the garbage collector)."""
    out = subprocess.run(
        [sys.executable, __file__, "--tui-session", str(root)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    return tuple(map(float, out.split()))


def big_sheet(n: int = 60) -> Sheet:
    """A 60-indicator sheet from the sample's rows (the same one bench_rules.py times)."""
    sample, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    rows = [copy.deepcopy(ind) for s in sample for ind in s.indicators]
    sheet = copy.deepcopy(sample[13])
    sheet.indicators = (rows * (n // len(rows) + 1))[:n]
    return sheet


def keystroke_seconds(keystrokes: int = 500) -> float | None:
    """Per keystroke: the live check the editor runs while a 本年权重 cell is typed in."""
    try:
        from jixiao.store.session.editing import EditSession
    except ImportError:
        return None
    session = EditSession(big_sheet())
    path = ("indicators", 21, "annual_weight")
    texts = [str(k % 50) + "." + str(k % 10) for k in range(keystrokes)]
    t = time.perf_counter()
    for text in texts:
        session.preview(path, text)
    return (time.perf_counter() - t) / keystrokes


Untimed = Callable[[], object] | None
Measure = Callable[[], object] | tuple[Untimed, Callable[[], object], Untimed]


def interleaved(measures: dict[str, Measure], repeat: int) -> dict[str, float]:
    """Best time of each measurement, running them in turn `repeat` times so that a busy
    moment on the machine does not favour one of them. A measurement given as (before, fn,
    after) runs `before` and `after` around it, untimed. The best CPU time of each (this
    process's and its children's, which the machine's other load disturbs less than the wall
    clock) is left in CPU_TIMES."""
    times: dict[str, list[float]] = {name: [] for name in measures}
    cpu: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(repeat):
        for name, m in measures.items():
            before, fn, after = m if isinstance(m, tuple) else (None, m, None)
            if before:
                before()
            c = cpu_seconds()
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
            cpu[name].append(cpu_seconds() - c)
            if after:
                after()
    CPU_TIMES.update({name: min(ts) for name, ts in cpu.items()})
    return {name: min(ts) for name, ts in times.items()}


CPU_TIMES: dict[str, float] = {}


def cpu_seconds() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def invoke(root: Path, *args: str) -> bytes:
    """A CLI command in-process: typer's runner, no interpreter start-up."""
    from jixiao import cli
    from typer.testing import CliRunner

    result = CliRunner().invoke(cli.app, ["-C", str(root), *args])
    if result.exit_code not in (0, 1):
        raise SystemExit(f"jixiao {' '.join(args)} failed: {result.output[-500:]}")
    return result.stdout_bytes


def workbook_rows(base: Path, root: Path, n: int, text_import: float) -> list[Row]:
    """The same n projects exported as one .xlsx (a worksheet each), then that workbook
    imported into a fresh workspace, next to the text import; once each (they take seconds)."""
    from jixiao.store.xlsx import xlsx_read
    from jixiao.store.xlsx.xlsx_write import write_workbook

    ws = Workspace(root)
    sheets = [ws.load(r) for r in ws.projects()]
    t = time.perf_counter()
    data = write_workbook(sheets)
    write_s = time.perf_counter() - t
    book = base / "export.xlsx"
    book.write_bytes(data)
    t = time.perf_counter()
    read = xlsx_read.read_workbook(data, book.name)
    read_s = time.perf_counter() - t
    assert len(read.sheets) == n
    fresh = base / "ws-xlsx"
    init_workspace(fresh)
    t = time.perf_counter()
    report = import_files(Workspace(fresh), [book], progress=progress_printer("import .xlsx"))
    import_s = time.perf_counter() - t
    assert len(report.created) == n, f"expected {n} projects, got {len(report.created)}"
    mb = len(data) / 1e6
    return [
        Row(f"export {n} projects as .xlsx", write_s, None, note=f"{mb:.1f} MB"),
        Row(f"import {n}-worksheet .xlsx (first)", import_s, text_import, note="ratio: of text"),
        Row("  of which reading the workbook", read_s, None),
    ]


def run(base: Path, args: argparse.Namespace) -> list[Row]:
    n, repeat = args.projects, args.repeat
    export_file = base / "export.txt"
    print(f"building {n} synthetic sheets …", file=sys.stderr)
    build_export(export_file, n)
    exported = export_file.read_bytes()

    root = base / "ws"
    firsts = []
    for k in range(max(repeat, 1)):  # each into a new workspace, in a fresh interpreter
        print(f"first import of {n} sheets ({k + 1}/{repeat}) …", file=sys.stderr)
        shutil.rmtree(root, ignore_errors=True)
        wall, cpu, created, _ = in_fresh_process("--time-import", str(export_file), str(root))
        assert created == n, f"expected {n} projects, got {created}"
        firsts.append((wall, cpu))
    first_import, first_cpu = min(w for w, _ in firsts), min(c for _, c in firsts)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bench")
    xlsx_rows = workbook_rows(base, root, n, first_import)

    reimports: list[float] = []

    def reimport() -> None:
        """In a fresh interpreter, as a user runs it: this process's heap (the first import,
        the workbook) slowed the garbage collector by a fifth."""
        wall, _, _, unchanged = in_fresh_process("--time-import", str(export_file), str(root))
        assert unchanged == n, f"re-import: {unchanged} of {n} unchanged"
        reimports.append(wall)

    files = sorted(root.glob("store/*/*.yaml"))
    assert len(files) == n
    c_yaml = YAML(typ="safe", pure=False)

    def baseline() -> None:
        for f in files:
            c_yaml.load(f.read_text(encoding="utf-8"))

    def cold(fn: Callable[[], object]) -> Callable[[], object]:
        def run_cold() -> object:
            shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
            return fn()

        return run_cold

    def export_in_process() -> None:
        assert invoke(root, "export") == exported, "export differs from the imported file"

    back = base / "back.txt"

    def export_subprocess() -> None:
        run_cli(root, "export", "-o", str(back))
        assert back.read_bytes() == exported, "CLI export differs from the imported file"

    edited = files[len(files) // 2]
    original = edited.read_bytes()
    weights = iter(range(10**9))

    def warm_list() -> None:
        """The caches as an earlier `list` left them (a cold run wipes them all)."""
        summaries(Workspace(root))

    def warm_check() -> None:
        ws = Workspace(root)
        check_refs(ws, ws.projects(), ws.profile(), everything=True)

    def edit_one() -> None:
        """A weight edited in one project file (a new value every time), after a check."""
        warm_check()
        text = original.decode("utf-8")
        head, _, rest = text.partition("预算执行率权重: ")
        _, _, tail = rest.partition("\n")
        edited.write_text(f"{head}预算执行率权重: {next(weights) % 50}\n{tail}", encoding="utf-8")

    def put_back() -> None:
        edited.write_bytes(original)
        run_cli(root, "check")  # the caches as they were: the other rows see no change
        summaries(Workspace(root))

    measures: dict[str, Measure] = {
        "baseline": baseline,
        "list_cold": cold(lambda: invoke(root, "list")),
        "list": (warm_list, lambda: invoke(root, "list"), None),
        "check_cold": cold(lambda: invoke(root, "check")),
        "check": (warm_check, lambda: invoke(root, "check"), None),
        "export": export_in_process,
        "list_sub": (warm_list, lambda: run_cli(root, "list"), None),
        "check_sub": (warm_check, lambda: run_cli(root, "check"), None),
        "check_sub_one": (edit_one, lambda: run_cli(root, "check"), put_back),
        "export_sub": export_subprocess,
        "reimport": reimport,
    }
    tui = tui_available()
    if tui:
        small = base / "ws-sample"
        import_files(Workspace.init(small), [SAMPLE])
        big = base / "ws-tui"
        if args.tui_projects == n:
            big = root
        else:
            big_export = base / "export-tui.txt"
            build_export(big_export, args.tui_projects)
            import_files(Workspace.init(big), [big_export], progress=progress_printer("import"))
        for ws_root in (small, big):
            git(ws_root, "add", "-A")
            git(ws_root, "commit", "-qm", "bench", "--allow-empty")  # big may be root
            summaries(Workspace(ws_root))  # the cache as any earlier `list` or session leaves it
        tui_times: dict[str, tuple[float, ...]] = {}

        def tui_measure(key: str, ws_root: Path) -> Callable[[], None]:
            def measure() -> None:
                got = tui_in_fresh_process(ws_root)
                old = tui_times.get(key, got)
                tui_times[key] = tuple(min(a, b) for a, b in zip(old, got, strict=True))

            return measure

        measures["tui_small"] = tui_measure("small", small)
        measures["tui_big"] = tui_measure("big", big)
    print(f"measuring, {repeat} rounds …", file=sys.stderr)
    best_of = interleaved(measures, repeat)
    best_of["reimport"] = min(reimports)
    key_s = min(keystroke_seconds() or 0 for _ in range(repeat)) if repeat else None
    b = best_of["baseline"]
    budget = "≤ 1.5×"
    rows = [
        Row(f"baseline: C-load {n} YAML files", b, b),
        Row("list, no cache (in-process)", best_of["list_cold"], b, budget),
        Row("list (in-process)", best_of["list"], b, budget),
        Row("check, no cache (in-process)", best_of["check_cold"], b, budget),
        Row("check (in-process)", best_of["check"], b, budget),
        Row("export (in-process)", best_of["export"], b, budget, note="byte-identical"),
        Row("jixiao list, warm (subprocess)", best_of["list_sub"], b, "≤ 0.25×"),
        Row("jixiao check, nothing changed (subprocess)", best_of["check_sub"], b, "≤ 0.25×"),
        Row("jixiao check, one file changed (subprocess)", best_of["check_sub_one"], b, "≤ 0.3×"),
        Row("jixiao export (subprocess)", best_of["export_sub"], b, note="byte-identical"),
        Row(f"import {n} sheets (first)", first_import, b, "≤ 2.0×"),
        Row("re-import, nothing changed", best_of["reimport"], first_import, "≤ 0.2× first"),
        *xlsx_rows,
    ]
    keys = [
        "baseline", "list_cold", "list", "check_cold", "check", "export",
        "list_sub", "check_sub", "check_sub_one", "export_sub",
    ]  # fmt: skip
    for r, key in zip(rows, keys, strict=False):
        r.cpu, r.cpu_of = CPU_TIMES.get(key), CPU_TIMES.get("baseline")
    first_row = next(r for r in rows if r.name.startswith(f"import {n} sheets"))
    first_row.cpu, first_row.cpu_of = first_cpu, CPU_TIMES.get("baseline")
    limits = {"≤ 1.5×": 1.5, "≤ 0.25×": 0.25, "≤ 0.3×": 0.3, "≤ 2.0×": 2.0}
    for r in rows:
        if r.budget in limits:
            r.ok = r.seconds <= limits[r.budget] * b
    reimport_row = next(r for r in rows if r.name.startswith("re-import"))
    reimport_row.ok = best_of["reimport"] * 5 <= first_import
    if tui:
        s_ready, s_open, s_again, _, _, _ = tui_times["small"]
        b_ready, b_open, b_again, b_move, b_floor, b_pilot = tui_times["big"]
        big_n = args.tui_projects
        rows += [
            Row("TUI ready, 16 sample projects", s_ready, s_ready),
            Row(
                f"TUI ready, {big_n} projects",
                b_ready,
                s_ready,
                "≤ 1.5× sample",
                b_ready <= 1.5 * s_ready,
            ),
            Row("TUI open a project, first (16)", s_open, None, "< 100 ms", s_open < 0.1),
            Row("TUI open another project (16)", s_again, None, "< 100 ms", s_again < 0.1),
            Row(f"TUI open a project, first ({big_n})", b_open, None, "< 100 ms", b_open < 0.1),
            Row(f"TUI open another project ({big_n})", b_again, None, "< 100 ms", b_again < 0.1),
            Row(f"  TUI cursor move in the list ({big_n})", b_move, None),
            Row("  Pilot press + pause: a cursor move", b_floor, None, note="harness floor"),
            Row("  Pilot press + pause: open", b_pilot, None, note="as Pilot sees it"),
        ]
    else:
        rows.append(Row("TUI not available", None))
    if key_s:
        rows.append(Row("live check per keystroke, 60 rows", key_s, None, "< 2 ms", key_s < 0.002))
    else:
        rows.append(Row("live check: EditSession not available", None))
    sizes = [int(x) for x in args.scaling.split(",") if x.strip()]
    if sizes:
        rows += scaling(base, sizes, repeat)
    return rows


# ---------------------------------------------------------------------------- scaling


def scaling(base: Path, sizes: list[int], repeat: int) -> list[Row]:
    """Time per project of the first import, and of check and list warm and cold, at each
    size. Every run has its own interpreter, as every command a user runs does, and the best
    of `repeat` interpreters counts: all in one process, the heap that earlier runs left grew
    with the size, and so did the warm rows' time per project (by up to 1.4×), for that
    reason alone; and one interpreter now and then runs a warm `list` of 500 projects 1.5×
    slower than the next, all its repeats alike. Within the interpreter the store's work is
    timed (jixiao.store.workspace.checkcache.check_refs; summaries + rows + the piped table), so
    its fixed start-up does not hide how the work grows. Linear means the time per project
    stays within 1.3× across the sizes."""
    per: dict[str, dict[int, float]] = {}
    per_cpu: dict[str, dict[int, float]] = {}
    for n in sizes:
        export_file = base / f"export-{n}.txt"
        build_export(export_file, n)
        root = base / f"ws-{n}"
        imports = []
        for k in range(repeat):
            print(f"scaling: first import of {n} projects ({k + 1}/{repeat}) …", file=sys.stderr)
            shutil.rmtree(root, ignore_errors=True)
            imports.append(in_fresh_process("--time-import", str(export_file), str(root)))
        per.setdefault("first import", {})[n] = min(i[0] for i in imports) / n
        per_cpu.setdefault("first import", {})[n] = min(i[1] for i in imports) / n
        git(root, "add", "-A")
        git(root, "commit", "-qm", "bench")
        print(f"scaling: measuring {n} projects …", file=sys.stderr)
        for name in SCALING_MEASURES:  # best of `repeat` interpreters, one timed run each
            runs = [in_fresh_process("--scaling-measure", str(root), name) for _ in range(repeat)]
            per.setdefault(name, {})[n] = min(w for w, _ in runs) / n
            per_cpu.setdefault(name, {})[n] = min(c for _, c in runs) / n
        shutil.rmtree(root, ignore_errors=True)
        export_file.unlink()
    rows = [Row(f"scaling {' / '.join(map(str, sizes))} projects, per project", None)]
    for name, by_n in per.items():
        times = [by_n[n] for n in sizes if n in by_n]
        cpus = [per_cpu[name][n] for n in sizes if n in by_n]
        spread, cpu_spread = max(times) / min(times), max(cpus) / min(cpus)
        us = " / ".join(f"{t * 1e6:.0f}" for t in times)
        cpu_us = " / ".join(f"{t * 1e6:.0f}" for t in cpus)
        linear = name != "baseline (C-load)" and len(times) == len(sizes)
        rows.append(
            Row(
                f"  {name}: µs per project",
                None,
                budget="≤ 1.3× spread" if linear else "",
                ok=min(spread, cpu_spread) <= 1.3 if linear else None,
                note=f"wall {us} (spread {spread:.2f}×); CPU {cpu_us} (spread {cpu_spread:.2f}×)",
            )
        )
    return rows


def in_fresh_process(*args: str) -> Any:
    """One scaling measurement in a new interpreter; what it prints is JSON."""
    out = subprocess.run(
        [sys.executable, __file__, *args], check=True, capture_output=True, text=True, cwd=ROOT
    ).stdout
    return json.loads(out)


def time_import(export_file: Path, root: Path) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, projects created, sheets unchanged) of importing `export_file` into the
    workspace at `root`, made first if there is none."""
    if not (root / "jixiao.yaml").exists():
        Workspace.init(root)
    c = cpu_seconds()
    t = time.perf_counter()
    report = import_files(Workspace(root), [export_file])
    wall, cpu = time.perf_counter() - t, cpu_seconds() - c
    return wall, cpu, len(report.created), len(report.unchanged)


SCALING_MEASURES = ("baseline (C-load)", "check, cold", "check, warm", "list, cold", "list, warm")


def scaling_measure(root: Path, what: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of one scaling measurement in the workspace at `root`,
    in this (fresh) interpreter. A warm row runs once untimed first, which leaves the caches
    as an earlier command would; a cold row wipes them first, untimed."""
    files = sorted(root.glob("store/*/*.yaml"))
    c_yaml = YAML(typ="safe", pure=False)

    def baseline() -> None:
        for f in files:
            c_yaml.load(f.read_text(encoding="utf-8"))

    def check_work() -> None:
        ws = Workspace(root)
        check_refs(ws, ws.projects(), ws.profile(), everything=True)

    def list_work() -> None:
        rows = list_report.project_rows(Workspace(root))
        cells = [[r["unit"], r["project"], r["total"], "1", "100 ✓", ""] for r in rows]
        texttable.render(["a"] * 6, ["left"] * 6, cells, 240)

    work = {
        "baseline (C-load)": baseline,
        "check, cold": check_work,
        "check, warm": check_work,
        "list, cold": list_work,
        "list, warm": list_work,
    }[what]
    if what.endswith("warm"):
        work()
    elif what.endswith("cold"):
        shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
    c = cpu_seconds()
    t = time.perf_counter()
    work()
    return time.perf_counter() - t, cpu_seconds() - c


if __name__ == "__main__":
    sys.exit(main())

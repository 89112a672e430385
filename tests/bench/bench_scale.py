#!/usr/bin/env python
"""Scale benchmark (issue 6, DESIGN §7): thousands of projects in one workspace.

Run by hand from the repository root (pytest does not collect it: the name is bench_*.py):

    python tests/bench/bench_scale.py                # 2,000 projects; TUI with 5,000
    python tests/bench/bench_scale.py --projects 500 --tui-projects 1000 --repeat 2

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
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ruamel.yaml import YAML  # noqa: E402

from store import tabfile  # noqa: E402
from store.cache import CACHE_DIR  # noqa: E402
from store.model import Sheet, as_number, format_amount  # noqa: E402
from store.workspace import Workspace  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "dazhu-sifaju-2024.txt"
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
        amount = (as_number(s.total) or 100000) + 1000 * (i % 97)
        s.total = s.funding.fiscal = format_amount(int(amount), s.layout.grouping)
        for k, ind in enumerate(s.indicators):
            n_target = as_number(ind.annual_target)
            if n_target is not None and n_target > 1 and k % 2 == 0:
                ind.target = ind.annual_target = str(int(n_target) + i % 13)
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
        [sys.executable, "-m", "cli", "-C", str(ws_root), *args],
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
    verdict = {True: "ok", False: "OVER", None: ""}[r.ok]
    return f"{r.name:<{width}}  {secs:>12}  {ratio:>7}  {r.budget:<14} {verdict:<4} {r.note}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--tui-projects", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement; best counts")
    ap.add_argument("--keep", type=Path, help="build the workspaces here and keep them")
    args = ap.parse_args(argv)

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        base = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="jixiao-bench-")
        base = Path(tmp.name)
    try:
        rows = run(base, args)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    width = max(len(r.name) for r in rows)
    print()
    print(f"jixiao scale benchmark: {args.projects} projects, best of {args.repeat}")
    print(f"{'measurement':<{width}}  {'time':>12}  {'ratio':>7}  {'budget':<14} ")
    print("-" * (width + 50))
    for r in rows:
        print(fmt_row(r, width))
    return 1 if any(r.ok is False for r in rows) else 0


def run(base: Path, args: argparse.Namespace) -> list[Row]:
    n, repeat = args.projects, args.repeat
    rows: list[Row] = []
    export_file = base / "export.txt"
    print(f"building {n} synthetic sheets …", file=sys.stderr)
    build_export(export_file, n)

    root = base / "ws"
    init_workspace(root)
    t = time.perf_counter()
    report = Workspace(root).import_files([export_file], progress=progress_printer("import"))
    first_import = time.perf_counter() - t
    assert len(report.created) == n, f"expected {n} projects, got {len(report.created)}"
    git(root, "add", "-A")
    git(root, "commit", "-qm", "bench")

    def reimport() -> None:
        rep = Workspace(root).import_files([export_file])
        assert len(rep.unchanged) == n and not rep.created and not rep.updated

    re_import = best(reimport, repeat)

    # The baseline: read and parse every project file with the C loader, nothing else.
    files = sorted(root.glob("store/*/*.yaml"))
    assert len(files) == n
    c_yaml = YAML(typ="safe", pure=False)

    def baseline() -> None:
        for f in files:
            c_yaml.load(f.read_text(encoding="utf-8"))

    base_t = best(baseline, repeat)
    rows.append(Row(f"baseline: C-load {n} YAML files", base_t, base_t))

    # In-process: the functions the CLI commands call, on a fresh Workspace each time.
    from store import report as report_mod

    def do_list() -> None:
        rows_ = report_mod.project_rows(Workspace(root))
        assert len(rows_) == n

    def do_export() -> bytes:
        ws = Workspace(root)
        return ws.export([ws.load(r) for r in ws.projects()])

    assert do_export() == export_file.read_bytes(), "export differs from the imported file"

    def cold(fn: Callable[[], object]) -> Callable[[], object]:
        def run_cold() -> object:
            shutil.rmtree(root / CACHE_DIR, ignore_errors=True)
            return fn()

        return run_cold

    rows.append(Row("list, no cache (in-process)", best(cold(do_list), repeat), base_t, "≤ 1.5×"))
    do_list()
    rows.append(Row("list (in-process)", best(do_list, repeat), base_t, "≤ 1.5×"))
    rows.append(Row("export (in-process)", best(do_export, repeat), base_t, "≤ 1.5×"))

    # The same through the command line, start-up included.
    rows.append(
        Row("jixiao list (subprocess)", best(lambda: run_cli(root, "list"), repeat), base_t)
    )
    out = base / "back.txt"
    rows.append(
        Row(
            "jixiao export (subprocess)",
            best(lambda: run_cli(root, "export", "-o", str(out)), repeat),
            base_t,
        )
    )
    assert out.read_bytes() == export_file.read_bytes(), "CLI export differs from the import"
    rows.append(Row(f"import {n} sheets (first)", first_import, None, "shows progress"))
    rows.append(
        Row(
            "re-import, nothing changed",
            re_import,
            first_import,
            "≤ 0.2× first",
            re_import * 5 <= first_import,
        )
    )
    for r in rows:
        if r.budget == "≤ 1.5×":
            r.ok = r.seconds is not None and r.seconds <= 1.5 * base_t
    return rows


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Benchmark (issue 22): a warm `jixiao score` of 2,000 projects with self-evaluations must
cost no more than a warm `jixiao check` (both use the per-file cache of store/disk/cache.py).

Run by hand from the repository root (pytest does not collect it):

    python tests/bench/bench_score.py                 # 2,000 projects
    python tests/bench/bench_score.py --projects 500 --repeat 3

It builds a workspace from the sample (bench_scale's synthetic sheets), gives every project a
self-evaluation, runs each command once cold, then --repeat times warm in-process (the best
time counts) and as a real process. Exit status 1 when the warm `score` command is slower
than the warm `check` command by more than 10% (timer noise on a shared machine). In-process,
score reads a larger cache (each indicator's names and numbers, where check keeps only its
findings) and is printed for the record.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))

from bench_scale import build_export  # noqa: E402
from jixiao.store.projectfile import yamlsave  # noqa: E402
from jixiao.store.sheet.year_model import ActualRow, SelfEvaluation, SpentRow  # noqa: E402
from jixiao.store.workspace.checkcache import check_refs  # noqa: E402
from jixiao.store.workspace.importer import import_files  # noqa: E402
from jixiao.store.workspace.workspace import Workspace  # noqa: E402
from jixiao.store.workspace.year_scores import score_refs  # noqa: E402


def with_self_evaluations(ws: Workspace) -> None:
    for k, ref in enumerate(ws.projects()):
        text = ref.path.read_text("utf-8")
        s = ws.load(ref)
        s.evaluation = SelfEvaluation(
            funding={"total": SpentRow(s.total, s.total if k % 3 else "1")},
            indicators=[
                ActualRow(
                    i.level1,
                    i.level2,
                    i.level3,
                    "达成年度指标" if i.nature == "定性" else i.annual_target,
                )
                for i in s.indicators
            ],
        )
        ref.path.write_text(yamlsave.dumps(s, text), "utf-8")


def best(fn, repeat: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-score-year-") as tmp:
        root = Path(tmp) / "ws"
        export = Path(tmp) / "all.txt"
        build_export(export, args.projects)
        ws = Workspace.init(root)
        import_files(ws, [export])
        with_self_evaluations(ws)
        time.sleep(2.1)  # out of the cache's racy window: warm runs trust the stat
        ws = Workspace(root)
        profile = ws.profile()
        refs = ws.projects()
        t = time.perf_counter()
        check_refs(ws, refs, profile, everything=True)
        cold_check = time.perf_counter() - t
        t = time.perf_counter()
        score_refs(ws, refs, profile, everything=True)
        cold_score = time.perf_counter() - t
        warm_check = best(
            lambda: check_refs(ws, ws.projects(), profile, everything=True), args.repeat
        )
        warm_score = best(
            lambda: score_refs(ws, ws.projects(), profile, everything=True), args.repeat
        )
        exe = [sys.executable, str(ROOT / "cli.py")]

        def proc(*cmd: str) -> None:
            subprocess.run([*exe, "-C", str(root), *cmd], capture_output=True, check=False)

        proc_check = best(lambda: proc("check", "--format", "json"), args.repeat)
        proc_score = best(lambda: proc("score", "--format", "json"), args.repeat)
    print(f"{args.projects} projects with self-evaluations")
    print(f"{'':24}{'check':>10}{'score':>10}{'ratio':>8}")
    rows = (
        ("cold, in-process", cold_check, cold_score),
        ("warm, in-process", warm_check, warm_score),
        ("warm, a process", proc_check, proc_score),
    )
    for name, c, s in rows:
        print(f"{name:24}{c:>9.3f}s{s:>9.3f}s{s / c:>8.2f}")
    # What a user waits for is the command: start-up, the cache, the scoring, the output.
    ok = proc_score <= proc_check * 1.1
    print("OK: warm score costs no more than warm check" if ok else "SLOWER than check")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

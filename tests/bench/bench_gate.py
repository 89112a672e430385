"""The server gate on a one-commit push to a 2,000-project store (docs/ARCHITECTURE.md, "Budgets": the hook's own
time under 1 s, the whole `git push` under 3 s).

Run by hand:  python tests/bench/bench_gate.py [--projects 2000]
Builds a workspace of synthetic projects (bench_scale's), commits it, installs the gate with
`jixiao init --server` in a bare repository, pushes everything once (every project is new
then), then measures a push of one commit that changes one project: the whole `git push`,
and the hook alone (the installed command, as git runs it, on the same `old new ref` line).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import build_export, git  # noqa: E402
from jixiao.store.forge.server import install_server  # noqa: E402
from jixiao.store.workspace.workspace import Workspace  # noqa: E402

ENV = dict(
    os.environ,
    GIT_AUTHOR_NAME="bench",
    GIT_AUTHOR_EMAIL="bench@example.invalid",
    GIT_COMMITTER_NAME="bench",
    GIT_COMMITTER_EMAIL="bench@example.invalid",
)


def timed(args: list[str], cwd: Path, stdin: str | None = None) -> tuple[float, int, str]:
    t = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, input=stdin, capture_output=True, text=True, env=ENV)
    return time.perf_counter() - t, proc.returncode, proc.stderr


def rev(root: Path, what: str) -> str:
    return subprocess.run(
        ["git", "rev-parse", what], cwd=root, capture_output=True, text=True, check=True
    ).stdout.strip()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--projects", type=int, default=2000)
    n = ap.parse_args().projects
    with tempfile.TemporaryDirectory(prefix="jixiao-bench-gate-") as tmp:
        base = Path(tmp)
        export = base / "export.txt"
        build_export(export, n)
        ws = Workspace.init(base / "ws")
        t = time.perf_counter()
        ws.import_files([export])
        print(f"{n} projects imported in {time.perf_counter() - t:.1f} s")
        git(ws.root, "add", "-A")
        git(ws.root, "commit", "-qm", "all projects")
        git(ws.root, "branch", "-M", "main")
        bare = base / "server.git"
        said, _ = install_server(bare)
        hook = (bare / "hooks" / "pre-receive").read_text(encoding="utf-8")
        command = hook.strip().splitlines()[-1].removeprefix("exec ")
        print(f"hook: {command}")
        git(ws.root, "remote", "add", "origin", str(bare))
        first, code, err = timed(["git", "push", "-q", "origin", "main"], ws.root)
        print(f"first push (every project new): {first:.2f} s, exit {code}")
        if code:
            print(err[-2000:])
            return 1

        ref = ws.projects()[n // 2]
        text = ref.path.read_text(encoding="utf-8")
        ref.path.write_text(text.replace("度量单位: 人", "度量单位: 名", 1) + "# 复核\n", "utf-8")
        git(ws.root, "commit", "-qam", "one project")
        old, new = rev(ws.root, "origin/main"), rev(ws.root, "HEAD")
        push, code, err = timed(["git", "push", "-q", "origin", "main"], ws.root)
        print(f"one-commit push, whole git push: {push:.2f} s (budget 3 s), exit {code}")
        if code:
            print(err[-2000:])
            return 1
        runs = []
        for _ in range(7):
            seconds, code, err = timed(
                ["sh", str(bare / "hooks" / "pre-receive")], bare, f"{old} {new} refs/heads/main\n"
            )
            assert code == 0, err
            runs.append(seconds)
        best, median = min(runs), statistics.median(runs)
        ok = "✓" if median < 1.0 else "✗"
        print(f"the hook alone: best {best:.3f} s, median {median:.3f} s (budget 1 s) {ok}")
        return 0 if median < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())

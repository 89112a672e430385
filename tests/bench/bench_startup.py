"""Start-up of the commands git runs per file, against a bare `python -c pass`.

Budgets (docs/ARCHITECTURE.md, "Start-up"): `merge-file BASE OURS THEIRS PATH`, `textconv FILE`
and `check FILE` each within 6x `python -c pass`; every other command's start (`--version`, a
mistyped command, `list --help`) within 10x.

Run by hand:  python tests/bench/bench_startup.py [--rounds 15] [--keep VENV]

It builds a wheel of this checkout, installs it (without its dependencies' tests) into a fresh
venv in a temporary folder, makes a workspace with the sample, and runs each command from that
venv, alternating with `python -c pass` of the same interpreter so that both see the same
machine load; the ratio of the medians is printed. For each per-file command it also prints
`python -X importtime`'s five largest modules, so a regression shows its module.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "store" / "sample" / "dazhu-sifaju-2024.txt"


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, **kw)


def install(venv: Path) -> Path:
    """A venv with jixiao installed from a wheel of this checkout; its python."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    wheels = venv / "wheels"
    subprocess.run(
        [str(py), "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(ROOT)],
        check=True,
    )
    wheel = next(wheels.glob("jixiao-*.whl"))
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True)
    return py


def workspace(jixiao: Path, where: Path) -> tuple[Path, str]:
    ws = where / "ws"
    subprocess.run([str(jixiao), "init", str(ws)], check=True, capture_output=True)
    subprocess.run(
        [str(jixiao), "-C", str(ws), "import", str(SAMPLE)], check=True, capture_output=True
    )
    project = sorted((ws / "store").rglob("*.yaml"))[0]
    return ws, str(project.relative_to(ws))


def timed(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    run(cmd, cwd=cwd)
    return time.perf_counter() - t


def importtime(cmd: list[str], py: Path, cwd: Path, top: int = 5) -> list[str]:
    """The `top` modules with the most cumulative import time when `cmd` runs."""
    script = Path(cmd[0])
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    out = run([str(py), str(script), *cmd[1:]], cwd=cwd, env=env, text=True)
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            _, cumulative, name = (x.strip() for x in line[len("import time:") :].split("|"))
            rows.append((int(cumulative), name))
    return [f"{us / 1000:6.1f} ms  {name}" for us, name in sorted(rows, reverse=True)[:top]]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--keep", type=Path, help="reuse (or make) the venv here")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-startup-"))
    venv = args.keep or tmp / "venv"
    py = venv / "bin" / "python"
    if not py.exists():
        py = install(venv)
    jixiao = venv / "bin" / "jixiao"
    ws, project = workspace(jixiao, tmp)
    base, ours, theirs = (tmp / n for n in ("base.yaml", "ours.yaml", "theirs.yaml"))
    text = (ws / project).read_text(encoding="utf-8")
    base.write_text(text, encoding="utf-8")
    ours.write_text(text.replace("项目经办人: ''", "项目经办人: 张三"), encoding="utf-8")
    theirs.write_text(text.replace("年度目标:", "年度目标: 改", 1), encoding="utf-8")
    export = tmp / "export.txt"
    shutil.copy(SAMPLE, export)
    commands = {
        "merge-file B O T P": (
            [str(jixiao), "merge-file", str(base), str(ours), str(theirs), project],
            6,
        ),
        "textconv FILE": ([str(jixiao), "textconv", str(export)], 6),
        "check FILE": ([str(jixiao), "check", project], 6),
        "--version": ([str(jixiao), "--version"], 10),
        "mistyped command": ([str(jixiao), "lsit"], 10),
        "list --help": ([str(jixiao), "list", "--help"], 10),
    }
    bare = [str(py), "-c", "pass"]
    print(f"{'command':<22}{'median':>10}{'python -c pass':>16}{'ratio':>8}  budget")
    for label, (cmd, budget) in commands.items():
        ours_t, bare_t = [], []
        for _ in range(args.rounds):
            if label.startswith("merge-file"):
                shutil.copy(ours, tmp / "ours-run.yaml")
                cmd = [*cmd[:3], str(tmp / "ours-run.yaml"), *cmd[4:]]
            ours_t.append(timed(cmd, ws))
            bare_t.append(timed(bare, ws))
        a, b = statistics.median(ours_t), statistics.median(bare_t)
        ok = "ok" if a / b <= budget else "OVER"
        print(f"{label:<22}{a * 1000:>8.1f}ms{b * 1000:>14.1f}ms{a / b:>7.1f}x  <= {budget}x {ok}")
        if budget == 6:
            for line in importtime(cmd, py, ws):
                print(f"{'':<6}{line}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

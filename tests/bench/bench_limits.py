"""Peak memory of `jixiao import` on the hostile inputs of issue 20 (points 5 and 6).

Run by hand:  python tests/bench/bench_limits.py [WORKDIR]
Each input is built here and imported by a real `jixiao` process whose address space is
capped at 3 GiB; the line printed is its exit code, its peak RSS (`os.wait4`'s ru_maxrss)
and the first line of what it said. Before issue 20: the 72 MB sheet peaked near 3 GB and
wrote a project file every command refused; the 1 GB zip bomb grew to 2 GB; a cell at
XFD1048576 aborted the process.

    input                                   limit that refuses it          goal
    72 MB sheet file (one sheet)            sheet file 64 MB (unread)      < 1.5 GiB
    60 MB sheet file (one sheet)            project file 8 MB (parsed)     < 1.5 GiB
    1 GB zip bomb (~2 MB .xlsx)             inflated 128 MB                < 1 GiB
    .xlsx, one cell at XFD1048576           rows 200,000                   no abort
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from _bounded import GiB, run_bounded  # noqa: E402
from _hostile_workbooks import bomb, cell, workbook, worksheet  # noqa: E402
from _workbooks import sheet_blocks  # noqa: E402

MiB = 1 << 20


def one_big_sheet(path: Path, size: int) -> Path:
    """The sample's first sheet with its indicator rows repeated (each one unique) to `size`."""
    block = sheet_blocks()[0]
    head, rows = block[:10], block[10:]
    lines = ["\t".join(c) for c in head]
    total = sum(len(x.encode()) + 1 for x in lines)
    k = 0
    while total < size:
        r = list(rows[k % len(rows)])
        r[2] = f"{r[2]}{k}"
        line = "\t".join(r)
        lines.append(line)
        total += len(line.encode()) + 1
        k += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    work = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="limits-"))
    ws = work / "ws"
    init = run_bounded(["init", str(ws)], work)
    assert init.returncode == 0, init.stderr
    far = f'<row r="1">{cell("A1")}</row><row r="1048576">{cell("XFD1048576")}</row>'
    inputs = {
        "72 MB sheet file": lambda p: one_big_sheet(p / "72mb.txt", 72 * MiB),
        "60 MB sheet file": lambda p: one_big_sheet(p / "60mb.txt", 60 * MiB),
        "1 GB zip bomb": lambda p: bomb(p / "bomb.xlsx", 1 << 30),
        "XFD1048576": lambda p: workbook(p / "far.xlsx", worksheet("A1", far)),
    }
    for what, build in inputs.items():
        path = build(work)
        done = run_bounded(["-C", str(ws), "import", str(path)], ws, limit=3 * GiB, timeout=900)
        said = (done.stderr.strip().splitlines() or [""])[0][:160]
        size = path.stat().st_size / MiB
        print(
            f"{what:18} {size:8.1f} MB  exit {done.returncode:3}  "
            f"peak {done.peak_bytes / MiB:7.0f} MiB  {said}"
        )
        path.unlink()


if __name__ == "__main__":
    main()

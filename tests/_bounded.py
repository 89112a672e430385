"""A real `jixiao` process bounded in memory, and the peak memory it used.

RLIMIT_AS caps the child's address space, so a reader that tries to allocate hundreds of GB
fails inside the child instead of swapping the shared machine. Its peak resident memory is
`os.wait4`'s ru_maxrss, taken by a small Python started first (`_WRAPPER`): Linux carries a
process's ru_maxrss over fork and exec, so a jixiao started straight from a pytest that has
grown to 400 MB would report at least that.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GiB = 1 << 30


@dataclass
class Finished:
    returncode: int  # negative: killed by that signal
    stdout: str
    stderr: str
    peak_bytes: int  # ru_maxrss, in bytes


def run_bounded(
    args: list[str], cwd: Path, limit: int = 3 * GiB, timeout: float = 120, env: dict | None = None
) -> Finished:
    """`python -m jixiao ARGS` in `cwd`, its address space capped at `limit` bytes."""

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile() as peak_file,
    ):
        proc = subprocess.Popen(
            [sys.executable, "-c", _WRAPPER, str(limit), peak_file.name, "-m", "jixiao", *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env=full_env,
            start_new_session=True,  # its own process group: a timeout kills both
        )
        try:
            status = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise AssertionError(f"{args} ran over {timeout} s") from None
        out.seek(0)
        err.seek(0)
        peak = peak_file.read().decode() or "0"
        return Finished(
            status,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            int(peak),
        )


# argv: LIMIT PEAK_FILE PYTHON_ARGS... -- runs python PYTHON_ARGS capped at LIMIT bytes of
# address space, writes its peak RSS in bytes to PEAK_FILE, exits as it did.
_WRAPPER = """
import os, resource, subprocess, sys
limit, peak_file, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
proc = subprocess.Popen([sys.executable, *args])
_, status, usage = os.wait4(proc.pid, 0)
with open(peak_file, "w") as f:
    f.write(str(usage.ru_maxrss * 1024))
code = os.waitstatus_to_exitcode(status)
if code < 0:
    os.kill(os.getpid(), -code)
sys.exit(code)
"""

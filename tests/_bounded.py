"""A real `jixiao` process bounded in memory, and the peak memory it used.

RLIMIT_AS caps the child's address space, so a reader that tries to allocate hundreds of GB
fails inside the child instead of swapping the shared machine; `os.wait4` gives the child's
own ru_maxrss (its peak resident memory), not the maximum over every child of the test run.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
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
    """`python -m cli ARGS` in `cwd`, its address space capped at `limit` bytes."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env=full_env,
            preexec_fn=cap,
        )
        status, peak = _wait4(proc, timeout)
        out.seek(0)
        err.seek(0)
        return Finished(
            status,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            peak,
        )


def _wait4(proc: subprocess.Popen, timeout: float) -> tuple[int, int]:
    """The child's exit status (negative: its signal) and peak RSS in bytes; polls with a
    deadline (a hang kills it and fails the test)."""
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
            return proc.returncode, usage.ru_maxrss * 1024
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise AssertionError(f"{proc.args} ran over {timeout} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.1)

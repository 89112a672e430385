"""Whether a killed jixiao left a write unfinished, and what recovery said about it.

Every command looks (store/workspace/workspace.py, on finding the workspace) and every command prints
the sentences recovery leaves here. Both are cheap and import nothing but the OS, so a command
with nothing to recover never loads the transaction machinery (store/disk/transaction.py) — git
runs the merge driver, textconv and the hooks once per file.
"""

from __future__ import annotations

import os
from pathlib import Path

from .ignored import CACHE_DIR

STOP_ENV = "_JIXIAO_TEST_STOP"  # tests stop a writer at a chosen moment (transaction.py)
TXN = "txn"  # .jixiao-cache/txn/: the staging folders of writes in progress
NOTES: list[str] = []  # what recovery did, for the command line to say


def pending(root: Path) -> bool:
    """Whether a write was left unfinished (cheap: one listdir of an ignored folder)."""
    try:
        return bool(os.listdir(root / CACHE_DIR / TXN))
    except OSError:
        return False


def take_notes() -> list[str]:
    """The recovery sentences not yet shown (and forget them)."""
    notes = NOTES[:]
    NOTES.clear()
    return notes


def testpoint(name: str, n: int | None = None) -> None:
    """Stop this process here if a test asked for it (store/disk/transaction.py says how).
    Kept here, beside nothing heavy, because one-file writers (atomic, the hooks) call it."""
    want = os.environ.get(STOP_ENV)
    if want and want == (name if n is None else f"{name}:{n}"):
        import signal  # only when a test asked: every write passes here

        if hasattr(signal, "SIGSTOP"):
            os.kill(os.getpid(), signal.SIGSTOP)  # tests only: POSIX (Windows has no SIGSTOP)

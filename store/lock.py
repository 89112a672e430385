"""The workspace lock: one writer at a time, across processes and threads.

Every writer (import, save, move, new project, init, the caches) holds `writing(root)` while it
changes files: an `fcntl.flock` on `.jixiao-cache/lock`, which records the holder's pid for the
message the next writer gets. The kernel drops the lock when its holder dies (kill -9
included), so a lock is never stale; the file itself is never removed (removing a lock file
races with the next locker). Held by this process already, `writing` nests.

    with writing(ws.root):
        ...compare what is on disk with what was read, then replace it...
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import WorkspaceBusy
from .ignored import ignored_dir

LOCK = "lock"
WAIT_ENV = "JIXIAO_LOCK_WAIT"  # seconds to wait for another writer (tests shorten it)
DEFAULT_WAIT = 5.0
_POLL = 0.02


@dataclass
class _Held:
    fd: int
    depth: int


_held: dict[Path, _Held] = {}
_mutex = threading.Lock()
_threads: dict[Path, threading.RLock] = {}


def _wait_default() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def _thread_lock(root: Path) -> threading.RLock:
    with _mutex:
        return _threads.setdefault(root, threading.RLock())


@contextlib.contextmanager
def writing(root: Path, wait: float | None = None) -> Iterator[None]:
    """Hold the workspace lock of `root`; after `wait` seconds (default JIXIAO_LOCK_WAIT or 5)
    of another writer holding it, WorkspaceBusy naming that writer's pid."""
    if not try_acquire(root, _wait_default() if wait is None else wait):
        raise WorkspaceBusy(holder(root))
    try:
        yield
    finally:
        release(root)


@contextlib.contextmanager
def attempt(root: Path) -> Iterator[bool]:
    """The lock if it is free right now (True), else go on without it (False): for writers
    that may skip their write, such as a cache."""
    got = try_acquire(root, 0.0)
    try:
        yield got
    finally:
        if got:
            release(root)


def try_acquire(root: Path, wait: float) -> bool:
    root = root.resolve()
    rlock = _thread_lock(root)
    deadline = time.monotonic() + wait
    if not (rlock.acquire(timeout=wait) if wait > 0 else rlock.acquire(blocking=False)):
        return False
    held = _held.get(root)
    if held is not None:
        held.depth += 1
        return True
    try:
        fd = os.open(ignored_dir(root) / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError:
        rlock.release()
        raise
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                rlock.release()
                return False
            time.sleep(_POLL)
    with contextlib.suppress(OSError):
        pid = f"{os.getpid()}\n".encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, pid, 0)
    _held[root] = _Held(fd, 1)
    return True


def release(root: Path) -> None:
    root = root.resolve()
    held = _held[root]
    held.depth -= 1
    if held.depth == 0:
        del _held[root]
        # Closing the descriptor drops the flock; the pid stays in the file (harmless: only
        # read while someone holds the lock).
        os.close(held.fd)
    _thread_lock(root).release()


def nested(root: Path) -> bool:
    """Whether this process held the lock of `root` already when it took it last."""
    held = _held.get(root.resolve())
    return held is not None and held.depth > 1


def holds(root: Path) -> bool:
    """Whether this process holds the lock of `root`."""
    return root.resolve() in _held


def holder(root: Path) -> int | None:
    """The pid the lock file names (the writer holding it, while it is held)."""
    try:
        return int((ignored_dir(root, create=False) / LOCK).read_text().strip())
    except (OSError, ValueError):
        return None

"""The workspace lock: one writer at a time, across processes and threads.

Every writer (import, save, move, new project, init, the caches) holds `writing(root)` while it
changes files: an operating-system lock on `.jixiao-cache/lock`, which records the holder's pid
for the message the next writer gets. The system drops the lock when its holder dies (kill -9
included), so a lock is never stale; the file itself is never removed (removing a lock file
races with the next locker). Held by this process already, `writing` nests.

    with writing(ws.root):
        ...compare what is on disk with what was read, then replace it...

The lock file may have come with a clone: it is opened without following a link
(O_NOFOLLOW), must then be a regular file of this user's, and is never truncated (the pid is
written over the first bytes, padded to a fixed width), so a committed `lock` pointing at
another file can neither empty nor change it.

Why not `filelock` from PyPI: its lock classes open (and truncate) the file themselves,
where we must open it as above; and its import costs about 30 ms, three bare interpreter
starts, on every per-file git command (textconv, the merge driver, the hook), whose budget
is six. The primitive is small enough to keep here, one per system:

- POSIX: `fcntl.flock` on the whole file;
- Windows: `msvcrt.locking` of one byte far past the end of the file (Windows locks are
  mandatory: locking byte 0 would keep the next writer from reading the pid);
- neither (a Python without fcntl or msvcrt): a `lock.held` file made with O_EXCL holding
  the pid, taken over when that pid no longer runs. Weaker than the others (a reused pid
  keeps a dead holder's lock until it exits), and only used where they are missing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import WorkspaceBusy
from .fsio import O_BINARY, O_CLOEXEC, open_nofollow, owned
from .ignored import UnsafeCacheDir, ignored_dir, refusal

try:
    import fcntl
except ImportError:  # Windows, or a Python built without it
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # everywhere but Windows
    msvcrt = None  # type: ignore[assignment]

LOCK = "lock"
HELD = "lock.held"  # the marker of the last resort (neither fcntl nor msvcrt)
_PID_WIDTH = 20  # the pid, space-padded: written over the old one, never truncated
_WIN_BYTE = 1 << 30  # the byte msvcrt locks: far past the pid
WAIT_ENV = "JIXIAO_LOCK_WAIT"  # seconds to wait for another writer (tests shorten it)
DEFAULT_WAIT = 5.0
_POLL = 0.02


@dataclass
class _Held:
    fd: int
    depth: int
    marker: Path | None = None  # the last resort's lock.held, removed on release


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
        fd = _open_lock(ignored_dir(root) / LOCK)
    except BaseException:
        rlock.release()
        raise
    marker = ignored_dir(root) / HELD if fcntl is None and msvcrt is None else None
    while True:
        try:
            got = _try_lock(fd, marker)
        except BaseException:
            os.close(fd)
            rlock.release()
            raise
        if got:
            break
        if time.monotonic() >= deadline:
            os.close(fd)
            rlock.release()
            return False
        time.sleep(_POLL)
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid():<{_PID_WIDTH}}\n".encode())
    _held[root] = _Held(fd, 1, marker)
    return True


def _open_lock(path: Path) -> int:
    """The lock file, opened read-write without following a link and without truncating it;
    one sentence (UnsafeCacheDir) if it is a symlink, not a regular file, or not ours."""
    try:
        fd = open_nofollow(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        if e.errno in (errno.ELOOP, errno.EMLINK):  # FreeBSD says EMLINK
            raise refusal(path, "是符号链接") from None
        if e.errno == errno.EISDIR:
            raise refusal(path, "不是普通文件") from None
        raise
    st = os.fstat(fd)
    problem = None if stat.S_ISREG(st.st_mode) else "不是普通文件"
    if problem is None and not owned(st):
        problem = "属于另一个用户"
    if problem:
        os.close(fd)
        raise refusal(path, problem)
    return fd


def _try_lock(fd: int, marker: Path | None) -> bool:
    """Take the lock on the open lock file `fd` if it is free now (never waits)."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:
        os.lseek(fd, _WIN_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    assert marker is not None
    return _take_marker(marker)


def _take_marker(marker: Path) -> bool:
    """The last resort: make `marker` (O_EXCL) holding our pid; one left by a process that
    no longer runs is removed first."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | O_CLOEXEC | O_BINARY
    try:
        fd = os.open(marker, flags, 0o644)
    except FileExistsError:
        try:
            fd = open_nofollow(marker, os.O_RDONLY)
            try:
                pid = int(os.read(fd, _PID_WIDTH + 1).decode("ascii").strip())
            finally:
                os.close(fd)
        except (OSError, ValueError):  # being written, cut short by a kill, or not ours
            pid = 0
        if (pid and _running(pid)) or (not pid and _young(marker)):
            return False
        with contextlib.suppress(FileNotFoundError):
            os.unlink(marker)  # a dead writer's: retried on the next poll
        return False
    try:
        os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)
    return True


def _young(marker: Path) -> bool:
    """Whether a marker without a pid was made in the last few seconds (its pid may be on
    its way), or is gone already."""
    try:
        return time.time() - os.lstat(marker).st_mtime < DEFAULT_WAIT
    except OSError:
        return True


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # not ours to signal, but it runs
        return True
    return True


def release(root: Path) -> None:
    root = root.resolve()
    held = _held[root]
    held.depth -= 1
    if held.depth == 0:
        del _held[root]
        # Closing the descriptor drops the lock; the pid stays in the file (harmless: only
        # read while someone holds the lock).
        if held.marker is not None:
            with contextlib.suppress(OSError):
                os.unlink(held.marker)
        elif fcntl is None and msvcrt is not None:
            # Windows frees a lock when its handle closes, but "not necessarily at once":
            # unlock first, so the next writer does not wait on the system.
            with contextlib.suppress(OSError):
                os.lseek(held.fd, _WIN_BYTE, os.SEEK_SET)
                msvcrt.locking(held.fd, msvcrt.LK_UNLCK, 1)
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
        fd = open_nofollow(ignored_dir(root, create=False) / LOCK, os.O_RDONLY)
    except (OSError, UnsafeCacheDir):
        return None
    try:
        return int(os.read(fd, _PID_WIDTH + 1).decode("ascii").strip())
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)

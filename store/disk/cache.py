"""A local cache of per-project facts (summary, sheet digest, …), keyed by file stat and hash.

It lives in <workspace>/.jixiao-cache/ (store/disk/ignored.py), a folder that tells git to ignore
it; the cache files are safe to delete at any time. A cache is written only when the
workspace lock is free at that moment (never waiting for it: a reader is never held up by a
writer). It is never trusted over the file itself:

- an entry counts only while the file's stat (mtime_ns, ctime_ns, size, inode) is the one
  recorded, and only if that stat was not "racy" — taken so soon after the file's mtime that
  an edit of the same size within one clock tick could hide (git's index has the same rule);
- otherwise the file is read and its sha256 decides; a different hash is a miss;
- a cache file that cannot be read, is not what this code wrote, or was written by another
  version of the code, is ignored and rebuilt;
- so is one this machine did not write in this folder: each records the (device, inode) of
  the folder it was written in, which a `.jixiao-cache/` that came with a clone (someone ran
  `git add -f`) cannot know, so a committed cache never stands in for the files. A
  `.jixiao-cache` that is a symlink or not a folder is neither read nor written.

    cache = ProjectCache(ws.root)
    probe = cache.lookup(ref.rel, ref.path)
    if probe.entry and "summary" in probe.entry: ...  # the file has not changed
    else: ...parse probe.data (or read the file)...; cache.put(probe, summary=...)
    cache.save()
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import WorkspaceError
from . import lock
from .files import PROJECT_LIMIT, YAML_LIMIT, FileKindError, read_regular
from .ignored import CACHE_DIR, ignored_dir, usable

_FORMAT = 1
RACY_NS = 2_000_000_000  # a stat taken within 2 s of the file's mtime is verified by hash

Stat = list[int]  # [mtime_ns, ctime_ns, size, inode]


@functools.cache
def code_fingerprint() -> str:
    """A hash of the store's source (subpackages included): any change to the code that
    produced an entry voids it."""
    h = hashlib.sha256()
    base = Path(__file__).parent
    for path in sorted(base.rglob("*.py")):
        h.update(path.relative_to(base).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def stat_key(st: os.stat_result) -> Stat:
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


def unchanged(recorded: Any, seen: Any, st: os.stat_result) -> bool:
    """Whether a file whose stat is `st` is still the one recorded with stat `recorded` at
    time `seen` (time_ns) — THE freshness rule of every cache here.

    Only an identical stat counts, and only if it was not racy: taken within RACY_NS of the
    file's mtime, when an edit of the same size in the same clock tick could leave the stat
    as it was (git's index has the same rule). Anything else is for the hash to decide."""
    return (
        type(recorded) is list
        and recorded == [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]
        and type(seen) is int
        and recorded[0] < seen - RACY_NS
    )


def key_of(value: Any) -> str:
    """A short stable hash of a value made of dataclasses, mappings, sequences, sets and
    scalars (a rules profile, say): every field counts, so a field added later voids old
    entries instead of being silently left out; sets are sorted (their order varies from one
    process to the next)."""
    return hashlib.sha256(repr(_canonical(value)).encode("utf-8")).hexdigest()[:16]


def _canonical(v: Any) -> Any:
    if dataclasses.is_dataclass(v) and not isinstance(v, type):
        return (
            type(v).__name__,
            [(f.name, _canonical(getattr(v, f.name))) for f in dataclasses.fields(v)],
        )
    if isinstance(v, Mapping):
        return ("map", [(_canonical(k), _canonical(x)) for k, x in v.items()])
    if isinstance(v, (set, frozenset)):
        return ("set", sorted((_canonical(x) for x in v), key=repr))
    if isinstance(v, (list, tuple)):
        return [_canonical(x) for x in v]
    return v


@dataclass
class Probe:
    """What lookup found for one file: a trusted entry, and/or the bytes it had to read."""

    rel: str
    entry: dict[str, Any] | None  # the cached facts, when they describe the file on disk
    data: bytes | None = None  # the file's bytes, if they were read
    stat: Stat | None = None
    seen: int = 0  # when the stat was taken (time_ns)
    sha: str | None = None


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ProjectCache:
    """Facts about project files, valid only while the file is the one they describe."""

    def __init__(self, root: Path, name: str = "projects", key: str = "entries") -> None:
        """`key` scopes the entries: a cache file stored under another key (say, facts
        counted under other rules, see key_of) reads as empty."""
        self.dir = root / CACHE_DIR
        self.path = self.dir / f"{name}.json"
        self.key = key
        self._entries: dict[str, dict[str, Any]] | None = None
        self._dirty = False

    # ---------------------------------------------------------------- reading

    @property
    def entries(self) -> dict[str, dict[str, Any]]:
        if self._entries is None:
            self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, dict[str, Any]]:
        entries = read_blob(self.dir, self.path.stem, self.key)
        if not isinstance(entries, dict):
            return {}  # missing or corrupt: start again
        return {k: v for k, v in entries.items() if isinstance(v, dict)}

    @property
    def loaded(self) -> bool:
        return self._entries is not None

    def lookup(self, rel: str, path: str | Path, limit: int = PROJECT_LIMIT) -> Probe:
        """The entry for `rel` if it still describes the file at `path` (a project file,
        or another file read within `limit` bytes: one over it is never read here).

        A file whose stat changed (or is racy) is read and hashed: same hash, the entry is
        kept (and its stat refreshed); otherwise the probe carries the bytes for the caller
        to parse, and `put` records what it learned.
        """
        seen = time.time_ns()
        try:
            raw = os.stat(path)
        except OSError:
            return Probe(rel, None)
        st = stat_key(raw)
        entry = self.entries.get(rel)
        if entry is not None and unchanged(entry.get("stat"), entry.get("seen"), raw):
            return Probe(rel, entry, stat=st, seen=seen, sha=entry.get("sha"))
        try:
            data = read_regular(path, limit)
        except (OSError, FileKindError):  # the caller reads it again, and says why
            return Probe(rel, None)
        sha = _sha(data)
        if entry is not None and entry.get("sha") == sha:
            entry["stat"], entry["seen"] = st, seen
            self._dirty = True
            return Probe(rel, entry, data, st, seen, sha)
        return Probe(rel, None, data, st, seen, sha)

    # ---------------------------------------------------------------- writing

    def put(self, probe: Probe, **facts: Any) -> None:
        """Record facts about the file the probe read (adding to its entry if it had one)."""
        if probe.stat is None or probe.sha is None:
            return
        entry = probe.entry
        if entry is None or entry.get("sha") != probe.sha:
            entry = {"stat": probe.stat, "seen": probe.seen, "sha": probe.sha}
            probe.entry = entry
        entry.update(facts)
        self.entries[probe.rel] = entry
        self._dirty = True

    def record_written(self, rel: str, path: Path, data: bytes, **facts: Any) -> None:
        """Facts about a file this process just wrote with `data` (verified by hash later:
        its stat is racy for a while)."""
        seen = time.time_ns()
        try:
            st = stat_key(os.stat(path))
        except OSError:
            return
        self.put(Probe(rel, None, None, st, seen, _sha(data)), **facts)

    def forget(self, rel: str) -> None:
        if self.entries.pop(rel, None) is not None:
            self._dirty = True

    def retain(self, rels: set[str]) -> None:
        """Drop entries of files that are no longer projects."""
        gone = [r for r in self.entries if r not in rels]
        for rel in gone:
            del self.entries[rel]
        self._dirty = self._dirty or bool(gone)

    def save(self) -> None:
        """Write the cache if it changed; a cache that cannot be written is simply skipped."""
        if not self._dirty or self._entries is None:
            return
        if write_blob(self.dir, self.path.stem, self.key, self._entries):
            self._dirty = False


def _home(cache_dir: Path) -> str:
    """The folder's identity on this machine (a committed cache names another)."""
    st = os.lstat(cache_dir)
    return f"{st.st_dev}:{st.st_ino}"


def read_blob(cache_dir: Path, name: str, key: str) -> Any:
    """What write_blob stored under `key` in <cache_dir>/<name>.json, or None when the file
    is missing, damaged, written by other code, or not written in this folder here."""
    try:
        if not usable(cache_dir.parent):
            return None
        raw = json.loads(read_regular(cache_dir / f"{name}.json", YAML_LIMIT))
        if raw.get("format") != _FORMAT or raw.get("code") != code_fingerprint():
            return None
        if raw.get("home") != _home(cache_dir):
            return None
        return raw[key]
    except (OSError, FileKindError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_blob(cache_dir: Path, name: str, key: str, data: Any) -> bool:
    """Store `data` (JSON) in <cache_dir>/<name>.json atomically; False if it cannot be (the
    lock is taken, the folder is not a real folder of ours, a write fails)."""
    try:
        ignored_dir(cache_dir.parent)
        payload = {
            "format": _FORMAT,
            "code": code_fingerprint(),
            "home": _home(cache_dir),
            key: data,
        }
        blob = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        with lock.attempt(cache_dir.parent) as free:
            if not free:
                return False  # another jixiao is writing: the cache waits for the next run
            _replace(cache_dir, name, blob)
    except (OSError, WorkspaceError):
        return False
    return True


def _replace(cache_dir: Path, name: str, blob: bytes) -> None:
    import tempfile  # only when a cache file is written

    fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=cache_dir)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(blob)
        os.replace(tmp, cache_dir / f"{name}.json")
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise

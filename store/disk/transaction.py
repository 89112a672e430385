"""Writing files of a workspace all or nothing, and finishing what a killed writer left.

`commit(root, changes, kind)` under the workspace lock:

1. compare before replace: each file must still have the digest it had when the caller read
   it (`Change.expected`; None: must not exist), else ChangedOnDisk and nothing is written;
2. stage: the new bytes of every file, and a hard link to every file being replaced, go to
   `.jixiao-cache/txn/<kind>-…/` (git never sees that folder);
3. record the plan: `journal.json` (written to a temp name, fsynced, renamed) lists which
   staged file replaces which file, with the old and new digests — the commit point;
4. apply: rename each staged file over its target (or remove the target), fsync the folders;
5. forget: rename the staging folder to `done-…` (one atomic step), then remove it.

Killed before 3, the store is untouched and the next command removes the staging folder (an
undo); killed after, the next command finishes the renames from the journal (a redo), or, if a
rename cannot be done, puts every file back from its link (an undo); a `done-…` folder is a
finished write's leftovers, removed without a word. `recover(root)` does that; every workspace
opened runs it first (store/workspace/workspace.py). A single file has a journal too: without one, a
staging folder after its rename would look like a write that changed nothing.

Recovery acts only on what this machine wrote. A clone may carry a `.jixiao-cache/txn/`
someone committed, with a journal naming absolute paths or a target below a symlinked
folder: obeyed, it would move any file of the machine into the workspace or write outside
it. So each staging folder starts with `folder-id`, its own device and inode number, which
a folder made by `git clone` (or a copy, an unzip) cannot know in advance; a folder whose
id is not its own, that is not a real folder of this user's, whose journal is a link, or
whose plan names a file outside the workspace (after resolving symlinks) or a staged file
outside the folder, is left alone with a warning (kept in NOTES like the rest).

For tests, _JIXIAO_TEST_STOP=<point> makes the process stop itself (SIGSTOP) at that point —
`stage:N` after N files staged, `journal` once the plan is recorded, `apply:N` after N
renames, `forget` once the staging folder is marked done (also `import-read`: an import has read every file, before it takes the lock;
`write-half`: `export -o` has written half its bytes) — so a test can kill -9 it there,
waiting on its state, not on a clock.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import ChangedOnDisk, WorkspaceError
from . import fsio, lock
from .ignored import CACHE_DIR, UnsafeCacheDir, sub_dir, usable
from .pending import NOTES, TXN, pending, testpoint

FOLDER_ID = "folder-id"  # the staging folder's own (device, inode): made here, by us
_STAGED_NAME = re.compile(r"[0-9]+\.(new|old)")

JOURNAL = "journal.json"
DONE = "done-"  # a staging folder being removed: its write is finished or undone
_FORMAT = 1
_SYNC_THREADS = 16

# What a kind of write is called in the sentence recovery prints.
LABELS = {
    "import": "导入",
    "save": "保存",
    "move": "项目文件的移动",
    "init": "初始化",
    "write": "写入",
    "delete": "项目的删除",
}


@dataclass(frozen=True)
class Change:
    """Replace the file at `path` with `data` (None: remove it), provided it still has the
    digest `expected` (None: provided it does not exist)."""

    path: Path
    data: bytes | None
    expected: str | None


def digest(data: bytes | None) -> str | None:
    """The digest compare-before-replace uses (sha256 hex; None for no file)."""
    return None if data is None else hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    """The digest of the file at `path` now (None: there is none)."""
    try:
        with open(path, "rb") as f:
            return digest(f.read())
    except (FileNotFoundError, NotADirectoryError):
        return None


# ---------------------------------------------------------------------- committing


def commit(root: Path, changes: list[Change], kind: str) -> list[Change]:
    """Apply every change or none (see the module's docstring); the changes it made.

    A file that already holds what it should (another writer wrote the same bytes) is left
    alone; a file changed in any other way since it was read raises ChangedOnDisk for the
    first such file, and nothing is written.
    """
    root = root.resolve()
    with locked(root):
        todo = _verify(root, changes)
        if not todo:
            return []
        folder = Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=_txn_root(root)))
        try:
            _write_folder_id(folder)  # flushed with the staged files, before the plan
            entries = _stage(root, folder, todo)
            _write_journal(folder, kind, entries)
            testpoint("journal")
            _apply(root, folder, entries)
        except BaseException:
            if (folder / JOURNAL).exists():
                # Put back what was replaced; if even that fails, the staging folder stays
                # (WorkspaceError says where). Once put back, no plan: nothing is changed.
                _undo(root, folder, _read_journal(folder)["entries"])
                os.unlink(folder / JOURNAL)
                fsio.fsync_dir(folder)
            _forget(folder)
            raise
        _forget(folder)
        return todo


@contextlib.contextmanager
def locked(root: Path, wait: float | None = None) -> Iterator[None]:
    """The workspace lock (store/disk/lock.py), and the workspace as a killed writer would have
    left it finished first: what a writer reads under it is what it will replace."""
    root = root.resolve()
    with lock.writing(root, wait):
        if not lock.nested(root):
            _recover_locked(root)
        yield


def _txn_root(root: Path) -> Path:
    return sub_dir(root, TXN)


def _folder_id(st: os.stat_result) -> bytes:
    return f"{st.st_dev}:{st.st_ino}\n".encode()


def _write_folder_id(folder: Path) -> None:
    """Sign a new staging folder as this machine's (see the module's docstring)."""
    fsio.write_new(folder / FOLDER_ID, _folder_id(os.stat(folder)), 0o644)


def _rel(root: Path, path: Path) -> str:
    """`path` relative to `root` (posix), refusing anything outside it. String work first:
    pathlib costs seconds over an import of thousands of files."""
    text = os.path.abspath(path)  # `..` folded away
    prefix = os.path.join(str(root), "")
    if text.startswith(prefix) and len(text) > len(prefix):
        return text[len(prefix) :]
    resolved = path.parent.resolve() / path.name  # reached through a symlinked folder
    if resolved.is_relative_to(root) and resolved != root:
        return resolved.relative_to(root).as_posix()
    raise WorkspaceError(f"{path}: 不在工作区 {root} 之内，不会写入")


def _verify(root: Path, changes: list[Change]) -> list[Change]:
    todo: list[Change] = []
    stale: list[tuple[Change, str | None]] = []
    for c in changes:
        c = Change(root / _rel(root, c.path), c.data, c.expected)
        try:
            now = file_digest(c.path)
        except OSError as e:
            raise WorkspaceError(f"{c.path}: 无法读取（{e.strerror}），没有写入任何文件") from None
        if now == c.expected:
            if now != digest(c.data):
                todo.append(c)
        elif now != digest(c.data):
            stale.append((c, now))
    if stale:
        c, now = stale[0]
        rel = _rel(root, c.path)
        more = f"等 {len(stale)} 个文件" if len(stale) > 1 else ""
        what = "已不存在" if now is None else "已被改动"
        raise ChangedOnDisk(
            f"{rel}{more}在读取之后{what}（另一个 jixiao 或编辑器写过），为免覆盖，没有写入任何文件",
            rel,
            c.expected,
            now,
        )
    return todo


def _stage(root: Path, folder: Path, todo: list[Change]) -> list[dict]:
    entries = []
    written: list[Path] = [folder / FOLDER_ID]
    for k, c in enumerate(todo):
        entry: dict = {"target": _rel(root, c.path), "old": c.expected, "new": digest(c.data)}
        if c.expected is not None:
            entry["backup"] = f"{k}.old"
            try:
                os.link(c.path, folder / entry["backup"])
            except OSError:  # no hard links here: a copy does as well
                fsio.write_new(folder / entry["backup"], c.path.read_bytes(), fsio.mode_for(c.path))
                written.append(folder / entry["backup"])
        if c.data is not None:
            entry["staged"] = f"{k}.new"
            fsio.write_new(folder / entry["staged"], c.data, fsio.mode_for(c.path))
            written.append(folder / entry["staged"])
        entries.append(entry)
        testpoint("stage", k + 1)
    # All on disk before the plan is recorded; flushed together, in threads (one at a time,
    # an import of 2,000 new files spent seconds waiting on the disk).
    _each(fsio.fsync_path, written)
    return entries


def _each(fn: Callable[[Path], None], items: Iterable[Path]) -> None:
    """fn on every item, in threads when there are many (fsync waits on the disk, not the
    interpreter); the first error is raised once all are done."""
    items = list(items)
    if len(items) < 4:
        for item in items:
            fn(item)
        return
    from concurrent.futures import ThreadPoolExecutor  # only big batches pay its import

    with ThreadPoolExecutor(min(_SYNC_THREADS, len(items))) as pool:
        for _ in pool.map(fn, items):
            pass


def _write_journal(folder: Path, kind: str, entries: list[dict]) -> None:
    plan = {"format": _FORMAT, "kind": kind, "pid": os.getpid(), "entries": entries}
    tmp = folder / (JOURNAL + ".tmp")
    fsio.write_new(tmp, json.dumps(plan, ensure_ascii=False, indent=0).encode("utf-8"), 0o644, True)
    os.replace(tmp, folder / JOURNAL)
    fsio.fsync_dir(folder)


def _read_journal(folder: Path) -> dict:
    path = folder / JOURNAL
    try:
        plan = json.loads(path.read_bytes())
        if plan.get("format") != _FORMAT or not isinstance(plan.get("entries"), list):
            raise ValueError
        for e in plan["entries"]:
            if not isinstance(e, dict) or not isinstance(e.get("target"), str):
                raise ValueError
    except (OSError, ValueError, AttributeError):
        raise WorkspaceError(
            f"{path}: 上次中断的写入留下的计划无法读取；请检查其中的文件后删除文件夹 {folder}"
        ) from None
    return plan


def _target(root: Path, rel: str) -> Path:
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(p in ("", "..", ".") for p in parts):
        raise WorkspaceError(f"{rel}: 中断的写入计划指向工作区之外，未执行")
    return Path(os.path.join(str(root), rel))


def _apply(root: Path, folder: Path, entries: list[dict]) -> None:
    dirs: set[Path] = set()
    for k, e in enumerate(entries):
        path = _target(root, e["target"])
        _put(root, folder, e, path)
        dirs.add(path.parent)
        testpoint("apply", k + 1)
    _each(fsio.fsync_dir, dirs)


def _put(root: Path, folder: Path, entry: dict, path: Path) -> None:
    """Make `path` what the plan's `entry` says: its staged file renamed over it, or, for a
    removal, no file (and no unit folder left empty)."""
    if entry.get("staged"):
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(folder / entry["staged"], path)
    else:
        path.unlink(missing_ok=True)
        _remove_empty_unit(root, path.parent)


def _remove_empty_unit(root: Path, folder: Path) -> None:
    """A unit's folder in store/ whose last project went."""
    if folder.parent == root / "store":
        with contextlib.suppress(OSError):
            folder.rmdir()


def _undo(root: Path, folder: Path, entries: list[dict]) -> None:
    """Put back every file the plan replaced or made (each from its hard link). A file
    that cannot be put back raises WorkspaceError naming it, and the staging folder (with
    the old bytes) stays for a person to look at."""
    for e in entries:
        path = _target(root, e["target"])
        try:
            now = file_digest(path)
            if now == e.get("old") or now != e.get("new"):
                continue  # as it was, or changed by someone else since: theirs stays
            if e.get("backup") and (folder / e["backup"]).exists():
                os.replace(folder / e["backup"], path)
            elif e.get("old") is None:
                path.unlink(missing_ok=True)
                _remove_empty_unit(root, path.parent)
        except OSError as err:
            raise WorkspaceError(
                f"{e['target']}: 中断的写入既无法完成也无法撤销（{err.strerror}）；"
                f"原来的内容在 {folder / e.get('backup', '')}，请检查后删除文件夹 {folder}"
            ) from None


def _forget(folder: Path) -> None:
    """Remove a staging folder whose plan is done (or was never recorded). First renamed to
    `done-…` in one step: a folder with a journal is never left half removed, so its plan,
    if any, still says what was changed."""
    if not folder.name.startswith(DONE):
        done = folder.with_name(DONE + folder.name)
        for _ in range(2):
            try:
                os.rename(folder, done)  # lost in a power cut: the journal finishes it again
                break
            except FileNotFoundError:
                return
            except OSError:  # an earlier done-… of the same name, not fully removed
                shutil.rmtree(done, ignore_errors=True)
        else:
            return  # stays as it is: the next command's recovery tries again
        folder = done
        testpoint("forget")
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.parent.rmdir()  # txn/ itself, when it was the last one: nothing pending


# ---------------------------------------------------------------------- recovery


def recover(root: Path) -> list[str]:
    """Finish or undo every write a killed jixiao left; one sentence per write, saying what
    was done (also kept in NOTES for the command line to print). Cheap when there is
    nothing to do; never waits: a staging folder whose writer holds the lock is not
    interrupted, it is in progress."""
    root = root.resolve()
    if not pending(root):
        return []
    if not usable(root):
        note = f"{root / CACHE_DIR}: 不是本机的真实文件夹（可能来自克隆），其中的写入计划已忽略"
        NOTES.append(note)
        return [note]
    try:
        with lock.attempt(root) as free:
            return _recover_locked(root) if free else []
    except UnsafeCacheDir as e:  # a committed lock: no writer can start; readers go on
        NOTES.append(str(e))
        return [str(e)]


def _recover_locked(root: Path) -> list[str]:
    """With the lock held, every staging folder is a dead writer's."""
    txn_root = root / CACHE_DIR / TXN
    if not usable(root) or fsio.not_our_folder(txn_root):
        return []  # nothing of ours can be in it (ignored_dir refuses the writer itself)
    try:
        names = sorted(os.listdir(txn_root))
    except OSError:
        return []
    notes: list[str] = []
    for name in names:
        folder = txn_root / name
        why = _foreign(root, folder)
        if why:
            notes.append(
                f"{folder}: 不是本机 jixiao 留下的写入计划（{why}），已忽略，没有按它改动任何文件；"
                "它可能来自克隆，确认无用后请删除它"
            )
            continue
        note = _recover_one(root, folder)
        if note:
            notes.append(note)
    NOTES.extend(notes)
    return notes


def _foreign(root: Path, folder: Path) -> str | None:
    """Why the staging folder `folder` is not one this machine's jixiao made, or whose plan
    would touch a file outside the workspace (None: it is ours, and safe to act on)."""
    problem = fsio.not_our_folder(folder)
    if problem:
        return f"它{problem}"
    try:
        names = os.listdir(folder)
    except OSError as e:
        return f"无法读取：{e.strerror}"
    if not names or folder.name.startswith(DONE):
        # Killed right after mkdtemp (git cannot carry an empty folder), or a finished write
        # being removed (its mark may be gone already): removing it touches nothing else.
        return None
    try:
        fd = fsio.open_nofollow(folder / FOLDER_ID, os.O_RDONLY)
        try:
            st = os.fstat(fd)
            signed = os.read(fd, 64) if fsio.owned(st) else b""
        finally:
            os.close(fd)
    except OSError:
        return "没有本机写下的标记"
    if signed != _folder_id(os.lstat(folder)):
        return "标记不是这个文件夹的，它是被复制或克隆来的"
    if JOURNAL not in names:
        return None
    try:
        fd = fsio.open_nofollow(folder / JOURNAL, os.O_RDONLY)
        st = os.fstat(fd)
        os.close(fd)
    except OSError:
        return "计划文件是符号链接或无法读取"
    if not (os.path.isfile(folder / JOURNAL) and fsio.owned(st)):
        return "计划文件不是本用户的普通文件"
    plan = _read_journal(folder)
    real_root = os.path.realpath(root)
    for e in plan["entries"]:
        try:
            path = _target(root, e["target"])
        except WorkspaceError:
            return f"它指向工作区之外：{e['target']}"
        real = os.path.realpath(path)
        if not real.startswith(os.path.join(real_root, "")):
            return f"{e['target']} 经符号链接指向工作区之外"
        for key in ("staged", "backup"):
            name = e.get(key)
            if name is None:
                continue
            if not isinstance(name, str) or not _STAGED_NAME.fullmatch(name):
                return f"它要搬入的文件不在计划的文件夹里：{name}"
            with contextlib.suppress(FileNotFoundError):  # a staged file already renamed
                if stat.S_ISLNK(os.lstat(folder / name).st_mode):
                    return f"{name} 是符号链接"
    return None


def _recover_one(root: Path, folder: Path) -> str | None:
    if folder.name.startswith(DONE):
        _forget(folder)  # finished or undone before the kill: nothing to say
        return None
    label = LABELS.get(folder.name.split("-", 1)[0], "写入")
    if not (folder / JOURNAL).exists():
        _forget(folder)
        return f"上次的{label}在改动任何文件之前被中断，已撤销（工作区保持原样）"
    plan = _read_journal(folder)
    entries = plan["entries"]
    who = f"（pid {plan['pid']}）" if isinstance(plan.get("pid"), int) else ""
    kept: list[str] = []
    try:
        for e in entries:
            path = _target(root, e["target"])
            now = file_digest(path)
            if now == e.get("new"):
                continue
            if now != e.get("old"):
                kept.append(e["target"])  # someone wrote it after the crash: theirs stays
                continue
            _put(root, folder, e, path)
            fsio.fsync_dir(path.parent)
    except OSError as err:
        _undo(root, folder, entries)
        _forget(folder)
        return (
            f"上次被中断的{label}{who}无法完成（{err.strerror}），"
            f"已撤销，{len(entries)} 个文件恢复为原来的内容"
        )
    _forget(folder)
    note = f"上次被中断的{label}{who}已由本次命令完成（{len(entries)} 个文件）"
    if kept:
        more = f"等 {len(kept)} 个文件" if len(kept) > 1 else ""
        note += f"，但 {kept[0]}{more}在中断后被改动过，保留了改动后的内容"
    return note

"""An open project and the file on disk: noticing changes, and merging them at save.

    watch = DiskWatch(path, text)         # what was loaded
    watch.poll()                          # None | 'changed' | 'deleted'  (a stat, ~1 µs)
    pending = merge_with_disk(base_text, my_sheet, disk_text, rel)
    pending.result.conflicts              # [] -> pending.text(pending.result.ours) to write
    pending.text(resolve(pending.result, choices))

The editor asks nothing of the file system beyond a stat per poll; the merge is
store/merge/merge.py's (base = what was loaded, ours = the unsaved edits, theirs = the disk), written
into the disk's text so whatever the other writer put there (comments included) stays. A
file a git merge left conflicted reads the same way (`pending_of`): ours and theirs are its
two sides, written into ours' side.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..disk import files
from ..disk.cache import Stat, stat_key
from ..merge.diff import diff_sheets
from ..merge.merge import MergeResult, merge
from ..merge.mergetext import ConflictedFile
from ..projectfile.yamlfile import loads
from ..projectfile.yamlsave import dumps
from ..sheet.model import Sheet

_UNREADABLE: Stat = [-1, -1, -1, -1]  # a stat no file has: there, but not to be looked at


def file_stat(path: Path) -> Stat | None:
    """The file's stat as the caches key it (cache.stat_key); None: no file; _UNREADABLE:
    one that cannot be looked at now (a symlink loop), which the next save says in words."""
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return None
    except OSError:
        return _UNREADABLE


class DiskWatch:
    """Whether a file changed since it was loaded or saved (its text, not just its stat)."""

    def __init__(self, path: Path, text: str | None) -> None:
        self.path = path
        self.reset(text)

    def reset(self, text: str | None, path: Path | None = None) -> None:
        """The file holds `text` now (after a load or a save)."""
        if path is not None:
            self.path = path
        self.text = text
        self.stat = file_stat(self.path)
        self.said: str | None = None  # what poll last reported, so it is said once

    def poll(self) -> str | None:
        """'changed' or 'deleted' the first time the file is seen so; None otherwise."""
        stat = file_stat(self.path)
        if stat == self.stat:
            return None
        self.stat = stat
        if stat is None:
            state = "deleted"
        else:
            try:
                data = files.read_regular(self.path, files.PROJECT_LIMIT)
                text = data.decode("utf-8", errors="replace")
            except (OSError, files.FileKindError):
                return None
            text = text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
            state = None if text == self.text else "changed"
        if state == self.said:
            return None
        self.said = state
        return state


@dataclass
class Pending:
    """A merge of my edits with the disk, to be written into `document`."""

    result: MergeResult
    document: str  # the text the merged sheet is written into, in place
    from_disk: list[str] = field(default_factory=list)  # what the disk brought, in the form's words

    def text(self, sheet: Sheet) -> str:
        return dumps(sheet, self.document)


def merge_with_disk(base_text: str, mine: Sheet, disk_text: str, where: str) -> Pending:
    """Merge unsaved edits (made from `base_text`) with what the file holds now.

    ProjectFileError if either text is not a readable project file (the caller then asks
    to overwrite or reload, as before).
    """
    base = loads(base_text, where)
    disk = loads(disk_text, where)
    return Pending(merge(base, mine, disk), disk_text, changes_in_words(base, disk))


def pending_of(conflicted: ConflictedFile) -> Pending:
    """A conflicted file as a merge waiting for choices: its two sides, ours' text."""
    result = MergeResult(
        conflicted.ours, conflicted.theirs, [c.conflict for c in conflicted.conflicts]
    )
    return Pending(result, conflicted.ours_text)


def changes_in_words(old: Sheet, new: Sheet) -> list[str]:
    """'项目总额', '第2行「…」指标值', '新增 第7行「…」': what changed, briefly."""
    d = diff_sheets(old, new)
    out = [c.label for c in d.fields]
    for ic in d.indicators:
        name = ic.indicator.level3
        if ic.kind == "added":
            out.append(f"新增 第{ic.new_row}行「{name}」")
        elif ic.kind == "removed":
            out.append(f"删除 第{ic.old_row}行「{name}」")
        elif ic.kind == "moved":
            out.append(f"第{ic.old_row}行「{name}」移到第{ic.new_row}行")
        else:
            out += [f"第{ic.new_row}行「{name}」{f.label}" for f in ic.fields]
    if d.layout:
        out.append("layout")
    return out

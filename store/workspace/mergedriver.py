"""The git merge driver: `jixiao merge-file %O %A %B %P`, registered by `jixiao init`.

git hands a driver three temporary files (the common ancestor, ours, theirs) and the path
the file has in the repository; the driver leaves the merge in the "ours" file and exits 0
when it is clean, non-zero when conflicts are left in it. Project files merge by field
(store/merge/mergetext.py), jixiao.yaml by key and jixiao-imports.yaml by import record
(store/workspace/mergesettings.py). A side
that is not a readable project or settings file (broken YAML, markers of an earlier merge)
(or anything else going wrong) gets git's own line merge instead, so a merge never fails
for the driver's sake and a conflict always has its markers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..disk import atomic, files
from ..merge.mergetext import merge_texts
from ..printable import printable
from .names import HISTORY, SETTINGS

LABELS = ("我方", "共同祖先", "对方")  # ours, base, theirs: the markers' names


def merge_file(base: Path, ours: Path, theirs: Path, rel: str) -> int:
    """Merge `theirs` into `ours` (in place); 0 clean, 1 conflicts left in `ours`."""
    own = rel.rsplit("/", 1)[-1] in (SETTINGS, HISTORY)
    limit = files.YAML_LIMIT if own else files.PROJECT_LIMIT
    try:
        texts = [_text(p, limit, rel) for p in (base, ours, theirs)]
    except files.FileKindError as e:  # a side larger than jixiao reads: git's markers, said
        sys.stderr.write(f"jixiao: {printable(str(e))}；已按行合并，请手工解决冲突\n")
        line_merge(base, ours, theirs)
        return 1
    except Exception:  # noqa: BLE001 - unreadable: git's line merge, as below
        return line_merge(base, ours, theirs)
    try:
        if own:
            from .mergesettings import merge_settings  # only for jixiao's own two files

            merged, conflicts = merge_settings(*texts, rel)
        else:
            merged, conflicts = merge_texts(*texts, rel)
        if merged != texts[1]:
            atomic.write(ours, merged.encode("utf-8"), make_dirs=False)
    except Exception:  # noqa: BLE001 - any failure: git's line merge, never plain "ours"
        # Leaving %A as it was while git records a conflict would hide theirs: a `git add`
        # of the file (no markers to see) drops it silently.
        return line_merge(base, ours, theirs)
    return 1 if conflicts else 0


def _text(path: Path, limit: int, rel: str) -> str:
    """One side's text, read within the limit jixiao reads such a file with (a clone is
    data: a side may be made to be huge)."""
    data = files.read_regular(path, limit, rel).decode("utf-8")
    return data.replace("\r\n", "\n").replace("\r", "\n") if "\r" in data else data


def line_merge(base: Path, ours: Path, theirs: Path) -> int:
    """git's own three-way line merge (`git merge-file`), markers named as ours are."""
    args = ["git", "merge-file"]
    for label in LABELS:
        args += ["-L", label]
    import subprocess  # only when the field merge could not read a side

    paths = [str(p.resolve()) for p in (ours, base, theirs)]  # never read as an option
    try:
        proc = subprocess.run([*args, *paths], capture_output=True, check=False)
    except FileNotFoundError:
        return 2
    return 0 if proc.returncode == 0 else 1

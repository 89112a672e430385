"""Three-way merge of project files as text, and the conflicted file's form. Pure: no I/O.

    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "store/…/x.yaml")
    conflicted = read_conflicted(text, where)    # None for a file without conflict markers

The merge is store/merge/merge.py's; the text is ours' file edited in place through the usual
round-trip save (yamlsave.dumps), so ours' comments, key order and quoting survive, and the
comments theirs added or changed are merged in line by line (`with_both_comments`). Where the
sides conflict, the file holds git-style markers around the differing lines only:

    绩效指标:
    - 一级指标: 产出指标
      ...
    <<<<<<< 我方
      本年权重: 15
    =======
      本年权重: 20
    >>>>>>> 对方

Everything outside the markers is merged. Reading such a file splits it into its two sides,
parses both and names each difference in the form's words with its line in this file, so the
conflicts never need to be stored anywhere: the file says it all (and a file git merged line
by line, with markers anywhere, reads the same way).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import ConflictedFileError, ConflictMarkersError, ProjectFileError
from ..projectfile.locate import Locator
from ..projectfile.yamlfile import loads
from ..sheet.identity import same_sheet
from ..sheet.model import Sheet
from .linemerge import merge_lines
from .merge import Conflict, conflicts_between, merge

OURS_MARK = "<<<<<<< 我方"
SEP_MARK = "======="
THEIRS_MARK = ">>>>>>> 对方"
_START = re.compile(r"<{7}(?: |$)")
_BASE = re.compile(r"\|{7}(?: |$)")
_SEP = re.compile(r"={7}$")
_END = re.compile(r">{7}(?: |$)")
_ANY = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)


@dataclass
class Located:
    """A conflict and the line of the conflicted file it sits on (1-based)."""

    conflict: Conflict
    line: int

    def message(self) -> str:
        return self.conflict.message()


@dataclass
class ConflictedFile:
    """A project file with merge conflict markers, read as its two sides."""

    ours_text: str
    theirs_text: str
    ours: Sheet
    theirs: Sheet
    conflicts: list[Located] = field(default_factory=list)


# ---------------------------------------------------------------------- writing


def merge_texts(
    base_text: str | None, ours_text: str, theirs_text: str, where: str
) -> tuple[str, list[Conflict]]:
    """The merged file's text and its conflicts ([] when clean).

    A side that is not a readable project file raises ProjectFileError (git's own line
    merge is then the caller's fallback). An empty or missing base means both sides made
    the file.
    """
    if theirs_text in (base_text, ours_text):
        return ours_text, []
    if ours_text == base_text:
        return theirs_text, []
    base = loads(base_text, f"{where} (base)") if base_text and base_text.strip() else None
    ours = loads(ours_text, f"{where} (ours)")
    theirs = loads(theirs_text, f"{where} (theirs)")
    result = merge(base, ours, theirs)
    if result.clean and base is not None and _rows(base) == _rows(ours) == _rows(theirs):
        text = by_lines(base_text or "", ours_text, theirs_text, result.ours, where)
        if text is not None:
            return text, []
    text_o = with_both_comments(base_text, ours_text, theirs_text, result.ours, where)
    if result.clean:
        return text_o, []
    from ..projectfile.yamlsave import dumps

    return with_markers(text_o, dumps(result.theirs, text_o)), result.conflicts


def _rows(sheet: Sheet) -> tuple:
    """Which rows a sheet has, in file order: the indicators' and the year blocks'."""
    year = [sheet.monitoring, sheet.evaluation]
    return (
        [(i.level1, i.level2, i.level3) for i in sheet.indicators],
        [None if y is None else ([r.key() for r in y.indicators], list(y.funding)) for y in year],
    )


def by_lines(
    base_text: str, ours_text: str, theirs_text: str, merged: Sheet, where: str
) -> str | None:
    """git's line merge of the three texts, when it is clean and reads back as the field
    merge `merged` (values, layout and trivia); else None.

    Sides that changed different fields of the same rows changed different lines: the line
    merge is then the field merge, with each side's lines (comments included) as written,
    and no round-trip writer runs (most of a merge driver's time). The caller takes this
    way only where no side added, removed or moved a row: lines that read the same in two
    rows (`本年权重: 10`) would let a comment follow the wrong row. Where the lines do not
    read back as the field merge, the field merge's own text is written instead.
    """
    sides = [t.splitlines(keepends=True) for t in (base_text, ours_text, theirs_text)]
    lines, clashes = merge_lines(*sides, keep_both=False)
    if clashes:
        return None
    text = "".join(lines)
    try:
        read = loads(text, where)
    except ProjectFileError:
        return None
    # layout.recorded is not part of a sheet's identity, but export reads it
    same = same_sheet(read, merged) and read.layout.recorded == merged.layout.recorded
    return text if same else None


def with_both_comments(
    base_text: str | None, ours_text: str, theirs_text: str, merged: Sheet, where: str
) -> str:
    """The merged sheet as ours' file, with the comments (and other text outside the values)
    that theirs added or changed since the base as well: the field merge sees values only.

    The merged values are written into each side's and the base's text, so the three differ
    only outside the values, and those are merged line by line (store/merge/linemerge.py). Where
    both sides changed the same lines, both sides' lines are kept; if that does not read
    back as the merged sheet (a line both gave a different comment is then there twice),
    ours' lines and theirs' whole-line comments are kept there; failing that too, ours'
    text stands alone.
    """
    from ..projectfile.yamlsave import dumps  # the round-trip writer: only when lines won't do

    text_o = dumps(merged, ours_text)
    if not base_text or not base_text.strip():
        return text_o  # both sides made the file: no base to tell theirs' comments by
    if _lines_with_hash_sign(theirs_text) == _lines_with_hash_sign(base_text):
        return text_o  # theirs wrote no comment: spare the two writes below (~30 ms)
    try:  # the round-trip writer is stricter than the loader (a tab before a comment)
        text_b = dumps(merged, base_text)
        text_t = dumps(merged, theirs_text)
    except ProjectFileError:
        return text_o
    if text_t in (text_b, text_o):
        return text_o
    sides = [t.splitlines(keepends=True) for t in (text_b, text_o, text_t)]
    for both in (True, False):
        lines, clashes = merge_lines(*sides, keep_both=both)
        text = "".join(lines)
        try:
            if same_sheet(loads(text, where), merged):
                return text
        except ProjectFileError:
            pass
        if not clashes:
            break  # without a clash the second way is the same text
    return text_o


def _lines_with_hash_sign(text: str) -> list[str]:
    """The lines that may hold a comment (a value with # in it counts too: only a cue)."""
    return [line for line in text.splitlines() if "#" in line]


def with_markers(ours_text: str, theirs_text: str) -> str:
    """One text of two that differ only at conflicts: markers around the differing lines."""
    a = ours_text.splitlines(keepends=True)
    b = theirs_text.splitlines(keepends=True)
    for lines in (a, b):
        if lines and not lines[-1].endswith("\n"):
            lines[-1] += "\n"
    import difflib  # only for a merge that leaves conflicts

    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out += a[i1:i2]
        else:
            out += [OURS_MARK + "\n", *a[i1:i2], SEP_MARK + "\n", *b[j1:j2], THEIRS_MARK + "\n"]
    return "".join(out)


# ---------------------------------------------------------------------- reading


def has_markers(text: str) -> bool:
    """Whether a file holds conflict markers (a line starting <<<<<<< or >>>>>>>)."""
    return ("<<<<<<<" in text or ">>>>>>>" in text) and _ANY.search(text) is not None


def split_sides(text: str, where: str) -> tuple[str, str, list[int], list[int]]:
    """(ours' text, theirs' text, file line of each ours line, of each theirs line).

    A base section (|||||||, git's diff3 style) is dropped. A marker out of place raises
    ProjectFileError naming its line.
    """
    ours: list[str] = []
    theirs: list[str] = []
    line_o: list[int] = []
    line_t: list[int] = []
    state = "both"  # both | ours | base | theirs
    opened = 0
    for n, line in enumerate(text.splitlines(keepends=True), 1):
        bare = line.rstrip("\r\n")
        if _START.match(bare):
            if state != "both":
                break
            state, opened = "ours", n
        elif _BASE.match(bare) and state == "ours":
            state = "base"
        elif _SEP.match(bare) and state in ("ours", "base"):
            state = "theirs"
        elif _END.match(bare):
            if state != "theirs":
                raise ProjectFileError(where, "冲突标记 >>>>>>> 前面缺少 <<<<<<< 或 =======", n)
            state = "both"
        else:
            if state in ("both", "ours"):
                ours.append(line)
                line_o.append(n)
            if state in ("both", "theirs"):
                theirs.append(line)
                line_t.append(n)
            continue
    else:
        if state == "both":
            return "".join(ours), "".join(theirs), line_o, line_t
    raise ProjectFileError(where, "冲突标记 <<<<<<< 没有以 >>>>>>> 结束", opened)


def read_conflicted(text: str, where: str) -> ConflictedFile | None:
    """The conflicts of a file with markers (None: it has none).

    Each conflict is placed on the line of its field in that side's part of the file. If a
    side does not read as a project (markers git put mid-field), the error names the first
    marker: the file must then be mended by hand.
    """
    if not has_markers(text):
        return None
    ours_text, theirs_text, line_o, line_t = split_sides(text, where)
    first = next(n for n, line in enumerate(text.splitlines(), 1) if _START.match(line))
    try:
        ours = loads(ours_text, where)
        theirs = loads(theirs_text, where)
    except ProjectFileError:
        raise ProjectFileError(
            where,
            "有未解决的合并冲突（<<<<<<< 我方 … >>>>>>> 对方），"
            "两边都不是完整的项目文件；请手工改好并删除冲突标记",
            first,
        ) from None
    found = ConflictedFile(ours_text, theirs_text, ours, theirs)
    locate = {"ours": (Locator(ours_text), line_o), "theirs": (Locator(theirs_text), line_t)}
    for c in conflicts_between(ours, theirs):
        locator, lines = locate[c.side]
        k = locator.line(c.path) - 1
        found.conflicts.append(Located(c, lines[k] if 0 <= k < len(lines) else first))
    if not found.conflicts:  # markers around equal sides: still not a clean file
        found.conflicts.append(Located(Conflict("markers", "冲突标记", "", ""), first))
    return found


def load_project(text: str, where: str) -> Sheet:
    """yamlfile.loads, except that a file a merge left conflicted raises ConflictedFileError
    naming every conflict in the form's words (the YAML reader only sees the markers)."""
    try:
        return loads(text, where)
    except ConflictMarkersError:
        raise_if_conflicted(text, where)
        raise


def raise_if_conflicted(text: str, where: str) -> None:
    """ConflictedFileError with every conflict, if the text holds conflict markers."""
    found = read_conflicted(text, where)
    if found is None:
        return
    raise ConflictedFileError(where, found)

"""A three-way merge of lines (diff3), for the parts of a project file the field merge does
not see: its comments. Pure: no I/O.

    lines, clashes = merge_lines(base, ours, theirs)

Each side is compared with the base; a stretch that only one side changed takes that side's
lines, a stretch both changed alike takes them once, and a stretch both changed differently
is a clash: ours' lines come first, then theirs' lines that ours' stretch does not already
hold (so a comment either side wrote is kept, never dropped), and `clashes` counts it. With
keep_both=False a clash adds only theirs' whole-line comments to ours' lines (for when
keeping both does not read back: two versions of one key's line).
"""

from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def merge_lines(
    base: Sequence[str], ours: Sequence[str], theirs: Sequence[str], keep_both: bool = True
) -> tuple[list[str], int]:
    """The merged lines, and how many stretches both sides changed differently."""
    in_ours = _matches(base, ours)
    in_theirs = _matches(base, theirs)
    out: list[str] = []
    clashes = 0
    i = j = k = 0  # where base, ours and theirs stand
    while i < len(base) or j < len(ours) or k < len(theirs):
        if i < len(base) and in_ours.get(i) == j and in_theirs.get(i) == k:
            out.append(base[i])  # a line all three share, in step
            i, j, k = i + 1, j + 1, k + 1
            continue
        # The next base line both sides still hold, after where each stands: the stretch
        # up to it is where at least one side differs.
        o = next(
            (
                n
                for n in range(i, len(base))
                if in_ours.get(n, -1) >= j and in_theirs.get(n, -1) >= k
            ),
            len(base),
        )
        a = in_ours.get(o, len(ours))
        b = in_theirs.get(o, len(theirs))
        was, mine, yours = list(base[i:o]), list(ours[j:a]), list(theirs[k:b])
        if mine == was:
            out += yours
        elif yours in (was, mine):
            out += mine
        else:
            clashes += 1
            out += mine + [
                line
                for line in yours
                if line not in mine and (keep_both or line.lstrip().startswith("#"))
            ]
        i, j, k = o, a, b
    return out, clashes


def _matches(base: Sequence[str], other: Sequence[str]) -> dict[int, int]:
    """Base line index -> the index of the same line in `other`, for lines the two share
    (difflib's longest matching blocks, in order)."""
    found: dict[int, int] = {}
    matcher = SequenceMatcher(a=base, b=other, autojunk=False)
    for a, b, size in matcher.get_matching_blocks():
        for n in range(size):
            found[a + n] = b + n
    return found

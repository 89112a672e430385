"""Writing sheets back as one official tab file: which file layout, and a layout for the
sheets that have none (a project made in the editor, or one whose layout block was deleted).

A sheet without a recorded layout takes the most common one among the sheets exported with
it, or, when none of them has one, the workspace's most common layout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from ..sheet.model import FileLayout, Sheet, SheetLayout
from . import tabfile


def export(sheets: list[Sheet], fallback: Callable[[], SheetLayout]) -> bytes:
    """The official tab file for these sheets, in this order; `fallback` gives the layout
    for sheets without one when no sheet here has one either."""
    common = most_common_layout(s.layout for s in sheets if s.layout.recorded)
    if common is None:
        common = fallback()
    for s in sheets:
        if not s.layout.recorded:
            s.layout = sheet_defaults(common)
    files = Counter(_file_key(s.layout.file) for s in sheets)
    file = FileLayout(**dict(files.most_common(1)[0][0]))
    return tabfile.emit(sheets, file)


def most_common_layout(layouts: Iterable[SheetLayout]) -> SheetLayout | None:
    """The named facts of the layout most of these share (None: no layouts)."""
    counts: Counter[tuple] = Counter()
    sample: dict[tuple, SheetLayout] = {}
    for layout in layouts:
        key = _sheet_key(layout)
        counts[key] += 1
        sample.setdefault(key, layout)
    if not counts:
        return None
    return sheet_defaults(sample[counts.most_common(1)[0][0]])


def sheet_defaults(layout: SheetLayout) -> SheetLayout:
    """The named facts of a layout, without the cells peculiar to one sheet."""
    return SheetLayout(
        colon=layout.colon,
        columns=layout.columns,
        funding_column=layout.funding_column,
        grouping=layout.grouping,
        file=FileLayout(**vars(layout.file)),
    )


def _file_key(f: FileLayout) -> tuple:
    return tuple(sorted(vars(f).items()))


def _sheet_key(layout: SheetLayout) -> tuple:
    return (
        layout.colon,
        layout.columns,
        layout.funding_column,
        layout.grouping,
        _file_key(layout.file),
    )

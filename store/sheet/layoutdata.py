"""The layout facts of a sheet (FileLayout, SheetLayout, RowTrivia) as plain data and back.

This is how the `layout` block of a project file, the sheet's identity and the merge see the
layout: plain dicts and lists. It belongs with the sheet model, not with the YAML reader, so
that identity and merge need no YAML code to compare layouts.
"""

from __future__ import annotations

from typing import Any

from ..errors import ProjectFileError
from .fields import LAYOUT_KEY
from .model import NEWLINE_NAMES, FileLayout, RowTrivia, SheetLayout

_NEWLINE_OF = {v: k for k, v in NEWLINE_NAMES.items()}


def layout_to_data(layout: SheetLayout) -> dict[str, Any]:
    f = layout.file
    data: dict[str, Any] = {
        "file": {
            "encoding": f.encoding,
            "bom": f.bom,
            "newline": NEWLINE_NAMES[f.newline],
            "leading_blank_lines": f.leading_blank_lines,
            "trailing_blank_lines": f.trailing_blank_lines,
            "final_newline": f.final_newline,
        },
        "colon": layout.colon,
        "columns": layout.columns,
        "funding_column": layout.funding_column,
        "grouping": layout.grouping,
    }
    defaults = SheetLayout()
    for name in ("title_gap", "header_rows", "gap"):
        if getattr(layout, name) != getattr(defaults, name):
            data[name] = getattr(layout, name)
    if layout.positions:
        data["positions"] = {k: list(v) for k, v in layout.positions.items()}
    if layout.labels:
        data["labels"] = dict(layout.labels)
    if layout.widths:
        data["widths"] = dict(sorted(layout.widths.items()))
    if layout.cells:
        data["cells"] = [[r, c, t] for (r, c), t in sorted(layout.cells.items())]
    if layout.quoted:
        data["quoted"] = [list(rc) for rc in sorted(layout.quoted)]
    return data


def layout_from_data(data: Any, where: str) -> SheetLayout:
    if data is None:
        return SheetLayout(recorded=False)
    try:
        f = data.get("file") or {}
        file = FileLayout(
            encoding=str(f.get("encoding", "utf-8")),
            bom=bool(f.get("bom", False)),
            newline=_NEWLINE_OF[f.get("newline", "LF")],
            leading_blank_lines=int(f.get("leading_blank_lines", 2)),
            trailing_blank_lines=int(f.get("trailing_blank_lines", 0)),
            final_newline=bool(f.get("final_newline", False)),
        )
        if file.encoding not in ("utf-8", "gb18030", "utf-16-le", "utf-16-be"):
            raise ValueError(file.encoding)
        if file.bom and file.encoding == "gb18030":
            raise ValueError("GB18030 has no byte-order mark")
        d = SheetLayout()
        return SheetLayout(
            colon=str(data.get("colon", d.colon)),
            columns=int(data.get("columns", d.columns)),
            funding_column=int(data.get("funding_column", d.funding_column)),
            grouping=bool(data.get("grouping", d.grouping)),
            title_gap=int(data.get("title_gap", d.title_gap)),
            header_rows=int(data.get("header_rows", d.header_rows)),
            gap=int(data.get("gap", d.gap)),
            positions={
                str(k): (int(v[0]), int(v[1])) for k, v in (data.get("positions") or {}).items()
            },
            labels={str(k): str(v) for k, v in (data.get("labels") or {}).items()},
            widths={int(k): int(v) for k, v in (data.get("widths") or {}).items()},
            cells={(int(r), int(c)): str(t) for r, c, t in (data.get("cells") or [])},
            quoted={(int(r), int(c)) for r, c in (data.get("quoted") or [])},
            file=file,
        )
    except (AttributeError, KeyError, TypeError, ValueError, IndexError, OverflowError):
        raise ProjectFileError(
            where,
            f"{LAYOUT_KEY} 块已损坏；删去这一块就按工作区通常的版式导出，或从 git 恢复它",
        ) from None


def trivia_to_data(t: RowTrivia) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if t.width is not None:
        data["width"] = t.width
    if t.cells:
        data["cells"] = {c: text for c, text in sorted(t.cells.items())}
    if t.quoted:
        data["quoted"] = sorted(t.quoted)
    return data


def trivia_from_data(data: Any, where: str) -> RowTrivia:
    try:
        return RowTrivia(
            width=None if data.get("width") is None else int(data["width"]),
            cells={int(k): str(v) for k, v in (data.get("cells") or {}).items()},
            quoted={int(c) for c in (data.get("quoted") or [])},
        )
    except (AttributeError, TypeError, ValueError, OverflowError):
        raise ProjectFileError(where, f"指标的 {LAYOUT_KEY} 块已损坏") from None

"""Reading one project file: YAML text -> Sheet, with the shape checked and errors placed.

Keys are the form's labels (store/fields.py). A cell is stored as a YAML number only when
writing it back gives the same text (store/yamlsave.py writes it); everything else is a
string. Reading uses the C safe loader (store/safeyaml.py), which never builds arbitrary
objects. The layout block's conversion both ways lives here, next to the reading, because
the sheet's identity (store/identity.py) is defined by it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from . import yamlguard
from .errors import ProjectFileError
from .fields import (
    AMOUNT_FIELDS,
    FUNDING_FIELDS,
    FUNDING_KEY,
    HEADER_FIELDS,
    INDICATOR_FIELDS,
    INDICATORS_KEY,
    LAYOUT_KEY,
    TAIL_FIELDS,
)
from .locate import line_of
from .model import (
    NEWLINE_NAMES,
    FileLayout,
    Funding,
    Indicator,
    RowTrivia,
    Sheet,
    SheetLayout,
    format_amount,
    layout_excess,
)
from .safeyaml import safe_yaml

_NEWLINE_OF = {v: k for k, v in NEWLINE_NAMES.items()}


_safe = safe_yaml()


# ---------------------------------------------------------------------- cell text <-> YAML


def from_yaml_value(value: Any, where: str, amount: bool = False, grouping: bool = False) -> str:
    """The cell text a YAML value stands for."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ProjectFileError(where, f"expected text or a number, found {value!r}")
    if isinstance(value, int):
        return format_amount(int(value), grouping) if amount else str(int(value))
    if isinstance(value, float):
        if amount:
            return format_amount(float(value), grouping)
        return repr(float(value))
    if isinstance(value, str):
        return str(value)
    raise ProjectFileError(where, f"expected text or a number, found a {type(value).__name__}")


# ---------------------------------------------------------------------- layout <-> YAML


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
            f"the {LAYOUT_KEY} block is damaged; delete it to export with the "
            "workspace's usual layout, or restore it from git",
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
        raise ProjectFileError(where, f"an indicator's {LAYOUT_KEY} is damaged") from None


# ---------------------------------------------------------------------- data -> sheet


_HEADER_KEYS = {label for _, label in HEADER_FIELDS + TAIL_FIELDS}
_KNOWN_KEYS = _HEADER_KEYS | {FUNDING_KEY, INDICATORS_KEY, LAYOUT_KEY}


def sheet_from_data(doc: Any, where: str) -> Sheet:
    """Build a Sheet from a loaded document (plain or round-trip), checking its shape.

    Errors carry the YAML path of the offending key (`ProjectFileError.path`) so that
    `loads` can name its line.
    """
    if not isinstance(doc, Mapping):
        raise ProjectFileError(where, "expected a mapping of the form's fields (单位信息: …)")
    for key in doc:
        if key not in _KNOWN_KEYS:
            raise ProjectFileError(
                where,
                f"unknown key {key!r}; expected the form's fields "
                f"(单位信息, 预算项目, …, {FUNDING_KEY}, {INDICATORS_KEY})",
                path=(key,),
            )
    layout = layout_from_data(doc.get(LAYOUT_KEY), where)
    g = layout.grouping

    def text(value: Any, path: tuple, here: str, amount: bool = False) -> str:
        try:
            return from_yaml_value(value, where, amount, g)
        except ProjectFileError as e:
            raise ProjectFileError(where, f"{here}: {e.detail}", path=path) from None

    sheet = Sheet(layout=layout)
    for name, label in HEADER_FIELDS + TAIL_FIELDS:
        setattr(sheet, name, text(doc.get(label), (label,), label, name in AMOUNT_FIELDS))
    funding = doc.get(FUNDING_KEY) or {}
    if not isinstance(funding, Mapping):
        raise ProjectFileError(
            where, f"{FUNDING_KEY} should hold 财政资金 … 银行贷款", path=(FUNDING_KEY,)
        )
    sheet.funding = Funding(
        **{
            name: text(funding.get(label), (FUNDING_KEY, label), label, True)
            for name, label in FUNDING_FIELDS
        }
    )
    items = doc.get(INDICATORS_KEY) or []
    if not isinstance(items, list):
        raise ProjectFileError(
            where, f"{INDICATORS_KEY} should be a list of indicators", path=(INDICATORS_KEY,)
        )
    known = {label for _, label in INDICATOR_FIELDS} | {LAYOUT_KEY}
    for k, item in enumerate(items, 1):
        here = f"indicator {k}"
        at = (INDICATORS_KEY, k - 1)
        if not isinstance(item, Mapping):
            raise ProjectFileError(
                where, f"{here}: expected 一级指标, 二级指标, … as keys", path=at
            )
        for key in item:
            if key not in known:
                raise ProjectFileError(where, f"{here}: unknown key {key!r}", path=(*at, key))
        ind = Indicator(
            **{
                name: text(item.get(label), (*at, label), f"{here}: {label}")
                for name, label in INDICATOR_FIELDS
            }
        )
        if item.get(LAYOUT_KEY) is not None:
            try:
                ind.trivia = trivia_from_data(item[LAYOUT_KEY], where)
            except ProjectFileError as e:
                raise ProjectFileError(where, f"{here}: {e.detail}") from None
        sheet.indicators.append(ind)
    excess = layout_excess(layout, [i.trivia for i in sheet.indicators])
    if excess is not None:
        raise ProjectFileError(
            where,
            f"{LAYOUT_KEY} 块要求的版式过大（{excess}）；删去这一块就按工作区通常的版式"
            "导出，或从 git 恢复它",
            path=(LAYOUT_KEY,),
        )
    return sheet


# ---------------------------------------------------------------------- text <-> sheet


def yaml_error(e: YAMLError, where: str, text: str = "") -> ProjectFileError:
    found = yamlguard.reader_problem(text, e)
    if found is not None:
        return ProjectFileError(where, found.what, found.line)
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if isinstance(e, MarkedYAMLError) and mark is not None else None
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    if "could not determine a constructor" in str(e):
        problem = "a YAML tag that would build an object; only plain values are allowed"
    return ProjectFileError(where, f"broken YAML: {problem}", line)


# What a loader may raise on hostile text besides YAMLError: an integer of 5,000 digits
# (ValueError), a list as a key (TypeError), … Each becomes a sentence with a line.
LOADER_FAILURES = (ValueError, TypeError, AttributeError, OverflowError, RecursionError)


def loader_failure(e: Exception, text: str, where: str) -> ProjectFileError:
    found = yamlguard.explain_failure(text, e)
    return ProjectFileError(where, found.what, found.line)


def load_data(text: str, where: str, plain: bool = False) -> Any:
    """Parse YAML text with the C safe loader (after yamlguard: bounded nesting and, with
    `plain`, no anchors, aliases or merge keys)."""
    yamlguard.check(text, where, plain)
    try:
        return _safe.load(text)
    except YAMLError as e:
        raise yaml_error(e, where, text) from None
    except LOADER_FAILURES as e:
        raise loader_failure(e, text, where) from None


def loads(text: str, where: str) -> Sheet:
    if "<<<<<<<" in text:  # a merge left conflict markers: name each conflict instead
        from .mergetext import raise_if_conflicted

        raise_if_conflicted(text, where)
    data = load_data(text, where, plain=True)
    try:
        return sheet_from_data(data, where)
    except ProjectFileError as e:
        if e.path is None:
            raise
        raise e.at(line_of(text, e.path)) from None


def project_text(data: bytes, where: str) -> str:
    """A project file's bytes as text, with universal newlines (as open() in text mode)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectFileError(where, "not UTF-8 text", 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

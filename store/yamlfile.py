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
    EVALUATION_KEY,
    FUNDING_FIELDS,
    FUNDING_KEY,
    HEADER_FIELDS,
    INDICATOR_FIELDS,
    INDICATORS_KEY,
    LAYOUT_KEY,
    MONITOR_KEY,
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
from .year_yaml import evaluation_from_data, monitoring_from_data

_NEWLINE_OF = {v: k for k, v in NEWLINE_NAMES.items()}


_safe = safe_yaml()


# ---------------------------------------------------------------------- cell text <-> YAML


def from_yaml_value(value: Any, where: str, amount: bool = False, grouping: bool = False) -> str:
    """The cell text a YAML value stands for."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ProjectFileError(where, f"应为文字或数字，实际是 {value!r}")
    if isinstance(value, int):
        return format_amount(int(value), grouping) if amount else str(int(value))
    if isinstance(value, float):
        if amount:
            return format_amount(float(value), grouping)
        return repr(float(value))
    if isinstance(value, str):
        return str(value)
    raise ProjectFileError(
        where, f"应为文字或数字，实际是{_KIND.get(type(value).__name__, type(value).__name__)}"
    )


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


# ---------------------------------------------------------------------- data -> sheet


_HEADER_KEYS = {label for _, label in HEADER_FIELDS + TAIL_FIELDS}
_KNOWN_KEYS = _HEADER_KEYS | {FUNDING_KEY, INDICATORS_KEY, LAYOUT_KEY, MONITOR_KEY, EVALUATION_KEY}


def sheet_from_data(doc: Any, where: str) -> Sheet:
    """Build a Sheet from a loaded document (plain or round-trip), checking its shape.

    Errors carry the YAML path of the offending key (`ProjectFileError.path`) so that
    `loads` can name its line.
    """
    if not isinstance(doc, Mapping):
        raise ProjectFileError(where, "应为以表中字段为键的映射（单位信息: …）")
    for key in doc:
        if key not in _KNOWN_KEYS:
            raise ProjectFileError(
                where,
                f"未知的键 {key!r}；应为表中的字段"
                f"（单位信息、预算项目、…、{FUNDING_KEY}、{INDICATORS_KEY}、"
                f"{MONITOR_KEY}、{EVALUATION_KEY}）",
                path=(key,),
            )
    layout = layout_from_data(doc.get(LAYOUT_KEY), where)
    g = layout.grouping

    def text(value: Any, path: tuple, here: str, amount: bool = False) -> str:
        try:
            return from_yaml_value(value, where, amount, g)
        except ProjectFileError as e:
            raise ProjectFileError(where, f"{here}：{e.detail}", path=path) from None

    sheet = Sheet(layout=layout)
    for name, label in HEADER_FIELDS + TAIL_FIELDS:
        setattr(sheet, name, text(doc.get(label), (label,), label, name in AMOUNT_FIELDS))
    funding = doc.get(FUNDING_KEY) or {}
    if not isinstance(funding, Mapping):
        raise ProjectFileError(
            where, f"{FUNDING_KEY} 应包含 财政资金 … 银行贷款", path=(FUNDING_KEY,)
        )
    sheet.funding = Funding(
        **{
            name: text(funding.get(label), (FUNDING_KEY, label), label, True)
            for name, label in FUNDING_FIELDS
        }
    )
    items = doc.get(INDICATORS_KEY) or []
    if not isinstance(items, list):
        raise ProjectFileError(where, f"{INDICATORS_KEY} 应为指标的列表", path=(INDICATORS_KEY,))
    known = {label for _, label in INDICATOR_FIELDS} | {LAYOUT_KEY}
    for k, item in enumerate(items, 1):
        here = f"第 {k} 条指标"
        at = (INDICATORS_KEY, k - 1)
        if not isinstance(item, Mapping):
            raise ProjectFileError(where, f"{here}：应以 一级指标、二级指标、… 为键", path=at)
        for key in item:
            if key not in known:
                raise ProjectFileError(where, f"{here}：未知的键 {key!r}", path=(*at, key))
        ind = Indicator(
            **{
                name: text(item.get(label), (*at, label), f"{here}的{label}")
                for name, label in INDICATOR_FIELDS
            }
        )
        if item.get(LAYOUT_KEY) is not None:
            try:
                ind.trivia = trivia_from_data(item[LAYOUT_KEY], where)
            except ProjectFileError as e:
                raise ProjectFileError(where, f"{here}：{e.detail}") from None
        sheet.indicators.append(ind)
    try:
        if doc.get(MONITOR_KEY) is not None:
            sheet.monitoring = monitoring_from_data(doc[MONITOR_KEY], text)
        if doc.get(EVALUATION_KEY) is not None:
            sheet.evaluation = evaluation_from_data(doc[EVALUATION_KEY], text)
    except ProjectFileError as e:
        raise ProjectFileError(where, e.detail, path=e.path) from None
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
# Plain kinds a YAML value can be, by Python type name, as a user reads them.
_KIND = {"CommentedMap": "映射", "dict": "映射", "CommentedSeq": "列表", "list": "列表"}

# The parser's usual problems, as a user reads them; others keep the parser's own words.
_PROBLEMS = (
    ("mapping values are not allowed", "此处不能出现“键: 值”（冒号多了，或缩进不对）"),
    ("found unexpected end of stream", "引号没有闭合，文件就结束了"),
    ("found character that cannot start any token", "含有不能出现在这里的字符（如制表符、@ 或 `）"),
    ("found duplicate key", "同一个键出现了两次"),
    ("did not find expected '-' indicator", "列表项与其他内容缩进不一致"),
    ("did not find expected ',' or ']'", "方括号列表没有闭合"),
    ("did not find expected ',' or '}'", "花括号映射没有闭合"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("found undefined alias", "引用了未定义的别名"),
    ("did not find expected key", "缩进不对，找不到应有的键"),
    ("expected <block end>", "缩进不对"),
)


def _problem_zh(problem: str) -> str:
    for english, chinese in _PROBLEMS:
        if problem.startswith(english):
            return chinese
    return f"解析器报告 {problem!r}"


def yaml_error(e: YAMLError, where: str, text: str = "") -> ProjectFileError:
    found = yamlguard.reader_problem(text, e)
    if found is not None:
        return ProjectFileError(where, found.what, found.line)
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = mark.line + 1 if isinstance(e, MarkedYAMLError) and mark is not None else None
    problem = _problem_zh(getattr(e, "problem", None) or str(e).splitlines()[0])
    if "could not determine a constructor" in str(e):
        problem = "YAML 标签会构造对象；只允许普通的值"
    return ProjectFileError(where, f"YAML 格式有误：{problem}", line)


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
        raise ProjectFileError(where, "不是 UTF-8 文本", 1) from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text

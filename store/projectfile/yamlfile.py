"""Reading one project file: YAML text -> Sheet, with the shape checked and errors placed.

Keys are the form's labels (store/sheet/fields.py). A cell is stored as a YAML number only when
writing it back gives the same text (store/projectfile/yamlsave.py writes it); everything else is a
string. Reading uses the C safe loader (store/projectfile/safeyaml.py), which never builds arbitrary
objects. The layout block's conversion both ways lives here, next to the reading, because
the sheet's identity (store/sheet/identity.py) is defined by it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import ConflictMarkersError, ProjectFileError
from ..sheet.fields import (
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
from ..sheet.layoutdata import layout_from_data, trivia_from_data
from ..sheet.model import Funding, Indicator, Sheet, format_amount, layout_excess
from ..sheet.year_yaml import evaluation_from_data, monitoring_from_data
from . import yamlguard
from .locate import line_of
from .safeyaml import safe_yaml

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


def conflict_marker_line(text: str) -> int | None:
    """The line of the first merge-conflict marker (a line starting <<<<<<<), if any."""
    if "<<<<<<<" not in text:
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith("<<<<<<<"):
            return number
    return None


def loads(text: str, where: str) -> Sheet:
    """The sheet in a project file's text. A file a merge left with conflict markers raises
    ConflictMarkersError (mergetext.load_project names each conflict instead)."""
    marker = conflict_marker_line(text)
    if marker is not None:
        raise ConflictMarkersError(
            where, "文件中有未解决的合并冲突（<<<<<<<）；按字段解决后再读", marker
        )
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

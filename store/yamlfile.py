"""One project <-> one YAML file.

Keys are the form's labels (store/fields.py). A cell becomes a YAML number only when writing
it back gives the same text; everything else stays a string. Saving goes through ruamel.yaml's
round-trip mode and changes only the fields whose value changed, so comments, key order and
quoting a person wrote by hand survive. Reading for display or checks uses the C safe loader,
which never builds arbitrary objects.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

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
from .model import (
    FileLayout,
    Funding,
    Indicator,
    RowTrivia,
    Sheet,
    SheetLayout,
    format_amount,
    layout_excess,
)

_INT = re.compile(r"-?(0|[1-9]\d*)")
_FLOAT = re.compile(r"-?(0|[1-9]\d*)\.\d+")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3})+")
_NEWLINE_NAMES = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
_NEWLINE_OF = {v: k for k, v in _NEWLINE_NAMES.items()}


class _OnceResolver(VersionedResolver):
    """The stock resolver with its per-scalar version lookups done once per document.

    ruamel.yaml works out the YAML version (two caught AttributeErrors) and its resolver table
    for every scalar; with the C parser the version cannot change within a load (the C parser
    ignores %YAML), so both are looked up once. Loading a project file gets ~35% faster.
    """

    @property
    def processing_version(self) -> Any:
        d = self.__dict__
        if "_jx_version" not in d:
            d["_jx_version"] = VersionedResolver.processing_version.fget(self)
        return d["_jx_version"]

    @property
    def versioned_resolver(self) -> Any:
        d = self.__dict__
        if "_jx_table" not in d:
            d["_jx_table"] = VersionedResolver.versioned_resolver.fget(self)
        return d["_jx_table"]


def safe_yaml() -> YAML:
    """ruamel.yaml's C safe loader, with the resolver above."""
    y = YAML(typ="safe", pure=False)
    y.Resolver = _OnceResolver
    return y


_safe = safe_yaml()


def _round_trip() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 1 << 30  # one field per line, never folded
    y.indent(mapping=2, sequence=2, offset=0)
    y.allow_unicode = True
    return y


# ---------------------------------------------------------------------- cell text <-> YAML


def to_yaml_value(text: str, amount: bool = False, grouping: bool = False) -> Any:
    """A cell's text as the YAML value that writes back to exactly that text."""
    value = _number_for(text, amount, grouping)
    if value is not None and from_yaml_value(value, "", amount, grouping) == text:
        return value
    if _LITERAL_OK.fullmatch(text) and "\n" in text:
        return LiteralScalarString(text)
    if _ESCAPE.search(text):
        return DoubleQuotedScalarString(text)
    return text


def _number_for(text: str, amount: bool, grouping: bool) -> int | float | None:
    if amount and grouping and _GROUPED.fullmatch(text):
        return int(text.replace(",", ""))
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text) and repr(float(text)) == text:
        return float(text)
    return None


# Characters a YAML reader would fold or drop unless written as escapes in double quotes.
_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")

# Multi-line text shown as a `|` block: only where the block gives back the same text (no
# line starting with blanks, nothing at the ends a block would drop, no odd control characters).
_LITERAL_OK = re.compile(
    r"(?!\s)(?:[^\x00-\x20\x7f-\x9f\u2028\u2029\ufeff]|[ \t](?!\n)|\n(?![ \t]))*(?<!\s)"
)


def from_yaml_value(value: Any, where: str, amount: bool = False, grouping: bool = False) -> str:
    """The cell text a YAML value stands for."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise ProjectFileError(f"{where}: expected text or a number, found {value!r}")
    if isinstance(value, int):
        return format_amount(int(value), grouping) if amount else str(int(value))
    if isinstance(value, float):
        if amount:
            return format_amount(float(value), grouping)
        return repr(float(value))
    if isinstance(value, str):
        return str(value)
    raise ProjectFileError(f"{where}: expected text or a number, found a {type(value).__name__}")


# ---------------------------------------------------------------------- layout <-> YAML


def layout_to_data(layout: SheetLayout) -> dict[str, Any]:
    f = layout.file
    data: dict[str, Any] = {
        "file": {
            "encoding": f.encoding,
            "bom": f.bom,
            "newline": _NEWLINE_NAMES[f.newline],
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
            f"{where}: the {LAYOUT_KEY} block is damaged; delete it to export with the "
            "workspace's usual layout, or restore it from git"
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
        raise ProjectFileError(f"{where}: an indicator's {LAYOUT_KEY} is damaged") from None


# ---------------------------------------------------------------------- sheet <-> data


def sheet_to_data(sheet: Sheet) -> CommentedMap:
    """A fresh document for a sheet (used when the project file does not exist yet)."""
    grouping = sheet.layout.grouping
    doc = CommentedMap()
    for name, label in HEADER_FIELDS:
        doc[label] = to_yaml_value(getattr(sheet, name), name in AMOUNT_FIELDS, grouping)
    funding = CommentedMap()
    for name, label in FUNDING_FIELDS:
        funding[label] = to_yaml_value(getattr(sheet.funding, name), True, grouping)
    doc[FUNDING_KEY] = funding
    for name, label in TAIL_FIELDS:
        doc[label] = to_yaml_value(getattr(sheet, name))
    doc[INDICATORS_KEY] = CommentedSeq(_indicator_to_data(i) for i in sheet.indicators)
    doc[LAYOUT_KEY] = _flow_layout(layout_to_data(sheet.layout))
    doc.yaml_set_comment_before_after_key(
        LAYOUT_KEY, before="what the official export needs to give back the same bytes"
    )
    return doc


def _flow_layout(data: dict[str, Any]) -> CommentedMap:
    out = CommentedMap()
    for k, v in data.items():
        if isinstance(v, dict):
            m = CommentedMap({key: _flow_safe(x) for key, x in v.items()})
            m.fa.set_flow_style()
            out[k] = m
        elif isinstance(v, list):
            seq = CommentedSeq(_flow_safe(x) for x in v)
            seq.fa.set_flow_style()
            out[k] = seq
        else:
            out[k] = v
    return out


_FLOW_PLAIN = re.compile(r"[\w\-./()%·\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")


def _flow_safe(v: Any) -> Any:
    """Cell text inside a flow collection, double-quoted unless plainly safe: ruamel.yaml
    writes e.g. ':0' bare there, which no loader reads back."""
    if isinstance(v, list):
        return [_flow_safe(x) for x in v]
    if isinstance(v, str) and not (_FLOW_PLAIN.fullmatch(v) and v[0] not in "-."):
        return DoubleQuotedScalarString(v)
    return v


def _indicator_to_data(ind: Indicator) -> CommentedMap:
    m = CommentedMap()
    for name, label in INDICATOR_FIELDS:
        m[label] = to_yaml_value(getattr(ind, name))
    if not ind.trivia.is_default():
        m[LAYOUT_KEY] = _flow_layout(trivia_to_data(ind.trivia))
    return m


_HEADER_KEYS = {label for _, label in HEADER_FIELDS + TAIL_FIELDS}
_KNOWN_KEYS = _HEADER_KEYS | {FUNDING_KEY, INDICATORS_KEY, LAYOUT_KEY}


def sheet_from_data(doc: Any, where: str) -> Sheet:
    """Build a Sheet from a loaded document (plain or round-trip), checking its shape.

    Errors carry the YAML path of the offending key (`ProjectFileError.path`) so that
    `loads` can name its line.
    """
    if not isinstance(doc, Mapping):
        raise ProjectFileError(f"{where}: expected a mapping of the form's fields (单位信息: …)")
    for key in doc:
        if key not in _KNOWN_KEYS:
            raise ProjectFileError(
                f"{where}: unknown key {key!r}; expected the form's fields "
                f"(单位信息, 预算项目, …, {FUNDING_KEY}, {INDICATORS_KEY})",
                path=(key,),
            )
    layout = layout_from_data(doc.get(LAYOUT_KEY), where)
    g = layout.grouping

    def text(value: Any, path: tuple, here: str, amount: bool = False) -> str:
        try:
            return from_yaml_value(value, here, amount, g)
        except ProjectFileError as e:
            raise ProjectFileError(str(e), path=path) from None

    sheet = Sheet(layout=layout)
    for name, label in HEADER_FIELDS + TAIL_FIELDS:
        here = f"{where}: {label}"
        setattr(sheet, name, text(doc.get(label), (label,), here, name in AMOUNT_FIELDS))
    funding = doc.get(FUNDING_KEY) or {}
    if not isinstance(funding, Mapping):
        raise ProjectFileError(
            f"{where}: {FUNDING_KEY} should hold 财政资金 … 银行贷款", path=(FUNDING_KEY,)
        )
    sheet.funding = Funding(
        **{
            name: text(funding.get(label), (FUNDING_KEY, label), f"{where}: {label}", True)
            for name, label in FUNDING_FIELDS
        }
    )
    items = doc.get(INDICATORS_KEY) or []
    if not isinstance(items, list):
        raise ProjectFileError(
            f"{where}: {INDICATORS_KEY} should be a list of indicators", path=(INDICATORS_KEY,)
        )
    known = {label for _, label in INDICATOR_FIELDS} | {LAYOUT_KEY}
    for k, item in enumerate(items, 1):
        here = f"{where}: indicator {k}"
        at = (INDICATORS_KEY, k - 1)
        if not isinstance(item, Mapping):
            raise ProjectFileError(f"{here}: expected 一级指标, 二级指标, … as keys", path=at)
        for key in item:
            if key not in known:
                raise ProjectFileError(f"{here}: unknown key {key!r}", path=(*at, key))
        ind = Indicator(
            **{
                name: text(item.get(label), (*at, label), f"{here}: {label}")
                for name, label in INDICATOR_FIELDS
            }
        )
        if item.get(LAYOUT_KEY) is not None:
            ind.trivia = trivia_from_data(item[LAYOUT_KEY], here)
        sheet.indicators.append(ind)
    excess = layout_excess(layout, [i.trivia for i in sheet.indicators])
    if excess is not None:
        raise ProjectFileError(
            f"{where}: {LAYOUT_KEY} 块要求的版式过大（{excess}）；删去这一块就按工作区通常的版式"
            "导出，或从 git 恢复它",
            path=(LAYOUT_KEY,),
        )
    return sheet


# ---------------------------------------------------------------------- text <-> sheet


def _yaml_error(e: YAMLError, where: str, text: str = "") -> ProjectFileError:
    found = yamlguard.reader_problem(text, e)
    if found is not None:
        return ProjectFileError(f"{where}:{found.line}: {found.what}")
    mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
    line = f":{mark.line + 1}" if isinstance(e, MarkedYAMLError) and mark is not None else ""
    problem = getattr(e, "problem", None) or str(e).splitlines()[0]
    if "could not determine a constructor" in str(e):
        problem = "a YAML tag that would build an object; only plain values are allowed"
    return ProjectFileError(f"{where}{line}: broken YAML: {problem}")


# What a loader may raise on hostile text besides YAMLError: an integer of 5,000 digits
# (ValueError), a list as a key (TypeError), … Each becomes a sentence with a line.
LOADER_FAILURES = (ValueError, TypeError, AttributeError, OverflowError, RecursionError)


def load_data(text: str, where: str, plain: bool = False) -> Any:
    """Parse YAML text with the C safe loader (after yamlguard: bounded nesting and, with
    `plain`, no anchors, aliases or merge keys)."""
    yamlguard.check(text, where, plain)
    try:
        return _safe.load(text)
    except YAMLError as e:
        raise _yaml_error(e, where, text) from None
    except LOADER_FAILURES as e:
        found = yamlguard.explain_failure(text, e)
        raise ProjectFileError(f"{where}:{found.line}: {found.what}") from None


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
        from .locate import line_of  # composes the text; only on this error path

        msg = str(e)
        if msg.startswith(f"{where}: "):
            msg = f"{where}:{line_of(text, e.path)}: {msg[len(where) + 2 :]}"
        raise ProjectFileError(msg) from None


def project_text(data: bytes, where: str) -> str:
    """A project file's bytes as text, with universal newlines (as open() in text mode)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectFileError(f"{where}:1: not UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def dumps(sheet: Sheet, old_text: str | None = None) -> str:
    """YAML text for a sheet. With `old_text`, edit that document in place: only changed
    fields change, and comments, key order and quoting survive."""
    y = _round_trip()
    if old_text is None:
        doc = sheet_to_data(sheet)
    else:
        # Never edit through an anchor: the edit would land in every field sharing it.
        yamlguard.check(old_text, "the project file", plain=True)
        try:
            doc = y.load(old_text)
        except YAMLError as e:
            raise _yaml_error(e, "the project file", old_text) from None
        except LOADER_FAILURES as e:
            found = yamlguard.explain_failure(old_text, e)
            raise ProjectFileError(f"the project file:{found.line}: {found.what}") from None
        if not isinstance(doc, CommentedMap):
            doc = sheet_to_data(sheet)
        else:
            update_document(doc, sheet)
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue()


def _set(m: CommentedMap, key: str, new: Any) -> None:
    """Set m[key], keeping the quoting style a person chose for the old value."""
    old = m.get(key)
    if type(new) is str and old != "":  # '' is quoted because it must be, not by choice
        if isinstance(old, SingleQuotedScalarString):
            new = SingleQuotedScalarString(new)
        elif isinstance(old, DoubleQuotedScalarString):
            new = DoubleQuotedScalarString(new)
    if key in m:
        # CommentedMap.__setitem__ would force the old value's style (a | block, '') onto
        # the new text, which may not read back; the style was chosen above.
        ordereddict.__setitem__(m, key, new)
    else:
        m[key] = new


def update_document(doc: CommentedMap, sheet: Sheet) -> None:
    """Bring a round-trip document in line with `sheet`, touching only what changed."""
    current = sheet_from_data(doc, "the project file")
    g = sheet.layout.grouping
    for name, label in HEADER_FIELDS + TAIL_FIELDS:
        new_text = getattr(sheet, name)
        if label not in doc or getattr(current, name) != new_text:
            _set(doc, label, to_yaml_value(new_text, name in AMOUNT_FIELDS, g))
    if not isinstance(doc.get(FUNDING_KEY), CommentedMap):
        doc[FUNDING_KEY] = CommentedMap()
    funding = doc[FUNDING_KEY]
    for name, label in FUNDING_FIELDS:
        new_text = getattr(sheet.funding, name)
        if label not in funding or getattr(current.funding, name) != new_text:
            _set(funding, label, to_yaml_value(new_text, True, g))
    _update_indicators(doc, current.indicators, sheet.indicators)
    new_layout = layout_to_data(sheet.layout)
    if LAYOUT_KEY not in doc or layout_to_data(current.layout) != new_layout:
        if isinstance(doc.get(LAYOUT_KEY), CommentedMap):
            _update_plain(doc[LAYOUT_KEY], new_layout)
        else:
            doc[LAYOUT_KEY] = _flow_layout(new_layout)


def _update_plain(m: CommentedMap, data: dict[str, Any]) -> None:
    for k in list(m):
        if k not in data:
            del m[k]
    for k, v in data.items():
        if _plain(m.get(k)) != v:
            fresh = _flow_layout({k: v})[k]
            m[k] = fresh


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def _update_indicators(doc: CommentedMap, old: list[Indicator], new: list[Indicator]) -> None:
    seq = doc.get(INDICATORS_KEY)
    if not isinstance(seq, CommentedSeq):
        doc[INDICATORS_KEY] = CommentedSeq(_indicator_to_data(i) for i in new)
        return
    # Whole-line comments after an item belong, for a reader, before the next item (or after
    # the list); ruamel.yaml hangs them on the item above. Take them off now and hang them
    # back where they belong once rows have been added, removed or edited.
    before = {id(m): "" for m in seq}
    end = ""
    for k, m in enumerate(seq):
        if k > 0:  # a comment above the first row stays there by itself
            before[id(m)] += _take_before(seq, k)
        text = _take_trailing(m)
        if k + 1 < len(seq):
            before[id(seq[k + 1])] = text
        else:
            end = text
    a = [i.values() for i in old]
    b = [i.values() for i in new]
    result: list[Any] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                _update_indicator(seq[i], old[i], new[j])
                result.append(seq[i])
        elif op == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                _update_indicator(seq[i], old[i], new[j])
                result.append(seq[i])
        else:
            # Keep the old items (and their comments) for as many rows as line up.
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                _update_indicator(seq[i1 + k], old[i1 + k], new[j1 + k])
                result.append(seq[i1 + k])
            for j in range(j1 + pairs, j2):
                result.append(_indicator_to_data(new[j]))
    # A comment before a row that is gone moves on to the next surviving row.
    kept = {id(m) for m in result}
    carry = ""
    for m in seq:
        if id(m) not in kept:
            carry += before.pop(id(m))
        elif carry:
            before[id(m)] = carry + before[id(m)]
            carry = ""
    end = carry + end
    pending = ""
    for k, m in enumerate(result):
        if k > 0:
            _add_trailing(result[k - 1], pending + before.get(id(m), ""))
            pending = ""
        else:
            pending = before.get(id(m), "")  # nowhere above the first row: keep it below
    if result:
        _add_trailing(result[-1], pending + end)
    if len(result) == len(seq) and all(x is y for x, y in zip(result, seq, strict=True)):
        return
    seq[:] = result


def _last_line(m: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key that write an item's last line (inside nested block mappings)."""
    if not isinstance(m, CommentedMap) or not m:
        return None
    node, key = m, list(m)[-1]
    while isinstance(node[key], CommentedMap) and node[key] and not node[key].fa.flow_style():
        node = node[key]
        key = list(node)[-1]
    return node, key


def _take_trailing(m: Any) -> str:
    """Remove and return the whole-line comments after an item (its end-of-line comment stays)."""
    found = _last_line(m)
    if found is None:
        return ""
    node, key = found
    slot = node.ca.items.get(key)
    if slot is None or len(slot) < 3 or slot[2] is None:
        return ""
    token = slot[2]
    text = token.value
    if isinstance(node[key], (LiteralScalarString, FoldedScalarString)):
        eol, rest = "", text
    elif text.startswith("#"):
        cut = text.find("\n") + 1 or len(text)
        eol, rest = text[:cut], text[cut:]
    else:
        eol, rest = "", text[1:] if text.startswith("\n") else text
    if eol:
        token.value = eol
    else:
        slot[2] = None
        value = node[key]
        if isinstance(value, CommentedMap | CommentedSeq) and value.ca.comment:
            value.ca.comment[0] = None  # a flow collection shares the token
    return rest


def _take_before(seq: CommentedSeq, k: int) -> str:
    """Remove and return the comment lines ruamel.yaml hung before item k of a sequence."""
    slot = seq.ca.items.pop(k, None)
    if not slot or len(slot) < 2 or not slot[1]:
        return ""
    return "".join(t.value for t in slot[1] if t is not None)


def _add_trailing(m: Any, text: str) -> None:
    """Put whole-line comments after an item's last line."""
    if not text:
        return
    found = _last_line(m)
    if found is None:
        return
    node, key = found
    slot = node.ca.items.get(key)
    if slot is not None and len(slot) > 2 and slot[2] is not None:
        slot[2].value += text
        return
    block = isinstance(node[key], (LiteralScalarString, FoldedScalarString))
    token = CommentToken(text if block else "\n" + text, CommentMark(0), None)
    if slot is None:
        node.ca.items[key] = [None, None, token, None]
    else:
        while len(slot) < 3:
            slot.append(None)
        slot[2] = token


def _update_indicator(m: Any, old: Indicator, new: Indicator) -> None:
    if not isinstance(m, CommentedMap):
        return
    for name, label in INDICATOR_FIELDS:
        if label not in m or getattr(old, name) != getattr(new, name):
            _set(m, label, to_yaml_value(getattr(new, name)))
    t_old, t_new = trivia_to_data(old.trivia), trivia_to_data(new.trivia)
    if t_old != t_new:
        if t_new:
            m[LAYOUT_KEY] = _flow_layout(t_new)
        elif LAYOUT_KEY in m:
            del m[LAYOUT_KEY]

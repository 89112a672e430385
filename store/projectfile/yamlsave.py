"""Saving a project file: a sheet as YAML text, or an edit of the text it was loaded from.

An edit goes through ruamel.yaml's round-trip mode and changes only the fields whose value
changed, so comments, key order and quoting a person wrote by hand survive. Row edits are
matched against the old rows, and the whole-line comments ruamel.yaml hangs on the row above
are moved back to the row they describe (the "comment surgery" below). Reading is
store/projectfile/yamlfile.py.
"""

from __future__ import annotations

import difflib
import io
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.compat import ordereddict
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)
from ruamel.yaml.tokens import CommentToken

from ..sheet.fields import (
    AMOUNT_FIELDS,
    FUNDING_FIELDS,
    FUNDING_KEY,
    HEADER_FIELDS,
    INDICATOR_FIELDS,
    INDICATORS_KEY,
    LAYOUT_KEY,
    TAIL_FIELDS,
)
from ..sheet.layoutdata import layout_to_data, trivia_to_data
from ..sheet.model import Indicator, Sheet, as_number
from ..sheet.year_model import identity_key
from ..sheet.year_yaml import is_amount, year_data
from . import yamlguard
from .safeyaml import round_trip
from .yamlfile import LOADER_FAILURES, from_yaml_value, loader_failure, sheet_from_data, yaml_error

_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?(0|[1-9][0-9]*)\.[0-9]+")
_GROUPED = re.compile(r"-?[0-9]{1,3}(,[0-9]{3})+")


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
    if as_number(text) is None:  # too many digits for a number: kept as text
        return None
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
    for key, block in year_data(sheet).items():
        doc[key] = _fresh_year(block, grouping)
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


def dumps(sheet: Sheet, old_text: str | None = None) -> str:
    """YAML text for a sheet. With `old_text`, edit that document in place: only changed
    fields change, and comments, key order and quoting survive."""
    y = round_trip(preserve_quotes=True)
    if old_text is None:
        doc = sheet_to_data(sheet)
    else:
        # Never edit through an anchor: the edit would land in every field sharing it.
        yamlguard.check(old_text, "项目文件", plain=True)
        try:
            doc = y.load(old_text)
        except YAMLError as e:
            raise yaml_error(e, "项目文件", old_text) from None
        except LOADER_FAILURES as e:
            raise loader_failure(e, old_text, "项目文件") from None
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
    current = sheet_from_data(doc, "项目文件")
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
    _update_year(doc, year_data(current), year_data(sheet), g)
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
    plan = _row_plan(old, new)
    before = {id(m): "" for m in seq}
    # The comment above the first row hangs on the list's key: taken off only when another
    # row comes first, so that it can go with its row.
    first_stays = bool(plan) and plan[0][0] == 0
    top = _take_top(doc) if seq and not first_stays else ""
    if seq:
        before[id(seq[0])] = top
    end = ""
    for k, m in enumerate(seq):
        if k > 0:
            before[id(m)] += _take_before(seq, k)
        text = _take_trailing(m)
        if k + 1 < len(seq):
            before[id(seq[k + 1])] = text
        else:
            end = text
    result: list[Any] = []
    for i, j in plan:
        if i is None:
            result.append(_indicator_to_data(new[j]))
        else:
            _update_indicator(seq[i], old[i], new[j])
            result.append(seq[i])
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
    for k in range(1, len(result)):
        _add_trailing(result[k - 1], before.get(id(result[k]), ""))
    if result:
        if not first_stays:
            _put_top(doc, before.get(id(result[0]), ""))
        _add_trailing(result[-1], end)
    else:
        _put_top(doc, top)  # no row left to go with: it stays where it was
    if len(result) == len(seq) and all(x is y for x, y in zip(result, seq, strict=True)):
        return
    seq[:] = result


def _row_plan(old: list[Indicator], new: list[Indicator]) -> list[tuple[int | None, int]]:
    """For each new row in order, the old row whose item (and comments) it keeps, or None
    for a row written afresh.

    In turn: rows in an unchanged run keep their items; then a row anywhere else with the
    same values (it moved), or failing that the same 一级/二级/三级指标 (moved and edited);
    then, by position, what is left of a run of rows replaced in place. So a comment written
    in or above a row goes where the row goes.
    """
    a = [i.values() for i in old]
    b = [i.values() for i in new]
    plan: dict[int, int] = {}  # new index -> old index
    replaced: list[tuple[range, range]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag == "equal":
            plan.update((j1 + k, i1 + k) for k in range(i2 - i1))
        elif tag == "replace":
            replaced.append((range(i1, i2), range(j1, j2)))
    used = set(plan.values())
    if len(used) < len(old):
        for key in (Indicator.values, lambda x: (x.level1, x.level2, x.level3)):
            free: dict[Any, list[int]] = {}
            for i, ind in enumerate(old):
                if i not in used:
                    free.setdefault(key(ind), []).append(i)
            for j, ind in enumerate(new):
                if j not in plan and free.get(key(ind)):
                    plan[j] = free[key(ind)].pop(0)
                    used.add(plan[j])
        for olds, news in replaced:
            left = [i for i in olds if i not in used]
            for i, j in zip(left, [j for j in news if j not in plan], strict=False):
                plan[j] = i
                used.add(i)
    return [(plan.get(j), j) for j in range(len(new))]


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


def _take_top(doc: CommentedMap) -> str:
    """Remove and return the comment lines above the first row, which ruamel.yaml hangs on
    the indicator list's key (and shares with the list's own comment)."""
    slot = doc.ca.items.get(INDICATORS_KEY)
    if not slot or len(slot) < 4 or not slot[3]:
        return ""
    text = "".join(t.value for t in slot[3] if t is not None)
    slot[3] = None
    seq = doc[INDICATORS_KEY]
    if seq.ca.comment and len(seq.ca.comment) > 1:
        seq.ca.comment[1] = None
    return text


def _put_top(doc: CommentedMap, text: str) -> None:
    """Put comment lines above the first row."""
    if not text:
        return
    slot = doc.ca.items.setdefault(INDICATORS_KEY, [None, None, None, None])
    while len(slot) < 4:
        slot.append(None)
    slot[3] = [CommentToken(text, CommentMark(0), None)]


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


# ---------------------------------------------------------------------- the year blocks
# 绩效监控 and 绩效自评 (store/sheet/year_yaml.py gives them as plain data): edited field by field
# like the rest, list items matched by their indicator's identity, so the comments a person
# wrote in them stay with their field.


def _year_value(label: str, text: str, grouping: bool) -> Any:
    amount = is_amount(label)
    return to_yaml_value(text, amount, grouping and amount)


def _fresh_year(data: Any, grouping: bool, label: str = "") -> Any:
    """A new YAML node for plain year data."""
    if isinstance(data, dict):
        m = CommentedMap()
        for k, v in data.items():
            m[k] = _fresh_year(v, grouping, k)
        return m
    if isinstance(data, list):
        return CommentedSeq(_fresh_year(v, grouping) for v in data)
    return _year_value(label, data, grouping)


def _update_year(doc: CommentedMap, old: dict[str, Any], new: dict[str, Any], g: bool) -> None:
    for key in old:
        if key not in new and key in doc:
            del doc[key]
    for key, block in new.items():
        if key in doc and isinstance(doc[key], CommentedMap) and key in old:
            if old[key] != block:
                _update_map(doc[key], old[key], block, g)
        else:
            doc[key] = _fresh_year(block, g)


def _update_map(m: CommentedMap, old: dict[str, Any], new: dict[str, Any], g: bool) -> None:
    for k in list(m):
        if k not in new:
            del m[k]
    for k, v in new.items():
        before = old.get(k)
        if isinstance(v, dict):
            if isinstance(m.get(k), CommentedMap) and isinstance(before, dict):
                if before != v:
                    _update_map(m[k], before, v, g)
            else:
                m[k] = _fresh_year(v, g)
        elif isinstance(v, list):
            if isinstance(m.get(k), CommentedSeq) and isinstance(before, list):
                if before != v:
                    _update_items(m[k], before, v, g)
            else:
                m[k] = _fresh_year(v, g)
        elif k not in m:
            if v:  # a field the file leaves out stays out while it is empty
                m[k] = _year_value(k, v, g)
        elif before != v:
            _set(m, k, _year_value(k, v, g))


def _item_key(item: dict[str, Any]) -> tuple[str, str, str]:
    return identity_key(
        item.get("一级指标", ""), item.get("二级指标", ""), item.get("三级指标", "")
    )


def _update_items(seq: CommentedSeq, old: list[Any], new: list[Any], g: bool) -> None:
    """A list of indicator items: each new item keeps the node of the old item with its
    identity (in order of occurrence), so only its changed fields change."""
    free: dict[Any, list[int]] = {}
    for i, item in enumerate(old):
        free.setdefault(_item_key(item), []).append(i)
    result: list[Any] = []
    for item in new:
        left = free.get(_item_key(item))
        if left and isinstance(seq[left[0]], CommentedMap):
            i = left.pop(0)
            if old[i] != item:
                _update_map(seq[i], old[i], item, g)
            result.append(seq[i])
        else:
            result.append(_fresh_year(item, g))
    if len(result) == len(seq) and all(x is y for x, y in zip(result, seq, strict=True)):
        return
    seq[:] = result

"""A NEW project file's text, written directly: what yamlsave.dumps(sheet) gives, ~20× faster.

ruamel.yaml's round-trip dump spends most of a first import (thousands of new files) in its
representer, serializer and tag machinery. A new file has a fixed shape — the form's labels
in order, the 资金来源 block, the list of indicators, the layout block — so it is written
here line by line, and each scalar gets the style ruamel.yaml would give it: plain where a
quick test proves ruamel.yaml's own analysis would allow it (and its resolver reads the text
back as text), otherwise ruamel.yaml is asked for that one scalar (and the answer kept). A
text over several lines, or a shape this module does not know, is left to the round-trip
dump. Existing files are never written here: their edits go through yamlsave, where
comments must survive.

`dumps_new` parses its result back and compares it with the sheet (as the tab codec checks
its own output), falling back to the round-trip dump on any difference, so a mistake here can
cost speed, never data. tests/test_yamlemit.py holds it to the round-trip dump's bytes.
"""

from __future__ import annotations

import functools
import io
import re
from typing import Any

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
from ..sheet.identity import same_sheet
from ..sheet.layoutdata import layout_to_data, trivia_to_data
from ..sheet.model import Sheet

LAYOUT_COMMENT = "# what the official export needs to give back the same bytes\n"


class Declined(Exception):
    """Something the direct writer leaves to ruamel.yaml's round-trip dump."""


def dumps_new(sheet: Sheet, where: str = "新项目文件") -> str:
    """The text of a new project file for `sheet`: the direct writer's, verified by parsing
    it back; the round-trip dump's whenever the direct writer declines or would differ."""
    from . import yamlfile, yamlsave

    try:
        text = emit(sheet)
    except Declined:
        return yamlsave.dumps(sheet)
    try:
        back = yamlfile.loads(text, where)
    except Exception:  # noqa: BLE001 (any failure to read it back means: not this text)
        return yamlsave.dumps(sheet)
    return text if same_sheet(back, sheet) else yamlsave.dumps(sheet)


def emit(sheet: Sheet) -> str:
    """The round-trip dump's text for a new file of `sheet`; Declined where unsure."""
    from .yamlsave import _flow_safe, to_yaml_value

    if sheet.monitoring is not None or sheet.evaluation is not None:
        raise Declined  # the year blocks are left to the round-trip dump
    g = sheet.layout.grouping
    out: list[str] = []
    add = out.append
    for name, label in HEADER_FIELDS:
        add(f"{label}: {_block(to_yaml_value(getattr(sheet, name), name in AMOUNT_FIELDS, g))}\n")
    add(f"{FUNDING_KEY}:\n")
    for name, label in FUNDING_FIELDS:
        add(f"  {label}: {_block(to_yaml_value(getattr(sheet.funding, name), True, g))}\n")
    for name, label in TAIL_FIELDS:
        add(f"{label}: {_block(to_yaml_value(getattr(sheet, name)))}\n")
    if not sheet.indicators:
        add(f"{INDICATORS_KEY}: []\n")
    else:
        add(f"{INDICATORS_KEY}:\n")
        for ind in sheet.indicators:
            lead = "- "
            for name, label in INDICATOR_FIELDS:
                add(f"{lead}{label}: {_block(to_yaml_value(getattr(ind, name)))}\n")
                lead = "  "
            if not ind.trivia.is_default():
                add(f"  {LAYOUT_KEY}:\n")
                for key, value in trivia_to_data(ind.trivia).items():
                    add(f"    {_layout_item(key, value, _flow_safe)}\n")
    add(LAYOUT_COMMENT)
    add(f"{LAYOUT_KEY}:\n")
    for key, value in layout_to_data(sheet.layout).items():
        add(f"  {_layout_item(key, value, _flow_safe)}\n")
    return "".join(out)


def _layout_item(key: str, value: Any, flow_safe: Any) -> str:
    """One `key: value` line of a layout block: mappings and lists in flow style."""
    if isinstance(value, dict):
        if not value:
            raise Declined
        items = ", ".join(f"{_flow(k)}: {_flow(flow_safe(v))}" for k, v in value.items())
        return f"{key}: {{{items}}}"
    if isinstance(value, list):
        if not value:
            raise Declined
        return f"{key}: {_flow(flow_safe(value))}"
    return f"{key}: {_block(value)}"


# ---------------------------------------------------------------------------- scalars

# Text ruamel.yaml writes plain in block context, by its analyze_scalar: no indicator first,
# no ': ' or ' #' (here: no ':' or '#' at all), no line break, no space at either end, only
# printable characters of the basic plane. Anything else is asked of ruamel.yaml itself.
_BLOCK_PLAIN = re.compile(
    r"[^\x00-\x20#,\[\]{}&*!|>'\"%@`?:\-\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
    r"\U00010000-\U0010ffff]"
    r"[^\x00-\x1f#:\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff\U00010000-\U0010ffff]*"
    r"(?<! )"
)
# In flow context (the layout's {…} and […]) ',[]{}' are indicators anywhere.
_FLOW_PLAIN = re.compile(
    r"[^\x00-\x20#,\[\]{}&*!|>'\"%@`?:\-\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
    r"\U00010000-\U0010ffff]"
    r"[^\x00-\x1f#:,\[\]{}\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
    r"\U00010000-\U0010ffff]*"
    r"(?<! )"
)


def _block(value: Any) -> str:
    """A scalar as ruamel.yaml writes it after `key: ` in block context."""
    t = type(value)
    if t is str:
        if _BLOCK_PLAIN.fullmatch(value) and not _marker(value) and _reads_as_text(value):
            return value
        return _asked("block", t, value)
    if t is int:
        return str(value)
    if t is bool:
        return "true" if value else "false"
    return _asked("block", t, value)


def _flow(value: Any) -> str:
    """A scalar, or a list of them, as ruamel.yaml writes it inside a flow collection."""
    t = type(value)
    if t is list:
        if not value:
            raise Declined
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if t is str:
        if len(value) > 100:
            raise Declined  # a long key would be written as a complex key
        if _FLOW_PLAIN.fullmatch(value) and not _marker(value) and _reads_as_text(value):
            return value
        return _asked("flow", t, value)
    if t is int:
        return str(value)
    if t is bool:
        return "true" if value else "false"
    return _asked("flow", t, value)


@functools.cache
def _resolver() -> Any:
    from .safeyaml import round_trip

    return round_trip(preserve_quotes=True).resolver


@functools.lru_cache(maxsize=65536)
def _marker(text: str) -> bool:
    """Text that starts like a document marker (`...`, `---`): ruamel.yaml quotes it."""
    return text.startswith(("...", "---"))


def _reads_as_text(text: str) -> bool:
    """Whether ruamel.yaml's resolver reads this plain text as a string (not 10, true, =)."""
    from ruamel.yaml.nodes import ScalarNode

    return _resolver().resolve(ScalarNode, text, (True, False)) == "tag:yaml.org,2002:str"


@functools.lru_cache(maxsize=65536)
def _asked(context: str, kind: type, value: Any) -> str:
    """ruamel.yaml's own text for one scalar (kind is part of the key: True == 1)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from .safeyaml import round_trip

    doc = CommentedMap()
    if context == "flow":
        seq = CommentedSeq([value])
        seq.fa.set_flow_style()
        doc["k"] = seq
    else:
        doc["k"] = value
    buf = io.StringIO()
    round_trip(preserve_quotes=True).dump(doc, buf)
    text = buf.getvalue()
    head, tail = ("k: [", "]\n") if context == "flow" else ("k: ", "\n")
    if not (text.startswith(head) and text.endswith(tail)):
        raise Declined
    inner = text[len(head) : -len(tail)]
    if "\n" in inner or (context == "block" and "\n" in text[len(head) :][:-1]):
        raise Declined  # a block scalar or a folded quote: depends on where it stands
    return inner

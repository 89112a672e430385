"""What a YAML text may hold before a loader builds it.

Two promises, both kept before ruamel.yaml constructs anything:

- Nesting is bounded. The C loader composes recursively in C: tens of thousands of nested
  `[` or `- - -` crash the process (no exception, no sentence). A cheap over-estimate of the
  depth is taken on every text; only a text that might be deep is walked event by event
  (libyaml's parser is iterative), and the walk stops at the first level too many.
- A project file is plain data (`plain=True`): no anchors (`&r1`), aliases (`*r1`) or merge
  keys (`<<:`). The loader would share one value between several fields, and a save or an
  import would write an edit into the shared value: a change to row 1 would also change
  row 2. Such a file is refused with a sentence naming the line; nothing is written through
  it. Mapping keys that are lists or mappings (`? [[1]]`) are refused in every file.

`problem(text, plain)` names the first such thing, or None; `check` raises it as a
ProjectFileError. `explain_failure` turns what a loader raised on a text that passed into a
sentence with a line (an integer of 5,000 digits, say).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

from ruamel.yaml.error import YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    MappingStartEvent,
    ScalarEvent,
)

from ..errors import ProjectFileError

MAX_DEPTH = 64  # a project file nests 4 deep, jixiao.yaml's profile 4; 64 is generous
# Texts under both marks cannot nest deeper than MAX_DEPTH and are not walked: flow nesting
# needs a `[` or `{` per level; block nesting needs a deeper indent (or a `- `, `? `, `: `
# before the node on its line) per level, at least one column per two levels.
_FLOW_MARK = MAX_DEPTH
_DEEP_LINE = re.compile(rf"^[ \t?:-]{{{MAX_DEPTH // 2 - 2},}}", re.M)
_MAX_DIGITS = sys.get_int_max_str_digits() or 4300
_LONG_INT = re.compile(rf"[-+]?[0-9_]{{{_MAX_DIGITS + 1},}}")
_SHARED = "；项目文件只写普通的值（一处一个值），请把它展开成普通的值"


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    what: str  # the sentence after "file:line: "


def _might_be_deep(text: str) -> bool:
    return text.count("[") + text.count("{") > _FLOW_MARK or _DEEP_LINE.search(text) is not None


def _might_share(text: str) -> bool:
    return "&" in text or "*" in text or "<<" in text


def problem(text: str, plain: bool = False) -> Problem | None:
    """The first thing in `text` a loader must not be given (see the module's doc)."""
    if not _might_be_deep(text) and not (plain and _might_share(text)):
        return None
    return _walk(text, plain)


def check(text: str, where: str, plain: bool = False) -> None:
    """Raise ProjectFileError (`where:line: …`) for the first problem in `text`."""
    found = problem(text, plain)
    if found is not None:
        raise ProjectFileError(where, found.what, found.line)


def _walk(text: str, plain: bool, long_ints: bool = False) -> Problem | None:
    from .safeyaml import safe_yaml

    stack: list[list[bool]] = []  # per open collection: [is a mapping, next node is a key]

    def in_key() -> bool:
        return bool(stack) and stack[-1][0] and stack[-1][1]

    def done() -> None:
        if stack and stack[-1][0]:
            stack[-1][1] = not stack[-1][1]

    try:
        for ev in safe_yaml().parse(text):
            line = ev.start_mark.line + 1
            anchor = getattr(ev, "anchor", None)
            if plain and anchor is not None and not isinstance(ev, AliasEvent):
                return Problem(line, f"YAML 锚点 &{anchor}：锚点让几处共用一个值{_SHARED}")
            if isinstance(ev, CollectionStartEvent):
                if in_key():
                    return Problem(line, "键是列表或映射（YAML 的复合键 ?）：键只能是字段名")
                stack.append([isinstance(ev, MappingStartEvent), True])
                if len(stack) > MAX_DEPTH:
                    return Problem(line, f"嵌套超过 {MAX_DEPTH} 层：不是 jixiao 的文件")
            elif isinstance(ev, CollectionEndEvent):
                stack.pop()
                done()
            elif isinstance(ev, AliasEvent):
                if plain:
                    return Problem(line, f"YAML 别名 *{anchor}：别名让几处共用一个值{_SHARED}")
                done()
            elif isinstance(ev, ScalarEvent):
                if plain and in_key() and ev.value == "<<" and not ev.style:
                    return Problem(line, f"YAML 合并键 <<：合并键让几处共用一组值{_SHARED}")
                if long_ints and not ev.style and _LONG_INT.fullmatch(ev.value):
                    digits = sum(ch.isdigit() for ch in ev.value)
                    return Problem(line, f"数字有 {digits} 位，太长（最多 {_MAX_DIGITS} 位）")
                done()
    except YAMLError:
        return None  # broken YAML: the loader says where
    return None


def explain_failure(text: str, error: BaseException) -> Problem | None:
    """Where and why a loader failed on `text` with something other than a YAMLError."""
    return _walk(text, plain=False, long_ints=True) or Problem(
        1, f"YAML 无法读取（{type(error).__name__}）"
    )


def reader_problem(text: str, error: YAMLError) -> Problem | None:
    """A character YAML does not allow (ruamel's ReaderError carries no line): its line and
    its code point."""
    character = getattr(error, "character", None)
    if character is None or not hasattr(error, "position"):
        return None
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    # The C reader counts its position in UTF-8 bytes, the pure one in characters: look the
    # character up instead.
    line = text.count("\n", 0, max(text.find(chr(code)), 0)) + 1
    return Problem(line, f"含有 YAML 不允许的控制字符 U+{code:04X}：请删去，或在双引号里写成转义")

"""From a finding's path to the 1-based line of a project YAML file.

    Locator(text).line(('indicators', 3, 'annual_weight'))  -> the line of that 本年权重

The text is composed (not constructed: no tags are ever acted on) with ruamel.yaml's C parser,
once, on the first question; only files that have findings need it. A path that does not
resolve all the way falls back to the line of the nearest enclosing item.
"""

from __future__ import annotations

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from ..sheet.fields import FUNDING_KEY, INDICATORS_KEY, LABEL_OF
from .safeyaml import safe_yaml

_KEY_OF = {"funding": FUNDING_KEY, "indicators": INDICATORS_KEY, **LABEL_OF}


def _yaml() -> YAML:
    return safe_yaml()  # the C parser, with version lookups once per document


class Locator:
    """Answers line questions about one YAML text; composes it lazily, at most once."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root: Node | None = None
        self._failed = False

    def _node(self) -> Node | None:
        if self._root is None and not self._failed:
            try:
                self._root = _yaml().compose(self._text)
            except Exception:  # broken YAML: every question is answered with line 1
                self._failed = True
        return self._root

    def line(self, path: tuple[str | int, ...]) -> int:
        node = self._node()
        if node is None:
            return 1
        line = node.start_mark.line + 1 if path else 1
        for step in path:
            if isinstance(step, int):
                if not isinstance(node, SequenceNode) or not 0 <= step < len(node.value):
                    return line
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                if not isinstance(node, MappingNode):
                    return line
                key = _KEY_OF.get(step, step)
                for k, v in node.value:
                    if getattr(k, "value", None) == key:
                        line = k.start_mark.line + 1
                        node = v
                        break
                else:
                    return line
        return line


def line_of(text: str, path: tuple[str | int, ...]) -> int:
    """The 1-based line of the field a path names (one-off; use Locator for many)."""
    return Locator(text).line(path)

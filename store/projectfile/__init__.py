"""One project <-> one YAML file: reading (the C safe loader behind a guard
against anchors, deep nesting and oversized input), saving in round-trip mode so comments, key
order and quoting survive, writing new files directly, and finding the line of a field in a
file. Uses sheet/ and the top modules."""

from __future__ import annotations

__all__: list[str] = []

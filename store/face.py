"""A subpackage's public face, loaded on first use.

Each subpackage of store/ lists its public names in `__all__` and says in a table which of its
modules holds each. `from jixiao.store.workspace import Workspace` then imports just the module
that holds `Workspace`, not the whole subpackage: git runs jixiao once per file (the merge
driver, textconv, the pre-commit hook), so what a command does not use must cost it nothing.
The same names are imported under TYPE_CHECKING in each `__init__`, so tools and readers see
them as ordinary imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_face(package: str, table: Mapping[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package` that finds `name` in the module `table` names."""

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(importlib.import_module(package), name, value)
        return value

    return __getattr__

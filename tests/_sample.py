"""The real sample, parsed once, for the rules tests."""

from __future__ import annotations

import copy
from functools import cache

from conftest import SAMPLE
from jixiao.store.sheet.model import Sheet
from jixiao.store.tab.tabfile import parse


@cache
def _sheets() -> tuple[Sheet, ...]:
    sheets, _ = parse(SAMPLE.read_bytes(), SAMPLE.name)
    return tuple(sheets)


def sample_sheets() -> list[Sheet]:
    """Fresh copies of the 16 sample sheets (tests may change them)."""
    return [copy.deepcopy(s) for s in _sheets()]


def sample(project: str) -> Sheet:
    """A fresh copy of one sample sheet by 预算项目."""
    for s in _sheets():
        if s.project == project:
            return copy.deepcopy(s)
    raise KeyError(project)

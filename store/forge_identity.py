"""Fingerprints of findings that survive moving lines: what a forge needs to tell a finding
that is new on a merge request from one that was already there.

    prints = fingerprints(reports, texts)   # texts(rel) -> the file's YAML text, or None

A finding is identified by its file, its code and what it is about: for an indicator row the
row's names (一级/二级/三级) and the field the finding points at (本年权重, 指标值, …); for a
header finding the field (项目总额, 财政资金, …). Never a line or a row number, so inserting a
row above an indicator, or moving it down, keeps its fingerprint. Two findings with the same
identity in one report (a 三级指标 listed twice) are told apart by their order of appearance.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from .checking import Report
from .errors import JixiaoError
from .model import Sheet
from .yamlfile import loads

# Findings about the file as a whole: the file and the code say everything there is.
_FILE_CODES = frozenset({"E001", "E002", "W003"})
VERSION = "jixiao/v1"  # the SARIF partialFingerprints key; change it if identities change


def _key_at(lines: list[str], line: int) -> str:
    """The YAML key written on a 1-based line ('  本年权重: 10' -> '本年权重'), or ''."""
    if not 1 <= line <= len(lines):
        return ""
    text = lines[line - 1].strip()
    text = text.removeprefix("-").strip()
    key, sep, _ = text.partition(":")
    return key.strip().strip("'\"") if sep else ""


def _names(sheet: Sheet | None, row: int | None) -> str:
    """'产出指标/数量指标/接收安置帮教人数' for a 1-based row, '' when there is none."""
    if sheet is None or row is None or not 1 <= row <= len(sheet.indicators):
        return ""
    ind = sheet.indicators[row - 1]
    return "/".join(x.strip() for x in (ind.level1, ind.level2, ind.level3))


class _File:
    """One file's text, split and parsed at most once."""

    def __init__(self, rel: str, text: str | None) -> None:
        self.lines = text.split("\n") if text is not None else []
        self.sheet: Sheet | None = None
        if text is not None:
            try:
                self.sheet = loads(text, rel)
            except JixiaoError:
                self.sheet = None


def identity(report: Report, lines: list[str], sheet: Sheet | None) -> str:
    """What a finding is about, in words that do not change when lines move."""
    if report.code in _FILE_CODES:
        return ""
    key = _key_at(lines, report.line)
    names = _names(sheet, report.row)
    return f"{names}|{key}" if names else key


def fingerprints(reports: Iterable[Report], texts: Callable[[str], str | None]) -> list[str]:
    """One hex fingerprint per report, in order, unique within the list."""
    files: dict[str, _File] = {}
    seen: dict[str, int] = {}
    out: list[str] = []
    for r in reports:
        f = files.get(r.file)
        if f is None:
            f = files[r.file] = _File(r.file, texts(r.file))
        base = "\0".join((VERSION, r.file, r.code, identity(r, f.lines, f.sheet)))
        n = seen.get(base, 0)
        seen[base] = n + 1
        key = base if n == 0 else f"{base}\0{n}"
        out.append(hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest())
    return out

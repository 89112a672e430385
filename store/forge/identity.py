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

from ..errors import JixiaoError
from ..projectfile.yamlfile import loads
from ..sheet.fields import INDICATORS_KEY
from ..sheet.model import Sheet
from ..workspace.checking import Report

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


_NAME_KEYS = ("一级指标", "二级指标", "三级指标")


class _File:
    """One file's text: its lines, the names of each indicator row found by a scan of the
    lines (jixiao writes one `- 一级指标: …` block per row), the sheet parsed only when the
    scan cannot tell (a file written by hand in another style)."""

    def __init__(self, rel: str, text: str | None) -> None:
        self.rel = rel
        self.text = text
        self.lines = text.split("\n") if text is not None else []
        self._rows: list[str] | None = None
        self._sheet: Sheet | None | bool = False  # False: not parsed yet

    def _scan(self) -> list[str]:
        """'一级/二级/三级' of each row, as written, by a scan of the indicator blocks."""
        rows: list[dict[str, str]] = []
        inside = False
        for line in self.lines:
            if not inside:
                inside = line.rstrip() == f"{INDICATORS_KEY}:"
                continue
            if line.startswith("- "):
                rows.append({})
                line = "  " + line[2:]
            elif line and not line.startswith((" ", "#")):
                break  # the next top-level key: the list is over
            key, sep, value = line.strip().partition(":")
            if rows and sep and key in _NAME_KEYS and line[:2] == "  " and line[2:3] != " ":
                rows[-1][key] = value.strip()
        return ["/".join(r.get(k, "") for k in _NAME_KEYS) for r in rows]

    def names(self, row: int | None) -> str:
        """The names of a 1-based indicator row ('' for none)."""
        if row is None:
            return ""
        if self._rows is None:
            self._rows = self._scan()
        if 1 <= row <= len(self._rows) and self._rows[row - 1] != "//":
            return self._rows[row - 1]
        sheet = self.sheet()
        if sheet is None or not 1 <= row <= len(sheet.indicators):
            return ""
        ind = sheet.indicators[row - 1]
        return "/".join(x.strip() for x in (ind.level1, ind.level2, ind.level3))

    def sheet(self) -> Sheet | None:
        if self._sheet is False:
            self._sheet = None
            if self.text is not None:
                try:
                    self._sheet = loads(self.text, self.rel)
                except JixiaoError:
                    pass
        return self._sheet  # type: ignore[return-value]


def identity(report: Report, f: _File) -> str:
    """What a finding is about, in words that do not change when lines move."""
    if report.code in _FILE_CODES:
        return ""
    key = _key_at(f.lines, report.line)
    names = f.names(report.row)
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
        base = "\0".join((VERSION, r.file, r.code, identity(r, f)))
        n = seen.get(base, 0)
        seen[base] = n + 1
        key = base if n == 0 else f"{base}\0{n}"
        out.append(hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest())
    return out

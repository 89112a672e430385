"""Bytes <-> lines of cells: encodings, line endings and Excel-style quoting.

This layer knows nothing of sheets. It turns a file into records (lines) of cells, each cell
with its text and whether it was wrapped in double quotes, and writes them back.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from ..errors import TabFormatError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_BOM_OF = {enc: bom for bom, enc in _BOMS}


@dataclass
class Decoded:
    text: str
    encoding: str
    bom: bool


def decode(data: bytes, name: str) -> Decoded:
    """Detect the encoding: by BOM, then strict UTF-8, then GB18030."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as e:
                raise TabFormatError(
                    f"{name}: 文件以 {encoding.upper()} 字节顺序标记（BOM）开头，"
                    f"但第 {e.start + len(bom)} 字节不是有效的 {encoding.upper()}"
                ) from None
            return Decoded(_no_binary(text, name), encoding, True)
    _no_bomless_utf16(data, name)
    try:
        return Decoded(_no_binary(data.decode("utf-8"), name), "utf-8", False)
    except UnicodeDecodeError as e:
        utf8 = e
    if utf8.reason == "unexpected end of data" and utf8.end == len(data):
        # UTF-8 to the last character, which is cut short: a truncated file, not GB18030.
        line = data.count(b"\n", 0, utf8.start) + 1
        raise TabFormatError(
            f"{name}:{line}: 文件在最后一个字符中间断开"
            f"（第 {utf8.start} 字节起的 UTF-8 字符不完整），像是没有复制完整"
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as e:
        # The reading that got further is the file's encoding: report where it fails.
        bad, encoding = (utf8, "UTF-8") if utf8.start >= e.start else (e, "GB18030")
        line = data.count(b"\n", 0, bad.start) + 1
        raise TabFormatError(
            f"{name}:{line}: 不是 UTF-8、UTF-16 或 GB18030 编码的文本文件"
            f"（第 {bad.start} 字节无法按 {encoding} 读取）"
        ) from None
    return Decoded(_no_binary(text, name), "gb18030", False)


def _no_bomless_utf16(data: bytes, name: str) -> None:
    """UTF-16 without a byte-order mark: the NUL high bytes of tabs and digits all fall on
    one side of each byte pair."""
    nuls = data.count(0)
    if len(data) < 8 or len(data) % 2 or nuls * 20 < len(data):
        return
    for order, high in (("LE", data[1::2]), ("BE", data[0::2])):
        if high.count(0) * 20 >= nuls * 19:
            raise TabFormatError(
                f"{name}: 像是没有字节顺序标记（BOM）的 UTF-16{order} 文本；"
                "请在 Excel 中另存为“Unicode 文本”（带 BOM 的 UTF-16）或 UTF-8"
            )


def _no_binary(text: str, name: str) -> str:
    pos = text.find("\x00")
    if pos >= 0:
        line = text.count("\n", 0, pos) + 1
        raise TabFormatError(f"{name}:{line}: 含二进制数据（NUL 字符），不是批复表")
    return text


def encode(text: str, encoding: str, bom: bool) -> bytes:
    data = text.encode(encoding)
    return _BOM_OF[encoding] + data if bom else data


@dataclass
class Line:
    cells: list[str]
    quoted: list[bool]
    number: int  # 1-based line number in the file where this record starts

    def is_blank(self) -> bool:
        return all(c == "" for c in self.cells)


_QUOTED = re.compile(r'"((?:[^"]|"")*)"')


def detect_newline(text: str, name: str = "") -> str:
    """The first line break outside a quoted cell; LF for a one-line file."""
    if '"' not in text:
        for i, ch in enumerate(text):
            if ch in "\r\n":
                return "\r\n" if text.startswith("\r\n", i) else ch
        return "\n"
    for line in _tokenize(text, name, newline=None):
        return line[1] or "\n"
    return "\n"


def split_lines(text: str, newline: str, name: str) -> list[Line]:
    """Split text into records of cells. A final newline, if any, is not a record."""
    if '"' not in text:
        if newline == "\r\n":
            bad = re.search(r"\r(?!\n)|(?<!\r)\n", text)
        else:
            other = "\r" if newline == "\n" else "\n"
            bad = re.search(re.escape(other), text)
        if bad:
            _mixed(text, bad.start(), newline, name)
        rows = text.split(newline)
        if rows and rows[-1] == "" and text.endswith(newline):
            rows.pop()
        out = []
        for i, row in enumerate(rows):
            cells = row.split("\t")
            out.append(Line(cells, [False] * len(cells), i + 1))
        return out
    return [line for line, _ in _tokenize(text, name, newline)]


def _mixed(text: str, pos: int, newline: str, name: str) -> None:
    line = len(re.findall(r"\r\n|\r|\n", text[:pos])) + 1
    names = {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}
    raise TabFormatError(
        f"{name}:{line}: 此处的换行符不是文件其余部分所用的 {names[newline]}；不支持混用换行符"
    )


def _tokenize(text: str, name: str, newline: str | None):
    """Yield (Line, terminator) for text holding quoted cells."""
    pos, n, lineno = 0, len(text), 1
    cells: list[str] = []
    quoted: list[bool] = []
    start_line = 1
    while True:
        m = _QUOTED.match(text, pos) if pos < n and text[pos] == '"' else None
        if pos < n and text[pos] == '"' and m is None:
            raise TabFormatError(f"{name}:{lineno}: 单元格以双引号开头，但引号一直没有闭合")
        if m is not None and (m.end() >= n or text[m.end()] in "\t\r\n"):
            value = m.group(1)
            cells.append(value.replace('""', '"'))
            quoted.append(True)
            lineno += len(re.findall(r"\r\n|\r|\n", value))
            pos = m.end()
        else:
            # A plain cell; it may start with a quote that closes before the cell ends, as
            # some systems write '"三官一律"进村人数'.
            end = pos
            while end < n and text[end] not in "\t\r\n":
                end += 1
            cells.append(text[pos:end])
            quoted.append(False)
            pos = end
        if pos >= n:
            yield Line(cells, quoted, start_line), ""
            return
        if text[pos] == "\t":
            pos += 1
            continue
        term = "\r\n" if text.startswith("\r\n", pos) else text[pos]
        if newline is not None and term != newline:
            _mixed(text, pos, newline, name)
        pos += len(term)
        lineno += 1
        yield Line(cells, quoted, start_line), term
        if pos >= n:
            return
        cells, quoted, start_line = [], [], lineno


_SPECIAL = re.compile('[\t\r\n"]')


def needs_quotes(cell: str) -> bool:
    """Excel's rule: a cell holding a tab, a line break or a double quote is quoted."""
    return _SPECIAL.search(cell) is not None


def must_quote(cell: str) -> bool:
    """Cells that cannot be read back unless quoted, whatever the source did.

    A cell starting with '"' may stay plain only if the reader would take it as plain text:
    its opening quote closes before the cell ends ('"三官一律"进村人数').
    """
    if any(ch in cell for ch in "\t\r\n"):
        return True
    if cell.startswith('"'):
        m = _QUOTED.match(cell)
        return m is None or m.end() == len(cell)
    return False


def quote(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def join_cells(cells: list[str], flips: set[int] | None = None) -> str:
    """One record; `flips` are columns whose quoting differs from `needs_quotes`."""
    if not flips:
        if _SPECIAL.search("".join(cells)) is None:  # one scan: no cell needs quotes
            return "\t".join(cells)
        flips = set()
    out = []
    for i, c in enumerate(cells):
        if must_quote(c) or needs_quotes(c) != (i in flips):
            out.append(quote(c))
        else:
            out.append(c)
    return "\t".join(out)

"""A workbook's size, checked before any reader allocates for it.

A workbook is a zip of XML (or, .xls, a compound file) and says itself how big it is: a
7 KB .xlsx whose `<dimension>` or one cell reference says XFD1048576 makes a reader reserve
a grid of 17 billion cells, and 1 MB of deflated XML can inflate to 1 GB. So before
python-calamine (or xlrd) sees the bytes, this reads what they claim, with bounded memory:
the zip's central directory (how many parts), every part inflated in chunks with a running
count of the bytes it really gives (never trusting the size it declares), and in the same
pass each worksheet's `<dimension ref>` and the largest cell reference. An .xls is read by
xlrd without padding its rows, which needs memory in proportion to the file.

Anything over a limit is one sentence naming the limit; the limits are far above any real
绩效目标批复表 workbook (2,000 projects in one worksheet are ~80,000 rows of 12 columns).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from ..errors import WorkbookError
from ..printable import one_line

MB = 1 << 20
WORKBOOK_BYTES = 64 * MB  # the workbook file itself
INFLATED_BYTES = 128 * MB  # all its parts, inflated
PARTS = 10_000  # files inside the zip
ROWS = 200_000  # of one worksheet (Excel allows 1,048,576)
COLUMNS = 1_024  # of one worksheet (Excel allows 16,384)
CELLS = 4_000_000  # rows x columns of one worksheet: the grid a reader allocates

_CHUNK = 1 * MB
_OVERLAP = 256  # bytes kept from one chunk to the next, so a tag cut in two is found
_REF = re.compile(rb'(?<![\w.-])r="\$?([A-Za-z]{1,8})\$?(\d{1,12})"')
_DIMENSION = re.compile(rb'<(?:\w{1,16}:)?dimension\s[^>]{0,120}?\bref="([^"]{0,64})"')
_TAG = re.compile(rb"<(?:\w{1,16}:)?(row|c)[\s/>]")  # a row, or a cell
_DIM_CELL = re.compile(r"\$?([A-Za-z]{1,8})\$?(\d{1,12})")


@dataclass(frozen=True)
class Limits:
    """The bounds a workbook is read within (tests may lower them)."""

    workbook_bytes: int = WORKBOOK_BYTES
    inflated_bytes: int = INFLATED_BYTES
    parts: int = PARTS
    rows: int = ROWS
    columns: int = COLUMNS
    cells: int = CELLS


DEFAULT = Limits()


def column_number(letters: str | bytes) -> int:
    """'A' -> 1, 'XFD' -> 16384."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.decode().upper():
        n = n * 26 + ord(ch) - 64
    return n


def check(data: bytes, name: str, limits: Limits = DEFAULT) -> None:
    """Raise WorkbookError (one sentence naming the limit) for a workbook that is, or says
    it is, larger than `limits`; return for one a reader can open within them. A damaged
    file passes: the reader says what is wrong with it."""
    if len(data) > limits.workbook_bytes:
        raise WorkbookError(
            f"{name}：工作簿有 {len(data):,} 字节，超过 {_limit(limits.workbook_bytes)}"
        )
    if data.startswith(b"PK\x03\x04"):
        _check_zip(data, name, limits)
    elif data.startswith(bytes.fromhex("D0CF11E0A1B11AE1")):
        _check_xls(data, name, limits)


def _limit(n: int) -> str:
    """'64 MB 的上限', or in bytes where the limit is not whole megabytes."""
    return f"{n // MB} MB 的上限" if n >= MB and n % MB == 0 else f"{n:,} 字节的上限"


def _check_zip(data: bytes, name: str, limits: Limits) -> None:
    # Each part has one central directory header; count them before zipfile makes an object
    # for each (a zip of a million empty parts would take a gigabyte of them).
    if data.count(b"PK\x01\x02") > limits.parts:
        raise WorkbookError(f"{name}：工作簿内的文件超过 {limits.parts:,} 个的上限")
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with z:
        infos = z.infolist()
        if len(infos) > limits.parts:
            raise WorkbookError(f"{name}：工作簿内的文件超过 {limits.parts:,} 个的上限")
        budget = _Budget(name, limits.inflated_bytes)
        for info in infos:
            budget.take(info.file_size)  # what it declares: refused at once if too much
        budget.used = 0
        for info in infos:
            _check_part(z, info, name, limits, budget)


class _Budget:
    """Inflated bytes counted across every part of one workbook."""

    def __init__(self, name: str, limit: int) -> None:
        self.name, self.limit, self.used = name, limit, 0

    def take(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise WorkbookError(
                f"{self.name}：工作簿解压后超过 {_limit(self.limit)}（压缩炸弹，或不是批复表）"
            )


def _check_part(
    z: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, limits: Limits, budget: _Budget
) -> None:
    """Inflate one part in chunks, counting its bytes; an XML part's dimension, cell
    references, rows and cells per row are checked as they pass."""
    if info.is_dir():
        return
    scan = _Scan(info.filename, name, limits) if info.filename.lower().endswith(".xml") else None
    tail = b""
    try:
        with z.open(info) as f:
            while chunk := f.read(_CHUNK):
                budget.take(len(chunk))
                if scan is not None:
                    text = tail + chunk
                    # What starts in the last _OVERLAP bytes may be cut: it is read next time.
                    scan.read(text, len(text) - _OVERLAP)
                    tail = text[-_OVERLAP:] if len(text) > _OVERLAP else text
            if scan is not None:
                scan.read(tail, len(tail), final=True)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        # A part that does not inflate to what its header says (a CRC or size that lies, a
        # compression zipfile lacks): never handed on, a reader might inflate it unbounded.
        raise WorkbookError(
            f"{name}：不是可读的 Excel 工作簿（{one_line(info.filename)} 已损坏或被截断）"
        ) from None


class _Scan:
    """The grid one worksheet's XML spans, as it streams past: the largest cell reference,
    and (cells may leave out their reference: a reader places them one after another) the
    number of rows and the most cells in one row."""

    def __init__(self, part: str, name: str, limits: Limits) -> None:
        self.part, self.name, self.limits = part, name, limits
        self.rows = self.cols = 0  # by reference
        self.row_tags = self.in_row = self.widest = 0  # by counting

    def read(self, text: bytes, upto: int, final: bool = False) -> None:
        """Take the matches in `text` that start before `upto` (all of them if `final`)."""
        end = len(text) if final else max(upto, 0)
        for m in _DIMENSION.finditer(text, 0, len(text)):
            if m.start() < end:
                self._dimension(m.group(1).decode("ascii", "replace"))
        for m in _REF.finditer(text):
            if m.start() >= end:
                break
            r, c = int(m.group(2)), column_number(m.group(1))
            if r > self.rows or c > self.cols:
                self.rows, self.cols = max(self.rows, r), max(self.cols, c)
                self._grid(self.rows, self.cols, f"单元格 {_ref(m)}")
        before = (self.row_tags, self.widest)
        for m in _TAG.finditer(text):
            if m.start() >= end:
                break
            if m.group(1) == b"row":
                self.row_tags += 1
                self.in_row = 0
            else:
                self.in_row += 1
                self.widest = max(self.widest, self.in_row)
        if (self.row_tags, self.widest) != before:
            self._grid(self.row_tags, self.widest, "所用范围")

    def _dimension(self, ref: str) -> None:
        cells = _DIM_CELL.findall(ref)
        if cells:
            rows = max(int(r) for _, r in cells)
            cols = max(column_number(c) for c, _ in cells)
            self._grid(rows, cols, f"范围 {ref.upper()}")

    def _grid(self, rows: int, cols: int, what: str) -> None:
        _check_grid(rows, cols, self.part, self.name, self.limits, what)


def _ref(m: re.Match[bytes]) -> str:
    return (m.group(1) + m.group(2)).decode("ascii").upper()


def _check_grid(rows: int, cols: int, part: str, name: str, limits: Limits, what: str) -> None:
    where = f"{name}（{one_line(part)}）：{what}"
    if rows > limits.rows:
        raise WorkbookError(f"{where} 到第 {rows:,} 行，超过每个工作表 {limits.rows:,} 行的上限")
    if cols > limits.columns:
        raise WorkbookError(f"{where} 到第 {cols:,} 列，超过每个工作表 {limits.columns:,} 列的上限")
    if rows * cols > limits.cells:
        raise WorkbookError(
            f"{where} 占 {rows:,} 行 × {cols:,} 列，超过每个工作表 {limits.cells:,} 个单元格的上限"
        )


def _check_xls(data: bytes, name: str, limits: Limits) -> None:
    """An .xls through xlrd, rows unpadded (memory in proportion to the file)."""
    import xlrd

    try:
        book = xlrd.open_workbook(
            file_contents=data, on_demand=True, ragged_rows=True, logfile=io.StringIO()
        )
    except Exception:  # noqa: BLE001 - the reader reports a damaged file
        return
    try:
        for index, title in enumerate(book.sheet_names()):
            try:
                sheet = book.sheet_by_index(index)
            except Exception:  # noqa: BLE001
                return
            cols = max((sheet.row_len(r) for r in range(sheet.nrows)), default=0)
            _check_grid(sheet.nrows, cols, f"工作表“{title}”", name, limits, "所用范围")
            book.unload_sheet(index)
    finally:
        book.release_resources()

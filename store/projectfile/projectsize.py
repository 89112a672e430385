"""One limit on a project file's size, applied where a file is written and where it is read.

A sheet of 72 MB imported as a 72 MB project file that every command then refused (the
reader's cap): the store reached a state its own commands refuse. A project file holds one
sheet — real ones are 3 to 10 KB — and reading or writing one costs ~50 times its size in
memory (a 4.6 MB file: ~240 MB, 20 s), so the limit is PROJECT_LIMIT for both: the reader
refuses a larger file (`files.read_regular`), and the import, save, move and new project
refuse to write one, in a sentence naming the limit. Import checks a sheet before it is
made YAML (its cells alone already too large), and the bytes after.
"""

from __future__ import annotations

from ..disk import files
from ..errors import ProjectTooLarge
from ..sheet.fields import FUNDING_NAMES, HEADER_FIELDS, TAIL_FIELDS
from ..sheet.model import Sheet

# Each indicator row writes ten `label: ` keys, indented: far more than this many bytes.
_LEAST_ROW_BYTES = 100


def least_bytes(sheet: Sheet) -> int:
    """Bytes the project file of `sheet` has at least: its cells, and a little per row."""
    cells = [getattr(sheet, name) for name, _ in HEADER_FIELDS + TAIL_FIELDS]
    cells += [getattr(sheet.funding, name) for name in FUNDING_NAMES]
    n = sum(_size(c) for c in cells)
    for ind in sheet.indicators:
        n += _LEAST_ROW_BYTES + sum(_size(c) for c in ind.values())
    return n


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def check_sheet(rel: str, sheet: Sheet, limit: int = files.PROJECT_LIMIT) -> None:
    """Refuse, before making its YAML, a sheet whose project file would be over `limit`."""
    size = least_bytes(sheet)
    if size > limit:
        raise _too_large(rel, f"至少 {size:,} 字节", limit)


def check_bytes(rel: str, data: bytes, limit: int = files.PROJECT_LIMIT) -> None:
    """Refuse to write project file bytes the reader would refuse."""
    if len(data) > limit:
        raise _too_large(rel, f"{len(data):,} 字节", limit)


def _too_large(rel: str, size: str, limit: int) -> ProjectTooLarge:
    return ProjectTooLarge(
        rel,
        f"写成项目文件 {rel} 有{size}，超过项目文件 {limit // files.MB} MB 的上限，没有写入任何文件"
        "（jixiao 读不了更大的项目文件；表是否重复粘贴了内容？）",
    )

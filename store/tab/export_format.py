"""Which format `jixiao export` writes: the official tab text or a printable .xlsx.

The file name decides (.xlsx: a workbook; anything else: the tab text) unless a format is
forced. Text written into a file named like a workbook (what Excel would then refuse to
open) is never silent: it takes an explicit `--format txt` and still gets a warning. A
workbook is only ever written as .xlsx: Excel refuses an .xlsm or .xls whose content is
.xlsx, so those names are refused (importing them is fine).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import JixiaoError

TXT = "txt"
XLSX = "xlsx"
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}  # names Excel opens as a workbook
_NOT_WRITTEN = {".xlsm": "带宏的 .xlsm", ".xls": "旧的 .xls"}  # workbooks jixiao cannot write


def choose(output: Path | None, forced: str | None) -> tuple[str, str | None]:
    """(format, a warning to show or None) for writing to `output` (None: stdout)."""
    suffix = output.suffix.lower() if output is not None else ""
    if suffix in _NOT_WRITTEN and forced != TXT:
        raise JixiaoError(
            f"{output}：jixiao 只能写 .xlsx 工作簿，不能写{_NOT_WRITTEN[suffix]}；"
            "请把文件名改为 .xlsx"
        )
    by_name = XLSX if suffix in _WORKBOOK_SUFFIXES else TXT
    fmt = forced or by_name
    if output is None or fmt == by_name:
        return fmt, None
    if fmt == TXT:
        return (
            fmt,
            f"注意：{output} 的扩展名是工作簿，但按 --format txt 写入的是制表符文本，Excel 可能打不开",
        )
    return fmt, f"注意：{output} 的扩展名不是 .xlsx，但按 --format xlsx 写入的是 Excel 工作簿"

"""The official tab export as readable text, for `git diff` (a textconv driver).

One line per header field and one per indicator, every value named, so a changed cell shows
as one changed line instead of a row of tabs:

    == 安置帮教工作经费 (135001-大竹县司法局) ==
    项目总额: 150,000
    安置帮教工作经费 | 产出指标/数量指标/接收安置帮教人数 | 指标性质 ≥ | 指标值 500 | … | 本年权重 10

A textconv must never make `git diff` fail: anything that is not a sheet comes back as is,
and a workbook (or file) larger than jixiao reads comes back as the sentence saying so.
"""

from __future__ import annotations

from ..errors import WorkbookError
from ..merge.diff import identity_text, row_text
from ..printable import one_line, printable
from ..rules.rules import weight_summary
from ..sheet.fields import (
    EVALUATION_TITLE,
    FUNDING_FIELDS,
    FUNDING_KEY,
    HEADER_FIELDS,
    MONITOR_TITLE,
    TAIL_FIELDS,
)
from ..sheet.model import NEWLINE_NAMES, FileLayout, Sheet, format_number
from ..xlsx.magic import is_workbook


def _one_line(text: str) -> str:
    return text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵")


def file_line(file: FileLayout, sheets: int) -> str:
    bom = "（带 BOM）" if file.bom else ""
    newline = NEWLINE_NAMES.get(file.newline, repr(file.newline))
    return f"# {sheets} 张表，编码 {file.encoding}{bom}，换行符 {newline}"


def sheet_lines(sheet: Sheet) -> list[str]:
    lines = [f"== {sheet.project} ({sheet.unit}) =="]
    for name, label in HEADER_FIELDS:
        lines.append(f"{label}: {_one_line(getattr(sheet, name))}".rstrip())
    for name, label in FUNDING_FIELDS:
        lines.append(f"{FUNDING_KEY}/{label}: {getattr(sheet.funding, name)}".rstrip())
    for name, label in TAIL_FIELDS:
        lines.append(f"{label}: {_one_line(getattr(sheet, name))}".rstrip())
    for ind in sheet.indicators:
        rest = row_text(ind)
        lines.append(" | ".join(x for x in (sheet.project, identity_text(ind), rest) if x))
    lines.append(f"权重合计: {format_number(weight_summary(sheet).total)}")
    return lines


def _may_be_form(data: bytes) -> bool:
    """Whether a file may hold a filled 自评表/监控表: a workbook, or text whose first bytes
    hold one of the two titles in an encoding the forms come in. git runs textconv once per
    exported file: the forms' reader is loaded only for a file that may be one."""
    head = data[:8192]
    if is_workbook(head):
        return True
    return any(
        title.encode(encoding) in head
        for title in (EVALUATION_TITLE, MONITOR_TITLE)
        for encoding in ("utf-8", "gb18030", "utf-16-le", "utf-16-be")
    )


def _is_form(data: bytes, name: str) -> bool:
    from ..year import form_files

    return form_files.is_form(data, name)


def render_textconv(data: bytes, name: str = "<file>") -> bytes:
    """Readable UTF-8 text for an exported file or a workbook; the bytes unchanged if it is
    neither."""
    try:
        from ..tab import tabfile

        if _may_be_form(data) and _is_form(data, name):
            return (printable("\n".join(form_lines(data, name))) + "\n").encode("utf-8")
        if is_workbook(data):
            sheets, lines = _workbook(data, name)
        else:
            sheets, file = tabfile.parse(data, name)
            lines = [file_line(file, len(sheets))]
        if not sheets:
            return data
        for sheet in sheets:
            lines.append("")
            lines += sheet_lines(sheet)
        # Values are shown, never obeyed: git prints this on a terminal.
        return (printable("\n".join(lines)) + "\n").encode("utf-8")
    except WorkbookError as e:  # too large to read, or damaged: the sentence, not the bytes
        return refusal(str(e))
    except Exception:  # noqa: BLE001 - a textconv must never fail a git diff
        return data


def refusal(sentence: str) -> bytes:
    """What the diff shows for a file jixiao will not read: why, on one line."""
    return (f"# {one_line(sentence)}\n").encode()


def form_lines(data: bytes, name: str) -> list[str]:
    """A filled 自评表/监控表, one named line per cell: '绩效自评「接收安置帮教人数」实际完成值: 450'."""
    lines: list[str] = []
    from ..sheet.year_yaml import ROW_LABEL
    from ..year import form_files
    from ..year.forms import TITLES

    for fill in form_files.read_form_file(data, name):
        block = "绩效自评" if TITLES[fill.kind].endswith("自评表") else "绩效监控"
        lines += ["", f"== {TITLES[fill.kind]}：{fill.project} ({fill.unit}) =="]
        for label, text in fill.texts.items():
            lines.append(f"{block}/{label}: {_one_line(text)}".rstrip())
        for row, cells in fill.funding.items():
            for label, text in cells.items():
                if label:
                    where = f"{block}/预算执行/{ROW_LABEL[row]}/{label}"
                    lines.append(f"{where}: {_one_line(text)}".rstrip())
        for r in fill.rows:
            name3 = r.names[2] or "/".join(r.names)
            for label, text in r.cells.items():
                if label not in ("一级指标", "二级指标", "三级指标"):
                    lines.append(f"{block}「{name3}」{label}: {_one_line(text)}".rstrip())
    return lines


def _workbook(data: bytes, name: str) -> tuple[list[Sheet], list[str]]:
    """A workbook's sheets, amounts written as the official export writes them."""
    from ..sheet.model import SheetLayout
    from ..xlsx import xlsx_fit, xlsx_read

    book = xlsx_read.read_workbook(data, name)
    sheets = [xlsx_fit.fit(s, None, SheetLayout()) for s in book.sheets]
    lines = [f"# {len(sheets)} 张表，Excel 工作簿"]
    lines += [f"# 工作表中没有批复表：{xlsx_read.shown(t)}" for t in book.skipped]
    return sheets, lines

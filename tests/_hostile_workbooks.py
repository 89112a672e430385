"""Hostile .xlsx files built with zipfile: a few KB that claim or inflate to gigabytes.

Each is the smallest valid workbook (one worksheet "S") with the worksheet XML given; the
bomb streams its XML through a deflate writer, so building it never holds it in memory.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

_CT = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WB = (
    '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WBRELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)
SHEET_PART = "xl/worksheets/sheet1.xml"
_HEAD = (
    '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    '2006/main">'
)


def cell(ref: str, text: str = "x") -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def worksheet(dimension: str, cells: str) -> str:
    return f'{_HEAD}<dimension ref="{dimension}"/><sheetData>{cells}</sheetData></worksheet>'


def _parts(z: zipfile.ZipFile) -> None:
    z.writestr("[Content_Types].xml", _CT)
    z.writestr("_rels/.rels", _RELS)
    z.writestr("xl/workbook.xml", _WB)
    z.writestr("xl/_rels/workbook.xml.rels", _WBRELS)


def workbook(path: Path, sheet_xml: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        _parts(z)
        z.writestr(SHEET_PART, sheet_xml)
    return path


def bomb(path: Path, inflated: int) -> Path:
    """A worksheet of `inflated` bytes of rows of one long text cell, deflated (~0.2% of it)."""
    row = '<row><c t="inlineStr"><is><t>' + "x" * 4000 + "</t></is></c></row>"
    chunk = (row * ((1 << 20) // len(row) + 1)).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        _parts(z)
        with z.open(SHEET_PART, "w", force_zip64=inflated > (1 << 31)) as f:
            f.write(_HEAD.encode() + b"<sheetData>")
            written = 0
            while written < inflated:
                f.write(chunk)
                written += len(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


def understate(path: Path, part: str, size: int) -> Path:
    """Make the zip claim `part` inflates to `size` bytes (its local and central headers)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(part)
    struct.pack_into("<I", data, info.header_offset + 22, size)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_len] == part.encode():
            struct.pack_into("<I", data, at + 24, size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path

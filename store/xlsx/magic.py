"""What a workbook's first bytes are, without loading a reader.

textconv and import tell a workbook from a text export by content, not by name; git runs
textconv once per file, so the test lives here, apart from the readers it would load.
"""

from __future__ import annotations

ZIP_MAGIC = b"PK\x03\x04"  # .xlsx, .xlsm
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls, and any password-protected workbook


def is_workbook(data: bytes) -> bool:
    """By content, not by name: a zip (.xlsx/.xlsm) or an OLE compound file (.xls)."""
    return data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)

"""The official tab-delimited export: bytes <-> lines of cells (the codec, which
verifies its own round trip), cells <-> sheets (the form's fixed label positions), and the
export of many sheets with their recorded layout. Uses sheet/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .export_format import XLSX, choose

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "XLSX": "export_format",
    "choose": "export_format",
}
__all__ = [
    "XLSX",
    "choose",
]
__getattr__ = lazy_face(__name__, _FACE)

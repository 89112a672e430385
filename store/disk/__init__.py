"""Writing safely when others write too: atomic replace, the workspace lock,
transactions with their journal and recovery, reading only regular files within limits, the
per-file cache, the OS's errors in the form's words, and the cache folder. Every OS-specific
call lives here. Uses only the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .atomic import write
    from .files import SHEET_LIMIT, FileKindError, output_target, read_regular
    from .oserrors import cannot_read, reason
    from .pending import take_notes

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "FileKindError": "files",
    "SHEET_LIMIT": "files",
    "cannot_read": "oserrors",
    "output_target": "files",
    "read_regular": "files",
    "reason": "oserrors",
    "take_notes": "pending",
    "write": "atomic",
}
__all__ = [
    "FileKindError",
    "SHEET_LIMIT",
    "cannot_read",
    "output_target",
    "read_regular",
    "reason",
    "take_notes",
    "write",
]
__getattr__ = lazy_face(__name__, _FACE)

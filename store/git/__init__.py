"""The few git calls jixiao makes, the settings `init` writes into a repository, and
the hooks it installs. Uses disk/ and the top modules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .git import diff
    from .hooks import install_pre_commit

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "diff": "git",
    "install_pre_commit": "hooks",
}
__all__ = [
    "diff",
    "install_pre_commit",
]
__getattr__ = lazy_face(__name__, _FACE)

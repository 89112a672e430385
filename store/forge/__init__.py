"""Review on the forge: check reports in each forge's format, the diff as
Markdown/HTML, CI recipes, the server-side gate and the static site. Uses workspace/ and below."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..face import lazy_face

if TYPE_CHECKING:
    from .ci import add_ci
    from .diff import build_review, html, markdown, text
    from .gate import judge_push
    from .render import INDEX, Item, render_site
    from .report import render_check
    from .server import install_server

# name -> the module that holds it; loaded on first use (start-up counts)
_FACE = {
    "INDEX": "render",
    "Item": "render",
    "add_ci": "ci",
    "build_review": "diff",
    "html": "diff",
    "install_server": "server",
    "judge_push": "gate",
    "markdown": "diff",
    "render_check": "report",
    "render_site": "render",
    "text": "diff",
}
__all__ = [
    "INDEX",
    "Item",
    "add_ci",
    "build_review",
    "html",
    "install_server",
    "judge_push",
    "markdown",
    "render_check",
    "render_site",
    "text",
]
__getattr__ = lazy_face(__name__, _FACE)

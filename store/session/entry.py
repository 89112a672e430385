"""What people type or paste into a cell, in the form the sheet keeps.

Typed text goes through `canonical` before the editor previews or commits it, so the sheet
(and the official export made from it) never holds full-width digits, stray spaces or an
ASCII `>=` that only looked right on screen:

    canonical("annual_weight", "２０ ")      -> "20"
    canonical("total", "150000", grouping=True) -> "150,000"   (the sheet's own style)
    canonical("nature", ">=")               -> "≥"
    canonical("target", "９５％")            -> "95%"            (a value that is a number)

What cannot be read as a number stays exactly as typed, for the rules to flag (E102).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..rules.rules import typed_nature
from ..sheet.fields import AMOUNT_FIELDS
from ..sheet.model import as_number, format_amount

WEIGHT_FIELDS = frozenset({"weight", "annual_weight", "exec_weight"})
NUMBER_FIELDS = WEIGHT_FIELDS | AMOUNT_FIELDS
VALUE_FIELDS = frozenset({"target", "annual_target"})  # text, but often a number
_PERCENT = ("%",)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def number_text(text: str) -> str | None:
    """A typed number in ASCII without grouping ('１５０，０００．５' -> '150000.5'), or None."""
    t = _nfkc(text)
    if as_number(t) is None:
        return None
    return t.replace(",", "")


def canonical(name: str, text: str, grouping: bool = True) -> str:
    """The text to store for field `name` when `text` was typed (see the module docstring).

    `grouping` is the sheet's amount style (its layout): amounts are written as the rest of
    the sheet writes them, 150,000 or 150000.
    """
    if name in NUMBER_FIELDS:
        plain = number_text(text)
        if plain is None:
            return text if text.strip() else ""
        if name in AMOUNT_FIELDS:
            value = float(plain)
            return format_amount(int(value) if value.is_integer() else value, grouping)
        return plain
    if name == "nature":
        return typed_nature(text)
    if name in VALUE_FIELDS:
        t = _nfkc(text)
        bare = t[:-1] if t.endswith(_PERCENT) else t
        if bare and as_number(bare) is not None:
            return t
    return text


def is_number_entry(name: str, text: str) -> bool:
    """Whether `text` would be stored as a number in a numeric field (empty counts)."""
    return not text.strip() or name not in NUMBER_FIELDS or number_text(text) is not None


@dataclass(frozen=True)
class Paste:
    """Pasted text cut into cells as a spreadsheet does: rows by line, cells by tab."""

    rows: tuple[tuple[str, ...], ...]

    @property
    def is_grid(self) -> bool:
        """More than one cell: fills cells to the right (and rows below)."""
        return any(len(r) > 1 for r in self.rows)

    @property
    def lines(self) -> int:
        return len(self.rows)

    def joined(self) -> str:
        """Every line kept, joined by a space (for a one-line cell)."""
        return " ".join(" ".join(r).strip() for r in self.rows if "".join(r).strip())


def read_paste(text: str) -> Paste:
    """Split pasted text; the line end a spreadsheet adds after its last row is dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    while len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return Paste(tuple(tuple(line.split("\t")) for line in lines))

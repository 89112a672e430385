"""Aligned columns of plain text, as rich prints a `Table(box=None, pad_edge=False)`, without
rich's rendering machinery (which spends ~0.3 ms a row: `jixiao list` of 2,000 projects into
a pipe spent most of its time there).

Only for output that is not a terminal (no styles) and cells on one line; `render` returns
None when the table is wider than the console, where rich would wrap cells, so the caller
uses rich for that and for terminals. tests/test_texttable.py holds it to rich's bytes.
"""

from __future__ import annotations

from collections.abc import Sequence


class _CharWidths(dict[str, int]):
    """Terminal cells per character, asked of rich once per distinct character.

    rich's `cell_len` caches whole strings (4,096 of them) and then each character, through
    two lru_cache wrappers; a list's names are nearly all distinct, so that cost every cell.
    Measured on 8,000 names in a fresh process: 31-57 ms through rich, 9-18 ms here."""

    def __missing__(self, char: str) -> int:
        from rich.cells import get_character_cell_size

        width = self[char] = get_character_cell_size(char)
        return width


_WIDTHS = _CharWidths()


def cell_width(text: str) -> int:
    """The cells `text` takes in a terminal, as rich's `cell_len` counts them."""
    if text.isascii() and text.isprintable():
        return len(text)
    if "\u200d" in text or "\ufe0f" in text:  # joined emoji: rich's sequence rules
        from rich.cells import cell_len

        return cell_len(text)
    return sum(map(_WIDTHS.__getitem__, text))


def render(
    headers: Sequence[str], justify: Sequence[str], rows: Sequence[Sequence[str]], width: int
) -> str | None:
    """The table's lines (each ending in a newline), or None if rich would wrap or fold."""
    cols = len(headers)
    widths = [cell_width(h) for h in headers]
    lens = []
    for row in rows:
        lengths = [cell_width(c) for c in row]
        lens.append(lengths)
        for k in range(cols):
            if lengths[k] > widths[k]:
                widths[k] = lengths[k]
    if sum(widths) + 2 * (cols - 1) > width or any("\n" in c for r in rows for c in r):
        return None
    out = [_line(headers, [cell_width(h) for h in headers], widths, justify)]
    out.extend(
        _line(row, lengths, widths, justify) for row, lengths in zip(rows, lens, strict=True)
    )
    return "".join(out)


def _line(
    cells: Sequence[str], lengths: list[int], widths: list[int], justify: Sequence[str]
) -> str:
    parts = []
    for text, n, w, how in zip(cells, lengths, widths, justify, strict=True):
        if how == "right":
            if text[-1:].isspace():  # rich drops the blanks a right-aligned cell ends in
                text = text.rstrip()
                n = cell_width(text)
            parts.append(" " * (w - n) + text)
        else:
            parts.append(text + " " * (w - n))
    return "  ".join(parts) + "\n"

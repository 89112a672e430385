"""Text read from files, made safe to print: what a cell holds is shown, never obeyed.

A cell may hold ESC, OSC or other control characters (a terminal would run them: move the
cursor, set the title, hide the rest of the line), bidi overrides (that reorder what is
shown) or text a rich console would read as markup (`[bold]`) or emoji codes (`:x:`). Every
value that jixiao prints as text goes through `printable`; rich output also goes through
`cell` so that markup and emoji codes are never interpreted.

    printable("a\\x1b]0;owned\\x07b")  ->  "a␛]0;owned␇b"
"""

from __future__ import annotations

import re

# C0 controls except tab and line feed, DEL, C1 controls, the bidi controls that can make
# a line read differently from what it holds (the "Trojan Source" characters), and lone
# surrogates: a file name that is not UTF-8 holds its bytes as \udc80-\udcff
# (surrogateescape), which no output encoding can write.
_UNSAFE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ␛ ␇ ␍ …
    if code == 0x7F:
        return "␡"
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a name that is not UTF-8, as the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"<U+{code:04X}>"


def printable(text: str) -> str:
    """`text` with every control character shown as a visible sign (tabs and newlines kept)."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """`printable`, on one line: line breaks shown as ↵, tabs as →."""
    text = text.replace("\r\n", "↵").replace("\n", "↵").replace("\r", "↵").replace("\t", "→")
    return printable(text)


def printable_json(text: str) -> str:
    """JSON text with the characters above escaped as \\uXXXX (json.dumps leaves DEL, C1 and
    bidi controls raw when ensure_ascii is off); the data it stands for is unchanged."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

"""jixiao under a locale that is not UTF-8 (zh_CN.GBK, zh_CN.GB18030, C): same store, no crash.

Two things differ there. File names: Python encodes them with the locale's encoding, so an
import under GBK made `store/<unit>/` a second time, under its GBK bytes. jixiao therefore
runs in Python's UTF-8 mode whatever the locale (`run` starts the process again with
`-X utf8` once, keeping the terminal's encoding for its output): the store's names are the
same UTF-8 bytes everywhere. Arguments typed in that terminal come in the terminal's
encoding; each one that is not UTF-8 and does not name an existing file is decoded from it.

Output: a GBK terminal has no ✓, ✗ or ↵. Standard output and error write those as plain
marks (✓ -> OK), and any other character the encoding lacks as `?`, never an exception.
"""

from __future__ import annotations

import codecs
import os
import sys

_RERUN = "_JIXIAO_LOCALE"  # set in the second process: the encoding the first one had
_PLAIN = {
    "✓": "OK",
    "✗": "X",
    "⚠": "!",
    "•": "*",
    "↵": "\\n",
    "→": "->",
    "≥": ">=",
    "≤": "<=",
    "…": "...",
    "—": "--",
}
_ERRORS = "jixiao-plain"


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_PLAIN.get(ch, "?") for ch in bad), error.end


codecs.register_error(_ERRORS, _plain)


def plain_output() -> None:
    """Standard output and error never fail on a character their encoding lacks."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or "utf" in (getattr(stream, "encoding", "") or "").lower():
            continue
        try:
            reconfigure(errors=_ERRORS)
        except (ValueError, OSError):  # a stream already written to in another way
            continue


def _is_utf8(name: str) -> bool:
    return codecs.lookup(name).name == "utf-8"


def utf8_mode() -> None:
    """Run in Python's UTF-8 mode: start this process again with `-X utf8` if the locale
    encodes file names otherwise (once: the second process never starts a third)."""
    was = os.environ.get(_RERUN)
    if was:
        _decode_arguments(was)
        return
    if sys.flags.utf8_mode or _is_utf8(sys.getfilesystemencoding()):
        return
    env = dict(os.environ)
    env[_RERUN] = sys.getfilesystemencoding()
    if "PYTHONIOENCODING" not in env:  # the terminal's encoding, not UTF-8
        env["PYTHONIOENCODING"] = sys.stdout.encoding or env[_RERUN]
    used, options = _interpreter_options()
    argv = [sys.executable, *options, "-X", "utf8", *sys.orig_argv[1 + used :]]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, env)


def _interpreter_options() -> tuple[int, list[str]]:
    """How many arguments went to the interpreter itself (before `-m jixiao` or the script),
    and those options without a `-X utf8=0`, which would win over the `-X utf8` added."""
    args = sys.orig_argv[1:]
    kept: list[str] = []
    k = 0
    while k < len(args) and args[k].startswith("-") and args[k] not in ("-m", "-c", "-"):
        option = args[k : k + 2] if args[k] in ("-X", "-W") else args[k : k + 1]
        k += len(option)
        if "".join(option).startswith("-Xutf8"):
            continue
        kept += option
    return k, kept


def _decode_arguments(encoding: str) -> None:
    """Arguments the terminal gave in `encoding`: each one that is not UTF-8 is decoded from
    it, unless it names an existing file by its bytes (then it stays those bytes)."""
    for k, arg in enumerate(sys.argv[1:], 1):
        raw = os.fsencode(arg)
        if arg.isascii() or os.path.lexists(raw):
            continue
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            sys.argv[k] = raw.decode(encoding, "surrogateescape")

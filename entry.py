"""The console script `jixiao`: answers what git runs per file before any CLI is built.

git starts jixiao once per file: the merge driver for every project changed on both sides of a
merge, textconv for every exported sheet in `git log -p`, the pre-commit hook on every commit.
Building the typer app costs more than that work (typer and rich are most of a start), so
`main` answers these shapes here, through plumbing.py, importing only what each one uses:

- `merge-file BASE OURS THEIRS PATH`, `textconv FILE`, `check [PROJECT...] [--staged |
  --changed] [--format F] [-o FILE] [--no-cache] [--hook H]` (what git, the hooks and CI
  scripts run), `--version` / `-V`;
- a command name that does not exist (one sentence with the closest name, exit 2).

Anything else (another option, `--help`, every other command) goes to the full CLI (cli.py).
Budgets: docs/ARCHITECTURE.md ("Start-up"); measured by tests/bench/bench_startup.py.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import cli_locale, cli_words, plumbing


def _route(args: list[str]) -> Callable[[], int] | None:
    """The fast answer for `args`, or None for the full CLI."""
    directory = Path(".")
    if len(args) >= 2 and args[0] == "-C":
        directory, args = Path(args[1]), args[2:]
    if not args:
        return None
    head, rest = args[0], args[1:]
    if head in ("--version", "-V") and not rest:
        return lambda: plumbing.say_line(cli_words.version_line())
    if head == "merge-file" and len(rest) == 4 and not any(a.startswith("-") for a in rest):
        b, o, t, p = rest
        return lambda: plumbing.merge_file(directory, Path(b), Path(o), Path(t), p)
    if head == "textconv" and len(rest) == 1 and not rest[0].startswith("-"):
        return lambda: plumbing.textconv(directory, Path(rest[0]))
    if head == "check":
        return _route_check(directory, rest)
    if not head.startswith("-") and head not in cli_words.COMMANDS:
        return lambda: plumbing.refuse_command(head)
    return None


def _route_check(directory: Path, rest: list[str]) -> Callable[[], int] | None:
    """`check`'s options in the shapes hooks and scripts use; None for anything else
    (`--explain`, `--help`, a value that is not one: typer says what is wrong)."""
    opts: dict = {"fmt": "text", "output": None, "changed": False, "staged": False}
    opts.update(no_cache=False, hook=None)
    flags = {"--staged": "staged", "--changed": "changed", "--no-cache": "no_cache"}
    projects: list[str] = []
    i = 0
    while i < len(rest):
        a = rest[i]
        value = rest[i + 1] if i + 1 < len(rest) else None
        if a in flags:
            opts[flags[a]] = True
        elif a == "--format" and value in plumbing.CHECK_FORMATS:
            opts["fmt"], i = value, i + 1
        elif a in ("-o", "--output") and value is not None and not value.startswith("-"):
            opts["output"], i = Path(value), i + 1
        elif a == "--hook" and value in ("pre-commit", "pre-merge-commit"):
            opts["hook"], i = value, i + 1
        elif a.startswith("-"):
            return None
        else:
            projects.append(a)
        i += 1
    if opts["staged"] and (projects or opts["changed"]):
        return None  # the CLI says what is wrong with that
    return lambda: plumbing.check(directory, projects, **opts)


def main(argv: Sequence[str] | None = None) -> None:
    """The console script `jixiao`."""
    if argv is None:
        cli_locale.utf8_mode()  # may start jixiao again, once, in Python's UTF-8 mode
    cli_locale.plain_output()
    args = list(sys.argv[1:] if argv is None else argv)  # as utf8_mode decoded them
    fast = _route(args)
    if fast is not None:
        code = fast()
        sys.stdout.flush()
        raise SystemExit(code)
    from .cli import app

    app(args=args, prog_name="jixiao")

"""store/ is the headless layer: no module of it may pull in the UI or the command line."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parent.parent


def _python(code: str) -> subprocess.CompletedProcess[str]:
    """`code` run by a fresh interpreter (a clean sys.modules), from the repository root."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )


def test_no_store_module_imports_textual_typer_or_the_tui() -> None:
    modules = sorted(f"store.{m.name}" for m in pkgutil.iter_modules(store.__path__))
    assert "store.workspace" in modules and "store.editing" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer', 'tui', 'cli'))\n"
        "print(','.join(bad))\n"
    )
    assert _python(code).stdout.strip() == ""


def test_a_read_only_command_does_not_load_the_writers(workspace) -> None:  # noqa: ANN001
    """Issue 12's start-up: `check X --format json` needs neither the importer, the writers,
    the merge engine nor rich's console; each was a few ms to tens of ms of every start."""
    ref = workspace.projects()[0]
    code = (
        "import sys, cli\n"
        "try:\n"
        f"    cli.app(['-C', {str(workspace.root)!r}, 'check', {ref.rel!r}, '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(','.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    out = _python(code)
    assert isinstance(json.loads(out.stdout), list)  # the command ran: its findings, as JSON
    loaded = set(out.stderr.strip().split(","))
    assert "store.checking" in loaded
    unneeded = {
        "store.importer", "store.yamlsave", "store.yamlemit", "store.merge", "store.mergetext",
        "store.tabfile", "store.export", "rich.console", "textual",
    }  # fmt: skip
    assert not loaded & unneeded

"""store/ is the headless layer: no module of it may pull in the UI or the command line."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import store

ROOT = Path(__file__).resolve().parent.parent


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
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == ""

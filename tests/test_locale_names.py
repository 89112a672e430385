"""Names the OS gives as bytes, and locales that are not UTF-8 (issue 20, point 9).

Before: a file name in store/ that was not UTF-8 crashed `list`, `check` and the editor
(the cache wrote it); with PYTHONIOENCODING=gbk, commands crashed on ✓; under a locale whose
file-name encoding is not UTF-8, an import crashed (C) or made a second store/<unit>/ under
the locale's bytes (GBK). The machine has no GBK locale (`locale -a`), so the locale is
`LC_ALL=C` with `-X utf8=0` (file names in ASCII: the same path as GBK's), set per process.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, sync
from jixiao.store.workspace.workspace import Workspace
from jixiao.tui.app import JixiaoApp
from test_tui_app import SIZE

ROOT = Path(__file__).resolve().parent.parent
UNIT = "135001-大竹县司法局"


def jixiao(
    cwd: Path, *args: str | bytes, env: dict[str, str] | None = None, python: tuple = ()
) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, *python, "-m", "jixiao", *args],
        cwd=cwd,
        capture_output=True,
        env=full,
        timeout=60,
    )


@pytest.fixture
def odd(committed: Workspace) -> Workspace:
    """The sample, plus a project file whose name is the bytes ff fe (not UTF-8)."""
    unit = os.fsencode(committed.store / UNIT)
    data = (committed.store / UNIT / "执法证工本费.yaml").read_bytes()
    with open(unit + b"/\xff\xfe.yaml", "wb") as f:
        f.write(data)
    return committed


@pytest.mark.parametrize("args", [("list",), ("check",), ("check", "--format", "json")])
def test_a_name_that_is_not_utf8_is_reported_not_a_crash(odd: Workspace, args: tuple) -> None:
    done = jixiao(odd.root, *args)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 0, err
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("utf-8")  # every byte written is UTF-8
    if args[0] == "check":
        assert "W003" in out and "不是 UTF-8" in out
        assert "\\xff\\xfe.yaml" in out or "\\udcff\\udcfe.yaml" in out
    else:
        assert out.count(UNIT) == 16  # the odd file is not a project


@sync
async def test_the_editor_opens_beside_a_name_that_is_not_utf8(odd: Workspace) -> None:
    app = JixiaoApp(odd)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.is_running and app.main is not None
        assert len(odd.projects()) == 16


@pytest.mark.parametrize("args", [("list",), ("check",), ("show", "安置帮教工作经费")])
def test_a_gbk_output_never_crashes_on_a_mark(committed: Workspace, args: tuple) -> None:
    done = jixiao(committed.root, *args, env={"PYTHONIOENCODING": "gbk"})
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    assert b"Traceback" not in done.stderr
    out = done.stdout.decode("gbk")  # what a GBK terminal shows, whole
    assert "安置帮教工作经费" in out
    if args == ("list",):
        assert "100 OK" in out and "✓" not in out


def test_a_locale_that_is_not_utf8_uses_the_same_store(committed: Workspace) -> None:
    before = sorted(os.listdir(os.fsencode(committed.store)))
    done = jixiao(
        committed.root,
        "import",
        str(SAMPLE),
        env={"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0"},
        python=("-X", "utf8=0"),
    )
    assert done.returncode == 0, done.stderr[-600:]
    assert b"Traceback" not in done.stderr
    assert sorted(os.listdir(os.fsencode(committed.store))) == before == [UNIT.encode()]
    assert "未变 16".encode() in done.stdout or "未变 16".encode() in done.stderr


def test_arguments_typed_in_the_terminals_encoding_find_the_project(
    committed: Workspace,
) -> None:
    """The second process (UTF-8 mode) decodes an argument from the terminal's encoding."""
    name = "安置帮教工作经费"
    done = jixiao(committed.root, "show", name.encode("gb18030"), env={"_JIXIAO_LOCALE": "gb18030"})
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert name in done.stdout.decode("utf-8")


def test_importing_a_file_whose_name_is_not_utf8_keeps_the_import_history_readable(
    committed: Workspace, tmp_path: Path
) -> None:
    """Its import record was a surrogate escape the YAML reader then refused (the records
    live in jixiao-imports.yaml now; jixiao.yaml is not touched by an import)."""
    odd = os.fsencode(tmp_path) + b"/\xff\xfe.txt"
    data = SAMPLE.read_bytes().replace("推动法治进程".encode(), "推动法治建设".encode(), 1)
    with open(odd, "wb") as f:
        f.write(data)
    done = jixiao(committed.root, "import", odd)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert "\\xff\\xfe.txt" in (committed.root / "jixiao-imports.yaml").read_text(encoding="utf-8")
    again = jixiao(committed.root, "list")
    assert again.returncode == 0, again.stderr.decode("utf-8", "replace")

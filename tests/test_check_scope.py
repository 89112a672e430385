"""What `check` checks, and when it cannot: a profile that would switch E101 off, files under
store/ that are not project files (one rule for check and the pre-commit hook), and
--changed/--staged outside a git repository."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import git
from jixiao import cli
from jixiao.store.git import hooks
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

UNIT = "135001-大竹县司法局"
STRAYS = ["store/loose.yaml", f"store/{UNIT}/sub/x.yaml", f"store/{UNIT}/.h.yaml"]


@pytest.fixture
def ws(committed: Workspace) -> Path:
    """The sample imported and committed (a copy of the run's template), with the hooks
    `jixiao init` installs."""
    hooks.install_pre_commit(committed.root)
    return committed.root


def _run(ws: Path, *args: str):
    return CliRunner().invoke(cli.app, ["-C", str(ws), *args])


@pytest.mark.parametrize(
    "value",
    [".nan", ".inf", "1e400", "1" + "0" * 400, "-.inf"],
    ids=["nan", "inf", "1e400", "400-digits", "minus-inf"],
)
def test_a_weight_total_that_is_no_number_is_refused(ws: Path, value: str) -> None:
    settings = ws / "jixiao.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("profile: {}", f"profile: {{weight_total: {value}}}"), encoding="utf-8"
    )
    result = _run(ws, "check")
    assert result.exit_code == 2, result.output
    assert "jixiao.yaml: profile.weight_total:" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _add_strays(ws: Path) -> None:
    for rel in STRAYS:
        path = ws / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("broken: [\n", encoding="utf-8")


def _w003(result) -> list[str]:
    return sorted(r["file"] for r in json.loads(result.stdout) if r["code"] == "W003")


def test_files_under_store_that_are_not_projects_are_reported_alike(ws: Path) -> None:
    _add_strays(ws)
    everything = _run(ws, "check", "--format", "json")
    assert everything.exit_code == 0, everything.output
    assert _w003(everything) == sorted(STRAYS)
    assert _w003(_run(ws, "check", "--changed", "--format", "json")) == sorted(STRAYS)
    git(ws, "add", "-A")
    staged = _run(ws, "check", "--staged", "--format", "json")
    assert staged.exit_code == 0, staged.output
    assert _w003(staged) == sorted(STRAYS)
    # The hook runs the same check: the commit goes through, and names the files.
    proc = subprocess.run(
        ["git", "commit", "-m", "notes"], cwd=ws, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "W003" in proc.stdout + proc.stderr
    listing = _run(ws, "list", "--format", "json")
    assert listing.exit_code == 0 and len(json.loads(listing.stdout)) == 16


def test_w003_can_be_switched_off(ws: Path) -> None:
    _add_strays(ws)
    settings = ws / "jixiao.yaml"
    text = settings.read_text(encoding="utf-8").replace("profile: {}", "profile: {disable: [W003]}")
    settings.write_text(text, encoding="utf-8")
    assert _w003(_run(ws, "check", "--format", "json")) == []


@pytest.mark.parametrize("flag", ["--changed", "--staged"])
def test_changed_and_staged_need_a_git_repository(ws: Path, flag: str) -> None:
    shutil.rmtree(ws / ".git")
    result = _run(ws, "check", flag)
    assert result.exit_code == 2, result.output
    assert "不是 git 仓库" in result.output
    assert len(result.output.strip().splitlines()) == 1

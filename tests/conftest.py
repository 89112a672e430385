"""Shared fixtures: the real sample, and real workspaces (git repositories) in tmp_path."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "dazhu-sifaju-2024.txt"


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests commit in throw-away repositories; give git an identity that works anywhere."""
    for key, value in {
        "GIT_AUTHOR_NAME": "jixiao tests",
        "GIT_AUTHOR_EMAIL": "tests@example.invalid",
        "GIT_COMMITTER_NAME": "jixiao tests",
        "GIT_COMMITTER_EMAIL": "tests@example.invalid",
    }.items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture
def workspace(tmp_path: Path):
    """An initialized workspace holding the imported sample."""
    from store.workspace import Workspace

    ws = Workspace.init(tmp_path / "ws")
    ws.import_files([SAMPLE])
    return ws


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, env=os.environ
    ).stdout

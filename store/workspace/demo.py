"""The demo workspace: the bundled sample imported and committed, ready for the editor."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..git import git
from .importer import import_files
from .workspace import Workspace

SAMPLE = "dazhu-sifaju-2024.txt"
FOLDER = "大竹县司法局-2024"


def make_demo_workspace(base: Path) -> Workspace:
    """A workspace under `base` holding the sample (16 sheets of 大竹县司法局), committed so
    the changes view has something to compare with."""
    ws = Workspace.init(base / FOLDER)
    sample = resources.files("jixiao.store.sample").joinpath(SAMPLE)
    with resources.as_file(sample) as path:
        import_files(ws, [path])
    git.run(["add", "-A"], cwd=ws.root)
    identity = ["-c", "user.name=jixiao demo", "-c", "user.email=demo@jixiao.invalid"]
    message = "jixiao 演示：导入的示例"
    git.run([*identity, "commit", "-q", "-m", message], cwd=ws.root, check=False)
    return ws

"""The import history has a file of its own (issue 21.9): an import leaves jixiao.yaml as it
is, its records go to jixiao-imports.yaml (Chinese comments), a re-import adds none, the
export keeps the import order, a workspace whose jixiao.yaml still holds records keeps them,
and two colleagues importing different files in two clones merge cleanly through the driver
(a real `git clone`, `pull`, `commit`, with a fresh HOME)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao.store.tab import tabfile
from jixiao.store.workspace.settings import DEFAULT_SETTINGS, HISTORY
from jixiao.store.workspace.workspace import Workspace
from ruamel.yaml import YAML
from test_chinese_errors import english_in

JIXIAO = Path(sys.executable).with_name("jixiao")


def _export(path: Path, project: str) -> Path:
    """A tab export holding one sheet, the sample's first renamed `project`."""
    sheets, file = tabfile.parse(SAMPLE.read_bytes(), "sample")
    one = copy.deepcopy(sheets[0])
    one.project = project
    path.write_bytes(tabfile.emit([one], file))
    return path


def _records(root: Path) -> list[dict]:
    return YAML(typ="safe").load((root / HISTORY).read_text(encoding="utf-8"))["imports"]


def jixiao(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [JIXIAO, "-C", str(root), *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return run


def test_imports_leave_the_settings_alone(committed: Workspace, tmp_path: Path) -> None:
    root = committed.root
    settings = (root / "jixiao.yaml").read_bytes()
    assert settings == DEFAULT_SETTINGS.encode()
    history = (root / HISTORY).read_text(encoding="utf-8")
    comments = [line for line in history.splitlines() if line.startswith("#")]
    assert comments and not [line for line in comments if english_in(line)]
    jixiao(root, "import", str(_export(tmp_path / "甲.txt", "甲项目")))
    jixiao(root, "import", str(SAMPLE))  # a re-import: no new record
    assert (root / "jixiao.yaml").read_bytes() == settings
    assert [r["file"] for r in _records(root)] == [SAMPLE.name, "甲.txt"]
    changed = git(root, "status", "--porcelain").splitlines()
    assert sorted(line[3:] for line in changed) == [
        HISTORY,
        "store/135001-大竹县司法局/甲项目.yaml",
    ]
    # The export follows the import order: the sample's 16, then 甲项目.
    names = [s.project for s in tabfile.parse(jixiao(root, "export").stdout.encode(), "x")[0]]
    assert names[-1] == "甲项目" and len(names) == 17


def test_records_a_workspace_keeps_in_jixiao_yaml_still_count(
    committed: Workspace, tmp_path: Path
) -> None:
    """A workspace made before the history had its own file: its records are in jixiao.yaml."""
    root = committed.root
    records = (root / HISTORY).read_text(encoding="utf-8").split("imports:", 1)[1]
    (root / "jixiao.yaml").write_text(DEFAULT_SETTINGS + "imports:" + records, encoding="utf-8")
    (root / HISTORY).unlink()
    before = jixiao(root, "export").stdout
    assert before.encode() == SAMPLE.read_bytes()  # the order jixiao.yaml's records give
    jixiao(root, "import", str(SAMPLE))  # already recorded there: nothing new anywhere
    assert not (root / HISTORY).exists()
    jixiao(root, "import", str(_export(tmp_path / "乙.txt", "乙项目")))
    assert [r["file"] for r in _records(root)] == ["乙.txt"]
    names = [s.project for s in tabfile.parse(jixiao(root, "export").stdout.encode(), "x")[0]]
    assert names[-1] == "乙项目" and len(names) == 17


@pytest.mark.parametrize("history_in_base", [True, False])
def test_two_clones_importing_different_files_merge_cleanly(
    committed: Workspace, tmp_path: Path, history_in_base: bool
) -> None:
    origin = committed.root
    if not history_in_base:  # both clones make the history file: git's add/add
        records = (origin / HISTORY).read_text(encoding="utf-8").split("imports:", 1)[1]
        text = DEFAULT_SETTINGS + "imports:" + records
        (origin / "jixiao.yaml").write_text(text, encoding="utf-8")
        git(origin, "rm", "-q", HISTORY)
        git(origin, "commit", "-qam", "records in jixiao.yaml, as before")
    env = {**os.environ, "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()
    clones = {}
    for who, project in (("zhang", "甲项目"), ("li", "乙项目")):
        clone = tmp_path / who
        subprocess.run(
            ["git", "clone", "-q", str(origin), str(clone)], check=True, env=env, timeout=60
        )
        jixiao(clone, "init", env=env)  # the drivers: repository config is not cloned
        jixiao(clone, "import", str(_export(tmp_path / f"{project}.txt", project)), env=env)
        subprocess.run(["git", "add", "-A"], cwd=clone, check=True, env=env)
        subprocess.run(
            ["git", "commit", "-qm", f"{who} imports {project}", "--no-verify"],
            cwd=clone,
            check=True,
            env=env,
        )
        clones[who] = clone
    zhang, li = clones["zhang"], clones["li"]
    subprocess.run(["git", "push", "-q", str(origin), "HEAD:refs/heads/zhang"], cwd=zhang, env=env)
    pulled = subprocess.run(
        ["git", "pull", "--no-rebase", "--no-edit", str(origin), "zhang"],
        cwd=li,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "CONFLICT" not in pulled.stdout
    assert [r["file"] for r in _records(li)][-2:] == ["乙项目.txt", "甲项目.txt"]
    assert "<<<<<<<" not in (li / HISTORY).read_text(encoding="utf-8")
    names = [s.project for s in tabfile.parse(jixiao(li, "export").stdout.encode(), "x")[0]]
    assert names[-2:] == ["乙项目", "甲项目"] and len(names) == 18

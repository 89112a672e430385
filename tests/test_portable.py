"""The portable paths of the disk layer, run here: processes started with a prelude
(tests/portable/sitecustomize.py) that hides `fcntl`, `os.O_TMPFILE`, `os.O_NOFOLLOW`,
`os.getuid` and /proc, as Windows or macOS would. Import, an edit saved as the editor saves,
export, and a real `git merge` through the driver all work; the lock of last resort keeps a
second writer out and is taken over once its holder is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.workspace.workspace import Workspace

PRELUDE = Path(__file__).parent / "portable"
JIXIAO = Path(sys.executable).parent / "jixiao"
UNIT = "store/135001-大竹县司法局"


def hidden_env(**extra: str) -> dict[str, str]:
    path = os.pathsep.join(p for p in (str(PRELUDE), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, "JIXIAO_LOCK_WAIT": "0.5", **extra}


def run(ws: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(JIXIAO), "-C", str(ws), *args],
        capture_output=True,
        text=True,
        env=hidden_env(**extra),
        timeout=60,
    )


def _wait_stopped(proc: subprocess.Popen) -> None:
    """Block until the process stops itself at its test point (or fail if it ended)."""
    _, status = os.waitpid(proc.pid, os.WUNTRACED)
    if not os.WIFSTOPPED(status):
        proc.returncode = os.waitstatus_to_exitcode(status)
        pytest.fail(f"exited ({proc.returncode}) before its stop point: {proc.stderr.read()!r}")


def test_the_prelude_hides_what_it_says(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "import fcntl"], capture_output=True, text=True, env=hidden_env()
    )
    assert proc.returncode != 0 and "import of fcntl halted" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(hasattr(os, 'O_TMPFILE'), hasattr(os, 'getuid'))"],
        capture_output=True,
        text=True,
        env=hidden_env(),
    )
    assert proc.stdout.split() == ["False", "False"]


def test_import_edit_save_export_and_merge_without_fcntl_tmpfile_or_proc(
    committed: Workspace, tmp_path: Path
) -> None:
    ws = committed.root
    fresh = tmp_path / "fresh"
    assert run(fresh, "init", str(fresh)).returncode == 0
    proc = run(fresh, "import", str(SAMPLE))
    assert proc.returncode == 0, proc.stderr
    assert len(list((fresh / "store").rglob("*.yaml"))) == 16

    edit = subprocess.run(
        [sys.executable, str(PRELUDE / "edit_save.py"), str(fresh), "法律援助工作经费", "已核"],
        capture_output=True,
        text=True,
        env=hidden_env(),
        timeout=60,
    )
    assert edit.returncode == 0 and "saved" in edit.stdout, edit.stderr
    saved = next((fresh / "store").rglob("法律援助工作经费.yaml")).read_text("utf-8")
    assert "已核" in saved

    out = tmp_path / "out.txt"
    out.write_bytes(b"old")
    proc = run(ws, "export", "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert out.read_bytes() == SAMPLE.read_bytes()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []

    # A real merge: git runs the driver, which runs under the prelude too (git passes the
    # environment on). A reorder against an edit merges only field by field.
    env = hidden_env()
    assert run(ws, "init").returncode == 0
    name = "安置帮教工作经费"
    path = ws / UNIT / f"{name}.yaml"
    git(ws, "checkout", "-q", "-b", "theirs")
    text = path.read_text("utf-8")
    sheet = yamlfile.loads(text, name)
    sheet.indicators.reverse()
    path.write_text(yamlsave.dumps(sheet, text), "utf-8")
    git(ws, "commit", "-q", "--no-verify", "-am", "theirs")
    git(ws, "checkout", "-q", "-")
    sheet = yamlfile.loads(text, name)
    sheet.indicators[0].target = "600"
    path.write_text(yamlsave.dumps(sheet, text), "utf-8")
    git(ws, "commit", "-q", "--no-verify", "-am", "ours")
    merged = subprocess.run(
        ["git", "merge", "--no-edit", "--no-verify", "theirs"],
        cwd=ws,
        capture_output=True,
        text=True,
        env=env,
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    result = yamlfile.loads(path.read_text("utf-8"), name)
    assert result.indicators[-1].target == "600"


def test_the_lock_of_last_resort_keeps_a_second_writer_out_and_outlives_a_kill(
    workspace: Workspace,
) -> None:
    ws = workspace.root
    marker = ws / ".jixiao-cache" / "lock.held"
    changed = next((ws / "store").rglob("执法证工本费.yaml"))
    text = changed.read_text("utf-8")
    changed.write_text(
        text.replace("本年权重: 20", "本年权重: 25", 1), "utf-8"
    )  # import restores it
    first = subprocess.Popen(
        [str(JIXIAO), "-C", str(ws), "import", "--force", str(SAMPLE)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=hidden_env(_JIXIAO_TEST_STOP="stage:1"),  # stopped while it holds the lock
    )
    try:
        _wait_stopped(first)
        assert marker.read_text().strip() == str(first.pid)
        busy = run(ws, "import", "--force", str(SAMPLE))
        assert busy.returncode == 2 and f"pid {first.pid}" in busy.stderr, busy.stderr
    finally:
        if first.returncode is None:
            os.kill(first.pid, signal.SIGKILL)
        first.wait()
        first.stderr.close()
    after = run(ws, "import", "--force", str(SAMPLE))  # takes over the dead writer's lock
    assert after.returncode == 0, after.stderr
    assert "已撤销" in after.stderr  # and undid what it had staged
    assert not marker.exists()


# The disk layer (store/disk/): the only place that may name a call some systems lack.
DISK = Path(__file__).resolve().parent.parent / "store" / "disk"
OS_NAMES = ("fcntl", "msvcrt", "O_TMPFILE", "/proc", "O_NOFOLLOW", "getuid", "fchmod", "SIGSTOP")


def test_only_the_disk_layer_names_the_operating_system() -> None:
    root = Path(__file__).resolve().parent.parent
    sources = [*root.glob("*.py"), *(root / "store").rglob("*.py"), *(root / "tui").rglob("*.py")]
    offenders = [
        f"{path.relative_to(root)}: {name}"
        for path in sources
        if DISK not in path.parents
        for name in OS_NAMES
        if name in path.read_text("utf-8")
    ]
    assert offenders == []

"""Special files where jixiao expects a regular one: FIFOs, devices, symlinks, huge files.

Reads run as real processes with a timeout: before these guards a FIFO blocked forever,
/dev/zero grew the process without end, and `export -o` replaced a device or a symlink with
a regular file.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, copy_workspace
from jixiao import cli
from jixiao.store.git import hooks
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
UNIT = "135001-大竹县司法局"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, imported_template: Path) -> Path:
    """`jixiao init` and an import of the sample (a copy of the run's template, the hooks
    installed as init installs them)."""
    root = copy_workspace(imported_template, tmp_path_factory.mktemp("special") / "ws").root
    hooks.install_pre_commit(root)
    return root


def jixiao(ws: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """A real `jixiao` process; a hang fails the test at `timeout` instead of blocking it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(ws), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def _refused(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stdout[-300:], proc.stderr[-300:])
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


def test_import_refuses_a_fifo_a_device_and_a_huge_file(ws: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "sheets.txt"
    os.mkfifo(fifo)
    _refused(jixiao(ws, "import", str(fifo)), "命名管道", "不是普通文件")
    _refused(jixiao(ws, "import", "/dev/zero"), "字符设备")
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as f:
        f.truncate(5 << 30)  # 5 GB, sparse: takes no room, reads as zeros
    _refused(jixiao(ws, "import", str(sparse), timeout=20), "64 MB")


def test_textconv_refuses_a_fifo(ws: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "export.txt"
    os.mkfifo(fifo)
    _refused(jixiao(ws, "textconv", str(fifo)), "命名管道")


def test_a_fifo_as_project_file_is_reported_not_waited_on(ws: Path) -> None:
    fifo = ws / "store" / UNIT / "管道.yaml"
    os.mkfifo(fifo)
    try:
        _refused(jixiao(ws, "show", "管道"), "管道.yaml", "命名管道")
        listing = jixiao(ws, "list")
        assert listing.returncode == 1 and "命名管道" in listing.stderr
        assert "法律援助工作经费" in listing.stdout
        check = jixiao(ws, "check", "--format", "json")
        assert check.returncode == 1 and '"E001"' in check.stdout and "命名管道" in check.stdout
    finally:
        fifo.unlink()


def test_a_symlink_loop_as_project_file_is_one_sentence(ws: Path) -> None:
    """Found in review: Path.resolve() raised RuntimeError on the loop (Python 3.11)."""
    path = ws / "store" / UNIT / "人民调解个案补贴.yaml"
    saved = path.read_bytes()
    path.unlink()
    path.symlink_to(path.name)
    try:
        _refused(jixiao(ws, "import", str(SAMPLE)), "人民调解个案补贴.yaml", "符号链接循环")
    finally:
        path.unlink()
        path.write_bytes(saved)


def test_a_fifo_as_cache_file_is_ignored(ws: Path) -> None:
    cache = ws / ".jixiao-cache"
    cache.mkdir(exist_ok=True)
    victims = [cache / "summaries.json", cache / "projects.json", cache / "settings.json"]
    for v in victims:
        v.unlink(missing_ok=True)
        os.mkfifo(v)
    try:
        proc = jixiao(ws, "list")
        assert proc.returncode == 0, proc.stderr
        assert "法律援助工作经费" in proc.stdout
    finally:
        for v in victims:
            if v.exists() and not v.is_file():
                v.unlink()


def test_export_refuses_a_device_and_a_fifo(ws: Path, tmp_path: Path) -> None:
    _refused(jixiao(ws, "export", "-o", "/dev/null"), "/dev/null", "字符设备", "-o -")
    fifo = tmp_path / "out.txt"
    os.mkfifo(fifo)
    _refused(jixiao(ws, "export", "-o", str(fifo)), "命名管道")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    _refused(jixiao(ws, "export", "-o", str(tmp_path)), "文件夹")
    _refused(jixiao(ws, "export", "-o", str(tmp_path / "no" / "x.txt")), "不存在")


def test_export_dash_is_stdout(ws: Path) -> None:
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "export", "-o", "-"])
    assert result.exit_code == 0
    assert result.stdout_bytes == SAMPLE.read_bytes()
    assert not (ws / "-").exists()


def test_export_writes_through_a_symlink_and_keeps_the_mode(ws: Path, tmp_path: Path) -> None:
    real = tmp_path / "real" / "batch.txt"
    real.parent.mkdir()
    real.write_bytes(b"old")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "export", "-o", str(link)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == SAMPLE.read_bytes()
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["batch.txt"]


def test_an_export_that_cannot_finish_leaves_no_partial_file(ws: Path, tmp_path: Path) -> None:
    """The file system refuses the export half way (a file size limit, as a full disk would):
    one sentence, the old file still whole and no temp file left beside it. (A kill -9 half
    way is tested with the write paths in the transaction tests.)"""
    import resource

    target = tmp_path / "batch.txt"
    target.write_bytes(b"the previous export")
    assert jixiao(ws, "list").returncode == 0  # caches warm: the export is the big write

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(ws), "export", "-o", str(target)],
        env=env,
        capture_output=True,
        timeout=60,
        preexec_fn=small_files,
    )
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.decode().strip().splitlines()) == 1, proc.stderr
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["batch.txt"]


def test_an_export_killed_half_way_leaves_no_partial_file(ws: Path, tmp_path: Path) -> None:
    """kill -9 while the export's bytes are half written: the old file is whole and nothing
    else is left in its folder (the bytes went to an unnamed file the kernel frees)."""
    import signal
    import time

    target = tmp_path / "batch.txt"
    target.write_bytes(b"the previous export")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_JIXIAO_TEST_STOP": "write-half"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jixiao", "-C", str(ws), "export", "-o", str(target)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while _state(proc.pid) != "T":  # stopped at the testpoint, half of it written
            assert proc.poll() is None and time.monotonic() < deadline, "never reached"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["batch.txt"]


def _state(pid: int) -> str:
    """The process state letter from /proc (T: stopped)."""
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def test_a_fifo_as_git_hook_is_left_alone(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert CliRunner().invoke(cli.app, ["init", str(root)]).exit_code == 0
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.unlink()
    os.mkfifo(hook)
    proc = jixiao(root, "init", ".")
    assert proc.returncode == 0, proc.stderr
    assert "已有你自己的 pre-commit 钩子" in proc.stdout
    assert stat.S_ISFIFO(hook.lstat().st_mode)

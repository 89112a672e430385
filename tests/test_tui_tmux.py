"""`jixiao edit` in a real terminal: tmux runs it, we type, and read the screen back."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from store.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "安置帮教工作经费"

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None, reason="tmux is not installed (apt-get install -y tmux)"
)


def tmux(*args: str) -> str:
    return subprocess.run(
        ["tmux", *args], capture_output=True, text=True, check=True, timeout=10
    ).stdout


def wait_for(session: str, text: str, timeout: float = 15.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = tmux("capture-pane", "-p", "-t", session)
        if text in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{text!r} did not appear on the screen:\n{screen}")


def test_edit_in_a_real_terminal(workspace: Workspace) -> None:
    session = f"jixiao-test-{uuid.uuid4().hex[:8]}"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color LANG=C.UTF-8"
    command = (
        f"unset COLUMNS LINES; cd {shlex.quote(str(ROOT))} && {env} {shlex.quote(sys.executable)} -m cli "
        f"-C {shlex.quote(str(workspace.root))} edit {PROJECT}; sleep 30"
    )
    path = workspace.resolve(PROJECT).path
    before = path.read_text(encoding="utf-8")
    tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "40", command)
    try:
        screen = wait_for(session, "合计 100 ✓")
        assert "资金来源合计 150,000" in screen
        # All ten columns fit 120 columns: the last, 备注, is on screen; long names give way.
        assert "备注" in screen and "接收安" in screen
        # To 本年权重 of the first row (column 9), edit it, watch the total before Enter.
        tmux("send-keys", "-t", session, *["Right"] * 8)
        wait_for(session, "第1行 本年权重：10")
        # Enter and the new text in one burst: the editor opens with its text selected and
        # the key typed straight after Enter replaces it (no key is lost on the way).
        tmux("send-keys", "-t", session, "Enter", "5")
        screen = wait_for(session, "还差 5")
        assert "合计 95" in screen
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, f"{PROJECT} *")
        tmux("send-keys", "-t", session, "C-s")
        wait_for(session, "已保存")
        tmux("send-keys", "-t", session, "C-q")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and "单位信息" in tmux(
            "capture-pane", "-p", "-t", session
        ):
            time.sleep(0.1)
        assert "单位信息" not in tmux("capture-pane", "-p", "-t", session)  # the app has exited
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("本年权重: 10", "本年权重: 5", 1)


def test_edit_a_weight_in_an_80x24_terminal(workspace: Workspace) -> None:
    """Issue 10.5: in the smallest usual terminal, typing a weight shows the new total and the
    cell editor on the same screen, with 三级指标 and 本年权重 in view."""
    session = f"jixiao-test-{uuid.uuid4().hex[:8]}"
    env = f"PYTHONPATH={shlex.quote(str(ROOT))} TERM=xterm-256color LANG=C.UTF-8"
    command = (
        f"unset COLUMNS LINES; cd {shlex.quote(str(ROOT))} && {env} "
        f"{shlex.quote(sys.executable)} -m cli -C {shlex.quote(str(workspace.root))} "
        f"edit {PROJECT}; sleep 30"
    )
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", command)
    try:
        screen = wait_for(session, "合计 100 ✓")
        assert "三级指标" in screen and "本年" in screen  # both columns' headers
        assert "▼ 135001" not in screen  # the project list hid itself
        tmux("send-keys", "-t", session, *["Right"] * 8)
        wait_for(session, "第1行 本年权重：10")
        tmux("send-keys", "-t", session, "Enter", "5")
        screen = wait_for(session, "合计 95，还差 5")
        assert "编辑 第1行 本年权重" in screen  # the editor is on screen too
        lines = screen.rstrip("\n").split("\n")
        assert len(lines) <= 24
        tmux("send-keys", "-t", session, "Escape")
        wait_for(session, "合计 100 ✓")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

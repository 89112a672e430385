"""`jixiao show` fits the terminal (issue 21.6): at any width from 60 columns up no line is
wider than the terminal and every indicator's name (三级指标) is shown whole; the table wraps
its long cells, and where even that does not fit, each indicator is a block of its own.
Driven through COLUMNS and through a real pseudo-terminal of a set size."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from jixiao.cli_show import column_widths, overhead
from jixiao.store.workspace.workspace import Workspace
from rich.cells import cell_len

JIXIAO = Path(sys.executable).with_name("jixiao")
PROJECT = "法律援助工作经费"
NAMES = (
    "每份案卷内容完整",
    "法律援助案件数量",
    "按时完成受理的案件",
    "满足困难群众的法律需求",
    "受援群众满意度",
    "每个案件所需的费用",
)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def _assert_fits(text: str, width: int) -> None:
    lines = text.splitlines()
    assert lines and lines[0].startswith(PROJECT), text
    too_wide = [line for line in lines if cell_len(line.rstrip()) > width]
    assert not too_wide, too_wide
    for name in NAMES:  # whole, on one line: never cut, never folded
        assert any(name in line for line in lines), (name, text)
    assert "本年权重合计 + 预算执行率权重 = 100" in text
    assert "本年权重" in text and "三级指标" in text or "第1行" in text


def _show(ws: Workspace, width: int) -> str:
    env = {**os.environ, "COLUMNS": str(width)}
    run = subprocess.run(
        [JIXIAO, "-C", str(ws.root), "show", PROJECT],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


@pytest.mark.parametrize("width", [60, 80, 100, 200])
def test_show_fits_columns(workspace: Workspace, width: int) -> None:
    text = _show(workspace, width)
    _assert_fits(text, width)
    table = "三级指标" in text
    assert table == (width >= 100), text  # 80 and below: one block per indicator
    if width < 100:
        assert [f"第{k}行" in text for k in range(1, 7)] == [True] * 6


def test_a_wrapped_table_gives_the_name_its_share() -> None:
    labels = ["一级指标", "二级指标", "三级指标", "指标值", "权重", "本年权重"]
    rows = [
        ["产出指标", "数量指标", "满足困难群众的法律需求", "维护困难群众的合法权益" * 2, "10", "10"]
    ]
    widths = column_widths(labels, rows, 80)
    assert widths is not None and sum(widths) + overhead(len(labels)) <= 80
    assert widths[2] == cell_len(rows[0][2])  # the name whole
    assert widths[3] < cell_len(rows[0][3])  # the long value wraps
    assert column_widths(labels, rows, 40) is None  # the floors do not fit: blocks


def _in_pty(ws: Workspace, columns: int, rows: int = 24) -> str:
    """`jixiao show` on a real terminal of `columns` × `rows`, its output as text."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["TERM"] = "xterm-256color"
    proc = subprocess.Popen(
        [JIXIAO, "-C", str(ws.root), "show", PROJECT],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    out = b""
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 1)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the terminal's other side is closed
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
        proc.wait(timeout=30)
    assert proc.returncode == 0, out
    return ANSI.sub("", out.decode("utf-8").replace("\r\n", "\n"))


@pytest.mark.parametrize("columns", [80, 100])
def test_show_fits_a_real_terminal(workspace: Workspace, columns: int) -> None:
    text = _in_pty(workspace, columns)
    _assert_fits(text, columns)
    assert ("第1行" in text) == (columns < 100)

"""`jixiao edit` in a real terminal: tmux runs the installed program, we type, paste and read
the screen (and tmux's clipboard buffer) back.

One tmux server serves the test run (tests/_terminal.py); each test opens its own session at
the size it needs, on its own copy of the workspace. Every wait polls the screen until a
condition holds, with a deadline.
"""

from __future__ import annotations

from collections.abc import Callable

from _terminal import Terminal, exited, needs_tmux
from jixiao.store.projectfile import yamlfile
from jixiao.store.workspace.workspace import Workspace

PROJECT = "安置帮教工作经费"
pytestmark = needs_tmux


def test_edit_in_a_real_terminal(start: Callable[..., Terminal], workspace: Workspace) -> None:
    path = workspace.resolve(PROJECT).path
    before = path.read_text(encoding="utf-8")
    term = start(workspace, 120, 40, PROJECT)
    screen = term.wait("合计 100 ✓")
    assert "资金来源合计 150,000" in screen
    # All ten columns fit 120 columns: the last, 备注, is on screen; long names give way.
    assert "备注" in screen and "接收安" in screen
    assert "^q 退出" in screen  # the footer says how to quit
    # To 本年权重 of the first row (column 9), edit it, watch the total before Enter.
    term.send(*["Right"] * 8)
    term.wait("第1行 本年权重：10")
    # Enter and the new text in one burst: the editor opens with its text selected and
    # the key typed straight after Enter replaces it (no key is lost on the way).
    term.send("Enter", "5")
    screen = term.wait("还差 5")
    assert "合计 95" in screen
    term.send("Enter")
    term.wait(f"{PROJECT} *")
    term.wait("第2行 本年权重")  # Enter kept the value and moved down a row
    term.send("C-s")
    term.wait("已保存")
    term.send("C-q")
    exited(term)
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("本年权重: 10", "本年权重: 5", 1)


def test_a_burst_a_paste_letters_and_copy(
    start: Callable[..., Terminal], workspace: Workspace
) -> None:
    """Issue 21.1-3 as a terminal sends them: a key burst in one write, a bracketed paste of
    three lines, Latin letters typed on a cell, ctrl+c through OSC 52 into tmux's buffer."""
    path = workspace.resolve(PROJECT).path
    term = start(workspace, 120, 40, PROJECT)
    term.wait("合计 100 ✓")
    term.send(*["Right"] * 4)
    term.wait("第1行 指标值：500")
    # One write: each key acts where the previous one left the cursor.
    term.send("1", "Enter", "Right", "个", "Enter")
    term.wait("第3行 本年绩效指标值")
    term.send("Right", "Right", "Right", "Right", "Enter")
    term.wait("编辑 第3行 备注")
    term.paste("甲行\n乙行\n丙行\n")
    term.wait("甲行 乙行 丙行")  # every line, once, joined (and the notice says so)
    term.wait("粘贴了 3 行")
    term.send("Enter", "Left", "Left", "Left")
    term.wait("第4行 度量单位")
    term.send("k", "m", "Enter")  # letters type (they used to be commands)
    term.wait("第5行 度量单位")
    term.send("Up", "C-c")
    term.wait("已复制第4行 度量单位")
    assert term.tmux("show-buffer") == "km"  # the OSC 52 sequence reached the terminal
    term.send("S-Down", "C-c")  # two rows selected: copied as tab-separated lines
    term.wait("已复制第4–5行")
    lines = term.tmux("show-buffer").split("\n")
    assert len(lines) == 2 and lines[0].split("\t")[6] == "km"
    term.send("C-s")
    term.wait("已保存")
    rows = yamlfile.loads(path.read_text(encoding="utf-8"), PROJECT).indicators
    assert (rows[0].target, rows[1].annual_target) == ("1", "个")
    assert (rows[2].note, rows[3].measure) == ("甲行 乙行 丙行", "km")
    term.send("C-q")
    exited(term)


def test_an_80x24_terminal(start: Callable[..., Terminal], workspace: Workspace) -> None:
    """Issue 10.5 and 21.4-5: in the smallest usual terminal the start screen says how to
    reach the hidden list, the filter leads into its results, typing a weight shows the new
    total and the cell editor on one screen, and dialogs wrap their text."""
    term = start(workspace, 80, 24)
    screen = term.wait("F2 显示项目列表")
    assert "选择左侧的项目" not in screen and "^q 退出" in screen
    assert "▼ 135001" not in screen  # the project list hid itself
    term.send("C-f", *"安置", "Down", "Enter")  # the filter, its first result, open it
    term.wait("合计 100 ✓")
    term.send("F2")  # the list away again: every column in view
    screen = term.wait(lambda s: "▼ 135001" not in s and "备注" in s)
    assert "三级指标" in screen and "本年" in screen  # both columns' headers
    footer = screen.rstrip("\n").split("\n")[-1]  # whole keys, quit first, none cut off
    assert footer.startswith(" ^q 退出  F1 帮助") and "Ins 新增行" in footer
    assert "F2 项目列表" in footer and footer.rstrip().endswith("^p 命令")
    term.send(*["Right"] * 8)
    term.wait("第1行 本年权重：10")
    term.send("Enter", "5")
    screen = term.wait("合计 95，还差 5")
    assert "编辑 第1行 本年权重" in screen  # the editor is on screen too
    assert len(screen.rstrip("\n").split("\n")) <= 24
    term.send("Escape")
    term.wait("合计 100 ✓")
    term.send("F1")
    screen = term.wait("按键")
    assert "OSC 52" in screen  # the help's long lines wrap inside the dialog, not cut
    term.send("Escape")
    term.wait(lambda s: "按键" not in s)
    term.send("x", "Enter", "C-q")
    screen = term.wait("有未保存的修改")
    assert "退出之前" in screen  # the whole question, wrapped at 80 columns
    term.send("Right", "Enter")  # 不保存
    exited(term)


def test_100x30_with_the_project_list(start: Callable[..., Terminal], workspace: Workspace) -> None:
    """Issue 21.4: with the list shown, the table keeps 一级指标, 三级指标 and the weight that
    counts, marked, and says with its key how to see the columns that stepped aside."""
    term = start(workspace, 100, 30, PROJECT)
    term.wait("本年权重合计 100 ✓")
    screen = term.wait("▼ 135001")  # the list stays shown with a project open
    assert "一级" in screen and "三级指标" in screen and "本年" in screen
    assert "F2 隐藏项目列表" in screen
    term.send("C-q")
    exited(term)

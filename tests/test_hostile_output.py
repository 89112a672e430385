"""Values from files are printed as text: no rich markup, no emoji codes, no terminal escapes.

A sheet whose cells hold `[/b]x` (rich markup that does not parse), `[bold]x[/bold]`,
`a:x:b` (an emoji code) and ESC/OSC sequences goes through list, show, diff, check and
textconv; every output shows the cells as written, with control characters as visible signs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao import cli
from typer.testing import CliRunner

OSC = "\x1b]0;owned\x07"  # sets the terminal's title
CSI = "\x1b[2J"  # clears the screen
LINES = SAMPLE.read_text(encoding="utf-8").split("\n")


def _hostile_sample() -> bytes:
    """The sample with hostile cells in its first sheet: 预算项目, 年度目标, a 三级指标, a 备注."""
    lines = list(LINES)
    first = lines.index("绩效目标批复表")
    head = lines[first + 2].split("\t")
    head[3] = "[/b]x"  # 预算项目
    lines[first + 2] = "\t".join(head)
    goal = lines[first + 5].split("\t")
    goal[1] = f"目标{OSC}{CSI}a:x:b"
    lines[first + 5] = "\t".join(goal)
    row = lines[first + 10].split("\t")
    row[2] = "[bold]x[/bold]:x:"  # 三级指标
    row[1] = "不存在的二级"  # so that check quotes the row's name (W113)
    row[9] = f"备注{CSI}"
    lines[first + 10] = "\t".join(row)
    return "\n".join(lines).encode("utf-8")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile") / "ws"
    source = root.parent / "hostile.txt"
    source.write_bytes(_hostile_sample())
    runner = CliRunner()
    assert runner.invoke(cli.app, ["init", str(root)]).exit_code == 0
    result = runner.invoke(cli.app, ["-C", str(root), "import", str(source)])
    assert result.exit_code == 0, result.output
    return root


def _run(root: Path, *args: str, terminal: bool = False) -> str:
    """stdout + stderr of a command; `terminal` makes rich behave as on a terminal."""
    env = {"FORCE_COLOR": "1", "COLUMNS": "400"} if terminal else {"COLUMNS": "400"}
    result = CliRunner().invoke(cli.app, ["-C", str(root), *args], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.output  # stdout and stderr


def _shown_as_text(out: str) -> None:
    assert "\x1b]" not in out and "\x1b[2J" not in out and "\x07" not in out
    assert "❌" not in out


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_list_shows_markup_and_emoji_codes_as_written(hostile: Path, terminal: bool) -> None:
    out = _run(hostile, "list", terminal=terminal)
    assert "[/b]x" in out
    if terminal:  # our own colours are the only escapes, and no cell's escape is among them
        out = out.replace("\x1b[", "CSI[")
    _shown_as_text(out.replace("CSI[2J", "\x1b[2J"))


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_show_prints_control_characters_visibly(hostile: Path, terminal: bool) -> None:
    out = _run(hostile, "show", "[/b]x", terminal=terminal)
    assert "[/b]x" in out and "[bold]x[/bold]:x:" in out
    assert "目标␛]0;owned␇␛[2Ja:x:b" in out
    assert "备注␛[2J" in out
    if not terminal:
        _shown_as_text(out)
    else:
        assert "\x1b]0;owned" not in out and "\x07" not in out and "❌" not in out


def test_show_json_escapes_every_control_character(hostile: Path) -> None:
    out = _run(hostile, "show", "[/b]x", "--format", "json")
    assert "\x1b" not in out and "\\u001b]0;owned\\u0007" in out


@pytest.mark.parametrize("terminal", [False, True], ids=["pipe", "terminal"])
def test_check_quotes_names_as_written(hostile: Path, terminal: bool) -> None:
    out = _run(hostile, "check", "[/b]x", terminal=terminal)
    assert "[bold]x[/bold]:x:" in out
    assert "\x1b[2J" not in out and "❌" not in out


def test_diff_and_textconv_show_escapes_as_signs(hostile: Path, tmp_path: Path) -> None:
    git(hostile, "add", "-A")
    git(hostile, "commit", "-qm", "hostile", "--no-verify")
    rel = next(p for p in (hostile / "store").rglob("*.yaml") if "[" in p.name)
    text = rel.read_text(encoding="utf-8")
    rel.write_text(text.replace("备注\\e[2J", "新备注\\e]8;;http://x\\a"), encoding="utf-8")
    out = _run(hostile, "diff")
    assert "新备注␛]8;;http://x␇" in out
    _shown_as_text(out)
    exported = tmp_path / "out.txt"
    assert (
        CliRunner().invoke(cli.app, ["-C", str(hostile), "export", "-o", str(exported)]).exit_code
        == 0
    )
    conv = _run(hostile, "textconv", str(exported))
    assert "目标␛]0;owned␇␛[2Ja:x:b" in conv and "[/b]x" in conv
    _shown_as_text(conv)


def test_an_error_message_keeps_emoji_codes(hostile: Path) -> None:
    out = _run(hostile, "show", ":x:", terminal=True)
    assert ":x:" in out and "❌" not in out


def test_init_shows_a_hostile_folder_name_as_text(tmp_path: Path) -> None:
    """Found in review: `init` printed the workspace's and the hooks' paths raw."""
    root = tmp_path / f"ws{OSC}\u202e"
    for _ in range(2):  # new, then again (re-initialized)
        out = _run(tmp_path, "init", str(root))
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
        assert "ws␛]0;owned␇<U+202E>" in out and "钩子" in out

"""What jixiao writes for a person to read, outside its help and errors, is Chinese (issue
21.7): the comments `init` writes into the user's files and textconv's first line."""

from __future__ import annotations

from pathlib import Path

from jixiao import cli
from jixiao.store.workspace.textconv import render_textconv
from test_chinese_errors import english_in
from typer.testing import CliRunner


def _comments(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.startswith("#")]


def test_init_writes_chinese_comments(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0, result.output
    for name in ("jixiao.yaml", ".gitattributes"):
        comments = _comments(tmp_path / "ws" / name)
        assert comments, name
        for line in comments:
            assert not english_in(line), (name, line)


def test_textconv_first_line_is_chinese(sample_bytes: bytes) -> None:
    first = render_textconv(sample_bytes, "x.txt").decode("utf-8").splitlines()[0]
    assert first == "# 16 张表，编码 utf-8，换行符 LF"
    text = sample_bytes.decode("utf-8")
    crlf = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")
    first = render_textconv(crlf, "x.txt").decode("utf-8").splitlines()[0]
    assert first == "# 16 张表，编码 utf-8（带 BOM），换行符 CRLF"

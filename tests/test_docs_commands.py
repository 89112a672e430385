"""Every `jixiao …` command the README and the Chinese quick start show exists, with the
options they give it (issue 21.13): a renamed command or option fails here, not in a reader's
terminal. Lines are taken from the code blocks and from inline `code`."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import typer.main
from jixiao import cli

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "docs" / "quickstart.zh.md"]
GROUP = typer.main.get_command(cli.app)


def _command_lines(text: str) -> list[str]:
    lines = [ln.strip() for ln in text.splitlines() if ln.startswith("    ")]
    lines += re.findall(r"`(jixiao [^`]+)`", text)
    out = []
    for line in lines:
        for part in re.split(r"&&|;|\|", line):
            part = re.split(r"\s>\s", part.split("  #", 1)[0])[0].strip()  # no redirect
            if part.startswith("jixiao 版本"):  # what --version prints, not a command
                continue
            if part.startswith("jixiao ") or part == "jixiao":
                out.append(part)
    return out


def _options(command: object) -> set[str]:
    names = {"--help", "-h"}
    for param in getattr(command, "params", []):
        names.update(getattr(param, "opts", []))
        names.update(getattr(param, "secondary_opts", []))
    return names


def _check(line: str) -> None:
    words = shlex.split(line.replace("<", "'<").replace(">", ">'"))[1:]
    group_options = _options(GROUP)
    k = 0
    while k < len(words) and words[k].startswith("-"):
        option = words[k].split("=", 1)[0]
        assert option in group_options, (line, option)
        k += 2 if option in ("-C", "--show-completion", "--install-completion") else 1
    if k >= len(words):
        return
    name = words[k]
    assert name in GROUP.commands, (line, name)  # type: ignore[attr-defined]
    command = GROUP.commands[name]  # type: ignore[attr-defined]
    for word in words[k + 1 :]:
        if word.startswith("-") and word != "-":
            assert word.split("=", 1)[0] in _options(command), (line, word)


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_jixiao_command_in_the_docs_exists(doc: Path) -> None:
    lines = _command_lines(doc.read_text(encoding="utf-8"))
    assert len(lines) >= 8, lines
    for line in lines:
        _check(line)


def test_the_docs_say_how_to_get_install_and_come_back() -> None:
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for needed in (
            "git clone ",
            "&& cd jixiao",
            "pip install -e '.[test]'",
            "pipx install .",
            "uv tool install .",
            "pip install .",
            ". .venv/bin/activate",
            "git log -p",
            "\n    pytest\n",
        ):
            assert needed in text, (doc.name, needed)

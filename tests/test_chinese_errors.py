"""Error sentences are Chinese: bad input of every kind a user meets first gives a
sentence with no English phrase in it, only file names, codes, keys and values in ASCII."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SAMPLE
from jixiao import cli
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

# What may stay ASCII: paths and file names, quoted values, `code`, option names, codes.
_ALLOWED = re.compile(
    r"""\S*[/\\]\S*          # a path (store/…/x.yaml, /tmp/…)
      | \S+\.(?:ya?ml|txt|xlsx?)\b  # a file name
      | '[^']*' | "[^"]*" | `[^`]*`  # a quoted value or command
      | --?[a-z][\w-]*       # an option
      | \b[EWI]\d{3}\b       # a check code
    """,
    re.VERBOSE,
)
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[\s,;:()]+[A-Za-z]{2,}){2,}")


def english_in(sentence: str) -> list[str]:
    """The runs of three or more English words left once names and values are taken out."""
    return _ENGLISH.findall(_ALLOWED.sub(" ", sentence))


def test_the_scanner_finds_english_and_lets_names_through() -> None:
    assert english_in("x.yaml:3: expected text or a number")
    assert not english_in("store/u/p.yaml:3: 未知的键 'foo bar baz'；用 jixiao init 或 -C DIR")


def _err(*args: str) -> str:
    result = CliRunner().invoke(cli.app, list(args))
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output
    return result.stderr.strip()


@pytest.fixture
def bad_inputs(tmp_path: Path, workspace: Workspace) -> dict[str, list[str]]:
    ws = str(workspace.root)
    text = SAMPLE.read_text(encoding="utf-8")
    tab_cases = {
        "empty": b"",
        "not a sheet": "名单\n张三\t李四\n".encode(),
        "cut short": "\n".join(text.splitlines()[:6]).encode(),
        "open quote": text.replace("接收安置帮教人数", '"接收安置帮教人数', 1).encode(),
        "utf-16 without BOM": text.encode("utf-16-le"),
        "mixed line endings": text.replace("\n", "\r\n", 5).encode(),
        "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    }
    out: dict[str, list[str]] = {}
    for name, data in tab_cases.items():
        bad = tmp_path / "bad.txt"
        bad.write_bytes(data)
        out[f"tab file: {name}"] = [_err("-C", ws, "import", str(bad))]
    ref = workspace.resolve("法律援助工作经费")
    good = ref.path.read_text(encoding="utf-8")
    yaml_cases = {
        "unclosed list": "单位信息: [unclosed\n",
        "bad indent": good.replace("预算项目:", "  预算项目:", 1),
        "unknown key": good.replace("主管部门:", "主管部门x:", 1),
        "true as a value": good.replace("项目经办人: ''", "项目经办人: true", 1),
        "python tag": good.replace("预算项目: ", "预算项目: !!python/object:os.system ", 1),
    }
    for name, broken in yaml_cases.items():
        ref.path.write_text(broken, encoding="utf-8")
        out[f"project file: {name}"] = [_err("-C", ws, "export", "法律援助工作经费")]
    ref.path.write_text(good, encoding="utf-8")
    settings = workspace.root / "jixiao.yaml"
    kept = settings.read_bytes()
    profile_cases = {
        "not a mapping": "profile: strict\n",
        "unknown setting": "profile: {weights: 100}\n",
        "bad severity": "profile: {severity: {W103: fatal}}\n",
        "ignore without reason": "profile: {ignore: [{project: x, codes: [I161]}]}\n",
        "imports not a list": "imports: 5\n",
    }
    for name, body in profile_cases.items():
        settings.write_text(body, encoding="utf-8")
        out[f"profile: {name}"] = [_err("-C", ws, "check")]
    settings.write_bytes(kept)
    out["missing project"] = [_err("-C", ws, "export", "没有这个项目")]
    out["unknown code"] = [_err("-C", ws, "check", "--explain", "X1")]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out["not a workspace"] = [_err("-C", str(elsewhere), "list")]
    return out


def test_no_error_sentence_is_english(bad_inputs: dict[str, list[str]]) -> None:
    english = {
        case: (line, found)
        for case, lines in bad_inputs.items()
        for line in lines
        if (found := english_in(line))
    }
    assert english == {}
    for case, (line,) in bad_inputs.items():
        assert line.startswith("jixiao: ") and "\n" not in line, (case, line)
        assert re.search(r"[\u4e00-\u9fff]", line), (case, line)


def test_every_explanation_is_chinese() -> None:
    from jixiao.store.rules.explanations import EXPLAIN, explain

    english = {code: found for code in EXPLAIN if (found := english_in(explain(code)))}
    assert english == {}

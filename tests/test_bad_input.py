"""Bad input: one clear sentence naming the file (sheet, line), exit 2, no traceback, and the
workspace byte-identical before and after. Wrong values (a weight of 十) are data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao import cli
from jixiao.store.tab import tabfile
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

TEXT = SAMPLE.read_text(encoding="utf-8")
LINES = TEXT.split("\n")
UNIT = "135001-大竹县司法局"


def tree_hash(root: Path) -> str:
    """Every file under the workspace (not .git) with its bytes."""
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if rel == ".git" or rel.startswith(".git/"):
            continue
        h.update(rel.encode() + b"\0")
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


@pytest.fixture
def ws(committed: Workspace) -> Path:
    """A workspace with the sample imported and committed."""
    return committed.root


def _malformed_middle() -> bytes:
    """16 sheets; the 8th has lost its 项目总额 label."""
    starts = [k for k, ln in enumerate(LINES) if ln == "绩效目标批复表"]
    lines = list(LINES)
    row = starts[7] + 3  # title, blank, first header row, second header row
    assert "项目总额" in lines[row]
    lines[row] = lines[row].replace("项目总额:", "").replace("项目总额：", "")
    return "\n".join(lines).encode()


def _cut_short() -> bytes:
    starts = [k for k, ln in enumerate(LINES) if ln == "绩效目标批复表"]
    return "\n".join(LINES[: starts[4] + 6]).encode()


def _same_project_twice() -> bytes:
    return TEXT.replace("第一书记和驻村工作队工作经费", "安置帮教工作经费", 1).encode()


CASES: dict[str, tuple[bytes, str]] = {
    # name: (file bytes, a fragment the one sentence must hold)
    "empty": (b"", "文件是空的"),
    "blank lines only": (b"\n\n\r\n", "文件是空的"),
    "binary": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "不是 UTF-8、UTF-16 或 GB18030 编码的文本文件",
    ),
    "NUL in text": (TEXT.replace("人数", "人\x00数", 1).encode(), "含二进制数据"),
    "not a sheet": ("名单\n张三\t李四\n".encode(), ":1: 应为标题“绩效目标批复表”"),
    "cut short": (_cut_short(), "第 5 张表"),
    "malformed middle sheet": (_malformed_middle(), "第 8 张表"),
    "utf-16 without BOM": (TEXT.encode("utf-16-le"), "没有字节顺序标记（BOM）的 UTF-16LE 文本"),
    "utf-16be without BOM": (TEXT.encode("utf-16-be"), "没有字节顺序标记（BOM）的 UTF-16BE 文本"),
    "big5": (TEXT.encode("big5", errors="replace"), "bad.txt"),
    "broken quote": (
        TEXT.replace("接收安置帮教人数", '"接收安置帮教人数', 1).encode(),
        "引号一直没有闭合",
    ),
    "mixed line endings": (TEXT.replace("\n", "\r\n", 5).encode(), "不支持混用换行符"),
    "same project twice": (_same_project_twice(), "单位信息和预算项目与第 1 张表相同"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_file_is_one_sentence_exit_2_store_untouched(ws: Path, case: str) -> None:
    data, fragment = CASES[case]
    bad = ws.parent / "bad.txt"
    bad.write_bytes(data)
    before = tree_hash(ws)
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(SAMPLE), str(bad)])
    assert result.exit_code == 2, (result.output, result.exception)
    err = result.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("jixiao: ") and str(bad) in err and fragment in err, err
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert tree_hash(ws) == before
    assert git(ws, "status", "--porcelain") == ""


def test_bad_sheet_message_names_the_line(ws: Path) -> None:
    bad = ws.parent / "bad.txt"
    bad.write_bytes(_malformed_middle())
    err = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(bad)]).stderr
    starts = [k for k, ln in enumerate(LINES) if ln == "绩效目标批复表"]
    assert f"bad.txt:{starts[7] + 1}: 第 8 张表" in err
    assert "项目总额" in err


def test_a_file_that_does_not_exist(ws: Path) -> None:
    before = tree_hash(ws)
    missing = ws.parent / "nope.txt"
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(SAMPLE), str(missing)])
    assert result.exit_code == 2
    assert str(missing) in result.stderr and "无法读取（文件不存在）" in result.stderr
    assert "Traceback" not in result.output
    assert tree_hash(ws) == before


def test_a_folder_instead_of_a_file(ws: Path) -> None:
    before = tree_hash(ws)
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(ws / "store")])
    assert result.exit_code == 2 and "是文件夹，不是普通文件" in result.stderr
    assert tree_hash(ws) == before


def test_a_fresh_workspace_stays_empty_after_a_failed_import(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    CliRunner().invoke(cli.app, ["init", str(root)])
    before = tree_hash(root)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(_malformed_middle())
    result = CliRunner().invoke(cli.app, ["-C", str(root), "import", str(bad)])
    assert result.exit_code == 2
    assert tree_hash(root) == before
    assert list((root / "store").iterdir()) == []


@pytest.mark.parametrize("name", ["../../x", "..", "/etc/passwd", "a/../../b", ".hidden", "C:\\x"])
def test_a_project_name_like_a_path_lands_under_store(tmp_path: Path, name: str) -> None:
    root = tmp_path / "deep" / "ws"
    CliRunner().invoke(cli.app, ["init", str(root)])
    sheet_text = "\n".join(LINES[:18]).replace("预算项目:\t安置帮教工作经费", f"预算项目:\t{name}")
    src = tmp_path / "evil.txt"
    src.write_bytes(sheet_text.encode())
    outside = {p for p in tmp_path.rglob("*") if not p.is_relative_to(root)}
    result = CliRunner().invoke(cli.app, ["-C", str(root), "import", str(src)])
    assert result.exit_code == 0, result.output
    written = [p for p in (root / "store").rglob("*.yaml")]
    assert len(written) == 1
    assert written[0].resolve().is_relative_to((root / "store").resolve())
    assert written[0].parent.parent == root / "store"
    assert not written[0].name.startswith(".")
    assert {p for p in tmp_path.rglob("*") if not p.is_relative_to(root)} == outside
    # ... and the name is kept exactly as data: it exports back the same bytes.
    out = CliRunner().invoke(cli.app, ["-C", str(root), "export"]).stdout_bytes
    assert out == src.read_bytes()


def test_a_weight_of_shi_imports_and_round_trips(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    CliRunner().invoke(cli.app, ["init", str(root)])
    src = tmp_path / "shi.txt"
    src.write_bytes(TEXT.replace("\t人\t10\t10\t", "\t人\t十\t十\t", 1).encode())
    result = CliRunner().invoke(cli.app, ["-C", str(root), "import", str(src)])
    assert result.exit_code == 0, result.output
    yaml_text = (root / "store" / UNIT / "安置帮教工作经费.yaml").read_text(encoding="utf-8")
    assert "  权重: 十\n  本年权重: 十\n" in yaml_text
    out = CliRunner().invoke(cli.app, ["-C", str(root), "export"]).stdout_bytes
    assert out == src.read_bytes()
    sheets, _ = tabfile.parse(out, "back.txt")
    assert sheets[0].indicators[0].annual_weight == "十"


def test_a_broken_project_file_stops_an_import_that_would_update_it(ws: Path) -> None:
    path = ws / "store" / UNIT / "法律援助工作经费.yaml"
    path.write_text("单位信息: [\n", encoding="utf-8")
    before = tree_hash(ws)
    result = CliRunner().invoke(cli.app, ["-C", str(ws), "import", str(SAMPLE)])
    assert result.exit_code == 2
    assert "法律援助工作经费.yaml:" in result.stderr and "YAML 格式有误" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree_hash(ws) == before


# --- found in review: file-system mistakes are one sentence too, and modes are kept ---------


def test_export_to_a_folder_or_a_missing_folder_is_one_sentence(
    tmp_path: Path, workspace: Workspace
) -> None:
    from jixiao import cli
    from typer.testing import CliRunner

    ws = workspace
    runner = CliRunner()
    for target, said in (
        (tmp_path, "是文件夹，不是普通文件"),
        (tmp_path / "no" / "x.txt", "不存在"),
    ):
        result = runner.invoke(cli.app, ["-C", str(ws.root), "export", "-o", str(target)])
        assert result.exit_code == 2, result.output
        assert said in result.output and "Traceback" not in result.output
    assert not (tmp_path / "no").exists()


def test_written_files_get_the_usual_mode_not_0600(tmp_path: Path) -> None:
    import os
    import stat

    from conftest import SAMPLE
    from jixiao.store.workspace.workspace import Workspace

    old = os.umask(0o022)
    try:
        ws = Workspace.init(tmp_path / "ws")
        import_files(ws, [SAMPLE])
    finally:
        os.umask(old)
    ref = ws.projects()[0]
    assert stat.S_IMODE(ref.path.stat().st_mode) == 0o644
    os.chmod(ref.path, 0o664)
    sheet = ws.load(ref)
    sheet.indicators[0].note = "复核"
    ws.save(ref, sheet, ws.read_text(ref))
    assert stat.S_IMODE(ref.path.stat().st_mode) == 0o664


def test_saving_over_a_file_that_is_no_longer_utf8_is_a_conflict(workspace: Workspace) -> None:
    import pytest
    from jixiao.store.errors import ConflictError
    from jixiao.store.projectfile import yamlfile

    ws = workspace
    ref = ws.projects()[0]
    base = ws.read_text(ref)
    ref.path.write_bytes(base.encode() + b"\xff\xfe")
    with pytest.raises(ConflictError):
        ws.save(ref, yamlfile.loads(base, ref.rel), base)
    assert ref.path.read_bytes().endswith(b"\xff\xfe")  # left as it was


def test_settings_that_are_not_utf8_or_of_the_wrong_shape_are_one_sentence(
    empty_workspace: Workspace,
) -> None:
    from jixiao import cli
    from typer.testing import CliRunner

    ws = empty_workspace
    settings = ws.root / "jixiao.yaml"
    for content, said in (
        (b"imports: 5\n", "imports 应为列表"),
        (b"\xff\xfe", "不是 UTF-8 文本"),
    ):
        settings.write_bytes(content)
        result = CliRunner().invoke(cli.app, ["-C", str(ws.root), "list"])
        assert result.exit_code == 2 and said in result.output, result.output


def test_os_errors_are_said_in_chinese(tmp_path: Path) -> None:
    """Issue 10.11: the system's reason is a Chinese phrase, never `No such file or directory`."""
    from jixiao.store.disk.oserrors import reason

    for make, said in (
        (lambda: open(tmp_path / "none.txt", encoding="utf-8"), "文件不存在"),
        (lambda: open(tmp_path, encoding="utf-8"), "这是文件夹，不是文件"),
    ):
        try:
            make()
        except OSError as e:
            assert reason(e) == said
        else:
            raise AssertionError("no OSError")

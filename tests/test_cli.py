"""The command line over real workspaces (real git repositories in tmp_path).

Commands run in-process through typer's CliRunner; the progress bar and the traceback
switch run as a real subprocess (`python -m jixiao`) with this worktree on PYTHONPATH.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao import cli
from jixiao.store.tab import tabfile
from jixiao.store.workspace.workspace import Workspace
from rich.cells import cell_len
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
UNIT = "135001-大竹县司法局"
LEGAL_AID = f"store/{UNIT}/法律援助工作经费.yaml"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli.app, list(args))
    if ok:
        assert result.exit_code == 0, (result.output, result.exception)
    return result


@pytest.fixture
def ws(committed: Workspace) -> Path:
    """A workspace with the sample imported and committed."""
    return committed.root


# ---------------------------------------------------------------- init, finding the workspace


def test_init_makes_a_git_workspace(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "2024"))
    root = tmp_path / "2024"
    assert "已初始化 jixiao 工作区" in result.output
    assert (root / ".git").is_dir()
    assert (root / "jixiao.yaml").is_file() and (root / "store").is_dir()
    assert (
        "*.txt" in (root / ".gitattributes").read_text()
        and "-text" in (root / ".gitattributes").read_text()
    )
    assert git(root, "config", "core.quotepath").strip() == "false"
    # git shows Chinese names as they are, and exported .txt files are kept byte-exact
    (root / "store" / "单位").mkdir()
    (root / "store" / "单位" / "项目.yaml").write_text("单位信息: x\n", encoding="utf-8")
    assert "store/单位/项目.yaml" in git(root, "status", "--porcelain", "-uall")
    assert git(root, "check-attr", "text", "back.txt").strip().endswith("unset")


def test_init_relative_to_dash_c(tmp_path: Path) -> None:
    run("-C", str(tmp_path), "init", "2024")
    assert (tmp_path / "2024" / "jixiao.yaml").is_file()


def test_init_inside_an_existing_repository_does_not_git_init(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    run("init", "--in-repo", str(repo / "budget" / "2024"))
    assert not (repo / "budget" / "2024" / ".git").exists()
    assert (repo / "budget" / "2024" / "jixiao.yaml").is_file()
    assert git(repo, "config", "core.quotepath").strip() == "false"
    assert git(repo / "budget" / "2024", "rev-parse", "--show-toplevel").strip() == str(
        repo.resolve()
    )


def test_commands_find_the_workspace_from_a_subfolder(ws: Path, monkeypatch) -> None:
    deep = ws / "store" / UNIT
    rows = json.loads(run("-C", str(deep), "list", "--format", "json").output)
    assert len(rows) == 16
    monkeypatch.chdir(deep)
    rows = json.loads(run("list", "--format", "json").output)
    assert len(rows) == 16


def test_outside_a_workspace_is_one_clear_sentence(tmp_path: Path) -> None:
    result = run("-C", str(tmp_path), "list", ok=False)
    assert result.exit_code == 2
    assert "不在 jixiao 工作区内" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- import


def test_import_prints_created_then_unchanged(tmp_path: Path) -> None:
    root = tmp_path / "2024"
    run("init", str(root))
    first = run("-C", str(root), "import", str(SAMPLE)).output
    created = [ln for ln in first.splitlines() if ln.startswith("新建")]
    assert len(created) == 16 and LEGAL_AID in first
    assert "16 张表：新建 16，更新 0，未变 0" in first
    again = run("-C", str(root), "import", str(SAMPLE)).output
    assert "16 张表：新建 0，更新 0，未变 16" in again
    assert "新建  " not in again


def test_reimport_of_the_same_file_leaves_git_clean(ws: Path) -> None:
    assert git(ws, "status", "--porcelain") == ""
    run("-C", str(ws), "import", str(SAMPLE))
    assert git(ws, "status", "--porcelain") == ""


def test_newer_export_updates_one_line_and_keeps_comments(ws: Path, tmp_path: Path) -> None:
    path = ws / LEGAL_AID
    text = path.read_text(encoding="utf-8")
    path.write_text("# 经办人手写的注释\n" + text, encoding="utf-8")
    git(ws, "commit", "-qam", "a comment")
    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    aid = next(s for s in sheets if s.project == "法律援助工作经费")
    old_row = "\t".join(aid.indicators[0].values())
    new_row = old_row.replace(f"\t{aid.indicators[0].annual_target}\t", "\t999\t", 1)
    assert new_row != old_row
    newer = SAMPLE.read_bytes().replace(old_row.encode(), new_row.encode(), 1)
    src = tmp_path / "newer.txt"
    src.write_bytes(newer)

    out = run("-C", str(ws), "import", str(src)).output
    assert f"更新  {LEGAL_AID}" in out
    assert "16 张表：新建 0，更新 1，未变 15" in out
    changed = git(ws, "status", "--porcelain").splitlines()
    assert sorted(ln[3:] for ln in changed) == sorted(["jixiao-imports.yaml", LEGAL_AID])
    diff = git(ws, "diff", "-U0", "--", LEGAL_AID).splitlines()
    body = [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    assert body == [
        f"-  本年绩效指标值: {aid.indicators[0].annual_target}",
        "+  本年绩效指标值: 999",
    ]
    assert path.read_text(encoding="utf-8").startswith("# 经办人手写的注释\n")
    exported = run("-C", str(ws), "export").stdout_bytes
    assert exported == newer


def test_progress_for_many_sheets_goes_to_stderr(tmp_path: Path) -> None:
    """Issue 2 item 5: a bar for many sheets; stdout keeps only the report."""
    sheets, file = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    many = []
    for k in range(300):
        s = sheets[k % len(sheets)]
        many.append(type(s)(**{**vars(s), "project": f"{s.project}-{k:03d}"}))
    src = tmp_path / "many.txt"
    src.write_bytes(tabfile.emit(many, file))
    root = tmp_path / "ws"
    run("init", str(root))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(root), "import", str(src)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert "正在导入" in proc.stderr and "100%" in proc.stderr
    assert "正在导入" not in proc.stdout
    assert "300 张表：新建 300" in proc.stdout
    # A handful of sheets: no bar.
    small = subprocess.run(
        [sys.executable, "-m", "jixiao", "-C", str(root), "import", str(SAMPLE)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert small.returncode == 0 and "正在导入" not in small.stderr


# ---------------------------------------------------------------- export


def test_export_to_stdout_and_to_a_file_is_byte_identical(ws: Path) -> None:
    assert run("-C", str(ws), "export").stdout_bytes == SAMPLE.read_bytes()
    result = run("-C", str(ws), "export", "-o", "back.txt")
    assert (ws / "back.txt").read_bytes() == SAMPLE.read_bytes()
    assert "已把 16 个项目写入 back.txt" in result.stderr
    assert git(ws, "check-attr", "text", "back.txt").strip().endswith("unset")


@pytest.mark.parametrize(
    "spec",
    [
        "法律援助工作经费",
        f"{UNIT}/法律援助工作经费",
        "135001/法律援助工作经费",
        LEGAL_AID,
    ],
)
def test_export_named_projects(ws: Path, spec: str, monkeypatch) -> None:
    monkeypatch.chdir(ws)  # a path is relative to where the command runs
    sheets, file = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    aid = next(s for s in sheets if s.project == "法律援助工作经费")
    first = sheets[0]
    out = run("export", spec, "安置帮教工作经费").stdout_bytes
    assert out == tabfile.emit([aid, first], file)
    assert "法律援助工作经费".encode() in out


def test_unknown_project_is_one_sentence(ws: Path) -> None:
    result = run("-C", str(ws), "export", "没有这个项目", ok=False)
    assert result.exit_code == 2
    assert "没有这个项目: store/ 中没有这个项目" in result.stderr


def test_project_without_layout_exports_with_the_most_common_layout(ws: Path) -> None:
    # 第一书记… is written like most sheets of the sample (':' labels, 16 columns, column 10).
    path = ws / "store" / UNIT / "第一书记和驻村工作队工作经费.yaml"
    text = path.read_text(encoding="utf-8")
    cut = text.index("# what the official export")
    path.write_text(text[:cut], encoding="utf-8")
    assert "layout" not in path.read_text(encoding="utf-8")
    assert run("-C", str(ws), "export").stdout_bytes == SAMPLE.read_bytes()
    alone = run("-C", str(ws), "export", "第一书记和驻村工作队工作经费").stdout_bytes
    sheets, file = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    assert alone == tabfile.emit([sheets[1]], file)


# ---------------------------------------------------------------- list, show


def test_list_json(ws: Path) -> None:
    rows = json.loads(run("-C", str(ws), "list", "--format", "json").output)
    assert len(rows) == 16
    first = rows[0]
    assert first["unit"] == UNIT and first["project"] == "安置帮教工作经费"
    assert first["total"] == "150,000" and first["indicators"] == 6
    assert first["file"] == f"store/{UNIT}/安置帮教工作经费.yaml"
    assert {"weight_total", "weight_ok", "findings"} <= set(first)


def test_list_counts_notes_as_problems_too(ws: Path) -> None:
    """问题 is every finding `check` reports for the project: errors, warnings and notes."""
    rows = json.loads(run("-C", str(ws), "list", "--format", "json").output)
    found = json.loads(run("-C", str(ws), "check", "--format", "json").output)
    for row in rows:
        mine = [f["severity"] for f in found if f["file"] == row["file"]]
        assert row["notes"] == mine.count("info"), row["project"]
        assert row["findings"] + row["notes"] == len(mine), row["project"]
    assert any(row["notes"] for row in rows)  # the sample has notes (I161)
    text = run("-C", str(ws), "list").output
    line = next(ln for ln in text.splitlines() if "法律援助工作经费" in ln)
    legal = next(r for r in rows if r["project"] == "法律援助工作经费")
    assert line.split()[-1] == str(legal["findings"] + legal["notes"]) == "2"


def test_list_text_aligns_cjk_columns(ws: Path) -> None:
    out = run("-C", str(ws), "list").output
    lines = [ln for ln in out.splitlines() if UNIT in ln]
    assert len(lines) == 16
    # The 项目总额 column is right-aligned: its last digit sits at one display column.
    ends = {cell_len(ln[: ln.index(total) + len(total)]) for ln in lines for total in [_total(ln)]}
    assert len(ends) == 1
    header = out.splitlines()[0]
    assert "单位信息" in header and "预算项目" in header and "项目总额" in header


def _total(line: str) -> str:
    return next(part for part in line.split() if part.replace(",", "").isdigit())


def test_show_text_and_json(ws: Path) -> None:
    text = run("-C", str(ws), "show", "法律援助工作经费").output
    assert "法律援助工作经费" in text and "一级指标" in text and "本年权重" in text
    assert "200,000" in text
    data = json.loads(run("-C", str(ws), "show", "法律援助工作经费", "--format", "json").output)
    assert data["预算项目"] == "法律援助工作经费"
    assert data["项目总额"] == "200,000"
    assert data["资金来源"]["财政资金"] == "200,000"
    assert len(data["绩效指标"]) > 0 and "本年权重" in data["绩效指标"][0]


def test_list_names_a_broken_yaml_file_and_lists_the_others(ws: Path) -> None:
    path = ws / LEGAL_AID
    path.write_text(
        path.read_text(encoding="utf-8").replace("预算项目: 法律援助工作经费", "预算项目: [oops"),
        encoding="utf-8",
    )
    result = run("-C", str(ws), "list", ok=False)
    assert result.exit_code != 0
    assert f"{LEGAL_AID}:" in result.stderr and "YAML 格式有误" in result.stderr
    assert len([ln for ln in result.stdout.splitlines() if UNIT in ln]) == 15
    rows = json.loads(run("-C", str(ws), "list", "--format", "json", ok=False).stdout)
    assert len(rows) == 16 and sum("error" in r for r in rows) == 1
    assert "Traceback" not in result.output


def test_debug_switch_shows_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "jixiao", "-C", str(tmp_path), "list"]
    plain = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    assert plain.returncode == 2 and "Traceback" not in plain.stderr
    assert len(plain.stderr.strip().splitlines()) == 1
    debug = subprocess.run(
        args, cwd=ROOT, env={**env, "JIXIAO_DEBUG": "1"}, capture_output=True, text=True
    )
    assert "Traceback" in debug.stderr


def test_import_never_overwrites_an_uncommitted_edit_unless_forced(ws: Path) -> None:
    """Found in review: a re-import silently replaced a person's uncommitted 项目经办人.
    Now the import merges with such edits by field (issue 9) and refuses where both
    changed the same field."""
    ref = next((ws / "store").glob("*/扫黑除恶.yaml"))
    ref.write_text(
        ref.read_text(encoding="utf-8").replace("项目经办人: ''", "项目经办人: 张三"),
        encoding="utf-8",
    )
    before = ref.read_bytes()
    again = run("-C", str(ws), "import", str(SAMPLE))  # nothing new: the edit stays
    assert again.exit_code == 0 and ref.read_bytes() == before

    sheets, file = tabfile.parse(SAMPLE.read_bytes(), "sample")
    newer = next(s for s in sheets if s.project == "扫黑除恶")
    newer.goal = "新的年度目标"
    disjoint = ws.parent / "newer.txt"
    disjoint.write_bytes(tabfile.emit(sheets, file))
    merged = run("-C", str(ws), "import", str(disjoint))
    assert merged.exit_code == 0 and "已与未提交的修改合并" in merged.output
    text = ref.read_text(encoding="utf-8")
    assert "项目经办人: 张三" in text and "年度目标: 新的年度目标" in text

    newer.manager = "李四"
    same_field = ws.parent / "same.txt"
    same_field.write_bytes(tabfile.emit(sheets, file))
    before = ref.read_bytes()
    result = run("-C", str(ws), "import", str(same_field), ok=False)
    assert result.exit_code == 2
    assert "扫黑除恶.yaml" in result.output and "尚未提交到 git" in result.output
    assert "项目经办人 冲突：我方 张三，对方 李四" in result.output
    assert ref.read_bytes() == before
    forced = run("-C", str(ws), "import", "--force", str(same_field))
    assert forced.exit_code == 0 and "项目经办人" in forced.output
    assert "项目经办人: 李四" in ref.read_text(encoding="utf-8")


def test_the_same_file_twice_in_one_import_is_read_once(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    run("init", str(ws))
    result = run("-C", str(ws), "import", str(SAMPLE), str(SAMPLE))
    assert "16 张表：新建 16" in result.output

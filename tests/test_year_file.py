"""The year blocks in a project file (issue 22 points 1 and 6): 绩效监控 and 绩效自评 beside the
approved targets, read and written field by field with comments kept, never touching the
approval; diff, textconv and merge by field name their cells in the form's words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from _sample import sample
from conftest import SAMPLE, git, git_proc
from jixiao.store.errors import ProjectFileError
from jixiao.store.merge.diff import diff_sheets, render_text
from jixiao.store.merge.merge import merge, resolve
from jixiao.store.projectfile import yamlemit, yamlfile, yamlsave
from jixiao.store.sheet.identity import same_sheet, sheet_digest
from jixiao.store.sheet.model import Sheet
from jixiao.store.sheet.year_model import (
    ActualRow,
    Monitoring,
    ProgressFunding,
    ProgressRow,
    SelfEvaluation,
    SpentRow,
)
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace

NAME = "安置帮教工作经费"
UNIT = "store/135001-大竹县司法局"


def evaluated() -> Sheet:
    s = sample(NAME)
    s.evaluation = SelfEvaluation(
        funding={"total": SpentRow("150,000", "138,000"), "fiscal": SpentRow("150,000", "138,000")},
        achieved="全年接收安置帮教 520 人",
        indicators=[
            ActualRow("产出指标", "数量指标", "接收安置帮教人数", "520"),
            ActualRow("满意度指标", "服务对象满意度指标", "安置帮教人员的满意度", "96%"),
        ],
    )
    s.monitoring = Monitoring(
        funding={"total": ProgressFunding("80,000", "150,000")},
        indicators=[
            ProgressRow("产出指标", "数量指标", "接收安置帮教人数", "300", "500", "", "确定能", "")
        ],
    )
    return s


def test_the_blocks_round_trip_after_the_approval_in_the_forms_words() -> None:
    s = evaluated()
    text = yamlemit.dumps_new(s)
    plain = yamlemit.dumps_new(sample(NAME))
    assert text.startswith(plain)  # the approval's text as it was; the year follows it
    tail = text[len(plain) :]
    assert tail.splitlines()[:4] == [
        "绩效监控:",
        "  预算执行:",
        "    年度资金总额:",
        "      1-7月执行数: 80000",
    ]
    assert (
        "    实际完成值: 96%\n" in tail and "  年度目标完成情况: 全年接收安置帮教 520 人\n" in tail
    )
    back = yamlfile.loads(text, "x.yaml")
    assert back == s and same_sheet(back, s) and sheet_digest(back) == sheet_digest(s)
    assert back.indicators == sample(NAME).indicators  # the targets untouched


def test_an_edit_changes_only_its_line_and_comments_survive() -> None:
    s = evaluated()
    text = yamlsave.dumps(s, yamlemit.dumps_new(sample(NAME)))
    text = text.replace("    实际完成值: 520\n", "    # 台账\n    实际完成值: 520  # 年报\n")
    s = yamlfile.loads(text, "x.yaml")
    s.evaluation.indicators[1].actual = "97%"
    s.evaluation.indicators[1].reason = "回访样本扩大"
    s.evaluation.funding["total"].spent = "140,000"
    new = yamlsave.dumps(s, text)
    changed = [(a, b) for a, b in zip(text.splitlines(), new.splitlines(), strict=True) if a != b]
    assert changed == [
        ("      全年执行数: 138000", "      全年执行数: 140000"),
        ("    实际完成值: 96%", "    实际完成值: 97%"),
        ("    偏差原因分析及改进措施: ''", "    偏差原因分析及改进措施: 回访样本扩大"),
    ]
    assert "    # 台账\n    实际完成值: 520  # 年报\n" in new
    assert yamlfile.loads(new, "x.yaml") == s


def test_a_wrong_key_in_a_block_is_a_sentence_with_its_line() -> None:
    text = yamlsave.dumps(evaluated())
    bad = text.replace("    实际完成值: 520", "    实际值: 520")
    with pytest.raises(ProjectFileError) as e:
        yamlfile.loads(bad, "x.yaml")
    line = bad.splitlines().index("    实际值: 520") + 1
    assert str(e.value) == f"x.yaml:{line}: 绩效自评第 1 条指标：未知的键 '实际值'"
    bad = text.replace("    年度资金总额:\n      全年预算数", "    资金合计:\n      全年预算数")
    with pytest.raises(ProjectFileError, match="未知的行 '资金合计'；应为 年度资金总额"):
        yamlfile.loads(bad, "x.yaml")


def test_importing_the_approval_again_keeps_the_year(workspace: Workspace) -> None:
    ref = next(r for r in workspace.projects() if r.name == NAME)
    s = workspace.load(ref)
    s.evaluation = evaluated().evaluation
    ref.path.write_text(yamlsave.dumps(s, ref.path.read_text("utf-8")), "utf-8")
    before = ref.path.read_bytes()
    report = import_files(workspace, [SAMPLE])
    assert ref.rel in report.unchanged
    assert ref.path.read_bytes() == before


# ---------------------------------------------------------------------- diff and merge


def test_diff_names_the_year_cells_in_the_forms_words() -> None:
    a = evaluated()
    b = evaluated()
    b.evaluation.indicators[0].actual = "530"
    b.evaluation.funding["total"].spent = "140,000"
    d = diff_sheets(a, b, "x.yaml")
    assert [(c.label, c.old, c.new) for c in d.fields] == [
        ("绩效自评/预算执行/年度资金总额/全年执行数", "138,000", "140,000"),
        ("绩效自评「接收安置帮教人数」实际完成值", "520", "530"),
    ]
    assert "绩效自评「接收安置帮教人数」实际完成值: 520 → 530" in render_text([d])
    d = diff_sheets(sample(NAME), a, "x.yaml")
    assert ("绩效自评", "无", "有") in [(c.label, c.old, c.new) for c in d.fields]


def test_different_indicators_filled_on_each_side_merge_cleanly() -> None:
    base = evaluated()
    base.evaluation.indicators[0].actual = ""
    base.evaluation.indicators[1].actual = ""
    ours, theirs = evaluated(), evaluated()
    ours.evaluation.indicators[1].actual = ""
    theirs.evaluation.indicators[0].actual = ""
    theirs.evaluation.indicators.append(
        ActualRow("成本指标", "经济成本指标", "每位安置帮教人员所需的费用", "290")
    )
    r = merge(base, ours, theirs)
    assert r.clean
    assert [i.actual for i in r.ours.evaluation.indicators] == ["520", "96%", "290"]


def test_the_same_actual_both_ways_is_a_conflict_in_the_forms_words() -> None:
    base, ours, theirs = evaluated(), evaluated(), evaluated()
    ours.evaluation.indicators[0].actual = "530"
    theirs.evaluation.indicators[0].actual = "540"
    r = merge(base, ours, theirs)
    assert [c.message() for c in r.conflicts] == [
        "绩效自评「接收安置帮教人数」实际完成值 冲突：我方 530，对方 540"
    ]
    assert r.conflicts[0].path == ("绩效自评", "绩效指标", 0, "实际完成值")
    assert resolve(r, ["theirs"]).evaluation.indicators[0].actual == "540"
    # One side deleting the block while the other fills a cell: that cell is the conflict.
    gone = evaluated()
    gone.evaluation = None
    r = merge(base, gone, ours)
    assert [c.message() for c in r.conflicts] == [
        "绩效自评「接收安置帮教人数」实际完成值 冲突：我方 （空），对方 530"
    ]
    assert resolve(r, ["theirs"]).evaluation.indicators[0].actual == "530"


def test_both_sides_adding_the_file_keep_what_only_one_side_filled() -> None:
    ours, theirs = evaluated(), evaluated()
    ours.evaluation.indicators[1].actual = ""
    theirs.evaluation.indicators[0].reason = "超额完成"
    r = merge(None, ours, theirs)
    assert r.clean, [c.message() for c in r.conflicts]
    rows = r.ours.evaluation.indicators
    assert (rows[0].actual, rows[0].reason) == ("520", "超额完成")


def test_jixiao_diff_names_an_actual_filled_since_head(committed: Workspace) -> None:
    from jixiao import cli
    from typer.testing import CliRunner

    ref = committed.resolve(NAME)
    s = committed.load(ref)
    s.evaluation = evaluated().evaluation
    ref.path.write_text(yamlsave.dumps(s, ref.path.read_text("utf-8")), "utf-8")
    out = CliRunner().invoke(cli.app, ["-C", str(committed.root), "diff"]).output
    assert "绩效自评: 无 → 有" in out
    assert "绩效自评「接收安置帮教人数」实际完成值: '' → 520" in out
    assert "'' → ''" not in out  # empty cells that came with their row are not news


def _jixiao() -> list[str]:
    exe = Path(sys.executable).parent / "jixiao"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "jixiao"]


def test_a_real_git_merge_of_two_colleagues_actuals(committed: Workspace, tmp_path: Path) -> None:
    root = committed.root
    path = root / UNIT / f"{NAME}.yaml"

    def fill(k: int, value: str) -> None:
        text = path.read_text("utf-8")
        s = yamlfile.loads(text, "x")
        if s.evaluation is None:
            s.evaluation = evaluated().evaluation
            for r in s.evaluation.indicators:
                r.actual = ""
        s.evaluation.indicators[k].actual = value
        path.write_text(yamlsave.dumps(s, text), "utf-8")

    fill(0, "")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "自评表", "--no-verify")
    git(root, "checkout", "-qb", "theirs")
    fill(1, "96%")
    git(root, "commit", "-qam", "满意度", "--no-verify")
    git(root, "checkout", "-q", "-")
    fill(0, "520")
    git(root, "commit", "-qam", "人数", "--no-verify")
    git(root, "merge", "--no-edit", "theirs")
    s = yamlfile.loads(path.read_text("utf-8"), "x")
    assert [r.actual for r in s.evaluation.indicators] == ["520", "96%"]
    # The same cell both ways: a conflict git reports, named in the form's words by check.
    git(root, "checkout", "-qb", "again")
    fill(0, "530")
    git(root, "commit", "-qam", "a", "--no-verify")
    git(root, "checkout", "-q", "-")
    fill(0, "540")
    git(root, "commit", "-qam", "b", "--no-verify")
    proc = git_proc(root, "merge", "--no-edit", "again")
    assert proc.returncode == 1
    check = subprocess.run([*_jixiao(), "-C", str(root), "check"], capture_output=True, text=True)
    assert "绩效自评「接收安置帮教人数」实际完成值 冲突：我方 540，对方 530" in check.stdout

"""The semantic diff: the engine on real sheets, and `jixiao diff` / `import` on real git repos."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from conftest import SAMPLE, git
from jixiao import cli
from jixiao.store.merge.diff import diff_projects, diff_sheets, render_text, to_json
from jixiao.store.sheet.model import Indicator, Sheet
from jixiao.store.tab import tabfile
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace
from typer.testing import CliRunner

PROJECT = "安置帮教工作经费"  # sheet 1: 项目总额 150,000, 6 indicators, weights total 100


def sample_sheets() -> list[Sheet]:
    return tabfile.parse(SAMPLE.read_bytes(), str(SAMPLE))[0]


@pytest.fixture
def sheet() -> Sheet:
    return sample_sheets()[0]


def run(root: Path, *args: str):
    return CliRunner().invoke(cli.app, ["-C", str(root), *args])


def edit(ws: Workspace, name: str, change) -> None:  # noqa: ANN001 - a callback on the sheet
    """Change a project through the real load/save path, as the TUI would."""
    ref = ws.resolve(name)
    text = ws.read_text(ref)
    sheet = ws.load(ref)
    change(sheet)
    ws.save(ref, sheet, text)


def commit(ws: Workspace, message: str) -> None:
    git(ws.root, "add", "-A")
    git(ws.root, "commit", "-q", "-m", message)


@pytest.fixture
def repo(committed: Workspace) -> Workspace:
    """The sample imported and committed."""
    return committed


# ---------------------------------------------------------------------- the engine


def test_header_and_funding_changes_in_the_forms_words(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.total = "160,000"
    new.funding.fiscal = "160,000"
    d = diff_sheets(sheet, new, "store/u/p.yaml")
    assert d.status == "changed"
    assert [(c.label, c.old, c.new) for c in d.fields] == [
        ("项目总额", "150,000", "160,000"),
        ("资金来源/财政资金", "150,000", "160,000"),
    ]
    text = render_text([d])
    assert "项目总额: 150,000 → 160,000" in text
    assert "资金来源/财政资金: 150,000 → 160,000" in text
    assert not d.indicators


def test_changed_indicator_values_and_weight_status(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.indicators[0].target = "600"
    new.indicators[0].annual_weight = "15"
    d = diff_sheets(sheet, new)
    (c,) = d.indicators
    assert (c.kind, c.old_row, c.new_row, c.moved) == ("changed", 1, 1, False)
    assert c.name == "产出指标/数量指标/接收安置帮教人数"
    assert [(f.label, f.old, f.new) for f in c.fields] == [
        ("指标值", "500", "600"),
        ("本年权重", "10", "15"),
    ]
    assert str(d.weight_before) == "100 ✓"
    assert str(d.weight_after) == "105 多 5"
    assert "权重合计: 100 ✓ → 105 多 5" in render_text([d])
    new.indicators[0].annual_weight = "2.5"
    assert diff_sheets(sheet, new).weight_after.status == "还差 7.5"


def test_a_swap_is_one_move_and_an_insertion_moves_nothing(sheet: Sheet) -> None:
    swapped = copy.deepcopy(sheet)
    ind = swapped.indicators
    ind[1], ind[4] = ind[4], ind[1]
    changes = diff_sheets(sheet, swapped).indicators
    assert {c.kind for c in changes} == {"moved"}
    assert len(changes) <= 2  # a swap of two rows: the fewest rows that changed place
    assert all(c.fields == [] for c in changes)
    assert "↕" in render_text([diff_sheets(sheet, swapped)])

    inserted = copy.deepcopy(sheet)
    row = Indicator("效益指标", "社会效益指标", "新指标", "≥", "95", "95", "%", "5", "5", "")
    inserted.indicators.insert(0, row)
    (c,) = diff_sheets(sheet, inserted).indicators
    assert (c.kind, c.new_row) == ("added", 1)


def test_reversed_rows_with_an_edit_report_the_edit(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.indicators.reverse()
    new.indicators[0].note = "改"
    changes = diff_sheets(sheet, new).indicators
    kinds = [c.kind for c in changes]
    assert "added" not in kinds and "removed" not in kinds
    edited = [c for c in changes if c.fields]
    assert len(edited) == 1 and edited[0].fields[0].label == "备注"


def test_renamed_level3_is_recognised_by_the_rest_of_the_row(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.indicators[3].level3 = "安置帮教对象满意度"
    (c,) = diff_sheets(sheet, new).indicators
    assert c.kind == "renamed"
    assert [(f.label, f.old, f.new) for f in c.fields] == [
        ("三级指标", "安置帮教人员的满意度", "安置帮教对象满意度")
    ]
    assert (
        "满意度指标/服务对象满意度指标/安置帮教人员的满意度 → "
        "满意度指标/服务对象满意度指标/安置帮教对象满意度（改名，第4行）"
    ) in render_text([diff_sheets(sheet, new)])


def test_a_rename_with_another_change_is_a_removal_and_an_addition(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.indicators[3].level3 = "安置帮教对象满意度"
    new.indicators[3].target = "95"
    kinds = sorted(c.kind for c in diff_sheets(sheet, new).indicators)
    assert kinds == ["added", "removed"]


def test_added_and_removed_indicators_keep_their_place(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    removed = new.indicators.pop(2)
    new.indicators.append(
        Indicator("效益指标", "社会效益指标", "再犯罪率", "≤", "1", "1", "%", "30", "30", "")
    )
    changes = diff_sheets(sheet, new).indicators
    assert [(c.kind, c.old_row, c.new_row) for c in changes] == [
        ("removed", 3, None),
        ("added", None, 6),
    ]
    assert changes[0].old == removed
    text = render_text([diff_sheets(sheet, new)])
    assert "- 效益指标/可持续发展指标/维护社会稳定 (第3行): 指标性质 定性" in text
    assert "+ 效益指标/社会效益指标/再犯罪率 (第6行): 指标性质 ≤ | 指标值 1" in text
    assert "| 本年权重 30" in text


def test_duplicate_names_pair_in_order(sheet: Sheet) -> None:
    old = copy.deepcopy(sheet)
    old.indicators.append(copy.deepcopy(old.indicators[0]))
    new = copy.deepcopy(old)
    new.indicators[-1].target = "700"
    (c,) = diff_sheets(old, new).indicators
    assert (c.kind, c.new_row, c.fields[0].new) == ("changed", 7, "700")


def test_projects_added_removed_and_unchanged() -> None:
    a, b, c = sample_sheets()[:3]
    diffs = diff_projects({"p/a": a, "p/b": b}, {"p/b": b, "p/c": c})
    assert [(d.rel, d.status) for d in diffs] == [("p/c", "added"), ("p/a", "removed")]
    text = render_text(diffs)
    assert text.startswith(f"+ {c.project}")
    assert "删除：项目总额 150,000，6 条指标，权重合计 100 ✓" in text
    assert text.rstrip().endswith("2 个项目：新增 1 个，删除 1 个")
    assert render_text([]) == "没有差异\n"


def test_only_layout_differs(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.layout.file.encoding = "gb18030"
    d = diff_sheets(sheet, new)
    assert d.status == "changed" and d.layout == ["file.encoding"]
    assert not d.fields and not d.indicators


def test_json_is_plain_data(sheet: Sheet) -> None:
    new = copy.deepcopy(sheet)
    new.total = "1"
    new.indicators[0].target = "600"
    data = json.loads(json.dumps(to_json([diff_sheets(sheet, new, "store/u/p.yaml")])))
    (p,) = data
    assert p["file"] == "store/u/p.yaml" and p["status"] == "changed"
    assert p["fields"] == [{"field": "total", "label": "项目总额", "old": "150,000", "new": "1"}]
    ind = p["indicators"][0]
    assert ind["change"] == "changed" and ind["old"]["指标值"] == "500"
    assert ind["new"]["指标值"] == "600"
    assert p["weight"]["after"] == {"total": "100", "expected": "100", "ok": True, "status": "✓"}


# ---------------------------------------------------------------------- jixiao diff on git


def test_no_revision_is_the_working_tree_against_head(repo: Workspace) -> None:
    assert run(repo.root, "diff", "--exit-code").exit_code == 0
    edit(repo, PROJECT, lambda s: setattr(s, "total", "160,000"))
    result = run(repo.root, "diff", "--exit-code")
    assert result.exit_code == 1, result.output
    assert f"~ {PROJECT}" in result.stdout
    assert "项目总额: 150,000 → 160,000" in result.stdout
    assert "1 个项目：修改 1 个" in result.stdout
    assert run(repo.root, "diff").exit_code == 0  # differences alone are not a failure


def test_one_and_two_revisions(repo: Workspace) -> None:
    edit(repo, PROJECT, lambda s: setattr(s.indicators[0], "target", "600"))
    commit(repo, "指标值")
    edit(repo, "法律援助工作经费", lambda s: setattr(s, "exec_weight", "5"))
    commit(repo, "预算执行率权重")
    edit(repo, PROJECT, lambda s: setattr(s, "goal", "新目标"))  # not committed

    between = run(repo.root, "diff", "HEAD~2", "HEAD~1").stdout
    assert "指标值: 500 → 600" in between
    assert "法律援助工作经费" not in between and "年度目标" not in between

    since = run(repo.root, "diff", "HEAD~1").stdout  # that revision vs the working tree
    assert since.startswith("HEAD~1 → 工作区")
    assert "预算执行率权重: 10 → 5" in since and "年度目标:" in since
    assert "指标值: 500 → 600" not in since

    whole = run(repo.root, "diff", "HEAD~2", "--format", "json")
    data = json.loads(whole.stdout)
    assert (data["from"], data["to"]) == ("HEAD~2", None)
    assert {p["project"] for p in data["projects"]} == {PROJECT, "法律援助工作经费"}
    legal = next(p for p in data["projects"] if p["project"] == "法律援助工作经费")
    assert legal["weight"]["before"]["status"] == "✓"
    assert legal["weight"]["after"] == {
        "total": "95",
        "expected": "100",
        "ok": False,
        "status": "还差 5",
    }


def test_reorder_and_rename_across_commits(repo: Workspace) -> None:
    def change(s: Sheet) -> None:
        s.indicators.insert(0, s.indicators.pop(4))
        s.indicators[4].level3 = "安置帮教对象满意度"  # was 安置帮教人员的满意度

    edit(repo, PROJECT, change)
    commit(repo, "reorder and rename")
    data = json.loads(run(repo.root, "diff", "HEAD~1", "HEAD", "--format", "json").stdout)
    (p,) = data["projects"]
    kinds = sorted((c["change"], c["moved"]) for c in p["indicators"])
    assert kinds == [("moved", True), ("renamed", False)]
    assert not p["fields"]


def test_added_and_removed_projects_and_project_filter(repo: Workspace) -> None:
    removed = repo.resolve("法律援助工作经费")
    removed.path.unlink()
    sheets = sample_sheets()
    extra = copy.deepcopy(sheets[0])
    extra.project = "新增项目"
    other = tmp = repo.root.parent / "new.txt"
    tmp.write_bytes(tabfile.emit([extra], sheets[0].layout.file))
    assert run(repo.root, "import", str(other)).exit_code == 0

    out = run(repo.root, "diff").stdout
    assert "+ 新增项目" in out and "- 法律援助工作经费" in out
    assert "2 个项目：新增 1 个，删除 1 个" in out

    only = run(repo.root, "diff", "法律援助工作经费")  # only on the HEAD side
    assert only.exit_code == 0, only.output
    assert "- 法律援助工作经费" in only.stdout and "新增项目" not in only.stdout

    commit(repo, "add and remove")
    named = run(repo.root, "diff", "HEAD~1", "HEAD", "135001/新增项目").stdout
    assert "+ 新增项目" in named and "法律援助工作经费" not in named


def test_revision_and_project_arguments_are_told_apart(repo: Workspace) -> None:
    edit(repo, PROJECT, lambda s: setattr(s, "total", "1"))
    result = run(repo.root, "diff", "HEAD", PROJECT)
    assert result.exit_code == 0 and "项目总额: 150,000 → 1" in result.stdout
    bad = run(repo.root, "diff", "no-such-thing")
    assert bad.exit_code == 2
    assert "no-such-thing: 既不是版本，也不是比较两边 store/ 中的项目" in bad.stderr
    git(repo.root, "branch", PROJECT)  # a branch named like a project
    both = run(repo.root, "diff", PROJECT)
    assert both.exit_code == 2 and "既是版本又是项目" in both.stderr


def test_broken_yaml_in_a_revision_is_one_sentence(repo: Workspace) -> None:
    ref = repo.resolve(PROJECT)
    ref.path.write_text("单位信息: [unclosed\n", encoding="utf-8")
    commit(repo, "broken")
    result = run(repo.root, "diff", "HEAD~1", "HEAD")
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"jixiao: HEAD:{ref.rel}:") and "YAML 格式有误" in line


def test_workspace_below_the_repository_top(tmp_path: Path) -> None:
    top = tmp_path / "repo"
    top.mkdir()
    git(top, "init", "-q")
    ws = Workspace.init(top / "2024", in_existing_repo=True)
    import_files(ws, [SAMPLE])
    commit(ws, "import")
    edit(ws, PROJECT, lambda s: setattr(s, "total", "2"))
    out = run(ws.root, "diff", "HEAD").stdout
    assert "项目总额: 150,000 → 2" in out and "1 个项目：修改 1 个" in out


def test_a_repository_without_commits_shows_everything_added(workspace: Workspace) -> None:
    out = run(workspace.root, "diff").stdout
    assert "16 个项目：新增 16 个" in out


def test_comment_only_edit_is_no_difference(repo: Workspace) -> None:
    ref = repo.resolve(PROJECT)
    ref.path.write_text("# reviewed\n" + repo.read_text(ref), encoding="utf-8")
    result = run(repo.root, "diff", "--exit-code")
    assert result.exit_code == 0 and "没有差异" in result.stdout


# ---------------------------------------------------------------------- import reports changes


def test_import_of_a_newer_export_prints_what_changed(repo: Workspace, tmp_path: Path) -> None:
    sheets = sample_sheets()
    sheets[0].total = "160,000"
    sheets[0].funding.fiscal = "160,000"
    sheets[0].indicators[1].annual_weight = "15"
    sheets[1].indicators.pop()
    newer = tmp_path / "newer.txt"
    newer.write_bytes(tabfile.emit(sheets, sheets[0].layout.file))
    result = run(repo.root, "import", str(newer))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("更新  ") < out.index(f"~ {PROJECT}")
    assert "项目总额: 150,000 → 160,000" in out
    assert "资金来源/财政资金: 150,000 → 160,000" in out
    assert "本年权重: 20 → 15" in out and "权重合计: 100 ✓ → 95 还差 5" in out
    assert f"~ {sheets[1].project}" in out and "    - " in out
    assert "16 张表：新建 0，更新 2，未变 14" in out
    # and `jixiao diff` agrees with what import said
    assert "项目总额: 150,000 → 160,000" in run(repo.root, "diff").stdout


def test_weight_status_follows_the_profile(repo: Workspace) -> None:
    settings = repo.root / "jixiao.yaml"
    settings.write_text("profile: {weight_total: 90}\nimports: []\n", encoding="utf-8")
    edit(repo, PROJECT, lambda s: setattr(s, "exec_weight", "0"))
    assert "权重合计: 100 多 10 → 90 ✓" in run(repo.root, "diff").stdout
    settings.write_text("profile: {weight_total: lots}\nimports: []\n", encoding="utf-8")
    assert "权重合计: 100 ✓ → 90 还差 10" in run(repo.root, "diff").stdout  # `check` reports it

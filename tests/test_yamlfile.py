"""Project YAML files: numbers only where exact, hand edits survive saves, safe loading."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from conftest import SAMPLE
from jixiao.store.errors import ProjectFileError
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.sheet.model import Indicator, Sheet
from jixiao.store.tab import tabfile
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace


@pytest.fixture
def first() -> tuple[Sheet, str]:
    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    return sheets[0], yamlsave.dumps(sheets[0])


def _line(text: str, key: str) -> str:
    hits = [ln for ln in text.splitlines() if ln.strip().startswith(f"{key}:")]
    assert hits, key
    return hits[0].strip()


# ---------------------------------------------------------------- numbers only where exact


@pytest.mark.parametrize(
    ("text", "amount", "grouping", "expected"),
    [
        ("10", False, False, 10),
        ("0", True, True, 0),
        ("150,000", True, True, 150000),
        ("150000", True, False, 150000),
        ("2.5", False, False, 2.5),
        ("007", False, False, "007"),
        ("1e3", False, False, "1e3"),
        ("0.10", False, False, "0.10"),
        ("1,000", False, False, "1,000"),  # grouping means nothing outside amounts
        ("150000", True, True, "150000"),  # a grouped sheet's ungrouped amount stays text
        ("1,50,000", True, True, "1,50,000"),
        ("1.0", True, False, "1.0"),  # an amount 1.0 would be written back as 1
        ("-0", False, False, "-0"),
        (" 10", False, False, " 10"),
        ("+5", False, False, "+5"),
        ("十", False, False, "十"),
        ("", False, False, ""),
    ],
)
def test_number_only_where_writing_back_gives_the_same_text(
    text: str, amount: bool, grouping: bool, expected: object
) -> None:
    value = yamlsave.to_yaml_value(text, amount, grouping)
    assert value == expected and type(value) is type(expected)
    assert yamlfile.from_yaml_value(value, "x", amount, grouping) == text


def test_number_like_text_is_quoted_in_the_file_and_comes_back(first) -> None:
    sheet, _ = first
    sheet.indicators[0].target = "007"
    sheet.indicators[0].annual_target = "1e3"
    sheet.indicators[1].weight = "0.10"
    sheet.indicators[1].note = "1,000"
    sheet.manager_phone = "08185551234"
    text = yamlsave.dumps(sheet)
    assert _line(text, "指标值") == "指标值: '007'"
    assert _line(text, "本年绩效指标值") == "本年绩效指标值: '1e3'"
    assert _line(text, "项目经办人电话") == "项目经办人电话: '08185551234'"
    assert "  权重: '0.10'" in text
    assert "  备注: 1,000\n" in text  # not a number in YAML: needs no quotes
    assert _line(text, "项目总额") == "项目总额: 150000"  # grouping recorded in layout
    assert yamlfile.loads(text, "p.yaml") == sheet


def test_one_field_per_line(first) -> None:
    sheet, text = first
    sheet.goal = "x" * 500 + " 很长的年度目标 " * 40
    out = yamlsave.dumps(sheet, text)
    assert sum(1 for ln in out.splitlines() if ln.startswith("年度目标:")) == 1
    assert len(out.splitlines()) == len(text.splitlines())


# ---------------------------------------------------------------- hand edits survive saves

HAND_EDITED_HEAD = "# 2024 预算: 安置帮教\n# 审核: 张三\n"


def _hand_edit(text: str) -> str:
    """Comments at the top, between indicators and at the end of a line, as a person would."""
    lines = text.splitlines(keepends=True)
    out = [HAND_EDITED_HEAD]
    seen_items = 0
    for ln in lines:
        if ln.startswith("- 一级指标"):
            seen_items += 1
            if seen_items == 3:
                out.append("# 以下为效益指标\n")
        if ln.startswith("项目总额:"):
            ln = ln.rstrip("\n") + "  # 与财政资金一致\n"
        out.append(ln)
    return "".join(out)


def test_comments_survive_a_save_with_edits(first) -> None:
    sheet, text = first
    edited = _hand_edit(text)
    sheet.indicators[3].annual_target = "95"
    sheet.indicators[0].note = "新备注"
    out = yamlsave.dumps(sheet, edited)
    assert out.startswith(HAND_EDITED_HEAD)
    assert "# 以下为效益指标\n- 一级指标: 效益指标" in out
    assert "项目总额: 150000  # 与财政资金一致\n" in out
    changed = [ln for ln in difflib.ndiff(edited.splitlines(), out.splitlines()) if ln[:1] in "+-"]
    assert changed == [
        "-   备注: ''",
        "+   备注: 新备注",
        "-   本年绩效指标值: 90",
        "+   本年绩效指标值: 95",
    ]


def test_comments_survive_adding_and_removing_indicators(first) -> None:
    sheet, text = first
    edited = _hand_edit(text)
    extra = Sheet(**{**vars(sheet)}).indicators[0]
    sheet.indicators = sheet.indicators[:5] + [extra]  # the 6th row replaced by a copy of the 1st
    del sheet.indicators[1]
    out = yamlsave.dumps(sheet, edited)
    assert out.startswith(HAND_EDITED_HEAD)
    assert "项目总额: 150000  # 与财政资金一致\n" in out
    assert "# 以下为效益指标\n" in out
    assert yamlfile.loads(out, "p.yaml") == sheet


def test_adding_a_row_at_the_end_keeps_comments_after_the_list(first) -> None:
    sheet, text = first
    text = text.replace("layout:\n", "# 手写: 下面的不要改\nlayout:\n")
    sheet.indicators.append(Indicator(level1="产出指标", level3="新增", annual_weight="5"))
    out = yamlsave.dumps(sheet, text)
    tail = out.split("三级指标: 新增", 1)[1]
    assert "# 手写: 下面的不要改\nlayout:" in tail
    assert "# what the official export needs" in tail
    assert yamlfile.loads(out, "p.yaml") == sheet
    sheet.indicators.pop()
    assert yamlsave.dumps(sheet, out) == text


def test_editing_an_empty_cell_writes_plain_text(first) -> None:
    sheet, text = first
    sheet.indicators[0].note = "新备注"
    sheet.manager = "张三"
    out = yamlsave.dumps(sheet, text)
    assert "  备注: 新备注\n" in out and "项目经办人: 张三\n" in out


def test_key_order_a_person_chose_survives(first) -> None:
    sheet, text = first
    # Move 年度目标 to the top and 备注 before 一级指标 in the first indicator.
    lines = text.splitlines(keepends=True)
    goal = next(ln for ln in lines if ln.startswith("年度目标:"))
    lines.remove(goal)
    lines.insert(0, goal)
    i = lines.index("- 一级指标: 产出指标\n")
    j = lines.index("  备注: ''\n", i)
    lines[i : j + 1] = ["- 备注: ''\n", "  一级指标: 产出指标\n", *lines[i + 1 : j]]
    reordered = "".join(lines)
    assert yamlfile.loads(reordered, "p.yaml") == sheet
    sheet.goal = "新的年度目标"
    sheet.indicators[0].note = "改"
    out = yamlsave.dumps(sheet, reordered)
    assert out.splitlines()[0] == "年度目标: 新的年度目标"
    assert "- 备注: 改\n  一级指标: 产出指标\n" in out
    assert len(out.splitlines()) == len(reordered.splitlines())


def test_quoting_style_a_person_chose_survives(first) -> None:
    sheet, text = first
    text = text.replace("三级指标: 接收安置帮教人数", '三级指标: "接收安置帮教人数"')
    sheet.indicators[0].level3 = "接收帮教人数"
    out = yamlsave.dumps(sheet, text)
    assert '三级指标: "接收帮教人数"' in out


def test_saving_an_unchanged_sheet_rewrites_nothing(first) -> None:
    sheet, text = first
    edited = _hand_edit(text)
    assert yamlsave.dumps(sheet, edited) == edited


def test_one_cell_edit_is_one_line_of_yaml_and_one_cell_of_export(workspace: Workspace) -> None:
    ref = workspace.resolve("法律援助工作经费")
    before_text = workspace.read_text(ref)
    before_export = workspace.export([workspace.load(r) for r in workspace.projects()])
    sheet = workspace.load(ref)
    sheet.indicators[2].annual_weight = "15"
    workspace.save(ref, sheet, before_text)
    after_text = workspace.read_text(ref)
    diff = [
        ln
        for ln in difflib.unified_diff(before_text.splitlines(), after_text.splitlines(), n=0)
        if ln[:1] in "+-" and not ln.startswith(("+++", "---"))
    ]
    assert len(diff) == 2 and diff[1].strip() == "+  本年权重: 15", diff
    after_export = workspace.export([workspace.load(r) for r in workspace.projects()])
    old_lines = before_export.decode().split("\n")
    new_lines = after_export.decode().split("\n")
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(changed) == 1
    old_cells, new_cells = (x.split("\t") for x in changed[0])
    cell_diff = [(a, b) for a, b in zip(old_cells, new_cells, strict=True) if a != b]
    assert len(cell_diff) == 1 and cell_diff[0][1] == "15"


# ---------------------------------------------------------------- safe loading, clear errors

EVIL = "单位信息: !!python/object/apply:os.system ['touch {marker}']\n预算项目: x\n"


def test_python_tag_never_runs_and_gives_one_clear_error(tmp_path: Path, first) -> None:
    marker = tmp_path / "pwned"
    text = EVIL.format(marker=marker)
    with pytest.raises(ProjectFileError) as e:
        yamlfile.loads(text, "store/u/p.yaml")
    msg = str(e.value)
    assert msg.startswith("store/u/p.yaml:1:") and "标签" in msg and "\n" not in msg
    sheet, _ = first
    with pytest.raises(ProjectFileError):  # the round-trip (saving) path too
        yamlsave.dumps(sheet, text)
    assert not marker.exists()


def test_python_tag_in_the_store_is_reported_by_load_and_save(
    workspace: Workspace, tmp_path: Path
) -> None:
    ref = workspace.resolve("法律援助工作经费")
    marker = tmp_path / "pwned"
    evil = workspace.read_text(ref).replace(
        "预算项目: 法律援助工作经费",
        f"预算项目: !!python/object/apply:os.system ['touch {marker}']",
    )
    ref.path.write_text(evil, encoding="utf-8")
    with pytest.raises(ProjectFileError, match=r"法律援助工作经费\.yaml:2: .*标签"):
        workspace.load(ref)
    with pytest.raises(ProjectFileError):
        import_files(workspace, [SAMPLE])
    assert not marker.exists()
    assert ref.path.read_text(encoding="utf-8") == evil


@pytest.mark.parametrize(
    ("broken", "line"),
    [
        ("单位信息: a\n预算项目: [unclosed\n", 3),
        ("单位信息: a\n  预算项目: b\n  bad: : :\n", 2),
        ("单位信息: a\n\t预算项目: b\n", 2),
        ("单位信息: 'a\n", 2),
    ],
)
def test_broken_yaml_names_file_and_line(broken: str, line: int) -> None:
    with pytest.raises(ProjectFileError) as e:
        yamlfile.loads(broken, "store/u/p.yaml")
    msg = str(e.value)
    assert msg.startswith(f"store/u/p.yaml:{line}: YAML 格式有误"), msg
    assert "\n" not in msg


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("- a\n- b\n", "应为以表中字段为键的映射"),
        ("单位信息: a\n预算项目: b\nfoo: 1\n", "未知的键 'foo'"),
        ("单位信息: a\n绩效指标: 3\n", "绩效指标 应为指标的列表"),
        ("单位信息: a\n绩效指标:\n- 一级指标: x\n  oops: 1\n", "第 1 条指标：未知的键 'oops'"),
        ("单位信息: true\n", "应为文字或数字"),
        ("单位信息: a\nlayout: {file: {encoding: latin-1}}\n", "layout 块已损坏"),
        ("单位信息: a\nlayout: {file: {encoding: gb18030, bom: true}}\n", "layout 块"),
    ],
)
def test_wrong_shapes_give_one_sentence(text: str, fragment: str) -> None:
    with pytest.raises(ProjectFileError, match=fragment) as e:
        yamlfile.loads(text, "p.yaml")
    assert str(e.value).startswith("p.yaml")


def test_shape_errors_name_the_line_of_the_key() -> None:
    """Found in review: an unknown key or a true/false value gave no line."""
    from conftest import SAMPLE
    from jixiao.store.errors import ProjectFileError
    from jixiao.store.projectfile import yamlfile, yamlsave
    from jixiao.store.tab import tabfile

    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    text = yamlsave.dumps(sheets[0])
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip() == "本年权重: 20") + 1
    for bad in ("本年权重x: 20", "本年权重: true"):
        broken = "\n".join("  " + bad if i + 1 == target else line for i, line in enumerate(lines))
        with pytest.raises(ProjectFileError) as e:
            yamlfile.loads(broken, "store/u/p.yaml")
        assert str(e.value).startswith(f"store/u/p.yaml:{target}: 第 2 条指标")


def test_a_row_moved_or_moved_and_edited_keeps_its_comments() -> None:
    """Comments written by hand in and above a row go where the row goes (the editor's
    move-row, a reorder on import or in a merge): its item is kept, not written afresh."""
    from jixiao.store.projectfile import yamlsave
    from jixiao.store.tab import tabfile

    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    text = yamlsave.dumps(sheets[0])
    text = text.replace(
        "- 一级指标: 产出指标\n  二级指标: 质量指标\n",
        "# 关于第二行\n- 一级指标: 产出指标\n  二级指标: 质量指标  # 行尾\n",
        1,
    )
    for change in ("move", "move and edit"):
        sheet = yamlfile.loads(text, "x.yaml")
        row = sheet.indicators.pop(1)
        if change == "move and edit":
            row.annual_target = "改过的值"
        sheet.indicators.append(row)  # to the end
        out = yamlsave.dumps(sheet, text)
        assert yamlfile.loads(out, "x.yaml") == sheet
        last = out[out.index("绩效指标:") :].split("\n- ")[-1]
        assert out.count("# 关于第二行\n- ") == 1, change
        assert "二级指标: 质量指标  # 行尾" in last, change
        assert out.index("# 关于第二行") > out.index(sheet.indicators[-2].level3), change


def test_two_rows_swapped_each_keep_their_own_comments() -> None:
    from jixiao.store.projectfile import yamlsave
    from jixiao.store.tab import tabfile

    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    text = yamlsave.dumps(sheets[0])
    for r in sheets[0].indicators:
        line = f"  三级指标: {r.level3}\n"
        text = text.replace(
            line, f"  # 说 {r.level3}\n  三级指标: {r.level3}  # 尾 {r.level3}\n", 1
        )
    sheet = yamlfile.loads(text, "x.yaml")
    rows = sheet.indicators
    rows[1], rows[4] = rows[4], rows[1]
    out = yamlsave.dumps(sheet, text)
    assert yamlfile.loads(out, "x.yaml") == sheet
    for chunk in out[out.index("绩效指标:") :].split("\n- ")[1:]:
        name = chunk.split("三级指标: ", 1)[1].split("  #", 1)[0]
        assert f"# 说 {name}\n" in chunk and f"# 尾 {name}\n" in chunk


@pytest.mark.parametrize("move", [(1, 0), (0, 2)])
def test_a_comment_above_the_first_row_moves_with_it_both_ways(move: tuple[int, int]) -> None:
    """ruamel.yaml hangs the comment above the first row on the list's key, not on the row:
    a row moved to the top (ctrl+up) or away from it still takes its comment along."""
    from jixiao.store.projectfile import yamlsave
    from jixiao.store.tab import tabfile

    sheets, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)
    text = yamlsave.dumps(sheets[0])
    for r in sheets[0].indicators:
        head = f"- 一级指标: {r.level1}\n  二级指标: {r.level2}\n  三级指标: {r.level3}\n"
        text = text.replace(head, f"# 说 {r.level3}\n{head}", 1)
    sheet = yamlfile.loads(text, "x.yaml")
    frm, to = move
    sheet.indicators.insert(to, sheet.indicators.pop(frm))
    out = yamlsave.dumps(sheet, text)
    assert yamlfile.loads(out, "x.yaml") == sheet
    for r in sheet.indicators:  # each comment right above its own row, once
        head = f"- 一级指标: {r.level1}\n  二级指标: {r.level2}\n  三级指标: {r.level3}\n"
        assert out.count(f"# 说 {r.level3}\n{head}") == 1, r.level3

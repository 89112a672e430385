"""The three-way merge of a project (store/merge/merge.py) and the conflicted file's form
(store/merge/mergetext.py): examples on the real sample, and properties with hypothesis.

Properties: where the two sides touch disjoint fields, the merge equals applying both edits,
in either order, and is clean; merge(base, x, x) == x; merge(base, base, x) == x.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest
from conftest import SAMPLE, examples
from hypothesis import given, settings
from hypothesis import strategies as st
from jixiao.store.errors import ConflictMarkersError
from jixiao.store.merge.merge import merge
from jixiao.store.merge.mergetext import (
    ConflictedFileError,
    by_lines,
    load_project,
    merge_texts,
    read_conflicted,
)
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.sheet.fields import FUNDING_FIELDS, HEADER_FIELDS, TAIL_FIELDS
from jixiao.store.sheet.identity import same_sheet
from jixiao.store.sheet.model import INDICATOR_NAMES, Indicator, Sheet
from jixiao.store.tab import tabfile

SHEETS, _ = tabfile.parse(SAMPLE.read_bytes(), "sample")
# The profile's settings (tests/conftest.py: HYPOTHESIS_PROFILE): examples, no deadline.
FAST = settings()


def _sheet(k: int = 0) -> Sheet:
    return copy.deepcopy(SHEETS[k])


def _row(name: str, weight: str = "0") -> Indicator:
    return Indicator("产出指标", "数量指标", name, "≥", "1", "1", "个", weight, weight, "")


# ---------------------------------------------------------------------- examples


def test_reorder_on_one_side_and_an_edit_of_a_moved_row_on_the_other_both_survive() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators.reverse()
    theirs.indicators[0].annual_weight = "15"
    r = merge(base, ours, theirs)
    assert r.clean
    assert [i.level3 for i in r.ours.indicators] == [i.level3 for i in ours.indicators]
    assert r.ours.indicators[-1].annual_weight == "15"


def test_rows_appended_by_both_sides_are_both_kept_ours_first() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators.append(_row("我方新增"))
    theirs.indicators.append(_row("对方新增"))
    r = merge(base, ours, theirs)
    assert r.clean
    assert [i.level3 for i in r.ours.indicators[-2:]] == ["我方新增", "对方新增"]


def test_the_same_row_added_by_both_sides_is_kept_once() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators.append(_row("同一个"))
    theirs.indicators.append(_row("同一个"))
    r = merge(base, ours, theirs)
    assert r.clean and r.ours == ours


def test_adjacent_fields_of_one_row_merge() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators[0].target = "600"
    theirs.indicators[0].annual_target = "700"
    r = merge(base, ours, theirs)
    assert r.clean
    assert (r.ours.indicators[0].target, r.ours.indicators[0].annual_target) == ("600", "700")


def test_a_renamed_indicator_on_one_side_takes_the_edit_of_the_other() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators[1].level3 = "新的三级指标"
    theirs.indicators[1].target = "更好"
    r = merge(base, ours, theirs)
    assert r.clean
    row = r.ours.indicators[1]
    assert (row.level3, row.target) == ("新的三级指标", "更好")
    assert len(r.ours.indicators) == len(base.indicators)


def test_the_same_cell_changed_both_ways_is_a_conflict_never_a_pick() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators[0].annual_weight = "15"
    theirs.indicators[0].annual_weight = "20"
    r = merge(base, ours, theirs)
    assert [c.message() for c in r.conflicts] == [
        "第1行「接收安置帮教人数」本年权重 冲突：我方 15，对方 20"
    ]
    assert r.ours.indicators[0].annual_weight == "15"
    assert r.theirs.indicators[0].annual_weight == "20"


def test_header_funding_and_layout_conflicts_are_named_by_their_labels() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.total, theirs.total = "160,000", "170,000"
    ours.funding.fiscal, theirs.funding.fiscal = "1", "2"
    ours.layout.colon, theirs.layout.colon = "：", ";"
    messages = [c.message() for c in merge(base, ours, theirs).conflicts]
    assert "项目总额 冲突：我方 160,000，对方 170,000" in messages
    assert "资金来源/财政资金 冲突：我方 1，对方 2" in messages
    assert "layout/colon 冲突：我方 ：，对方 ;" in messages


def test_layout_keys_merge_like_fields() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.layout.colon = "："
    theirs.layout.file.newline = "\r\n"
    r = merge(base, ours, theirs)
    assert r.clean
    assert (r.ours.layout.colon, r.ours.layout.file.newline) == ("：", "\r\n")


def test_a_row_deleted_on_one_side_and_changed_on_the_other_is_a_conflict() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    del ours.indicators[1]
    theirs.indicators[1].target = "更好"
    r = merge(base, ours, theirs)
    assert [c.kind for c in r.conflicts] == ["row"]
    assert "我方 删除了此行，对方 修改了此行" in r.conflicts[0].message()
    assert len(r.ours.indicators) == len(base.indicators) - 1
    assert len(r.theirs.indicators) == len(base.indicators)


def test_a_row_deleted_on_one_side_and_untouched_on_the_other_is_gone() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    del ours.indicators[1]
    theirs.indicators[0].target = "600"
    r = merge(base, ours, theirs)
    assert r.clean and len(r.ours.indicators) == len(base.indicators) - 1


def test_a_row_moved_both_ways_is_a_conflict_the_same_way_is_not() -> None:
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators.insert(0, ours.indicators.pop(2))
    theirs.indicators.append(theirs.indicators.pop(2))
    r = merge(base, ours, theirs)
    assert [c.kind for c in r.conflicts] == ["order"]
    assert r.conflicts[0].message() == "第1行「维护社会稳定」位置 冲突：我方 第1行，对方 第6行"
    theirs = copy.deepcopy(ours)
    assert merge(base, ours, theirs).clean


# ---------------------------------------------------------------------- text


def _text(sheet: Sheet) -> str:
    return yamlsave.dumps(sheet)


def test_text_merge_keeps_ours_comments_and_takes_theirs_edit() -> None:
    base_text = _text(_sheet())
    ours_text = base_text.replace("预算执行率权重:", "# checked by 张三\n预算执行率权重:")
    ours_text = ours_text.replace("  指标值: 500\n", "  指标值: 500  # as approved\n")
    theirs_text = base_text.replace("  本年绩效指标值: 500\n", "  本年绩效指标值: 520\n")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == []
    assert "# checked by 张三\n" in text and "  指标值: 500  # as approved\n" in text
    assert yamlfile.loads(text, "x.yaml").indicators[0].annual_target == "520"


def test_text_merge_keeps_theirs_comments_too_even_beside_ours_edit() -> None:
    """The field merge sees values only; the comments theirs wrote since the base are merged
    in by line, also right next to a line ours changed (git's line merge would clash)."""
    base_text = _text(_sheet())
    ours_text = base_text.replace("  本年绩效指标值: 500\n", "  本年绩效指标值: 520\n")
    ours_text = ours_text.replace("预算执行率权重:", "# 我方：已核\n预算执行率权重:")
    theirs_text = base_text.replace(
        "  本年绩效指标值: 500\n", "  # 对方：按上年口径\n  本年绩效指标值: 500\n"
    )
    theirs_text = theirs_text.replace("  指标值: 500\n", "  指标值: 500  # 对方：批复数\n")
    theirs_text = theirs_text.replace("项目经办人: ''", "项目经办人: 李四")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == []
    assert "# 我方：已核\n预算执行率权重:" in text
    assert "  # 对方：按上年口径\n  本年绩效指标值: 520\n" in text
    assert "  指标值: 500  # 对方：批复数\n" in text
    merged = yamlfile.loads(text, "x.yaml")
    assert merged.indicators[0].annual_target == "520" and merged.manager == "李四"


def test_comments_both_sides_wrote_at_one_place_are_both_kept_ours_first() -> None:
    base_text = _text(_sheet())
    ours_text = base_text.replace("预算执行率权重:", "# 我方的话\n预算执行率权重:")
    theirs_text = base_text.replace("预算执行率权重:", "# 对方的话\n预算执行率权重:")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == [] and "# 我方的话\n# 对方的话\n预算执行率权重:" in text


def test_a_comment_theirs_deleted_goes_and_one_only_ours_had_stays() -> None:
    base_text = _text(_sheet()).replace("预算执行率权重:", "# 旧的话\n预算执行率权重:")
    ours_text = base_text.replace("  本年绩效指标值: 500\n", "  本年绩效指标值: 520\n")
    ours_text = ours_text.replace("项目总额:", "# 我方的话\n项目总额:")
    theirs_text = base_text.replace("# 旧的话\n", "")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == [] and "# 旧的话" not in text and "# 我方的话\n项目总额:" in text
    assert yamlfile.loads(text, "x.yaml").indicators[0].annual_target == "520"


def test_theirs_comment_is_kept_in_a_file_with_a_field_conflict() -> None:
    base_text = _text(_sheet())
    ours_text = base_text.replace("  本年权重: 10\n", "  本年权重: 15\n", 1)
    theirs_text = base_text.replace("  本年权重: 10\n", "  本年权重: 20\n", 1)
    theirs_text = theirs_text.replace("预算执行率权重:", "# 对方的话\n预算执行率权重:")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert len(conflicts) == 1 and "# 对方的话\n预算执行率权重:" in text
    found = read_conflicted(text, "x.yaml")
    assert found is not None and len(found.conflicts) == 1


def test_a_conflict_is_written_as_markers_around_the_lines_only_and_read_back() -> None:
    base_text = _text(_sheet())
    ours_text = base_text.replace("  本年权重: 10\n", "  本年权重: 15\n", 1)
    theirs_text = base_text.replace("  本年权重: 10\n", "  本年权重: 20\n", 1)
    theirs_text = theirs_text.replace("项目经办人: ''", "项目经办人: 李四")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert len(conflicts) == 1
    lines = text.splitlines()
    at = lines.index("<<<<<<< 我方")
    assert lines[at : at + 5] == [
        "<<<<<<< 我方",
        "  本年权重: 15",
        "=======",
        "  本年权重: 20",
        ">>>>>>> 对方",
    ]
    assert text.count("<<<<<<<") == 1 and "项目经办人: 李四" in text
    found = read_conflicted(text, "x.yaml")
    assert found is not None
    assert [(c.line, c.message()) for c in found.conflicts] == [
        (at + 2, "第1行「接收安置帮教人数」本年权重 冲突：我方 15，对方 20")
    ]
    with pytest.raises(ConflictMarkersError) as plain:  # the YAML reader sees only markers
        yamlfile.loads(text, "x.yaml")
    assert plain.value.line == at + 1
    with pytest.raises(ConflictedFileError) as e:  # the merge layer names the conflict
        load_project(text, "x.yaml")
    assert (
        str(e.value) == f"x.yaml:{at + 2}: 第1行「接收安置帮教人数」本年权重 冲突：我方 15，对方 20"
    )


def test_markers_from_a_line_merge_read_as_conflicts_too() -> None:
    """git's own merge (the fallback) writes markers around whole hunks, diff3 style too."""
    base_text = _text(_sheet())
    text = base_text.replace(
        "项目总额: 150000\n",
        "<<<<<<< ours\n项目总额: 160000\n||||||| base\n项目总额: 150000\n=======\n"
        "项目总额: 170000\n>>>>>>> theirs\n",
    )
    found = read_conflicted(text, "x.yaml")
    assert found is not None
    assert [c.message() for c in found.conflicts] == ["项目总额 冲突：我方 160,000，对方 170,000"]


def test_unfinished_markers_are_one_sentence_with_the_line() -> None:
    text = _text(_sheet()).replace("项目总额: 150000\n", "<<<<<<< 我方\n项目总额: 1\n")
    with pytest.raises(yamlfile.ProjectFileError, match=r"x.yaml:\d+: 冲突标记 <<<<<<< 没有"):
        load_project(text, "x.yaml")


# ---------------------------------------------------------------------- properties

VALUE = st.text(st.sampled_from(list("安置帮教0123456789,.%人")), min_size=1, max_size=6)
_HEADER = [name for name, _ in HEADER_FIELDS + TAIL_FIELDS if name not in ("unit", "project")]
_FUNDING = [name for name, _ in FUNDING_FIELDS]
_CELLS = [n for n in INDICATOR_NAMES if n not in ("level1", "level2", "level3")]


@dataclasses.dataclass
class Edits:
    """One side's edits, addressed by base row (so they apply in any order)."""

    header: dict[str, str] = dataclasses.field(default_factory=dict)
    funding: dict[str, str] = dataclasses.field(default_factory=dict)
    cells: dict[tuple[int, str], str] = dataclasses.field(default_factory=dict)
    deleted: set[int] = dataclasses.field(default_factory=set)
    appended: list[Indicator] = dataclasses.field(default_factory=list)


def apply(rows: list[tuple[int, Indicator]], sheet: Sheet, e: Edits) -> list:
    """Apply edits to a sheet whose rows carry their base index (-1: added)."""
    for name, v in e.header.items():
        setattr(sheet, name, v)
    for name, v in e.funding.items():
        setattr(sheet.funding, name, v)
    for (i, name), v in e.cells.items():
        for k, ind in rows:
            if k == i:
                setattr(ind, name, v)
    rows = [(k, ind) for k, ind in rows if k not in e.deleted]
    rows += [(-1, copy.deepcopy(ind)) for ind in e.appended]
    sheet.indicators = [ind for _, ind in rows]
    return rows


def applied(base: Sheet, *sides: Edits) -> Sheet:
    sheet = copy.deepcopy(base)
    rows = list(enumerate(sheet.indicators))
    for e in sides:
        rows = apply(rows, sheet, e)
    return sheet


@st.composite
def disjoint_edits(draw: st.DrawFn) -> tuple[Sheet, Edits, Edits]:
    base = copy.deepcopy(SHEETS[draw(st.integers(0, len(SHEETS) - 1))])
    n = len(base.indicators)
    sides = (Edits(), Edits())
    owner = st.integers(0, 1)
    for name in draw(st.lists(st.sampled_from(_HEADER), unique=True, max_size=4)):
        sides[draw(owner)].header[name] = draw(VALUE)
    for name in draw(st.lists(st.sampled_from(_FUNDING), unique=True, max_size=3)):
        sides[draw(owner)].funding[name] = draw(VALUE)
    touched: dict[int, int] = {}  # base row -> the side that touches it
    renamed = [False, False]
    slots = st.tuples(st.integers(0, n - 1), st.sampled_from([*_CELLS, "level3"]))
    for i, name in draw(st.lists(slots, unique=True, max_size=8)):
        side = touched.setdefault(i, draw(owner))
        if name == "level3":
            # A rename is recognised by the rest of the row: that side changes nothing else.
            if renamed[side] or any(k == i for k, _ in sides[side].cells):
                continue
            renamed[side] = True
            sides[side].cells[(i, name)] = f"改名{i}"
        elif (i, "level3") not in sides[side].cells:
            sides[side].cells[(i, name)] = draw(VALUE)
    for i in draw(st.sets(st.integers(0, n - 1), max_size=2)):
        side = draw(owner)
        if touched.get(i, side) == side and not any(k == i for k, _ in sides[side].cells):
            touched[i] = side
            sides[side].deleted.add(i)
    adder = draw(owner)
    for k in range(draw(st.integers(0, 2))):
        sides[adder].appended.append(_row(f"新增{k}", draw(VALUE)))
    return base, *sides


@FAST
@given(disjoint_edits())
def test_disjoint_edits_merge_to_both_applied_in_either_order(case) -> None:
    base, a, b = case
    one_way, other_way = applied(base, a, b), applied(base, b, a)
    assert one_way == other_way
    ours, theirs = applied(base, a), applied(base, b)
    r = merge(base, ours, theirs)
    assert r.conflicts == []
    assert r.ours == one_way and r.theirs == one_way


@settings(FAST, max_examples=examples(0.4))  # each example runs the YAML writer twice
@given(disjoint_edits())
def test_disjoint_edits_merge_as_text_too(case) -> None:
    base, a, b = case
    base_text = yamlsave.dumps(base)
    texts = [yamlsave.dumps(applied(base, e), base_text) for e in (a, b)]
    text, conflicts = merge_texts(base_text, *texts, "x.yaml")
    assert conflicts == []
    assert yamlfile.loads(text, "x.yaml") == applied(base, a, b)


@FAST
@given(disjoint_edits(), st.integers(0, 40), st.integers(0, 40))
def test_a_move_on_one_side_and_edits_on_the_other_both_survive(case, src, dst) -> None:
    base, edits, _ = case
    edits.deleted.clear()
    edits.appended.clear()
    mover = copy.deepcopy(base)
    rows, order = mover.indicators, list(range(len(mover.indicators)))
    src, dst = src % len(rows), dst % len(rows)
    rows.insert(dst, rows.pop(src))
    order.insert(dst, order.pop(src))
    expected = copy.deepcopy(mover)
    apply(list(zip(order, expected.indicators, strict=True)), expected, edits)
    r = merge(base, mover, applied(base, edits))
    assert r.conflicts == [] and r.ours == expected
    r = merge(base, applied(base, edits), mover)
    assert r.conflicts == [] and r.ours == expected


@FAST
@given(disjoint_edits(), st.integers(0, 40))
def test_merging_a_side_with_itself_or_with_the_base_gives_that_side(case, move) -> None:
    base, a, b = case
    x = applied(base, a, b)
    if len(x.indicators) > 1:
        x.indicators.insert(0, x.indicators.pop(move % len(x.indicators)))
    for r in (merge(base, x, x), merge(base, base, x), merge(base, x, base)):
        assert r.conflicts == [] and r.ours == x and same_sheet(r.ours, x)


# ---------------------------------------------------------------------- settling conflicts


def _many_conflicts():
    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.total, theirs.total = "160,000", "170,000"
    ours.indicators[0].annual_weight, theirs.indicators[0].annual_weight = "15", "20"
    del ours.indicators[1]  # theirs changed it
    theirs.indicators[1].target = "更好"
    theirs.indicators[3].note = "对方删掉前改过"
    del theirs.indicators[3]  # ours changed it
    ours.indicators[2].note = "我方改过"
    ours.layout.colon, theirs.layout.colon = "：", ";"
    return base, ours, theirs


def test_settling_every_conflict_one_way_gives_that_sides_settlement() -> None:
    from jixiao.store.merge.merge import resolve

    r = merge(*_many_conflicts())
    assert {c.kind for c in r.conflicts} == {"field", "row", "layout"}
    ours = resolve(r, ["ours"] * len(r.conflicts))
    theirs = resolve(r, ["theirs"] * len(r.conflicts))
    assert ours == r.ours and same_sheet(ours, r.ours)
    assert theirs == r.theirs and same_sheet(theirs, r.theirs)


def test_a_row_moved_both_ways_settles_either_way() -> None:
    from jixiao.store.merge.merge import resolve

    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators.insert(0, ours.indicators.pop(2))
    theirs.indicators.append(theirs.indicators.pop(2))
    r = merge(base, ours, theirs)
    assert resolve(r, ["ours"]) == ours and resolve(r, ["theirs"]) == theirs


def test_a_typed_value_settles_a_field_conflict() -> None:
    from jixiao.store.merge.merge import Typed, resolve

    base, ours, theirs = _sheet(), _sheet(), _sheet()
    ours.indicators[0].annual_weight, theirs.indicators[0].annual_weight = "15", "20"
    ours.goal, theirs.goal = "我方目标", "对方目标"
    r = merge(base, ours, theirs)
    settled = resolve(r, [Typed("目标"), Typed("12")])
    assert (settled.goal, settled.indicators[0].annual_weight) == ("目标", "12")


def test_disk_watch_says_a_change_of_text_once_and_a_deletion(tmp_path) -> None:
    from jixiao.store.workspace.follow import DiskWatch

    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", "utf-8")
    watch = DiskWatch(path, "a: 1\n")
    assert watch.poll() is None
    path.write_text("a: 1\n", "utf-8")  # rewritten, same text: nothing to say
    assert watch.poll() is None
    path.write_text("a: 2\n", "utf-8")
    assert watch.poll() == "changed"
    path.write_text("a: 3\n", "utf-8")
    assert watch.poll() is None  # said already, still changed
    path.unlink()
    assert watch.poll() == "deleted"
    assert watch.poll() is None
    path.write_text("a: 1\n", "utf-8")  # back as it was loaded
    assert watch.poll() is None
    watch.reset("a: 1\n")
    assert watch.poll() is None
    path.unlink()
    path.symlink_to(path.name)  # found in review: a symlink loop crashed the editor's poll
    assert watch.poll() is None  # nothing to say: the save says why it cannot write
    path.unlink()
    path.write_text("a: 4\n", "utf-8")
    assert watch.poll() == "changed"


def test_unsaved_edits_merge_with_the_disk_into_the_disks_text() -> None:
    from jixiao.store.workspace.follow import merge_with_disk

    base_text = _text(_sheet())
    mine = _sheet()
    mine.indicators[0].target = "600"
    disk_text = base_text.replace("项目经办人: ''", "# 李四 filled this in\n项目经办人: 李四")
    pending = merge_with_disk(base_text, mine, disk_text, "x.yaml")
    assert pending.result.clean and pending.from_disk == ["项目经办人"]
    text = pending.text(pending.result.ours)
    assert "# 李四 filled this in\n项目经办人: 李四\n" in text and "  指标值: 600\n" in text


def test_both_sides_adding_the_file_merges_what_agrees_and_conflicts_on_the_rest() -> None:
    """git's add/add: the base is empty."""
    ours, theirs = _sheet(), _sheet()
    theirs.indicators[0].note = "对方"
    text, conflicts = merge_texts("", _text(ours), _text(theirs), "x.yaml")
    assert [c.message() for c in conflicts] == [
        "第1行「接收安置帮教人数」备注 冲突：我方 （空），对方 对方"
    ]
    assert text.count("<<<<<<< 我方") == 1


def test_the_driver_merges_a_side_it_cannot_read_line_by_line(tmp_path) -> None:
    """A side that is not a project file (broken YAML) gets git's own merge, never a crash."""
    from jixiao.store.workspace.mergedriver import merge_file

    base_text = _text(_sheet())
    files = {}
    for name, text in (
        ("base", base_text),
        ("ours", base_text.replace("项目经办人: ''", "项目经办人: 张三")),
        ("theirs", base_text.replace("  备注: ''", "  备注: [unclosed", 1)),
    ):
        files[name] = tmp_path / name
        files[name].write_text(text, "utf-8")
    assert merge_file(files["base"], files["ours"], files["theirs"], "store/u/x.yaml") == 0
    merged = files["ours"].read_text("utf-8")
    assert "项目经办人: 张三" in merged and "  备注: [unclosed" in merged


def test_jixiao_yaml_keys_changed_both_ways_conflict_and_the_file_says_where(tmp_path) -> None:
    from jixiao.store.errors import WorkspaceError
    from jixiao.store.workspace.mergesettings import merge_settings
    from jixiao.store.workspace.settings import DEFAULT_SETTINGS, Settings

    base = DEFAULT_SETTINGS
    ours = base.replace("profile: {}", "profile:\n  weight_total: 100\n  disable: [I161]")
    theirs = base.replace("profile: {}", "profile:\n  weight_total: 90")
    text, conflicts = merge_settings(base, ours, theirs)
    assert conflicts == ["profile/weight_total"]
    assert "# jixiao 工作区设置。" in text and "disable: [I161]" in text
    (tmp_path / "jixiao.yaml").write_text(text, "utf-8")
    with pytest.raises(WorkspaceError, match=r"jixiao.yaml:\d+: 有未解决的合并冲突"):
        Settings(tmp_path).data()


def test_a_clash_of_comments_on_one_line_keeps_ours_there_and_theirs_elsewhere() -> None:
    """Both gave one line a different end-of-line comment: keeping both lines would write
    the key twice, so ours' line stays there; theirs' comment elsewhere is still kept."""
    base_text = _text(_sheet())
    ours_text = base_text.replace("预算执行率权重: 10\n", "预算执行率权重: 10  # 我\n")
    theirs_text = base_text.replace("预算执行率权重: 10\n", "预算执行率权重: 10  # 他\n")
    theirs_text = theirs_text.replace("年度目标:", "# 他的另一条\n年度目标:")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == []
    assert "预算执行率权重: 10  # 我\n" in text and "# 他的另一条\n年度目标:" in text
    assert "# 他\n" not in text


def test_a_side_the_round_trip_writer_refuses_still_merges_by_field() -> None:
    """A tab before a comment reads with the loader but not through the round-trip writer:
    the field merge goes on with ours' text (as before comments were merged)."""
    base_text = _text(_sheet())
    ours_text = base_text.replace("项目经办人: ''", "项目经办人: 张三")
    theirs_text = base_text.replace("项目经办人电话: ''", "项目经办人电话: '123'\t# 对方")
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    merged = yamlfile.loads(text, "x.yaml")
    assert conflicts == [] and (merged.manager, merged.manager_phone) == ("张三", "123")


def test_theirs_comment_in_a_row_ours_moved_moves_with_the_row() -> None:
    base_text = _text(_sheet())
    moved = _sheet()
    moved.indicators.append(moved.indicators.pop(0))  # ours: the first row to the end
    ours_text = yamlsave.dumps(moved, base_text)
    theirs_text = base_text.replace(
        "  三级指标: 接收安置帮教人数\n",
        "  # 对方：人数按司法所报表\n  三级指标: 接收安置帮教人数\n",
    )
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == []
    assert "  # 对方：人数按司法所报表\n  三级指标: 接收安置帮教人数\n" in text
    merged = yamlfile.loads(text, "x.yaml")
    assert merged.indicators[-1].level3 == "接收安置帮教人数" and same_sheet(merged, moved)


def test_edits_on_different_lines_merge_as_the_lines_each_side_wrote() -> None:
    """The clean line merge that reads back as the field merge is taken as it is: each
    side's comment and quoting kept, no writer run over either side."""
    base_text = yamlsave.dumps(_sheet())
    ours_text = base_text.replace("项目经办人: ''", "项目经办人: 张三  # 我方的注释", 1)
    theirs_text = base_text.replace("年度目标: ", "# 对方的注释\n年度目标: 改 ", 1)
    assert ours_text != base_text and theirs_text != base_text
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == []
    assert "项目经办人: 张三  # 我方的注释\n" in text
    assert "# 对方的注释\n年度目标: 改 " in text
    merged = yamlfile.loads(text, "x.yaml")
    assert merged.manager == "张三" and merged.goal.startswith("改 ")


def test_a_line_merge_that_is_not_the_field_merge_is_not_taken() -> None:
    base = _sheet()
    base_text = yamlsave.dumps(base)
    ours_text = base_text.replace("项目经办人: ''", "项目经办人: 张三", 1)
    ours = yamlfile.loads(ours_text, "x.yaml")
    assert by_lines(base_text, ours_text, base_text, ours, "x.yaml") == ours_text
    assert by_lines(base_text, ours_text, base_text, base, "x.yaml") is None
    clash = base_text.replace("项目经办人: ''", "项目经办人: 李四", 1)
    assert by_lines(base_text, ours_text, clash, ours, "x.yaml") is None


def test_a_comment_stays_in_its_row_when_the_other_side_moves_rows() -> None:
    """Found in review: with the rows swapped on one side, git's line merge was clean and read
    back as the field merge, but the comment followed a line that reads the same in another
    row (`本年权重: 10`). A merge where a side adds, removes or moves rows is written by the
    field merge, which places comments by row."""
    base_text = yamlsave.dumps(_sheet())
    lines = base_text.splitlines(keepends=True)
    row = next(i for i, line in enumerate(lines) if "安置帮教人员的满意度" in line)
    k = next(i for i in range(row, len(lines)) if lines[i].startswith("  本年权重"))
    lines[k] = lines[k].rstrip("\n") + "  # 满意度按年度问卷\n"
    ours_text = "".join(lines)
    swapped = yamlfile.loads(base_text, "x.yaml")
    rows = swapped.indicators
    rows[0], rows[3] = rows[3], rows[0]
    theirs_text = yamlsave.dumps(swapped, base_text)
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == []
    row_of_comment = None
    for line in text.splitlines():
        if "三级指标" in line:
            row = line.split(": ", 1)[1]
        if "# 满意度按年度问卷" in line:
            row_of_comment = row
    assert row_of_comment == "安置帮教人员的满意度"
    assert [i.level3 for i in yamlfile.loads(text, "x.yaml").indicators] == [
        i.level3 for i in swapped.indicators
    ]


def test_a_line_merge_that_leaves_the_layout_unrecorded_is_not_taken() -> None:
    """Found in review: each side deleted the layout keys on its side of a comment; the lines
    then read as `layout:` with no keys (not recorded, so export takes the usual layout),
    while the field merge keeps a recorded one."""
    head, layout = yamlsave.dumps(_sheet()).split("layout:\n")
    keys = layout.splitlines(keepends=True)
    note = "  # 以下两项按官方默认\n"
    base_text = head + "layout:\n" + "".join(keys[:3]) + note + "".join(keys[3:])
    ours_text = head + "layout:\n" + note + "".join(keys[3:])
    theirs_text = head + "layout:\n" + "".join(keys[:3]) + note
    field_merge = merge(*(yamlfile.loads(t, "x.yaml") for t in (base_text, ours_text, theirs_text)))
    assert field_merge.clean and field_merge.ours.layout.recorded
    text, conflicts = merge_texts(base_text, ours_text, theirs_text, "x.yaml")
    assert conflicts == [] and yamlfile.loads(text, "x.yaml").layout.recorded

"""store/merge/linemerge.py: the line merge that carries comments through a field merge.

Properties with hypothesis over short texts from a small alphabet of lines (so sides share
lines often): a side equal to the base takes the other; equal sides take either; and no line
that either side added (one not in the base at all) is ever dropped.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from jixiao.store.merge.linemerge import merge_lines
from test_properties import FAST

LINES = st.lists(st.sampled_from(["a\n", "b\n", "c\n", "# x\n", "# y\n", "d: 1\n"]), max_size=8)


@FAST
@given(LINES, LINES)
def test_a_side_equal_to_the_base_takes_the_other(base: list[str], other: list[str]) -> None:
    assert merge_lines(base, base, other) == (other, 0)
    assert merge_lines(base, other, base) == (other, 0)


@FAST
@given(LINES, LINES)
def test_equal_sides_merge_to_that_side(base: list[str], side: list[str]) -> None:
    assert merge_lines(base, side, side) == (side, 0)


@FAST
@given(LINES, LINES, LINES)
def test_no_line_either_side_added_is_dropped(
    base: list[str], ours: list[str], theirs: list[str]
) -> None:
    merged, _ = merge_lines(base, ours, theirs)
    added = {line for line in ours + theirs if line not in base}
    assert added <= set(merged)


def test_changes_far_apart_both_land_in_order() -> None:
    base = ["1\n", "2\n", "3\n", "4\n", "5\n"]
    ours = ["# mine\n", "1\n", "2\n", "3\n", "4\n", "5\n"]
    theirs = ["1\n", "2\n", "3\n", "4\n", "5\n", "# yours\n"]
    assert merge_lines(base, ours, theirs) == (["# mine\n", *base, "# yours\n"], 0)


def test_a_clash_keeps_ours_then_what_theirs_adds() -> None:
    base = ["1\n", "k: v\n", "2\n"]
    ours = ["1\n", "# mine\n", "k: v\n", "2\n"]
    theirs = ["1\n", "# yours\n", "k: v\n", "2\n"]
    assert merge_lines(base, ours, theirs) == (
        ["1\n", "# mine\n", "# yours\n", "k: v\n", "2\n"],
        1,
    )

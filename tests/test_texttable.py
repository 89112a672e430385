"""jixiao.store.texttable prints `jixiao list` into a pipe: the same bytes as rich's table."""

from __future__ import annotations

import io

from hypothesis import given
from hypothesis import strategies as st
from jixiao import cli
from jixiao.store import texttable
from rich.console import Console
from rich.table import Table
from rich.text import Text
from test_properties import FAST
from typer.testing import CliRunner

HEADERS, JUSTIFY = zip(*cli._LIST_COLUMNS, strict=True)
CELL = st.text(
    st.sampled_from(list("大竹县司法局安置帮教工作经费 abc-019,✓✗😀ｱ\u200b\u0301·（）")),
    max_size=14,
)


def by_rich(rows: list[list[str]], width: int) -> str:
    table = Table(box=None, pad_edge=False)
    for title, justify in zip(HEADERS, JUSTIFY, strict=True):
        table.add_column(title, justify=justify)
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    buf = io.StringIO()
    Console(file=buf, highlight=False, markup=False, emoji=False, width=width).print(table)
    return buf.getvalue()


@FAST
@given(st.lists(st.lists(CELL, min_size=6, max_size=6), max_size=6))
def test_generated_rows_print_as_rich_prints_them(rows: list[list[str]]) -> None:
    got = texttable.render(HEADERS, JUSTIFY, rows, 240)
    assert got == by_rich(rows, 240)


def test_a_table_wider_than_the_console_is_left_to_rich() -> None:
    rows = [["单位" * 60, "项目" * 60, "1", "2", "100 ✓", ""]]
    assert texttable.render(HEADERS, JUSTIFY, rows, 240) is None


def test_list_into_a_pipe_is_rich_s_table(workspace) -> None:  # noqa: ANN001
    from jixiao.store.workspace import views

    out = CliRunner().invoke(cli.app, ["-C", str(workspace.root), "list"]).stdout
    rows = [cli._row_cells(r) for r in views.project_rows(workspace)]
    assert out == by_rich(rows, cli._PIPE_WIDTH)
    assert "安置帮教工作经费" in out and len(out.splitlines()) == 17


@FAST
@given(
    st.text(
        st.sampled_from(list("大竹县a1 ,✓😀ｱ\u200b\u0301\u200d\ufe0f\t\x1b\x7f·（）")), max_size=20
    )
)
def test_cell_width_is_rich_s_cell_len(text: str) -> None:
    from rich.cells import cell_len

    assert texttable.cell_width(text) == cell_len(text)


def test_thousands_of_distinct_rows_are_measured_right() -> None:
    """More distinct names than rich's string cache holds (4,096) still measure the same:
    2,500 rows of two names each are 5,000 distinct strings."""
    rows = [[f"单位{i}", f"项目（{i}期）", "1", "2", "100 ✓", ""] for i in range(2500)]
    got = texttable.render(HEADERS, JUSTIFY, rows, 240)
    assert got is not None and got == by_rich(rows, 240)

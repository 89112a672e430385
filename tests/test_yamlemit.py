"""The direct writer of new project files (store/projectfile/yamlemit.py) gives exactly the bytes of the
round-trip dump (yamlsave.dumps) it replaces for new files: on every sample sheet, on
generated sheets, and on generated layouts full of text that needs quoting."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io

import pytest
from conftest import SAMPLE
from hypothesis import given
from hypothesis import strategies as st
from jixiao.store.projectfile import yamlemit, yamlsave
from jixiao.store.projectfile.safeyaml import round_trip
from jixiao.store.sheet.model import Sheet, SheetLayout
from jixiao.store.tab import tabfile
from test_properties import CELL, FAST, sheets

SAMPLE_SHEETS, _ = tabfile.parse(SAMPLE.read_bytes(), SAMPLE.name)


def same_bytes(sheet) -> None:  # noqa: ANN001
    """The direct writer's own text, where it gives one, is the round-trip dump's (not just
    the result after the safety net); and so is what new files get."""
    want = yamlsave.dumps(sheet)
    with contextlib.suppress(yamlemit.Declined):
        assert yamlemit.emit(sheet) == want
    assert yamlemit.dumps_new(sheet) == want


def over_several_lines(sheet: Sheet) -> bool:
    """Whether a field of the sheet holds a line break that the round-trip dump writes as
    one (a block or single-quoted scalar over several lines; not one line of double quotes
    with escapes, as when a tab or CR is there too): what yamlemit declines. Layout cells
    are made flow-safe first; yamlemit's other refusals (an empty layout mapping, a flow key
    over 100 characters) are not in what `sheets()` makes."""
    texts = [getattr(sheet, f.name) for f in dataclasses.fields(Sheet)[:9]]
    texts += dataclasses.astuple(sheet.funding)
    for ind in sheet.indicators:
        texts += ind.values()
    return any("\n" in t and _dumped_lines(t) > 1 for t in texts)


def _dumped_lines(text: str) -> int:
    """How many lines the round-trip dump's ruamel.yaml writes `k: text` over."""
    buf = io.StringIO()
    round_trip(preserve_quotes=True).dump({"k": yamlsave.to_yaml_value(text)}, buf)
    return len(buf.getvalue().splitlines())


def test_every_sample_sheet_is_written_as_the_round_trip_dump_writes_it() -> None:
    assert len(SAMPLE_SHEETS) == 16
    for sheet in SAMPLE_SHEETS:
        assert yamlemit.emit(sheet) == yamlsave.dumps(sheet), sheet.project  # not the fallback
        same_bytes(sheet)


def test_text_over_several_lines_is_left_to_the_round_trip_dump() -> None:
    sheet = copy.deepcopy(SAMPLE_SHEETS[0])
    sheet.goal = "第一行\n第二行"
    sheet.indicators[0].note = "  leading blanks\nand a second line"
    with pytest.raises(yamlemit.Declined):
        yamlemit.emit(sheet)
    same_bytes(sheet)


def test_no_indicators() -> None:
    sheet = copy.deepcopy(SAMPLE_SHEETS[0])
    sheet.indicators = []
    same_bytes(sheet)


@FAST
@given(sheets())
def test_generated_sheets(generated) -> None:  # noqa: ANN001
    for sheet in generated[0]:
        same_bytes(sheet)


@FAST
@given(sheets())
def test_the_direct_writer_declines_exactly_text_over_several_lines(generated) -> None:  # noqa: ANN001
    for sheet in generated[0]:
        try:
            yamlemit.emit(sheet)
        except yamlemit.Declined:
            assert over_several_lines(sheet), sheet
        else:
            assert not over_several_lines(sheet), sheet


@FAST
@given(sheets())
def test_generated_sheets_as_an_import_reads_them(generated) -> None:  # noqa: ANN001
    """Through the tab codec first, as import does: layouts with positions, cells, widths."""
    data = tabfile.emit(*generated)
    for sheet in tabfile.parse(data, "generated.txt")[0]:
        same_bytes(sheet)


LABEL = st.sampled_from(["单位信息", "预算项目", "项目总额", "资金来源", "a b", "x:y", "10"])
CELLS = st.tuples(st.integers(0, 30), st.integers(0, 20))


@FAST
@given(
    positions=st.dictionaries(LABEL, CELLS, max_size=3),
    labels=st.dictionaries(LABEL, CELL, max_size=3),
    widths=st.dictionaries(st.integers(0, 40), st.integers(1, 20), max_size=3),
    cells=st.dictionaries(CELLS, CELL, max_size=4),
    quoted=st.sets(CELLS, max_size=3),
    colon=st.sampled_from([":", "：", " :", ""]),
)
def test_generated_layouts(positions, labels, widths, cells, quoted, colon) -> None:  # noqa: ANN001
    sheet = copy.deepcopy(SAMPLE_SHEETS[3])
    sheet.layout = SheetLayout(
        colon=colon,
        positions=positions,
        labels=labels,
        widths=widths,
        cells=cells,
        quoted=quoted,
        title_gap=2,
        file=sheet.layout.file,
    )
    same_bytes(sheet)


@pytest.mark.parametrize("value", ["...", "...x", "---", "--- a"])
def test_text_that_starts_like_a_document_marker_is_written_as_the_dump_writes_it(
    value: str,
) -> None:
    """`...` ends a YAML document: written plain, the field would read back as nothing (the
    direct writer once wrote `银行贷款: ...` where the dump quotes it)."""
    sheet = copy.deepcopy(tabfile.parse(SAMPLE.read_bytes(), "sample.txt")[0][0])
    sheet.funding.loan = value
    sheet.indicators[0].note = value
    same_bytes(sheet)

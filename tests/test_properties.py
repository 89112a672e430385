"""Property tests of the codec and the YAML layer (hypothesis; example counts kept modest).

- generated sheets (CJK, tabs, quotes, line breaks, empty cells, number-like text, random
  layout facts) emit -> parse -> emit to the same bytes and the same values;
- the same sheets survive a trip through a YAML project file;
- parsing arbitrary bytes, or the sample with random damage, raises nothing but TabFormatError.
"""

from __future__ import annotations

import dataclasses

from conftest import SAMPLE, examples
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from jixiao.store.errors import TabFormatError
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.sheet.fields import TITLE
from jixiao.store.sheet.model import (
    INDICATOR_NAMES,
    FileLayout,
    Funding,
    Indicator,
    RowTrivia,
    Sheet,
    SheetLayout,
)
from jixiao.store.tab import tabfile

SAMPLE_BYTES = SAMPLE.read_bytes()
# The profile's settings (tests/conftest.py: HYPOTHESIS_PROFILE): examples, no deadline.
FAST = settings()

# Text a cell may hold: CJK, ASCII, the form's symbols, and the characters that force quoting.
ALPHABET = st.sampled_from(
    list("安置帮教经费人数≥≤＝定性年度目标：:abcXYZ019,.%-/ ·") + ['"', "\t", "\n", "\r", "\u3000"]
)
NUMBERISH = st.sampled_from(
    [
        "0", "10", "007", "1e3", "0.10", "1.5", "1.0", ".5", "-0", "+5", "1,000", "150,000",
        "1,00", "12,345.6", "0x1F", "1_000", "true", "no", "null", "~", "NaN", ".inf", " 10",
        "10 ", "十", "%", "'", "- a", "#x", "&a", "*a", "!x", "? x", "@", "`", "", "",
    ]
)  # fmt: skip
CELL = st.one_of(NUMBERISH, st.text(ALPHABET, max_size=12))


@st.composite
def indicators(draw: st.DrawFn, columns: int) -> Indicator:
    values = [draw(CELL) for _ in INDICATOR_NAMES]
    assume(values[0] != TITLE and any(values))
    ind = Indicator(**dict(zip(INDICATOR_NAMES, values, strict=True)))
    width = draw(st.one_of(st.none(), st.integers(9, columns + 2)))
    extra = draw(
        st.dictionaries(st.integers(10, columns + 1), st.text(ALPHABET, min_size=1, max_size=4))
    )
    quoted = draw(st.sets(st.integers(0, 9), max_size=2))
    ind.trivia = RowTrivia(width=width, cells=extra, quoted=quoted)
    return ind


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[Sheet], FileLayout]:
    file = FileLayout(
        encoding=draw(st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-16-be"])),
        bom=draw(st.booleans()),
        newline=draw(st.sampled_from(["\n", "\r\n", "\r"])),
        leading_blank_lines=draw(st.integers(0, 3)),
        trailing_blank_lines=draw(st.integers(0, 2)),
        final_newline=draw(st.booleans()),
    )
    if file.encoding.startswith("utf-16"):
        file.bom = True  # UTF-16 is only recognised by its byte-order mark
    if file.encoding == "gb18030":
        file.bom = False  # GB18030 has no byte-order mark of its own
    out = []
    for _ in range(draw(st.integers(1, 3))):
        layout = SheetLayout(
            colon=draw(st.sampled_from([":", "："])),
            columns=draw(st.sampled_from([15, 16])),
            funding_column=draw(st.sampled_from([9, 10])),
            title_gap=draw(st.integers(0, 2)),
            gap=draw(st.integers(1, 2)),
            file=file,
        )
        header = {f.name: draw(CELL) for f in dataclasses.fields(Sheet)[:9]}
        funding = Funding(**{f.name: draw(CELL) for f in dataclasses.fields(Funding)})
        n = draw(st.integers(1, 4))
        rows = [draw(indicators(layout.columns)) for _ in range(n)]
        out.append(Sheet(**header, funding=funding, indicators=rows, layout=layout))
    return out, file


def _values(sheet: Sheet) -> tuple:
    return (dataclasses.astuple(sheet.funding), [i.values() for i in sheet.indicators], sheet)


@FAST
@given(sheets())
def test_emit_parse_emit_is_stable(generated: tuple[list[Sheet], FileLayout]) -> None:
    sheets_in, file = generated
    data = tabfile.emit(sheets_in, file)
    parsed, file2 = tabfile.parse(data, "generated.txt")
    assert parsed == sheets_in  # every value, every indicator
    assert tabfile.emit(parsed, file2) == data


@FAST
@given(sheets())
def test_sheets_survive_a_yaml_project_file(generated: tuple[list[Sheet], FileLayout]) -> None:
    sheets_in, file = generated
    data = tabfile.emit(sheets_in, file)
    parsed, file2 = tabfile.parse(data, "generated.txt")
    back = []
    for sheet in parsed:
        text = yamlsave.dumps(sheet)
        loaded = yamlfile.loads(text, "p.yaml")
        assert loaded == sheet
        # Saving again over its own text changes nothing.
        assert yamlsave.dumps(loaded, text) == text
        back.append(loaded)
    assert tabfile.emit(back, file2) == data


@FAST
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_tab_format_error(data: bytes) -> None:
    try:
        sheets_out, file = tabfile.parse(data, "junk.bin")
    except TabFormatError as e:
        assert str(e).startswith("junk.bin")
        return
    assert tabfile.emit(sheets_out, file) == data


@FAST
@given(
    st.lists(
        st.sampled_from(
            [TITLE, "一级指标", "单位信息:", "预算项目：", "其中: 财政资金:", "银行贷款:", "0"]
            + list('\t\n\r"：: ,')
            + ["\r\n", "\t\t\t\t\t\t\t\t\t"]
        ),
        max_size=60,
    )
)
def test_arbitrary_text_raises_only_tab_format_error(tokens: list[str]) -> None:
    data = "".join(tokens).encode()
    try:
        sheets_out, file = tabfile.parse(data, "junk.txt")
    except TabFormatError:
        return
    assert tabfile.emit(sheets_out, file) == data


@settings(max_examples=examples(1.3))
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SAMPLE_BYTES) - 1),
            st.integers(0, 40),
            st.binary(max_size=6) | st.sampled_from([b"\t", b"\n", b'"', b"\r", b"\xe7\xbb", b""]),
        ),
        min_size=1,
        max_size=3,
    )
)
def test_damaged_sample_raises_only_tab_format_error(edits: list[tuple[int, int, bytes]]) -> None:
    data = SAMPLE_BYTES
    for pos, cut, new in edits:
        data = data[:pos] + new + data[pos + cut :]
    try:
        sheets_out, file = tabfile.parse(data, "damaged.txt")
    except TabFormatError as e:
        assert "\n" not in str(e)
        return
    assert tabfile.emit(sheets_out, file) == data


@FAST
@given(
    st.lists(
        st.tuples(st.integers(0, SAMPLE_BYTES.count(b"\n")), st.integers(0, 15), CELL),
        min_size=1,
        max_size=4,
    )
)
def test_sample_with_edited_cells_round_trips(edits: list[tuple[int, int, str]]) -> None:
    """Random cells of the sample rewritten (Excel-quoted where needed): parse -> emit exact."""
    from jixiao.store.tab import tabcodec

    lines = SAMPLE_BYTES.decode().split("\n")
    for idx, col, text in edits:
        if not lines[idx]:
            continue
        cells = lines[idx].split("\t")
        if col >= len(cells):
            continue
        cells[col] = tabcodec.quote(text) if tabcodec.needs_quotes(text) else text
        lines[idx] = "\t".join(cells)
    data = "\n".join(lines).encode()
    try:
        parsed, file = tabfile.parse(data, "edited.txt")
    except TabFormatError:
        return
    assert tabfile.emit(parsed, file) == data


@FAST
@given(sheets(), sheets(), st.integers(0, 5))
def test_saving_one_sheet_over_another_gives_the_new_values_and_keeps_comments(
    a: tuple[list[Sheet], FileLayout], b: tuple[list[Sheet], FileLayout], where: int
) -> None:
    """Any edit, saved over a hand-commented file: the file reads back as the new sheet."""
    old, new = a[0][0], b[0][0]
    lines = yamlsave.dumps(old).splitlines(keepends=True)
    starts = [k for k, ln in enumerate(lines) if ln.startswith("- ")] + [len(lines) - 6]
    lines.insert(starts[where % len(starts)], "# 手写注释\n")
    text = "# 顶部注释\n" + "".join(lines)
    out = yamlsave.dumps(new, text)
    assert yamlfile.loads(out, "p.yaml") == new
    assert out.startswith("# 顶部注释\n")
    assert out.count("# 手写注释\n") == 1

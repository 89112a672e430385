"""The promise: import then export of the sample gives the same bytes."""

from __future__ import annotations

from conftest import SAMPLE
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.tab import tabfile


def test_sample_parses_into_16_sheets(sample_bytes: bytes) -> None:
    sheets, file = tabfile.parse(sample_bytes, SAMPLE.name)
    assert len(sheets) == 16
    assert [s.project for s in sheets][:2] == ["安置帮教工作经费", "第一书记和驻村工作队工作经费"]
    assert file.leading_blank_lines == 2 and not file.final_newline
    first = sheets[0]
    assert first.total == "150,000"
    assert first.funding.fiscal == "150,000"
    assert first.indicators[0].level3 == "接收安置帮教人数"
    assert first.indicators[5].weight == "" and first.indicators[5].annual_weight == "10"


def test_codec_round_trip_is_byte_identical(sample_bytes: bytes) -> None:
    sheets, file = tabfile.parse(sample_bytes, SAMPLE.name)
    assert tabfile.emit(sheets, file) == sample_bytes


def test_yaml_round_trip_keeps_every_value(sample_bytes: bytes) -> None:
    sheets, file = tabfile.parse(sample_bytes, SAMPLE.name)
    back = [yamlfile.loads(yamlsave.dumps(s), "x.yaml") for s in sheets]
    assert back == sheets
    assert tabfile.emit(back, file) == sample_bytes


def test_workspace_import_export_is_byte_identical(workspace, sample_bytes: bytes) -> None:
    refs = workspace.projects()
    assert len(refs) == 16
    assert workspace.export([workspace.load(r) for r in refs]) == sample_bytes


def test_sheets_with_no_blank_line_between_them_round_trip(sample_bytes: bytes) -> None:
    """Some exports run sheets together; the gap (0, 1 or 2 blank lines) is layout data."""
    data = sample_bytes + b"\n" + sample_bytes[2:] + b"\n\n\n" + sample_bytes[2:]
    sheets, file = tabfile.parse(data, "joined.txt")
    assert len(sheets) == 48
    assert sheets[15].layout.gap == 0 and sheets[31].layout.gap == 2
    assert tabfile.emit(sheets, file) == data


def test_the_demo_sample_is_the_real_sample() -> None:
    from importlib import resources

    packaged = resources.files("jixiao.store.sample").joinpath("dazhu-sifaju-2024.txt").read_bytes()
    assert packaged == SAMPLE.read_bytes()

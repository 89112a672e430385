"""Errors as data: a project file's error carries its file, line and detail as fields, every
error class lives in store/errors.py under JixiaoError, and a diff's lines say what they are."""

from __future__ import annotations

import inspect

import pytest
from _sample import sample_sheets
from jixiao.store import errors
from jixiao.store.errors import JixiaoError, ProjectFileError
from jixiao.store.merge.diff import diff_sheets, project_lines
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.workspace.checking import check_projects, workspace_inputs


def test_a_project_file_error_names_file_line_and_detail_as_fields() -> None:
    text = yamlsave.dumps(sample_sheets()[0]).replace("主管部门:", "主管部门x:", 1)
    line = 1 + text.splitlines().index(
        next(x for x in text.splitlines() if x.startswith("主管部门x"))
    )
    with pytest.raises(ProjectFileError) as e:
        yamlfile.loads(text, "store/u/p.yaml")
    assert (e.value.file, e.value.line) == ("store/u/p.yaml", line)
    assert e.value.detail.startswith("未知的键 '主管部门x'")
    assert str(e.value) == f"store/u/p.yaml:{line}: {e.value.detail}"


def test_check_reports_a_broken_file_at_its_line_without_parsing_the_message(workspace) -> None:
    ref = workspace.projects()[0]
    ref.path.write_text("单位信息: [unclosed\n", encoding="utf-8")
    (report,) = [r for r in check_projects(workspace_inputs(workspace, [ref])) if r.code == "E001"]
    assert report.file == ref.rel and report.line == 2
    assert report.message.startswith("YAML 格式有误")


def test_every_error_class_is_in_errors_and_is_a_jixiao_error() -> None:
    classes = [
        c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__
    ]
    assert len(classes) >= 8
    assert all(issubclass(c, JixiaoError) for c in classes)


def test_diff_lines_say_what_they_are() -> None:
    old, new = sample_sheets()[0], sample_sheets()[0]
    new.indicators[0].note = "改过"
    del new.indicators[-1]
    lines = project_lines(diff_sheets(old, new))
    kind_of = {text.lstrip()[:2]: kind for kind, text in lines}
    assert lines[0][0] == "title" and lines[0][1].startswith("~ ")
    assert kind_of["- "] == "removed" and kind_of["~ "] == "changed"
    weights = diff_sheets(old, new).weight_after
    assert weights is not None and not weights.ok  # the removed row took its weight along
    assert lines[-1] == (
        "weights-bad",
        f"    权重合计: {diff_sheets(old, new).weight_before} → {weights}",
    )

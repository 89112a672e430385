"""`jixiao check --format codequality|sarif|junit|github`: each format read back the way its
forge reads it, on a real workspace holding the sample."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import junitparser
from conftest import git
from jixiao import cli
from jixiao.store.forge.report import escape_data, escape_property, github, junit
from jixiao.store.rules.profile import CODES, DEFAULT_PROFILE
from jixiao.store.workspace.checking import Report
from typer.testing import CliRunner

runner = CliRunner()
FORMATS = ("text", "json", "codequality", "sarif", "junit", "github")
FILE = "store/135001-大竹县司法局/安置帮教工作经费.yaml"


def run(root: Path, *args: str, env: dict | None = None):
    return runner.invoke(cli.app, ["-C", str(root), *args], env=env)


def findings(root: Path) -> list[dict]:
    return json.loads(run(root, "check", "--format", "json").stdout)


# SARIF 2.1.0's required structure, as the official schema (sarif-schema-2.1.0.json) states
# it for the parts jixiao writes. No PyPI package ships the schema file and nothing else may
# be downloaded here, so this is the schema's `required`, `enum` and type constraints copied
# by hand: sarifLog, run, tool, toolComponent, reportingDescriptor, multiformatMessageString,
# reportingConfiguration, result, message, location, physicalLocation, artifactLocation,
# region.
_TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
_LEVEL = {"enum": ["none", "note", "warning", "error"]}
SARIF_SHAPE = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string", "format": "uri"},
        "version": {"enum": ["2.1.0"]},
        "runs": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["tool"],
                "properties": {
                    "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "name": {"type": "string"},
                                    "version": {"type": "string"},
                                    "rules": {
                                        "type": "array",
                                        "uniqueItems": True,
                                        "items": {
                                            "type": "object",
                                            "required": ["id"],
                                            "properties": {
                                                "id": {"type": "string"},
                                                "name": {"type": "string"},
                                                "shortDescription": _TEXT,
                                                "fullDescription": _TEXT,
                                                "help": _TEXT,
                                                "defaultConfiguration": {
                                                    "type": "object",
                                                    "properties": {
                                                        "enabled": {"type": "boolean"},
                                                        "level": _LEVEL,
                                                    },
                                                },
                                            },
                                        },
                                    },
                                },
                            }
                        },
                    },
                    "results": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["message"],
                            "properties": {
                                "ruleId": {"type": "string"},
                                "ruleIndex": {"type": "integer", "minimum": -1},
                                "level": _LEVEL,
                                "message": {
                                    "type": "object",
                                    "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
                                },
                                "locations": {
                                    "type": "array",
                                    "items": {
                                        "type": "object",
                                        "properties": {
                                            "physicalLocation": {
                                                "type": "object",
                                                "anyOf": [
                                                    {"required": ["address"]},
                                                    {"required": ["artifactLocation"]},
                                                ],
                                                "properties": {
                                                    "artifactLocation": {
                                                        "type": "object",
                                                        "properties": {
                                                            "uri": {
                                                                "type": "string",
                                                                "format": "uri-reference",
                                                            }
                                                        },
                                                    },
                                                    "region": {
                                                        "type": "object",
                                                        "properties": {
                                                            "startLine": {
                                                                "type": "integer",
                                                                "minimum": 1,
                                                            }
                                                        },
                                                    },
                                                },
                                            }
                                        },
                                    },
                                },
                                "partialFingerprints": {
                                    "type": "object",
                                    "additionalProperties": {"type": "string"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def test_codequality_holds_every_finding_with_gitlab_keys(workspace) -> None:
    result = run(workspace.root, "check", "--format", "codequality")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert len(report) == len(findings(workspace.root)) == 15
    for item in report:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(item)
        assert item["severity"] in {"major", "minor", "info"}
        assert isinstance(item["location"]["lines"]["begin"], int)
        assert (workspace.root / item["location"]["path"]).is_file()
    assert {i["severity"] for i in report} == {"minor", "info"}
    assert len({i["fingerprint"] for i in report}) == len(report)
    assert "检查了 16 个项目" in result.stderr


def _move_row_down(path: Path, row: int) -> None:
    """Swap indicator `row` (1-based) with the one below it, in the file's text."""
    lines = path.read_text(encoding="utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("- 一级指标:")]
    end = next(i for i in range(starts[-1] + 1, len(lines)) if not lines[i].startswith(" "))
    bounds = starts + [end]
    a = lines[bounds[row - 1] : bounds[row]]
    b = lines[bounds[row] : bounds[row + 1]]
    lines[bounds[row - 1] : bounds[row + 1]] = b + a
    path.write_text("\n".join(lines), encoding="utf-8")


def test_fingerprints_stay_when_an_indicator_moves_down_a_row(workspace) -> None:
    def prints() -> dict[str, tuple[int, str]]:
        report = json.loads(run(workspace.root, "check", "--format", "codequality").stdout)
        return {
            i["fingerprint"]: (i["location"]["lines"]["begin"], i["check_name"]) for i in report
        }

    before = prints()
    _move_row_down(workspace.root / FILE, 3)  # W113 is on row 3 of this project
    w113 = next(f for f in findings(workspace.root) if f["code"] == "W113" and f["file"] == FILE)
    assert w113["row"] == 4
    after = prints()
    assert set(after) == set(before)
    moved = [fp for fp in after if after[fp] != before[fp]]
    assert [after[fp][1] for fp in moved] == ["W113"]  # its line changed, its print did not


def test_the_same_finding_twice_gets_two_fingerprints(workspace) -> None:
    path = workspace.root / FILE
    text = path.read_text(encoding="utf-8")
    # a 三级指标 written twice: W141 and the row's other findings, doubled
    path.write_text(text.replace("三级指标: 维护社会稳定", "三级指标: 本年度按时接收安置帮教人员"))
    report = json.loads(run(workspace.root, "check", "--format", "codequality").stdout)
    prints = [i["fingerprint"] for i in report]
    assert len(set(prints)) == len(prints)
    again = json.loads(run(workspace.root, "check", "--format", "codequality").stdout)
    assert [i["fingerprint"] for i in again] == prints  # deterministic


def test_sarif_has_every_rule_and_validates(workspace) -> None:
    result = run(workspace.root, "check", "--format", "sarif")
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    jsonschema.validate(log, SARIF_SHAPE, format_checker=jsonschema.FormatChecker())
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CODES)
    e101 = next(r for r in rules if r["id"] == "E101")
    assert e101["shortDescription"]["text"] == "权重合计不对"
    assert "如何修改" in e101["fullDescription"]["text"] == e101["help"]["text"]
    results = run_["results"]
    assert len(results) == 15
    assert {r["level"] for r in results} == {"warning", "note"}
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
        loc = r["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith("/")
        assert loc["region"]["startLine"] >= 1
    prints = [next(iter(r["partialFingerprints"].values())) for r in results]
    assert len(set(prints)) == len(prints)


def test_junit_is_read_by_a_junit_reader(workspace, tmp_path: Path) -> None:
    out = tmp_path / "junit.xml"
    result = run(workspace.root, "check", "--format", "junit", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = list(xml)
    assert len(suites) == 16  # one per project
    suite = next(s for s in suites if s.name == FILE)
    cases = {c.name.split()[0]: c for c in suite}
    assert "E101" in cases and "I161" in cases  # one case per rule run
    assert cases["E101"].is_passed
    [failure] = cases["W113"].result
    assert failure.type == "warning" and "可持续发展指标" in failure.message
    failures = [r for s in suites for c in s for r in c.result]
    assert len(failures) == 15


def test_github_lines_only_on_stdout_summary_elsewhere(workspace, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    result = run(
        workspace.root, "check", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    lines = result.stdout.splitlines()
    assert len(lines) == 15
    assert all(line.startswith(("::warning file=", "::notice file=")) for line in lines)
    assert "权重(%25)为空" in result.stdout  # % in the message is escaped
    assert "检查了 16 个项目" in result.stderr and "检查了 16 个项目" in summary.read_text()


def test_github_escaping() -> None:
    r = Report("E101", "error", "store/a,b:c/x%.yaml", 7, "p", None, "50%\r\n: , done")
    [line] = github([r])
    assert line == "::error file=store/a%2Cb%3Ac/x%25.yaml,line=7,title=E101::50%25%0D%0A: , done"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    assert escape_data("a:b,c") == "a:b,c"


def test_every_format_exits_as_text_does(workspace) -> None:
    path = workspace.root / FILE
    path.write_text(path.read_text(encoding="utf-8").replace("本年权重: 10", "本年权重: 15", 1))
    for fmt in FORMATS:
        result = run(workspace.root, "check", "--format", fmt)
        assert result.exit_code == 1, fmt
        assert "E101" in result.stdout, fmt
    cq = json.loads(run(workspace.root, "check", "--format", "codequality").stdout)
    assert next(i for i in cq if i["check_name"] == "E101")["severity"] == "major"
    gh = run(workspace.root, "check", "--format", "github").stdout
    assert "::error file=" in gh and "title=E101::" in gh


def test_output_file_is_refused_like_export(workspace, tmp_path: Path) -> None:
    result = run(workspace.root, "check", "--format", "sarif", "-o", str(tmp_path / "no" / "x"))
    assert result.exit_code == 2
    assert "不存在" in result.stderr
    out = tmp_path / "gl-code-quality-report.json"
    assert run(workspace.root, "check", "--format", "codequality", "-o", str(out)).exit_code == 0
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 15


def test_staged_files_are_reported_as_the_index_holds_them(committed) -> None:
    path = committed.root / FILE
    path.write_text(path.read_text(encoding="utf-8").replace("本年权重: 10", "本年权重: 15", 1))
    git(committed.root, "add", FILE)
    path.write_text("not yaml: [\n", encoding="utf-8")  # the working tree differs: not judged
    result = run(committed.root, "check", "--staged", "--format", "codequality")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert {i["check_name"] for i in report} >= {"E101"} and "E001" not in result.stdout
    junit = run(committed.root, "check", "--staged", "--format", "junit").stdout
    assert junit.count("<testsuite ") == 1


def test_junit_holds_control_characters_and_markup_as_text(tmp_path: Path) -> None:
    r = Report("E151", "error", "store/u/p.yaml", 3, "p", None, "「a\x1b[31m<b>&\x07」为空")
    out = tmp_path / "j.xml"
    out.write_text(junit([r], ["store/u/p.yaml"], DEFAULT_PROFILE), encoding="utf-8")
    [suite] = list(junitparser.JUnitXml.fromfile(str(out)))
    [failure] = next(c for c in suite if c.name.startswith("E151")).result
    assert failure.message == "「a␛[31m<b>&␇」为空"

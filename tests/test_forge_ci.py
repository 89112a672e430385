"""`jixiao init --ci gitlab|gitea|github`: a CI file each forge accepts (checked against the
schemas GitLab and GitHub publish, as check-jsonschema vendors them), never overwritten."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

import jsonschema
import pytest
from jixiao import cli
from jixiao.store.forge.ci import FILES
from ruamel.yaml import YAML
from typer.testing import CliRunner

runner = CliRunner()
SCHEMA = {"gitlab": "gitlab-ci", "github": "github-workflows", "gitea": "github-workflows"}


@cache
def schema(name: str) -> dict:
    path = files("check_jsonschema") / "builtin_schemas" / "vendor" / f"{name}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def errors(doc: object, name: str) -> list[str]:
    s = schema(name)
    return [e.message for e in jsonschema.validators.validator_for(s)(s).iter_errors(doc)]


@pytest.mark.parametrize("forge", ["gitlab", "gitea", "github"])
def test_init_ci_writes_a_file_the_forge_accepts(workspace, forge: str) -> None:
    result = runner.invoke(cli.app, ["-C", str(workspace.root), "init", "--ci", forge])
    assert result.exit_code == 0, result.output
    path = workspace.root / FILES[forge]
    doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert errors(doc, SCHEMA[forge]) == []
    if forge == "gitlab":
        job = doc["jixiao"]
        assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
        assert job["artifacts"]["reports"]["junit"] == "jixiao-junit.xml"
        script = "\n".join(job["script"])
        assert "--format codequality -o gl-code-quality-report.json" in script
        assert "jixiao diff --format markdown" in script
        assert "pip install" in " ".join(job["before_script"])
    else:
        assert "on" in doc and "jobs" in doc
        steps = doc["jobs"]["jixiao"]["steps"]
        runs = "\n".join(s.get("run", "") for s in steps)
        assert "pip install" in runs and "jixiao check --format github" in runs
        assert "jixiao diff --format markdown" in runs
        assert any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
    # the schemas are really applied: a report that is not a path, a step that is no step
    assert errors(
        {"jixiao": {"script": ["x"], "artifacts": {"reports": {"codequality": 5}}}}, "gitlab-ci"
    )
    assert errors(
        {"on": "push", "jobs": {"a": {"runs-on": "x", "steps": [{"no": 1}]}}}, SCHEMA["github"]
    )


def test_an_existing_ci_file_is_never_overwritten(workspace) -> None:
    path = workspace.root / ".gitlab-ci.yml"
    path.write_text("stages: [build]\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["-C", str(workspace.root), "init", "--ci", "gitlab"])
    assert result.exit_code == 0
    assert path.read_text(encoding="utf-8") == "stages: [build]\n"
    assert ".gitlab-ci.yml 已存在，jixiao 没有改动它" in result.stderr
    job = YAML(typ="safe").load(result.stdout)  # what to add: the job alone
    assert list(job) == ["jixiao"] and errors({"stages": ["test"], **job}, "gitlab-ci") == []


def test_init_ci_needs_a_workspace(tmp_path) -> None:
    result = runner.invoke(cli.app, ["-C", str(tmp_path), "init", "--ci", "github"])
    assert result.exit_code == 2
    assert not (tmp_path / ".github").exists()

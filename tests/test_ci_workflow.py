"""The CI workflow for the forge (.github/workflows/ci.yml) cannot run here; this keeps it valid
YAML that runs the README's install and test commands on Linux, Windows and macOS."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "ci.yml"


def test_the_workflow_parses_and_runs_the_suite_on_three_systems() -> None:
    data = YAML(typ="safe", pure=True).load(WORKFLOW.read_text("utf-8"))
    assert set(data["on"]) == {"push", "pull_request"}
    job = data["jobs"]["test"]
    matrix = job["strategy"]["matrix"]
    assert matrix["os"] == ["ubuntu-latest", "windows-latest", "macos-latest"]
    assert matrix["python"] == ["3.11", "3.12"]  # strings: 3.10 would read as 3.1
    assert job["runs-on"] == "${{ matrix.os }}"
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("pip install -e '.[test]'" in run for run in runs)
    assert runs[-1] == "pytest"
    uses = [step["uses"] for step in job["steps"] if "uses" in step]
    assert uses == ["actions/checkout@v4", "actions/setup-python@v5"]

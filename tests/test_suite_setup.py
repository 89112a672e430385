"""The suite's own set-up (issue 24): `pytest` runs on every core and names its slowest tests,
the tmux tests share one worker, property tests follow the chosen hypothesis profile, and the
jixiao processes the tests start read bytecode instead of compiling their modules again."""

from __future__ import annotations

import importlib.util
import os
import tomllib

import pytest
from conftest import ROOT
from hypothesis import settings


def test_pytest_runs_on_every_core_and_names_the_slowest_ten() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    addopts = pyproject["tool"]["pytest"]["ini_options"]["addopts"].split()
    assert addopts[addopts.index("-n") + 1] == "auto"
    assert addopts[addopts.index("--dist") + 1] == "loadgroup"  # honours xdist_group
    assert "--durations=10" in addopts


def test_the_tmux_tests_share_one_worker(request: pytest.FixtureRequest) -> None:
    terminal = [i for i in request.session.items if "tmux_server" in i.fixturenames]
    if not terminal:
        pytest.skip("no tmux test in this run")
    for item in terminal:  # pyproject's --dist loadgroup keeps a group on one worker
        assert item.get_closest_marker("xdist_group").args == ("terminal",), item.nodeid
    assert "tests/test_tui_tmux.py" in {i.nodeid.split("::")[0] for i in terminal}


def test_property_tests_follow_the_profile_named(request: pytest.FixtureRequest) -> None:
    named = request.config.getoption("hypothesis_profile", None)
    named = named or os.environ.get("HYPOTHESIS_PROFILE", "ci")
    assert settings.default.max_examples == settings.get_profile(named).max_examples
    ci, nightly = settings.get_profile("ci"), settings.get_profile("nightly")
    assert ci.max_examples < 100 < nightly.max_examples  # fewer and more than hypothesis's own
    assert ci.deadline is None and nightly.deadline is None  # a loaded machine is no failure


def test_jixiaos_modules_are_byte_compiled_for_the_processes_the_tests_start() -> None:
    for source in ("cli.py", "store/workspace/workspace.py", "tui/app.py", "tui/screens/disk.py"):
        cached = importlib.util.cache_from_source(str(ROOT / source))
        assert os.path.getmtime(cached) >= os.path.getmtime(ROOT / source), source

"""A damaged cache is rebuilt, never an error: every record of every cache file, replaced by
values of the wrong shape, leaves list, check and export exactly as with no cache at all."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_workspace
from jixiao import cli
from jixiao.store.git import hooks
from typer.testing import CliRunner

WRONG = ["x", [["a"]], {"k": [1]}, None, -1, 10**30, True, 1.5]


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory, imported_template: Path) -> Path:
    """`jixiao init` and an import of the sample (a copy of the run's template, the hooks
    installed as init installs them), with a profile that fills settings.json's cache."""
    root = copy_workspace(imported_template, tmp_path_factory.mktemp("cache") / "ws").root
    hooks.install_pre_commit(root)
    profile = "profile:\n  weight_total: 100\n  disable: [I161]\n"
    settings = root / "jixiao.yaml"
    settings.write_text(settings.read_text().replace("profile: {}\n", profile), encoding="utf-8")
    return root


def _outputs(ws: Path) -> list[tuple[int, str]]:
    out = []
    for args in (["list", "--format", "json"], ["check", "--format", "json"], ["export"]):
        r = CliRunner().invoke(cli.app, ["-C", str(ws), *args])
        assert r.exception is None or isinstance(r.exception, SystemExit), r.output
        out.append((r.exit_code, r.stdout))
    return out


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Paths to every value of the first two records of each mapping and list, recursively."""
    out = [prefix] if prefix else []
    if isinstance(data, dict):
        for k in list(data)[:2] + [k for k in data if k in ("rest", "order", "profile")]:
            out += _paths(data[k], (*prefix, k))
    elif isinstance(data, list):
        for i in range(min(len(data), 2)):
            out += _paths(data[i], (*prefix, i))
        if len(data) > 5:
            out += _paths(data[5], (*prefix, 5))
    return list(dict.fromkeys(out))


def _set(data: Any, path: tuple, value: Any) -> Any:
    data = copy.deepcopy(data)
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return data


# The shapes the issue found crashing or misleading, always among the cases.
KNOWN = [
    ("projects.json", "seen", "x"),
    ("summaries.json", 4, "x"),
    ("settings.json", "order", [["a"]]),
    ("settings.json", "profile", "x"),
]


def _cases(ws: Path) -> list[tuple[Path, tuple, Any]]:
    """One wrong value per path (taking turns through WRONG), plus KNOWN."""
    cases = []
    for f in sorted((ws / ".jixiao-cache").glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        paths = [(key,) for key in data if key not in ("format", "code")]
        paths += [p for (key,) in list(paths) for p in _paths(data[key], (key,))]
        for k, path in enumerate(dict.fromkeys(paths)):
            cases.append((f, path, WRONG[k % len(WRONG)]))
            cases += [
                (f, path, v) for name, last, v in KNOWN if f.name == name and path[-1] == last
            ]
    return cases


# Every cache file list, check and export write (one test each, so they spread over workers).
CACHE_FILES = ["findings.json", "projects.json", "settings.json", "summaries.json"]


def test_the_cases_cover_every_cache_file(ws: Path) -> None:
    _outputs(ws)  # builds every cache
    cases = _cases(ws)
    assert sorted({f.name for f, _, _ in cases}) == CACHE_FILES and len(cases) > 30


@pytest.mark.parametrize("name", CACHE_FILES)
def test_every_wrong_shape_in_the_cache_is_rebuilt(ws: Path, name: str) -> None:
    expected = _outputs(ws)  # builds every cache
    assert _outputs(ws) == expected  # and reads them
    cases = [case for case in _cases(ws) if case[0].name == name]
    assert cases
    originals = {f: f.read_bytes() for f in (ws / ".jixiao-cache").glob("*.json")}
    failures = []
    for f, path, value in cases:
        data = json.loads(originals[f])
        f.write_text(json.dumps(_set(data, path, value), ensure_ascii=False), encoding="utf-8")
        got = _outputs(ws)
        if got != expected:
            failures.append((f.name, path, value, [g[0] for g in got]))
        for g, orig in originals.items():  # the next case starts from the good cache again
            g.write_bytes(orig)
    assert not failures, failures[:10]

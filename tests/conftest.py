"""Shared fixtures: the real sample, and real workspaces (git repositories) in tmp_path.

Building a workspace (git init, import the 16 sheets, commit) costs far more than copying one,
so each kind is built once per test run and every test gets its own copy.

Property tests run the hypothesis profile HYPOTHESIS_PROFILE names: "ci" (the default, few
examples so the suite stays quick) or "nightly" (many more, for a nightly or explicit run).
"""

from __future__ import annotations

import asyncio
import compileall
import functools
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import jixiao.store.sample
import pytest
from _terminal import start, tmux_server  # noqa: F401 (fixtures: the tmux tests')
from hypothesis import HealthCheck, settings
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace

SAMPLE = Path(jixiao.store.sample.__file__).parent / "dazhu-sifaju-2024.txt"  # the bundled sample
ROOT = Path(__file__).resolve().parent.parent  # the repository
NOT_OURS = re.compile(r"[/\\](\.[^/\\]+|tests|build)[/\\]")  # .venv, .git, tests, build
IDENTITY = {
    "GIT_AUTHOR_NAME": "jixiao tests",
    "GIT_AUTHOR_EMAIL": "tests@example.invalid",
    "GIT_COMMITTER_NAME": "jixiao tests",
    "GIT_COMMITTER_EMAIL": "tests@example.invalid",
}

POLL = "0.05"  # seconds between the editor's looks at the disk in tests (JIXIAO_POLL_SECONDS)

settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,  # a loaded machine is slow now and then; that is no failure
    database=None,  # nothing written under .hypothesis/ by parallel workers
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Tests in a real terminal (every test on the tmux server of tests/_terminal.py) run one after
# another on one worker (pyproject's `--dist loadgroup`): one tmux server a run, and never two
# terminals drawing at once while each waits on its screen with a wall-clock deadline.
TERMINAL = pytest.mark.xdist_group("terminal")


def pytest_configure(config: pytest.Config) -> None:
    """Byte-compile jixiao's own modules once per run, before any worker starts.

    Hundreds of tests start the real `jixiao` (the CLI, git's hooks and drivers), and each
    start compiled every module it imports again where PYTHONDONTWRITEBYTECODE is set (as
    on our CI machine): a fifth of its time. An installed wheel has its bytecode; this
    writes the same, to the usual __pycache__ folders, and only where a source changed."""
    if hasattr(config, "workerinput"):  # an xdist worker: the controller did it
        return
    compileall.compile_dir(ROOT, maxlevels=3, quiet=1, rx=NOT_OURS)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (pyproject's addopts): two workers per core. A worker spends about half of
    its time waiting (on the processes its test started, the editor's timers, a terminal),
    so one per core leaves the cores idle a quarter of the run; more than two per core only
    adds each worker's start. PYTEST_XDIST_AUTO_NUM_WORKERS, if set, decides instead."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own answer reads it
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1)


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups off the items
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tmux_server" in getattr(item, "fixturenames", ()):
            item.add_marker(TERMINAL)


def examples(times: float) -> int:
    """`times` the profile's example count, for a property much cheaper or dearer than most."""
    return max(1, round(settings.default.max_examples * times))


@pytest.fixture(autouse=True)
def _git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests commit in throw-away repositories; give git an identity that works anywhere."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, env=os.environ
    ).stdout


def git_proc(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A git command that may fail: its exit code and output, for the test to judge."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=os.environ)


def sync(test: Callable) -> Callable:
    """Run an async test on a fresh event loop (no asyncio plugin is needed)."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


def copy_workspace(template: Path, root: Path) -> Workspace:
    """A copy of a template workspace (its git repository and cache included) at `root`.

    Files get fresh times (shutil.copy, not copy2), as if just written: the copy is as new
    as the workspace the fixture used to build, so cache tests see the same racy window."""
    shutil.copytree(template, root, symlinks=True, copy_function=shutil.copy)
    return Workspace(root)


@pytest.fixture
def fast_poll(monkeypatch: pytest.MonkeyPatch) -> str:
    """The editor looks at the disk every 50 ms instead of every second, so a test of what it
    does about a change on disk waits a poll, not a second. Returns the interval."""
    monkeypatch.setenv("JIXIAO_POLL_SECONDS", POLL)
    return POLL


@pytest.fixture
def sample_bytes() -> bytes:
    return SAMPLE.read_bytes()


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`jixiao init` of a new folder (a dozen git processes), once per run (tests use copies:
    `empty_workspace`)."""
    root = tmp_path_factory.mktemp("empty") / "ws"
    Workspace.init(root)
    return root


@pytest.fixture(scope="session")
def imported_template(tmp_path_factory: pytest.TempPathFactory, empty_template: Path) -> Path:
    """init + import of the sample, once per run (tests use copies: `workspace`)."""
    root = tmp_path_factory.mktemp("imported") / "ws"
    import_files(copy_workspace(empty_template, root), [SAMPLE])
    return root


@pytest.fixture(scope="session")
def committed_template(tmp_path_factory: pytest.TempPathFactory, imported_template: Path) -> Path:
    """The imported sample committed, once per run (tests use copies: `committed`)."""
    root = tmp_path_factory.mktemp("committed") / "ws"
    shutil.copytree(imported_template, root, symlinks=True, copy_function=shutil.copy)
    env = {**os.environ, **IDENTITY}
    for args in (["add", "-A"], ["commit", "-qm", "2024 批复"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    return root


@pytest.fixture
def empty_workspace(tmp_path: Path, empty_template: Path) -> Workspace:
    """A new workspace as `jixiao init` leaves it (nothing imported), at tmp_path / "ws"."""
    return copy_workspace(empty_template, tmp_path / "ws")


@pytest.fixture
def workspace(tmp_path: Path, imported_template: Path) -> Workspace:
    """An initialized workspace holding the imported sample (not committed)."""
    return copy_workspace(imported_template, tmp_path / "ws")


@pytest.fixture
def committed(tmp_path: Path, committed_template: Path) -> Workspace:
    """A workspace holding the imported sample, committed to git."""
    return copy_workspace(committed_template, tmp_path / "ws")


async def wait_until(pilot, condition: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ANN001
    """Let the app run until `condition()` holds (a worker, a timer: things that take time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"waited {timeout} s for {condition.__doc__ or condition}")
        await pilot.pause(0.02)


async def settle(pilot, rounds: int = 100) -> None:  # noqa: ANN001
    """Let the app handle every message pending, including those its handlers post in turn
    (raw key events posted to the app hop app -> screen -> widget)."""
    for _ in range(rounds):
        await pilot.pause()
        app = pilot.app
        if all(n._message_queue.empty() for n in (app, *app.screen.walk_children(with_self=True))):
            return
    raise AssertionError("the app kept posting messages")


def palette_hit(app, text: str) -> bool:  # noqa: ANN001
    """Whether the command palette has found `text` and highlights it (Enter would run it)."""
    from textual.command import CommandList, CommandPalette

    if not isinstance(app.screen, CommandPalette):
        return False
    hits = app.screen.query_one(CommandList)
    k = hits.highlighted
    return k is not None and text in str(hits.get_option_at_index(k).prompt)


async def at_cell(pilot, row: int, name: str):  # noqa: ANN001, ANN201
    """The open project's table focused on one cell (row, field name); returns the screen."""
    screen = pilot.app.main
    assert screen is not None
    screen.pane.table.go(row, name)
    screen.pane.table.focus()
    await pilot.pause()
    return screen

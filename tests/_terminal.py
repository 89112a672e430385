"""Driving the installed `jixiao edit` in a real terminal (tmux): one tmux server per test
run, a session per test at the size it needs, and waits that poll the screen with a deadline.
Tests take the `start` fixture (import it and `tmux_server` into the test module)."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from jixiao.store.workspace.workspace import Workspace

JIXIAO = Path(sys.executable).parent / "jixiao"  # the venv's installed program

needs_tmux = pytest.mark.skipif(
    shutil.which("tmux") is None or not JIXIAO.exists(),
    reason="needs tmux (apt-get install -y tmux) and jixiao installed in the venv",
)


class Terminal:
    """One tmux session running `jixiao edit`."""

    def __init__(self, socket: str, name: str) -> None:
        self.socket, self.name = socket, name

    def tmux(self, *args: str, stdin: str | None = None) -> str:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
            input=stdin,
        ).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def send(self, *keys: str) -> None:
        """The keys in one write, as fast hands (or a paste of keystrokes) type them."""
        self.tmux("send-keys", "-t", self.name, *keys)

    def paste(self, text: str) -> None:
        """A bracketed paste, as the terminal sends ctrl+shift+v (tmux ends lines with CR)."""
        self.tmux("load-buffer", "-b", "jixiao-test", "-", stdin=text)
        self.tmux("paste-buffer", "-p", "-d", "-b", "jixiao-test", "-t", self.name)

    def wait(self, want: str | Callable[[str], bool], timeout: float = 15.0) -> str:
        """The screen once it shows `want` (or `want(screen)` holds)."""
        holds = want if callable(want) else (lambda screen: want in screen)
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{want!r} did not appear on the screen:\n{screen}")


@pytest.fixture(scope="session")
def tmux_server() -> Iterator[str]:
    socket = f"jixiao-editor-{uuid.uuid4().hex[:8]}"
    base = ["tmux", "-L", socket, "-f", "/dev/null"]
    subprocess.run([*base, "new-session", "-d", "-s", "keep"], check=True, timeout=10)
    # Programs inside may set the clipboard (OSC 52); tmux keeps it as a paste buffer.
    subprocess.run([*base, "set-option", "-g", "set-clipboard", "on"], check=True, timeout=10)
    yield socket
    subprocess.run([*base, "kill-server"], capture_output=True, timeout=10)


@pytest.fixture
def start(tmux_server: str) -> Iterator[Callable[..., Terminal]]:
    """`start(ws, width, height, project="")`: `jixiao edit` on `ws` in a new session."""
    names: list[str] = []

    def run(workspace: Workspace, width: int, height: int, project: str = "") -> Terminal:
        name = f"edit-{uuid.uuid4().hex[:8]}"
        names.append(name)
        command = (
            f"unset COLUMNS LINES; TERM=xterm-256color LANG=C.UTF-8 {shlex.quote(str(JIXIAO))} "
            f"-C {shlex.quote(str(workspace.root))} edit {shlex.quote(project) if project else ''}; "
            "sleep 30"
        )
        term = Terminal(tmux_server, name)
        term.tmux("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height), command)
        return term

    yield run
    for name in names:
        subprocess.run(["tmux", "-L", tmux_server, "kill-session", "-t", name], capture_output=True)


def exited(term: Terminal) -> None:
    """Wait until the editor has quit (the screen no longer shows it)."""
    term.wait(lambda screen: "单位信息" not in screen and "jixiao" not in screen, timeout=10)

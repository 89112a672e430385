"""The jixiao Textual app: `JixiaoApp(workspace, project=None).run()`."""

from __future__ import annotations

import gc

from jixiao.store.workspace import Workspace
from jixiao.tui.commands import JixiaoCommands, Palette
from jixiao.tui.keys import APP_COMMANDS, bindings
from jixiao.tui.screens.help import HelpScreen
from jixiao.tui.screens.main import MainScreen
from textual import events
from textual.app import App
from textual.command import CommandPalette


class JixiaoApp(App[None]):
    CSS_PATH = "jixiao.tcss"
    TITLE = "jixiao"
    # Only our commands, all in Chinese (Textual's own offer Keys/Theme/Screenshot… in English).
    COMMANDS = {JixiaoCommands}
    # Our palette binding (its label shows in the footer), so Textual adds no English one.
    # The quit binding is ours too: shown in the footer (always, at its start), in Chinese.
    BINDINGS = bindings(tuple(c for c in APP_COMMANDS if c.action == "help")) + bindings(
        tuple(c for c in APP_COMMANDS if c.action in ("command_palette", "quit")), priority=True
    )

    def __init__(self, workspace: Workspace, project: str | None = None) -> None:
        super().__init__()
        # Everything imported so far (Textual, rich, ruamel: ~45,000 container objects) lives as
        # long as the app: keep it out of the collector's full passes, which would otherwise
        # rescan it each time loading thousands of project summaries triggers one.
        gc.freeze()
        self.workspace = workspace
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(MainScreen(self.workspace, self.project))
        # What opening the workspace finished or undid of a killed writer: said on screen
        # too (the line on stderr is hidden under the editor while it runs).
        for note in self.workspace.recovered:
            self.notify(note, timeout=15)

    async def on_event(self, event: events.Event) -> None:
        """Keys and pastes meant for the open sheet are acted on here, one after another, in
        the order they were typed (see SheetPane.route); everything else as Textual does."""
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            main = self.main
            if main is not None and self.screen is main and await main.pane.route(event):
                return
        await super().on_event(event)

    @property
    def main(self) -> MainScreen | None:
        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(placeholder="搜索命令…", id="--command-palette"))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    async def action_quit(self) -> None:
        """Quit, but never with unsaved changes unasked."""
        main = self.main
        if main is None:
            self.exit()
            return
        if self.screen is not main:
            return  # a dialog is open: answer it first
        main.guard(self.exit, "退出")

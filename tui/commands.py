"""The ctrl+p command palette: every action of the editor, from the same table as the keys."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.keys import APP_COMMANDS, MAIN_COMMANDS, Command
from tui.screens.help import _display


class JixiaoCommands(Provider):
    def _commands(self) -> list[tuple[Command, object]]:
        out: list[tuple[Command, object]] = []
        for c in MAIN_COMMANDS:
            out.append((c, self.screen))
        for c in APP_COMMANDS:
            if c.action != "command_palette":
                out.append((c, self.app))
        return out

    def _title(self, c: Command) -> str:
        return f"{c.label}  ·  {_display(c.keys, c.display)}"

    async def _run(self, target: object, action: str) -> None:
        await target.run_action(action)  # type: ignore[attr-defined]

    async def discover(self) -> Hits:
        for c, target in self._commands():
            yield DiscoveryHit(self._title(c), partial(self._run, target, c.action), help=c.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for c, target in self._commands():
            text = self._title(c)
            score = max(
                matcher.match(text), matcher.match(c.help) * 0.8, matcher.match(c.action) * 0.7
            )
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, target, c.action),
                    help=c.help,
                )

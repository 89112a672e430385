"""The ctrl+p command palette: every action of the editor, from the same table as the keys."""

from __future__ import annotations

from functools import partial

from jixiao.tui.keys import APP_COMMANDS, MAIN_COMMANDS, Command
from jixiao.tui.screens.help import _display
from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option


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


class Palette(CommandPalette):
    """Textual's command palette, saying in Chinese that nothing matched (its own words are
    English and written inside the method, so the method is Textual 8.2's, reworded)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text("没有匹配的命令", style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)

"""The rules engine's findings for the open project; Enter jumps to the cell."""

from __future__ import annotations

from jixiao.store.rules import SEVERITY_RANK, Finding
from jixiao.store.workspace import SEVERITY_STYLE
from jixiao.tui.frames import SteadyScrollbars
from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


def finding_text(f: Finding) -> Text:
    # No space after the code: CJK messages have no spaces either, so the line folds at the
    # edge instead of putting the code alone on a line of its own.
    return Text.assemble((f.code, SEVERITY_STYLE.get(f.severity, "")), ("｜", "dim"), f.message)


class FindingsList(SteadyScrollbars, OptionList):
    class Jump(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.findings: tuple[Finding, ...] = ()

    def show(self, findings: tuple[Finding, ...]) -> None:
        """List `findings`: errors first, then warnings, then notes (each in the rules' order)."""
        findings = tuple(
            sorted(findings, key=lambda f: SEVERITY_RANK.get(f.severity, len(SEVERITY_RANK)))
        )
        if findings == self.findings:
            return
        self.findings = findings
        self.clear_options()
        if findings:
            self.add_options([Option(finding_text(f)) for f in findings])
        else:
            self.add_option(Option(Text("没有问题 ✓", style="green"), disabled=True))
        self.border_title = f"问题 {len(findings)}" if findings else "问题"

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.findings):
            self.post_message(self.Jump(self.findings[event.option_index]))

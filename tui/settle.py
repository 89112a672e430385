"""Asking the person to settle merge conflicts, one at a time (store.merge.resolve applies
the answers): a field takes 我方, 对方 or a typed value; a row or a place takes a side."""

from __future__ import annotations

from jixiao.store.merge import Choice, Conflict, Typed, show
from jixiao.tui.screens.choice import ChoiceScreen
from jixiao.tui.screens.prompt import PromptScreen
from textual.app import App


async def ask_choices(
    app: App, conflicts: list[Conflict], title: str, sides: str
) -> list[Choice] | None:
    """One answer per conflict, or None if the person cancelled (nothing is to change).

    `sides` says who 我方 and 对方 are (e.g. '我方 = 你未保存的修改，对方 = 磁盘上的文件').
    """
    choices: list[Choice] = []
    for n, c in enumerate(conflicts, 1):
        message = f"（{n}/{len(conflicts)}）{c.message()}\n{sides}"
        answers = [("ours", "用我方"), ("theirs", "用对方")]
        if c.kind == "field":
            answers.append(("type", "输入其他值"))
        answers.append(("cancel", "取消"))
        answer = await app.push_screen_wait(ChoiceScreen(title, message, answers))
        if answer == "type":
            typed = await app.push_screen_wait(
                PromptScreen(title, f"{c.label}（我方 {show(c.ours)}，对方 {show(c.theirs)}）：")
            )
            if typed is None:
                return None
            choices.append(Typed(typed))
        elif answer in ("ours", "theirs"):
            choices.append(answer)
        else:
            return None
    return choices

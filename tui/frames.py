"""Drawing a change that touches many widgets in one frame instead of several.

A widget asks its screen for a repaint or a layout only once its own message queue is idle,
and the screen draws on its own timer (up to 60 times a second). A change such as opening a
project, which refills half a dozen widgets, therefore used to be drawn over three or four
updates of the screen, each waiting up to two timer periods (~33 ms) for its turn, each
laying out and drawing what the previous one had just drawn. `draw_once` holds the screen's
updates (`App.batch_update`) until every widget concerned has had its idle turn, then lets
the screen lay out and draw everything in one update.

The two mixins below are the one place jixiao overrides a private of Textual
(`Widget._size_updated` and `ScrollView._size_updated`, which the layout calls with each
widget's new size). No public event comes in time: `Resize` is sent after the method has
already asked for the refresh or layout they save, and the frame counts in
tests/test_tui_opening.py show that without them an open is drawn over more frames. So:
they are used only while the private has the signature they were written against
(`HOOK_FITS`; otherwise they are plain mixins and Textual does what it always does, a frame
or two more), and tests/test_tui_frames.py fails the day the private's source changes, so
that a new Textual release is looked at before the pin in pyproject.toml is widened.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget

GIVE_UP = 0.25  # seconds: draw anyway if a widget never gets its turn (e.g. it was removed)


def draw_once(screen: Screen, chains: Sequence[Sequence[Widget]]) -> None:
    """Lay out and draw `screen` once, after each chain of widgets has been idle in turn.

    A chain is the path a change travels: e.g. the app's Header, which learns of a new
    title by a message, and then its HeaderTitle, which redraws it.
    """
    screen.refresh(repaint=False, layout=True)
    batch = screen.app.batch_update()
    batch.__enter__()
    waiting = len(chains)
    released = False

    def release() -> None:
        nonlocal released
        if not released:
            released = True
            batch.__exit__(None, None, None)
            screen.check_idle()  # the screen's idle turn is where it schedules its update

    def through(chain: Sequence[Widget], k: int) -> None:
        nonlocal waiting
        if k < len(chain):
            # call_next runs after the widget's queue is empty and its idle handler (which
            # posts its repaint and layout requests to the screen) has run.
            chain[k].call_next(through, chain, k + 1)
            return
        waiting -= 1
        if not waiting:
            release()

    if not chains:
        release()
        return
    screen.set_timer(GIVE_UP, release)
    for chain in chains:
        through(chain, 0)


# The private's parameters as written against (Textual 8.2).
SIGNATURE = ("self", "size", "virtual_size", "container_size", "layout")


def _fits(cls: type) -> bool:
    method = getattr(cls, "_size_updated", None)
    return method is not None and tuple(inspect.signature(method).parameters) == SIGNATURE


HOOK_FITS = _fits(Widget) and _fits(ScrollView)


class _NoHook:
    """What the mixins are when the private no longer fits: nothing (Textual's own way)."""


class _SteadyScrollbars:
    """For ScrollView widgets (mixed in first): redraw the scrollbars only when the sizes
    they show changed.

    Textual's ScrollView compares the virtual size the layout hands it (the size of its
    region) with its own (its content's), which never agree, so every layout of the screen
    refreshed its scrollbars, and a visible scrollbar (the project list's, with thousands of
    projects) asked for an update of its own after every frame that laid the screen out.
    """

    _steady_sizes: tuple | None = None

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # noqa: ANN001
        sizes = (size, self.virtual_size, container_size, layout)  # type: ignore[attr-defined]
        if sizes == self._steady_sizes:
            return False
        self._steady_sizes = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)  # type: ignore[misc]


class _NoRelayoutOnResize:
    """For plain widgets that neither scroll nor hold children (mixed in first): a new size
    from the layout does not ask for another layout.

    Textual stores a widget's new size as a reactive that requests a layout, so a widget
    whose height follows its content (the sheet header, the detail line) cost, each time its
    height changed, a second layout in an update of its own after the frame that already
    showed it at that height. Widget._size_updated's `layout=False` stores it quietly.
    """

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # noqa: ANN001
        return super()._size_updated(size, virtual_size, container_size, layout=False)  # type: ignore[misc]


SteadyScrollbars: type = _SteadyScrollbars if HOOK_FITS else _NoHook
NoRelayoutOnResize: type = _NoRelayoutOnResize if HOOK_FITS else _NoHook

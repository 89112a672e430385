"""The one private of Textual that tui/frames.py overrides (`_size_updated`): a test that fails
the day a Textual release changes it, so the pin in pyproject.toml is widened only after the
override has been looked at again (issue 24)."""

from __future__ import annotations

import hashlib
import inspect

from jixiao.tui import frames
from textual.scroll_view import ScrollView
from textual.widget import Widget

# sha256 of each method's source as of Textual 8.2.8, the version the overrides were written
# and measured against (tests/test_tui_opening.py counts the frames they save).
WRITTEN_AGAINST = {Widget: "21ffb00b8a983315", ScrollView: "1606ca15d9392999"}


def test_the_private_the_frames_module_overrides_is_unchanged() -> None:
    for cls, fingerprint in WRITTEN_AGAINST.items():
        source = inspect.getsource(cls._size_updated)
        assert hashlib.sha256(source.encode()).hexdigest()[:16] == fingerprint, (
            f"textual's {cls.__name__}._size_updated changed: check tui/frames.py against it, "
            "then update this fingerprint and the pin in pyproject.toml"
        )
    assert frames.HOOK_FITS  # so the mixins are in use, not the no-op fallback


def test_the_mixins_fall_back_to_textual_when_the_private_does_not_fit() -> None:
    assert frames._fits(Widget) and frames._fits(ScrollView)

    class Changed:
        def _size_updated(self, size, virtual_size, container_size, layout, more) -> bool:  # noqa: ANN001
            return True

    class Gone:
        pass

    assert not frames._fits(Changed) and not frames._fits(Gone)

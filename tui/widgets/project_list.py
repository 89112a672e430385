"""The left pane: projects grouped by 单位信息, each with its weight badge and findings count.

The list is a Line API widget over a flat list of rows: only the lines on screen are drawn,
so a workspace of 5,000 projects opens as fast as one of 16 (a Tree of widgets or nodes lays
out and measures every line, then does it again on each change).
"""

from __future__ import annotations

from dataclasses import dataclass

from jixiao.store.workspace import ProjectRef, Summary
from jixiao.tui.frames import SteadyScrollbars
from rich.segment import Segment
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

EXPAND_ALL = 300  # up to this many projects, every unit starts open


def summary_label(
    s: Summary, current: bool = False, count_width: int = 1, unsaved: bool = False
) -> Text:
    """`✓ 2 name`: the badge and the findings count first, so a name that is cut off at the
    pane's edge never hides them. The count is padded so that names line up; `*` before the
    name marks the open project's unsaved changes (the badge and count are then live)."""
    if s.error is not None:
        return Text.assemble(("! ", "bold red"), (s.project, "red"))
    badge = ("✓ ", "green") if s.weight_ok else ("✗ ", "bold red")
    count = str(s.findings) if s.findings else ""
    text = Text.assemble(
        badge,
        (f"{count:>{count_width}} ", "bold red" if s.errors else "yellow"),
        ("*" if unsaved else "", "bold yellow"),
        (f"[{s.grade}]" if s.grade else "", GRADE_STYLE.get(s.grade, "cyan")),
        (s.project, "bold" if current else ""),
    )
    return text


GRADE_STYLE = {"优": "bold green", "良": "green", "中": "yellow", "差": "bold red"}


def unit_label(unit: str, items: list[Summary], expanded: bool) -> Text:
    bad = sum(1 for s in items if not s.weight_ok or s.error)
    label = Text.assemble(
        ("▼ " if expanded else "▶ ", ""), (unit, "bold"), (f" ({len(items)})", "dim")
    )
    if bad:
        label.append(f" ✗{bad}", style="red")
    return label


@dataclass(frozen=True)
class Row:
    """One line of the list: a unit (summary None) or one of its projects."""

    unit: str
    summary: Summary | None = None
    last: bool = False  # the unit's last project (└ rather than ├)


class ProjectTree(SteadyScrollbars, ScrollView, can_focus=True):
    """Units and their projects as lines; Enter opens a project or folds a unit."""

    COMPONENT_CLASSES = {"project-tree--cursor", "project-tree--guides"}
    DEFAULT_CSS = """
    ProjectTree {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .project-tree--guides { color: $surface-lighten-2; }
        & > .project-tree--cursor {
            text-style: $block-cursor-blurred-text-style;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .project-tree--cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .project-tree--guides { color: $surface-lighten-3; }
        }
    }
    """
    BINDINGS = [
        Binding("enter", "select", "打开", show=False),
        Binding("space", "toggle", "展开/折叠", show=False),
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("left", "fold", show=False),
        Binding("right", "unfold", show=False),
    ]

    class Selected(Message):
        def __init__(self, ref: ProjectRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []
        self.cursor_line = -1
        self.current: ProjectRef | None = None
        self.unsaved = False  # the current project has unsaved changes
        self.empty_text = ""  # said on the first line when there is nothing to list
        self._groups: dict[str, list[Summary]] = {}
        self._expanded: set[str] = set()
        self._count_width = 1

    # ------------------------------------------------------------------ content

    def show(
        self,
        groups: dict[str, list[Summary]],
        expanded: set[str],
        current: ProjectRef | None,
        count_width: int,
    ) -> None:
        """Show these units (expanded ones with their projects), the cursor on `current`
        (else on the first project)."""
        self._groups, self._expanded = groups, expanded
        self.current, self._count_width = current, count_width
        self._rebuild()
        line = self.line_of(current) if current is not None else None
        if line is None:
            line = 1 if len(self.rows) > 1 and self.rows[1].summary is not None else 0
        self.move_cursor(line if self.rows else -1)

    def _rebuild(self) -> None:
        rows: list[Row] = []
        for unit, items in self._groups.items():
            rows.append(Row(unit))
            if unit in self._expanded:
                last = len(items) - 1
                rows.extend(Row(unit, s, k == last) for k, s in enumerate(items))
        self.rows = rows
        self.virtual_size = Size(0, len(rows))
        self.refresh()

    def line_of(self, ref: ProjectRef) -> int | None:
        return next(
            (k for k, r in enumerate(self.rows) if r.summary is not None and r.summary.ref == ref),
            None,
        )

    def refresh_row(self, ref: ProjectRef | None) -> None:
        """Redraw the line of one project and of its unit (after its summary changed)."""
        line = self.line_of(ref) if ref is not None else None
        if line is not None:
            self.refresh_line(line)
            self.refresh_line(self._unit_line(line))

    def _unit_line(self, line: int) -> int:
        return next(k for k in range(line, -1, -1) if self.rows[k].summary is None)

    def update_row(self, old: Summary, new: Summary) -> None:
        """Show a project's new summary in place (its unit's counts too)."""
        for k, r in enumerate(self.rows):
            if r.summary is old:
                self.rows[k] = Row(r.unit, new, r.last)
                self.refresh_line(k)
                self.refresh_line(self._unit_line(k))
                return
            if r.summary is None and r.unit == new.unit:
                self.refresh_line(k)  # a folded unit: its line counts the project

    @property
    def cursor_row(self) -> Row | None:
        if 0 <= self.cursor_line < len(self.rows):
            return self.rows[self.cursor_line]
        return None

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if not 0 <= line < len(self.rows):
            if line == 0 and self.empty_text:
                said = Text(self.empty_text, style="italic")
                said.truncate(max(width, 0), overflow="ellipsis", pad=True)
                return Strip(said.render(self.app.console)).apply_style(base)
            return Strip.blank(width, base)
        row = self.rows[line]
        segments: list[Segment] = []
        if row.summary is None:
            text = unit_label(row.unit, self._groups.get(row.unit, []), row.unit in self._expanded)
        else:
            s = row.summary
            current = s.ref == self.current
            text = summary_label(s, current, self._count_width, current and self.unsaved)
            guide = "└ " if row.last else "├ "
            segments.append(Segment(guide, self.get_component_rich_style("project-tree--guides")))
            width -= 2
        text.truncate(max(width, 0), overflow="ellipsis", pad=True)
        if line == self.cursor_line:
            # Under the label's own colours, so the badge and the count stay readable.
            text.stylize_before(self.get_component_rich_style("project-tree--cursor"))
        segments.extend(text.render(self.app.console))
        return Strip(segments).apply_style(base).apply_meta({"line": line})

    # ------------------------------------------------------------------ cursor and keys

    def move_cursor(self, line: int) -> None:
        old, self.cursor_line = self.cursor_line, line
        if 0 <= old < len(self.rows):
            self.refresh_line(old)
        if 0 <= line < len(self.rows):
            self.refresh_line(line)
            self.scroll_to_region(Region(0, line, 1, 1), animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        if self.rows:
            self.move_cursor(max(0, min(len(self.rows) - 1, self.cursor_line + delta)))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(1, self.scrollable_content_region.height - 1))

    def action_jump(self, line: int) -> None:
        if self.rows:
            self.move_cursor(line % len(self.rows))

    def action_select(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        if row.summary is None:
            self.action_toggle()
        else:
            self.post_message(self.Selected(row.summary.ref))

    def action_toggle(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        self.set_expanded(row.unit, row.unit not in self._expanded or row.summary is not None)

    def action_fold(self) -> None:
        row = self.cursor_row
        if row is not None and (row.summary is not None or row.unit in self._expanded):
            self.set_expanded(row.unit, False)

    def action_unfold(self) -> None:
        row = self.cursor_row
        if row is None:
            return
        if row.summary is None and row.unit not in self._expanded:
            self.set_expanded(row.unit, True)
        elif row.summary is None:
            self.action_cursor(1)

    def set_expanded(self, unit: str, expanded: bool) -> None:
        """Fold or unfold a unit; the cursor stays on its line (or moves up to it)."""
        if expanded:
            self._expanded.add(unit)
        else:
            self._expanded.discard(unit)
        self._rebuild()
        line = next(k for k, r in enumerate(self.rows) if r.unit == unit and r.summary is None)
        self.move_cursor(line)

    async def _on_click(self, event: events.Click) -> None:
        line = event.style.meta.get("line")
        if isinstance(line, int) and 0 <= line < len(self.rows):
            self.move_cursor(line)
            self.action_select()

    def _on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def _on_blur(self, event: events.Blur) -> None:
        self.refresh()


class FilterBox(Input):
    """The filter: ↓ goes on into the results (Enter opens the first, see ProjectList)."""

    class Down(Message):
        pass

    def on_key(self, event: events.Key) -> None:
        if event.key == "down":
            event.stop()
            event.prevent_default()
            self.post_message(self.Down())


class ProjectList(Vertical):
    """Filter box (shown by `/`) over the units and their projects."""

    BINDINGS = [Binding("escape", "clear_filter", "清除筛选", show=False)]

    class Open(Message):
        def __init__(self, ref: ProjectRef) -> None:
            super().__init__()
            self.ref = ref

    def __init__(self, summaries: list[Summary], **kwargs) -> None:
        super().__init__(**kwargs)
        self.summaries = summaries
        self.current: ProjectRef | None = None
        self.query_text = ""
        self._groups: dict[str, list[Summary]] = {}  # the projects shown, by unit

    def compose(self) -> ComposeResult:
        box = FilterBox(placeholder="筛选项目名称…（↓ 进入结果，Enter 打开第一个）", id="filter")
        box.display = False
        yield box
        yield ProjectTree(id="projects")

    def on_mount(self) -> None:
        self.fill()

    @property
    def tree(self) -> ProjectTree:
        return self.query_one("#projects", ProjectTree)

    def visible_projects(self) -> list[str]:
        """The 预算项目 names the list holds now, folded units included (for tests and the
        status line)."""
        return [s.ref.name for items in self._groups.values() for s in items]

    def fill(self) -> None:
        """Show the list for the current filter, keeping the cursor on the same project.

        Up to EXPAND_ALL projects every unit is open; beyond that only the unit of the current
        project (or the first) is: the units read as an overview."""
        q = self.query_text.strip().lower()
        groups: dict[str, list[Summary]] = {}
        for s in self.summaries:
            if q and q not in s.project.lower() and q not in s.unit.lower():
                continue
            groups.setdefault(s.unit or s.ref.unit_dir, []).append(s)
        self._groups = groups
        if sum(len(items) for items in groups.values()) <= EXPAND_ALL:
            expanded = set(groups)
        else:
            current_unit = next(
                (u for u, items in groups.items() if any(s.ref == self.current for s in items)),
                next(iter(groups), None),
            )
            expanded = {current_unit} if current_unit is not None else set()
        width = max((len(str(s.findings)) for s in self.summaries if s.findings), default=1)
        self.tree.empty_text = "没有匹配的项目（Esc 清除筛选）" if q and not groups else ""
        self.tree.show(groups, expanded, self.current, width)

    def update_summary(self, summary: Summary) -> None:
        old = next((s for s in self.summaries if s.ref == summary.ref), None)
        self.summaries = [summary if s.ref == summary.ref else s for s in self.summaries]
        if old is None:
            self.summaries.append(summary)
            self.fill()
            return
        for items in self._groups.values():
            for k, s in enumerate(items):
                if s is old:
                    items[k] = summary
        same_place = (old.unit, old.project) == (summary.unit, summary.project)
        wider = len(str(summary.findings)) > self.tree._count_width
        if same_place and not wider:
            self.tree.update_row(old, summary)
        else:
            self.fill()

    def remove(self, ref: ProjectRef) -> None:
        self.summaries = [s for s in self.summaries if s.ref != ref]
        self.fill()

    def set_current(self, ref: ProjectRef | None) -> None:
        before, self.current = self.current, ref
        tree = self.tree
        tree.current = ref
        if before != ref:
            tree.unsaved = False
        line = tree.line_of(ref) if ref is not None else None
        if ref is not None and line is None:
            self.fill()  # not drawn yet (folded or filtered out): draw the list around it
            return
        tree.refresh_row(before)
        tree.refresh_row(ref)
        if line is not None and tree.cursor_line != line:
            tree.move_cursor(line)  # the cursor starts on the open project

    def show_unsaved(self, yes: bool) -> None:
        """Mark the current project as having unsaved changes (or not)."""
        tree = self.tree
        if tree.unsaved != yes:
            tree.unsaved = yes
            tree.refresh_row(self.current)

    def start_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        # At once, not through the queue: the keys typed next go to the box.
        self.screen.set_focus(box)

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.screen.set_focus(self.tree)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value
        self.fill()

    def first_project_line(self) -> int | None:
        return next((k for k, r in enumerate(self.tree.rows) if r.summary is not None), None)

    @on(FilterBox.Down)
    def _into_results(self, event: FilterBox.Down) -> None:
        """↓ from the filter: into the results, on the first project."""
        event.stop()
        line = self.first_project_line()
        if line is not None:
            self.tree.move_cursor(line)
        self.screen.set_focus(self.tree)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        """Enter in the filter opens the first project it found (the list keeps the focus
        when nothing matched)."""
        event.stop()
        self.screen.set_focus(self.tree)
        line = self.first_project_line()
        if line is not None:
            self.tree.move_cursor(line)
            self.tree.action_select()

    @on(ProjectTree.Selected)
    def _selected(self, event: ProjectTree.Selected) -> None:
        event.stop()
        self.post_message(self.Open(event.ref))

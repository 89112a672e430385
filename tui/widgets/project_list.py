"""The left pane: projects grouped by 单位信息, each with its weight badge and findings count."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Tree

from store.index import Summary
from store.workspace import ProjectRef


def summary_label(s: Summary, current: bool = False) -> Text:
    if s.error is not None:
        return Text.assemble(("! ", "bold red"), (s.project, "red"))
    badge = ("✓ ", "green") if s.weight_ok else ("✗ ", "bold red")
    text = Text.assemble(badge, (s.project, "bold" if current else ""))
    if s.findings:
        text.append(f" {s.findings}", style="bold red" if s.errors else "yellow")
    return text


class ProjectList(Vertical):
    """Filter box (shown by `/`) over a tree of units and their projects."""

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

    def compose(self) -> ComposeResult:
        box = Input(placeholder="筛选项目名称…", id="filter")
        box.display = False
        yield box
        tree: Tree[ProjectRef | None] = Tree("项目", id="projects")
        tree.show_root = False
        tree.guide_depth = 2
        yield tree

    def on_mount(self) -> None:
        self.fill()

    @property
    def tree(self) -> Tree[ProjectRef | None]:
        return self.query_one("#projects", Tree)

    def visible_projects(self) -> list[str]:
        """The 预算项目 names the tree shows now (for tests and the status line)."""
        return [
            str(leaf.data.name)
            for unit in self.tree.root.children
            for leaf in unit.children
            if leaf.data is not None
        ]

    def fill(self) -> None:
        """Redraw the tree for the current filter, keeping the cursor on the same project."""
        tree = self.tree
        q = self.query_text.strip().lower()
        tree.clear()
        groups: dict[str, list[Summary]] = {}
        for s in self.summaries:
            if q and q not in s.project.lower() and q not in s.unit.lower():
                continue
            groups.setdefault(s.unit or s.ref.unit_dir, []).append(s)
        select = None
        for unit, items in groups.items():
            bad = sum(1 for s in items if not s.weight_ok or s.error)
            label = Text.assemble((unit, "bold"), (f" ({len(items)})", "dim"))
            if bad:
                label.append(f" ✗{bad}", style="red")
            node = tree.root.add(label, data=None, expand=True)
            for s in items:
                leaf = node.add_leaf(summary_label(s, s.ref == self.current), data=s.ref)
                if s.ref == self.current:
                    select = leaf
        if select is None and groups and tree.root.children[0].children:
            select = tree.root.children[0].children[0]
        if select is not None:
            # Lines are laid out on the next refresh; place the cursor after it.
            tree.call_after_refresh(tree.move_cursor, select)

    def update_summary(self, summary: Summary) -> None:
        self.summaries = [summary if s.ref == summary.ref else s for s in self.summaries]
        if all(s.ref != summary.ref for s in self.summaries):
            self.summaries.append(summary)
        self.fill()

    def remove(self, ref: ProjectRef) -> None:
        self.summaries = [s for s in self.summaries if s.ref != ref]
        self.fill()

    def set_current(self, ref: ProjectRef | None) -> None:
        self.current = ref
        self.fill()

    def start_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.display:
            box.value = ""
            box.display = False
            self.tree.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value
        self.fill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.tree.focus()

    @on(Tree.NodeSelected, "#projects")
    def _selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            self.post_message(self.Open(event.node.data))

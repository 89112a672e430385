"""The left pane: projects grouped by 单位信息, each with its weight badge and findings count."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, Tree
from textual.widgets.tree import TreeNode

from store.index import Summary
from store.workspace import ProjectRef

EXPAND_ALL = 300  # up to this many projects, every unit starts open


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
        # The tree as drawn: units by name, leaves by project, and the units whose leaves are
        # not added yet (a big workspace opens with most units folded, filled on expand).
        self._groups: dict[str, list[Summary]] = {}
        self._units: dict[str, TreeNode] = {}
        self._leaves: dict[ProjectRef, TreeNode] = {}
        self._unloaded: dict[int, str] = {}  # unit node id -> unit

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
        """The 预算项目 names the tree lists now, folded units included (for tests and the
        status line)."""
        return [s.ref.name for items in self._groups.values() for s in items]

    def fill(self) -> None:
        """Redraw the tree for the current filter, keeping the cursor on the same project.

        Up to EXPAND_ALL projects every unit is open; beyond that only the unit of the current
        project (or the first) is, so thousands of projects draw as fast as a few."""
        tree = self.tree
        q = self.query_text.strip().lower()
        tree.clear()
        groups: dict[str, list[Summary]] = {}
        for s in self.summaries:
            if q and q not in s.project.lower() and q not in s.unit.lower():
                continue
            groups.setdefault(s.unit or s.ref.unit_dir, []).append(s)
        self._groups, self._units, self._leaves, self._unloaded = groups, {}, {}, {}
        expand_all = sum(len(items) for items in groups.values()) <= EXPAND_ALL
        current_unit = next(
            (u for u, items in groups.items() if any(s.ref == self.current for s in items)),
            next(iter(groups), None),
        )
        for unit, items in groups.items():
            node = tree.root.add(self._unit_label(unit), data=None)
            self._units[unit] = node
            if expand_all or unit == current_unit:
                self._add_leaves(node, items)
                node.expand()
            else:
                self._unloaded[node.id] = unit
        select = self._leaves.get(self.current) if self.current else None
        if select is None and groups and tree.root.children[0].children:
            select = tree.root.children[0].children[0]
        if select is not None:
            # Lines are laid out on the next refresh; place the cursor after it.
            tree.call_after_refresh(tree.move_cursor, select)

    def _unit_label(self, unit: str) -> Text:
        items = self._groups.get(unit, [])
        bad = sum(1 for s in items if not s.weight_ok or s.error)
        label = Text.assemble((unit, "bold"), (f" ({len(items)})", "dim"))
        if bad:
            label.append(f" ✗{bad}", style="red")
        return label

    def _add_leaves(self, node: TreeNode, items: list[Summary]) -> None:
        for s in items:
            self._leaves[s.ref] = node.add_leaf(summary_label(s, s.ref == self.current), data=s.ref)

    @on(Tree.NodeExpanded, "#projects")
    def _expanded(self, event: Tree.NodeExpanded) -> None:
        unit = self._unloaded.pop(event.node.id, None)
        if unit is not None:
            self._add_leaves(event.node, self._groups[unit])

    def _relabel(self, ref: ProjectRef | None) -> bool:
        """Redraw one project's leaf (and its unit's line); False if it is not in the tree."""
        if ref is None:
            return True
        summary = next((s for s in self.summaries if s.ref == ref), None)
        unit = next((u for u, items in self._groups.items() if summary in items), None)
        if summary is None or unit is None:
            return False
        self._units[unit].set_label(self._unit_label(unit))
        leaf = self._leaves.get(ref)
        if leaf is not None:
            leaf.set_label(summary_label(summary, ref == self.current))
        return True

    def update_summary(self, summary: Summary) -> None:
        known = any(s.ref == summary.ref for s in self.summaries)
        old = next((s for s in self.summaries if s.ref == summary.ref), None)
        self.summaries = [summary if s.ref == summary.ref else s for s in self.summaries]
        if not known:
            self.summaries.append(summary)
            self.fill()
            return
        for items in self._groups.values():
            for k, s in enumerate(items):
                if s is old:
                    items[k] = summary
        same_place = old is not None and (old.unit, old.project) == (summary.unit, summary.project)
        if not same_place or not self._relabel(summary.ref):
            self.fill()

    def remove(self, ref: ProjectRef) -> None:
        self.summaries = [s for s in self.summaries if s.ref != ref]
        self.fill()

    def set_current(self, ref: ProjectRef | None) -> None:
        before, self.current = self.current, ref
        if ref is not None and ref not in self._leaves:
            self.fill()  # not drawn yet (folded or filtered out): draw the tree around it
            return
        self._relabel(before)
        self._relabel(ref)

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

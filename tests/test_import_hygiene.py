"""The shape of the package (docs/ARCHITECTURE.md): store/ is headless, its subpackages form a
directed graph with no cycle (imports inside functions and under TYPE_CHECKING counted), the
UI and the CLI use only the subpackages' public faces, and the commands git runs per file load
only what they use. The layers themselves are the import-linter contracts in pyproject.toml,
checked here too."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import jixiao
import jixiao.store
import pytest

ROOT = Path(jixiao.__file__).resolve().parent
THIN = [
    "tui",
    "entry.py",
    "plumbing.py",
    "cli.py",
    "cli_help.py",
    "cli_locale.py",
    "cli_show.py",
    "cli_usage.py",
    "cli_words.py",
]


def _python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`code` run by a fresh interpreter (a clean sys.modules), away from the repository."""
    return subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd=cwd or "/"
    )


def _store_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.walk_packages(jixiao.store.__path__, "jixiao.store."))


def _subpackages() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(jixiao.store.__path__) if m.ispkg)


def test_no_store_module_imports_textual_typer_or_the_ui() -> None:
    modules = _store_modules()
    assert "jixiao.store.workspace.workspace" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'typer', 'click')\n"
        "             or m.startswith(('jixiao.tui', 'jixiao.cli', 'jixiao.entry')))\n"
        "print(','.join(bad))\n"
    )
    out = _python(code)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ""


def _graph() -> grimp.ImportGraph:
    return grimp.build_graph("jixiao", exclude_type_checking_imports=False, cache_dir=None)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(edges.get(w, ())))))
                    break
                if w in on:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def test_the_module_graph_has_no_cycle() -> None:
    """Every import counts: at the top, inside functions, under TYPE_CHECKING."""
    g = _graph()
    edges = {m: set(g.find_modules_directly_imported_by(m)) for m in g.modules}
    assert "jixiao.store.workspace.importer" in edges  # the graph is the real one
    assert _cycles(edges) == []


def test_the_subpackages_form_a_directed_graph() -> None:
    """Between subpackages (and the top modules) too: an import of any module of a subpackage
    is an arrow to that subpackage."""
    g = _graph()

    def unit(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[:3]) if parts[:2] == ["jixiao", "store"] else parts[0]

    edges: dict[str, set[str]] = {}
    for m in g.modules:
        if not m.startswith("jixiao.store."):
            continue
        for t in g.find_modules_directly_imported_by(m):
            if t.startswith("jixiao.store.") and unit(t) != unit(m):
                edges.setdefault(unit(m), set()).add(unit(t))
                edges.setdefault(unit(t), set())
    assert "jixiao.store.sheet" in edges["jixiao.store.projectfile"]
    assert _cycles(edges) == []


def test_the_import_linter_contracts_hold() -> None:
    """The layers of docs/ARCHITECTURE.md, as written in pyproject.toml."""
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is a test dependency: pip install -e '.[test]'"
    out = subprocess.run(
        [lint, "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "broken" in out.stdout and "0 broken" in out.stdout


def _thin_files() -> list[Path]:
    out: list[Path] = []
    for name in THIN:
        p = ROOT / name
        out += sorted(p.rglob("*.py")) if p.is_dir() else [p]
    return out


def test_the_ui_and_the_cli_import_only_public_faces() -> None:
    """tui/, cli.py and the entry import a subpackage's `__init__` names, the top modules
    (errors, printable, texttable) and nothing below a subpackage."""
    subpackages = set(_subpackages())
    bad = []
    for path in _thin_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level and path.parent == ROOT:
                base = f"jixiao.{node.module}" if node.module else "jixiao"
                names = [base] + [f"{base}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[:2] == ["jixiao", "store"] and len(parts) >= 4 and parts[2] in subpackages:
                    if importlib.util.find_spec(".".join(parts[:4])) is not None:
                        bad.append(f"{path.relative_to(ROOT)}:{node.lineno}: {name}")
    assert bad == []


def test_every_subpackage_says_what_it_holds_and_lists_its_face() -> None:
    for name in _subpackages():
        if name == "sample":
            continue
        package = importlib.import_module(f"jixiao.store.{name}")
        assert package.__doc__ and len(package.__doc__.split()) > 10, name
        assert isinstance(package.__all__, list), name
        for public in package.__all__:
            assert getattr(package, public) is not None, f"{name}.{public}"


@pytest.fixture
def one_project(workspace) -> tuple[Path, str]:  # noqa: ANN001
    return workspace.root, workspace.projects()[0].rel


def _loaded_by(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    code = (
        "import sys\n"
        "from jixiao.entry import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "sys.stdout.flush()\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    ).replace("import sys\n", "import sys, json\n", 1)
    out = _python(code, cwd)
    return out, set(json.loads(out.stderr.strip().splitlines()[-1]))


HEAVY = {"typer", "click", "rich", "rich.console", "textual", "jixiao.cli", "jixiao.tui"}


def test_check_of_one_file_loads_neither_the_cli_nor_the_writers(one_project) -> None:  # noqa: ANN001
    """What the pre-commit hook runs: no typer, rich or Textual, no importer, writers or
    merge engine (each was milliseconds of every commit)."""
    root, rel = one_project
    out, loaded = _loaded_by(["-C", str(root), "check", rel, "--format", "json"], root)
    assert isinstance(json.loads(out.stdout), list)  # the command ran: its findings, as JSON
    assert "jixiao.store.workspace.checking" in loaded
    unneeded = HEAVY | {
        "jixiao.store.workspace.importer", "jixiao.store.projectfile.yamlsave",
        "jixiao.store.projectfile.yamlemit", "jixiao.store.merge.merge",
        "jixiao.store.merge.mergetext", "jixiao.store.tab.tabfile", "jixiao.store.tab.export",
    }  # fmt: skip
    assert not loaded & unneeded


def test_textconv_and_version_load_no_cli(tmp_path: Path) -> None:
    from conftest import SAMPLE

    out, loaded = _loaded_by(["textconv", str(SAMPLE)], tmp_path)
    assert out.stdout.count("\n") > 16
    assert not loaded & HEAVY
    out, loaded = _loaded_by(["--version"], tmp_path)
    assert out.stdout.strip() == f"jixiao 版本 {jixiao.__version__}"
    assert not loaded & HEAVY
    out, loaded = _loaded_by(["lsit"], tmp_path)
    assert "没有这个命令：lsit；是不是要用 list？" in out.stderr
    assert not loaded & HEAVY


def test_a_typer_command_loads_no_pydantic(one_project) -> None:  # noqa: ANN001
    """typer 0.29 builds a pydantic TypeAdapter per parameter; cli_usage.plain_coercion
    answers plain values without it (pydantic was half of a command's start)."""
    root, rel = one_project
    out, loaded = _loaded_by(["-C", str(root), "list", "--format", "json"], root)
    assert json.loads(out.stdout)[0]["file"]  # the command ran
    out2, loaded2 = _loaded_by(["-C", str(root), "show", rel], root)
    assert out2.returncode == 0 and out2.stdout
    assert "jixiao.cli" in loaded and "jixiao.cli" in loaded2
    assert not {m for m in loaded | loaded2 if m.split(".")[0] == "pydantic"}


def test_the_router_knows_every_command_of_the_cli() -> None:
    """entry.py tells a mistyped command before typer is loaded: its list is the app's."""
    import typer.main
    from jixiao import cli, plumbing

    group = typer.main.get_command(cli.app)
    assert set(plumbing.COMMANDS) == set(group.commands)  # type: ignore[attr-defined]

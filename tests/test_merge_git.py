"""The merge driver on real git repositories: merge, rebase, cherry-pick, a fresh clone, no
jixiao on PATH, conflicts named by every command, the pre-merge-commit hook, jixiao.yaml, and
hostile folder and file names (issue 9; issue 13 point 4).

Every repository is a copy of one template (the sample imported and committed), so a test
pays for its own git commands only. git runs the real `jixiao` (the one this environment
installed) as the driver and the hooks do.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SAMPLE, copy_workspace, git, git_proc
from jixiao.store.git import hooks
from jixiao.store.projectfile import yamlfile, yamlsave
from jixiao.store.sheet.model import Indicator, Sheet
from jixiao.store.tab import tabfile
from jixiao.store.workspace.importer import import_files
from jixiao.store.workspace.workspace import Workspace

BIN = Path(sys.executable).parent
UNIT = "store/135001-大竹县司法局"
JIXIAO = [str(BIN / "jixiao")] if (BIN / "jixiao").exists() else [sys.executable, "-m", "jixiao"]


def _path_without_jixiao() -> str:
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and not (Path(d) / "jixiao").exists())


@pytest.fixture(autouse=True)
def _jixiao_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", f"{BIN}{os.pathsep}{_path_without_jixiao()}")


def jixiao(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*JIXIAO, "-C", str(root), *args], capture_output=True, text=True)


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--no-verify", "-m", message)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, committed_template: Path) -> Path:
    """The run's committed sample with the hooks installed, on branch main."""
    root = copy_workspace(committed_template, tmp_path_factory.mktemp("template") / "ws").root
    hooks.install_hooks(root)
    git(root, "branch", "-M", "main")
    return root


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(template, root, symlinks=True)
    return root


def edit(root: Path, name: str, change: Callable[[Sheet], None]) -> None:
    path = root / UNIT / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    sheet = yamlfile.loads(text, name)
    change(sheet)
    path.write_text(yamlsave.dumps(sheet, text), encoding="utf-8")


def sheet(root: Path, name: str) -> Sheet:
    return yamlfile.loads((root / UNIT / f"{name}.yaml").read_text(encoding="utf-8"), name)


def row(name: str) -> Indicator:
    return Indicator("产出指标", "数量指标", name, "≥", "1", "1", "个", "0", "0", "")


def set_cell(k: int, field: str, value: str) -> Callable[[Sheet], None]:
    return lambda s: setattr(s.indicators[k], field, value)


def add_comment(
    root: Path, name: str, before: str = "预算执行率权重:", comment: str = "# 张三 checked this\n"
) -> None:
    """A comment line written by hand just before the first line starting `before`."""
    path = root / UNIT / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert before in text
    path.write_text(text.replace(before, comment + before, 1), "utf-8")


# Each scenario of issue 9 on a project of its own: (project, ours, theirs, what must hold).
SCENARIOS: list[tuple[str, Callable, Callable, Callable[[Sheet, Path], None]]] = [
    (  # reorder on one side, an edit of a moved row on the other
        "安置帮教工作经费",
        lambda r: edit(r, "安置帮教工作经费", set_cell(0, "target", "600")),
        lambda r: edit(r, "安置帮教工作经费", lambda s: s.indicators.reverse()),
        lambda s, r: (
            s.indicators[-1].level3 == "接收安置帮教人数" and s.indicators[-1].target == "600"
        ),
    ),
    (  # both append a new indicator: both kept, ours first
        "法律援助工作经费",
        lambda r: edit(r, "法律援助工作经费", lambda s: s.indicators.append(row("我方新增"))),
        lambda r: edit(r, "法律援助工作经费", lambda s: s.indicators.append(row("对方新增"))),
        lambda s, r: [i.level3 for i in s.indicators[-2:]] == ["我方新增", "对方新增"],
    ),
    (  # adjacent fields of one row (adjacent lines of the file)
        "社区矫正工作经费",
        lambda r: edit(r, "社区矫正工作经费", set_cell(0, "target", "1500")),
        lambda r: edit(r, "社区矫正工作经费", set_cell(0, "annual_target", "1600")),
        lambda s, r: (s.indicators[0].target, s.indicators[0].annual_target) == ("1500", "1600"),
    ),
    (  # a comment written on one side, an edit on the other
        "法治宣传经费",
        lambda r: add_comment(r, "法治宣传经费"),
        lambda r: edit(r, "法治宣传经费", set_cell(0, "note", "已核")),
        lambda s, r: (
            s.indicators[0].note == "已核"
            and "# 张三 checked this\n" in (r / UNIT / "法治宣传经费.yaml").read_text("utf-8")
        ),
    ),
    (  # a renamed 三级指标 on one side, an edit of that row on the other
        "行政复议经费",
        lambda r: edit(r, "行政复议经费", set_cell(0, "level3", "新的指标名")),
        lambda r: edit(r, "行政复议经费", set_cell(0, "target", "99")),
        lambda s, r: (s.indicators[0].level3, s.indicators[0].target) == ("新的指标名", "99"),
    ),
    (  # theirs writes a comment on the line before the one ours edits: both kept
        "司法鉴定工作经费",
        lambda r: edit(r, "司法鉴定工作经费", set_cell(1, "annual_target", "3")),
        lambda r: add_comment(r, "司法鉴定工作经费", "  本年绩效指标值: 2\n", "  # 李四：两场\n"),
        lambda s, r: (
            s.indicators[1].annual_target == "3"
            and "  # 李四：两场\n  本年绩效指标值: 3\n"
            in (r / UNIT / "司法鉴定工作经费.yaml").read_text("utf-8")
        ),
    ),
]


def two_branches(root: Path, scenarios=SCENARIOS) -> None:
    """Branch `theirs` with theirs' edits, `main` with ours' (each one commit)."""
    git(root, "checkout", "-q", "-b", "theirs")
    for _, _, theirs, _ in scenarios:
        theirs(root)
    commit(root, "theirs")
    git(root, "checkout", "-q", "main")
    for _, ours, _, _ in scenarios:
        ours(root)
    commit(root, "ours")


def assert_merged(root: Path, scenarios=SCENARIOS) -> None:
    for name, _, _, holds in scenarios:
        assert holds(sheet(root, name), root), name
    assert "<<<<<<<" not in "".join(p.read_text("utf-8") for p in (root / UNIT).glob("*.yaml"))


def test_git_merge_merges_every_scenario_by_field(repo: Path) -> None:
    two_branches(repo)
    git(repo, "merge", "--no-edit", "theirs")  # exit 0, or git() raises
    assert_merged(repo)
    assert git(repo, "status", "--porcelain") == ""  # committed (the hook passed)


def test_rebase_and_cherry_pick_use_the_driver(repo: Path) -> None:
    scenarios = SCENARIOS[:2]  # a line merge would stop at the first: reorder vs edit
    two_branches(repo, scenarios)
    git(repo, "checkout", "-q", "-b", "picked", "main")
    git(repo, "cherry-pick", "theirs")
    assert_merged(repo, scenarios)
    git(repo, "checkout", "-q", "theirs")
    git(repo, "rebase", "-q", "main")
    assert_merged(repo, scenarios)


def test_a_fresh_clone_merges_by_field_once_jixiao_init_ran_in_it(repo: Path) -> None:
    two_branches(repo)
    clone = repo.parent / "clone"
    git(repo.parent, "clone", "-q", str(repo), str(clone))
    git(clone, "branch", "-q", "theirs", "origin/theirs")
    assert git_proc(clone, "config", "merge.jixiao.driver").stdout == ""
    # Without the config, git merges line by line: the reorder vs the edit conflicts.
    assert git_proc(clone, "merge", "--no-edit", "theirs").returncode != 0
    git(clone, "merge", "--abort")
    out = jixiao(clone, "init")
    assert out.returncode == 0, out.stderr
    assert "jixiao merge-file" in git(clone, "config", "merge.jixiao.driver")
    assert (clone / ".git/hooks/pre-merge-commit").exists()
    git(clone, "pull", "-q", "--no-rebase", "--no-edit", "origin", "theirs")  # git pull
    assert_merged(clone)


def test_without_jixiao_on_path_the_driver_still_merges_by_field(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 20 point 3: a terminal where the environment is not activated merges as well
    (the driver runs the program init recorded): a reorder against an edit, two appends,
    two adjacent fields all merge cleanly; they all conflicted line by line before."""
    scenarios = SCENARIOS[:3]
    two_branches(repo, scenarios)
    monkeypatch.setenv("PATH", _path_without_jixiao())
    proc = git_proc(repo, "merge", "--no-edit", "theirs")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert_merged(repo, scenarios)


def test_where_the_recorded_program_is_gone_the_file_stays_conflicted(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The environment init ran from was removed: the driver says so, naming the file and
    the fix, and leaves the file conflicted; it never merges by line in silence."""
    gone = tmp_path / "old-env" / "bin"
    gone.mkdir(parents=True)
    shutil.copy2(BIN / "jixiao", gone / "jixiao")  # the console script, elsewhere
    out = subprocess.run(
        [str(gone / "jixiao"), "-C", str(repo), "init"], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert str(gone / "jixiao") in git(repo, "config", "merge.jixiao.driver")
    scenarios = SCENARIOS[3:4]  # lines far apart: a line merge would succeed in silence
    two_branches(repo, scenarios)
    shutil.rmtree(tmp_path / "old-env")
    monkeypatch.setenv("PATH", _path_without_jixiao())
    proc = git_proc(repo, "merge", "--no-edit", "theirs")
    assert proc.returncode != 0 and "CONFLICT" in proc.stdout
    name = scenarios[0][0]
    assert f"找不到 jixiao 程序 {gone / 'jixiao'}" in proc.stderr
    assert f"{name}.yaml 没有按字段合并，留作冲突" in proc.stderr and "jixiao init" in proc.stderr
    assert f"{UNIT}/{name}.yaml" in git(repo, "diff", "--name-only", "--diff-filter=U")
    # textconv says so too, and still shows the text.
    (repo / "x.txt").write_text("a\tb\n", "utf-8")
    shown = git_proc(repo, "diff", "--no-index", "--textconv", "/dev/null", "x.txt")
    assert "找不到 jixiao 程序" in shown.stderr and "+a\tb" in shown.stdout


def test_the_same_cell_changed_both_ways_is_a_conflict_named_by_every_command(
    repo: Path,
) -> None:
    name = "安置帮教工作经费"
    rel = f"{UNIT}/{name}.yaml"
    same_cell = [
        (
            name,
            lambda r: edit(r, name, set_cell(0, "annual_weight", "15")),
            lambda r: edit(r, name, set_cell(0, "annual_weight", "20")),
            None,
        )
    ]
    two_branches(repo, same_cell)
    proc = git_proc(repo, "merge", "--no-edit", "theirs")
    assert proc.returncode == 1 and f"CONFLICT (content): Merge conflict in {rel}" in proc.stdout
    text = (repo / rel).read_text("utf-8")
    line = text.splitlines().index("<<<<<<< 我方") + 2
    assert text.splitlines()[line - 2 : line + 3] == [
        "<<<<<<< 我方",
        "  本年权重: 15",
        "=======",
        "  本年权重: 20",
        ">>>>>>> 对方",
    ]
    said = f"{rel}:{line}: 第1行「接收安置帮教人数」本年权重 冲突：我方 15，对方 20"
    check = jixiao(repo, "check")
    assert check.returncode == 1
    assert f"{rel}:{line}: E002 第1行「接收安置帮教人数」本年权重 冲突：我方 15，对方 20" in (
        check.stdout
    )
    listed = jixiao(repo, "list")
    assert listed.returncode == 1 and f"jixiao: {said}" in listed.stderr
    # ... and listed all the same, marked, with our side's values (issue 21.8).
    row = next(line for line in listed.stdout.splitlines() if name in line)
    assert "合并冲突 1 处" in row and "135001-大竹县司法局" in row, listed.stdout
    assert len(listed.stdout.splitlines()) == 17  # the header and all 16 projects
    as_json = __import__("json").loads(jixiao(repo, "list", "--format", "json").stdout)
    assert [r["conflicts"] for r in as_json if r["project"] == name] == [1]
    # diff shows what it can (another project changed meanwhile) and names the conflicted one.
    edit(repo, "法律援助工作经费", set_cell(0, "note", "已核"))
    diffed = jixiao(repo, "diff")
    assert diffed.returncode == 0, diffed.stderr
    assert "法律援助工作经费" in diffed.stdout and "已核" in diffed.stdout
    assert name not in diffed.stdout
    assert "1 个项目文件有未解决的合并冲突，未比较" in diffed.stderr
    assert f"jixiao: {said}" in diffed.stderr
    assert jixiao(repo, "diff", "--exit-code", name).returncode == 1
    git(repo, "checkout", "--", f"{UNIT}/法律援助工作经费.yaml")
    shown = jixiao(repo, "show", name)
    assert shown.returncode == 2 and shown.stderr.strip() == f"jixiao: {said}"
    out = repo / "out.txt"
    exported = jixiao(repo, "export", "-o", str(out))
    assert exported.returncode == 2 and f"jixiao: {said}" in exported.stderr
    assert not out.exists()
    # Resolved by hand (keep theirs), the file is a project again and the merge commits.
    lines = text.splitlines(keepends=True)
    del lines[line - 2 : line + 1]
    del lines[line - 1]
    (repo / rel).write_text("".join(lines), "utf-8")
    assert sheet(repo, name).indicators[0].annual_weight == "20"
    git(repo, "add", rel)
    git(repo, "commit", "-q", "--no-edit", "--no-verify")  # 本年权重 20 breaks E101


def test_a_merge_that_breaks_the_weights_is_stopped_by_the_hook(repo: Path) -> None:
    name = "安置帮教工作经费"

    def ours(s: Sheet) -> None:  # 5 points from row 3 to row 1: still 100
        s.indicators[0].annual_weight, s.indicators[2].annual_weight = "15", "25"

    def theirs(s: Sheet) -> None:  # 5 points from row 3 to row 2: still 100
        s.indicators[1].annual_weight, s.indicators[2].annual_weight = "25", "25"

    two_branches(
        repo, [(name, lambda r: edit(r, name, ours), lambda r: edit(r, name, theirs), None)]
    )
    assert jixiao(repo, "check", name).returncode == 0
    head = git(repo, "rev-parse", "HEAD")
    proc = git_proc(repo, "merge", "--no-edit", "theirs")
    assert proc.returncode != 0
    assert "E101" in proc.stdout + proc.stderr and "多 5" in proc.stdout + proc.stderr
    assert git(repo, "rev-parse", "HEAD") == head  # no merge commit
    git(repo, "merge", "--abort")
    git(repo, "merge", "--no-edit", "--no-verify", "theirs")
    assert git(repo, "rev-parse", "HEAD") != head


def test_the_merge_hook_lists_what_stops_it_and_counts_the_rest(repo: Path) -> None:
    """issue 21 point 11: a merge touching every project printed every warning and note of
    each; now only what stops the merge, a count of the rest, and the next step, last."""
    name = "安置帮教工作经费"
    others = sorted(p.stem for p in (repo / UNIT).glob("*.yaml") if p.stem != name)

    def theirs(r: Path) -> None:
        edit(r, name, set_cell(0, "annual_weight", "99"))  # an error the merge brings in
        for other in others:
            edit(r, other, set_cell(0, "note", "对方已核"))

    two_branches(repo, [(name, lambda r: edit(r, name, set_cell(1, "note", "我方")), theirs, None)])
    everything = jixiao(repo, "check")
    assert "W" in everything.stdout  # the sample has warnings and notes of its own
    proc = git_proc(repo, "merge", "--no-edit", "theirs")
    assert proc.returncode != 0
    hook_lines = [line for line in proc.stderr.splitlines() if line.strip()]
    shown = "\n".join(hook_lines)
    assert "E101" in shown
    assert not any(f": W{n}" in shown or f": I{n}" in shown for n in range(100, 200))
    assert "条警告和提示不影响合并，未列出" in shown
    ours = [line for line in hook_lines if line.startswith("jixiao:")][-1]
    assert ours.startswith("jixiao: 合并未提交：") and "git commit" in ours
    # After ours comes only git's own line about the merge (in git's language).
    assert hook_lines.index(ours) >= len(hook_lines) - 2


def _export(path: Path, project: str) -> Path:
    sheets, file = tabfile.parse(SAMPLE.read_bytes(), "sample")
    first = copy.deepcopy(sheets[0])
    first.project = project
    path.write_bytes(tabfile.emit([first], file))
    return path


def test_jixiao_yaml_merges_import_records_and_profile_keys(repo: Path) -> None:
    a = _export(repo.parent / "甲.txt", "甲项目")
    b = _export(repo.parent / "乙.txt", "乙项目")
    settings = repo / "jixiao.yaml"
    git(repo, "checkout", "-q", "-b", "theirs")
    assert jixiao(repo, "import", str(b)).returncode == 0
    settings.write_text(
        settings.read_text("utf-8").replace("profile: {}", "profile:\n  disable: [I161]"), "utf-8"
    )
    commit(repo, "theirs imports 乙")
    git(repo, "checkout", "-q", "main")
    assert jixiao(repo, "import", str(a)).returncode == 0
    settings.write_text(
        settings.read_text("utf-8").replace("profile: {}", "profile:\n  severity: {W124: info}"),
        "utf-8",
    )
    commit(repo, "ours imports 甲")
    git(repo, "merge", "--no-edit", "theirs")
    data = yamlfile.load_data(settings.read_text("utf-8"), "jixiao.yaml")
    assert "imports" not in data  # the import history has a file of its own
    history = repo / "jixiao-imports.yaml"
    records = yamlfile.load_data(history.read_text("utf-8"), "jixiao-imports.yaml")["imports"]
    assert [r["file"] for r in records] == ["dazhu-sifaju-2024.txt", "甲.txt", "乙.txt"]
    assert history.read_text("utf-8").startswith("# jixiao 的导入记录")
    assert data["profile"] == {"severity": {"W124": "info"}, "disable": ["I161"]}
    assert settings.read_text("utf-8").startswith("# jixiao 工作区设置。")
    listed = jixiao(repo, "list", "--format", "json")
    assert listed.returncode == 0, listed.stderr
    names = [r["project"] for r in __import__("json").loads(listed.stdout)]
    assert names[-2:] == ["甲项目", "乙项目"]


def test_a_driver_failure_falls_back_to_the_line_merge(repo: Path) -> None:
    """Found in review: an error the driver did not expect (here a TypeError on an import
    record whose `file` is a mapping) left jixiao.yaml as plain "ours" while git recorded a
    conflict without markers, so a `git add` dropped theirs silently. The records are in the
    import history, which merges through the same driver."""
    settings = repo / "jixiao-imports.yaml"
    text = settings.read_text("utf-8")
    broken = text.replace("- file: dazhu-sifaju-2024.txt", "- file: {a: 1}")
    assert broken != text
    settings.write_text(broken, "utf-8")
    commit(repo, "a broken import record")
    git(repo, "checkout", "-q", "-b", "theirs")
    settings.write_text(broken + "# 对方的说明\n", "utf-8")
    commit(repo, "theirs")
    git(repo, "checkout", "-q", "main")
    settings.write_text(text, "utf-8")  # ours mends the record
    commit(repo, "ours")
    merged = git_proc(repo, "merge", "--no-edit", "theirs")
    assert "Traceback" not in merged.stdout + merged.stderr
    assert merged.returncode == 0, merged.stdout + merged.stderr  # lines apart: clean
    assert settings.read_text("utf-8") == text + "# 对方的说明\n"


@pytest.mark.parametrize("top, folder", [(None, 'ws$(id>HOOK_RAN)"b'), ('a"b', "ws$(id>HOOK_RAN)")])
def test_hooks_and_drivers_never_run_a_path_as_shell(
    tmp_path: Path, top: str | None, folder: str
) -> None:
    """issue 13 point 4: hostile folder names, as the repository or as a workspace inside
    one, with a real commit, a real merge through the driver and a textconv diff."""
    base = tmp_path
    if top is not None:
        base = tmp_path / top
        base.mkdir()
        git(base, "init", "-q")
    root = base / folder
    ws = Workspace.init(root, in_existing_repo=top is not None)  # `jixiao init`, in-process
    hooks.install_hooks(ws.root)
    name = "安置帮教$(id>DRIVER_RAN)工作经费"
    export = _export(tmp_path / "x.txt", name)
    import_files(ws, [export])
    (root / "x.txt").write_bytes(export.read_bytes())
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "one")  # the pre-commit hook runs `jixiao check`
    git(root, "branch", "-M", "main")
    rel = next((root / "store").rglob("*.yaml"))
    git(root, "checkout", "-q", "-b", "theirs")
    edit_file(rel, lambda s: s.indicators.reverse())
    git(root, "commit", "-q", "-am", "theirs")
    git(root, "checkout", "-q", "main")
    edit_file(rel, set_cell(0, "target", "600"))
    (root / "x.txt").write_bytes(export.read_bytes().replace(b"500", b"501"))
    assert "指标值 501" in git(root, "diff", "x.txt")  # textconv ran
    git(root, "commit", "-q", "-am", "ours")
    git(root, "merge", "--no-edit", "theirs")  # the driver and pre-merge-commit ran
    merged = yamlfile.loads(rel.read_text("utf-8"), "x")
    assert merged.indicators[-1].target == "600"
    # A staged error is still caught: the hook found the workspace under the hostile name.
    edit_file(rel, set_cell(0, "annual_weight", "99"))
    git(root, "add", "-A")
    assert git_proc(root, "commit", "-q", "-m", "bad").returncode != 0
    ran = [p for p in tmp_path.rglob("*") if p.name in ("HOOK_RAN", "DRIVER_RAN")]
    assert ran == []


def edit_file(path: Path, change: Callable[[Sheet], None]) -> None:
    text = path.read_text(encoding="utf-8")
    s = yamlfile.loads(text, "x")
    change(s)
    path.write_text(yamlsave.dumps(s, text), encoding="utf-8")

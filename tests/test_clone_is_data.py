"""A clone is data: what another person committed is never obeyed, run or written through.

Each test commits the hostile files to a workspace, makes a real `git clone` of it, and runs
the installed `jixiao` in the clone as a real process with a fresh HOME (no global git config).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import SAMPLE, git
from jixiao.store.disk.transaction import digest
from jixiao.store.workspace.workspace import Workspace

JIXIAO = Path(sys.executable).parent / "jixiao"  # the console script of this environment


def fresh_env(home: Path, path: str | None = None) -> dict[str, str]:
    """The environment of a user with an empty HOME: no ~/.gitconfig, no system config."""
    home.mkdir(exist_ok=True)
    env = {**os.environ, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "JIXIAO_LOCK_WAIT": "1"}
    env.pop("XDG_CONFIG_HOME", None)
    env.pop("GIT_CONFIG_GLOBAL", None)
    if path is not None:
        env["PATH"] = path
    return env


def jixiao(ws: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(JIXIAO), "-C", str(ws), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=ws,
    )


def commit_and_clone(src: Path, dest: Path, *paths: str) -> Path:
    git(src, "add", "-f", "--", *paths)
    git(src, "commit", "-qm", "hostile")
    subprocess.run(["git", "clone", "-q", str(src), str(dest)], check=True, capture_output=True)
    return dest


def test_a_committed_journal_is_not_obeyed_in_a_clone(committed: Workspace, tmp_path: Path) -> None:
    src = committed.root
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("mine")
    (src / "store" / "evil").symlink_to(outside)  # a folder that leads out of the workspace
    folder = src / ".jixiao-cache" / "txn" / "import-evil"
    folder.mkdir(parents=True)
    (folder / "0.new").write_text("pwned")
    (folder / "folder-id").write_text("2049:1234\n")  # a guess at the clone's folder
    plan = {
        "format": 1,
        "kind": "import",
        "pid": 1,
        "entries": [
            {
                "target": "store/evil/x.yaml",
                "old": None,
                "new": digest(b"pwned"),
                "staged": "0.new",
            },
            {
                "target": "store/stolen.txt",
                "old": None,
                "new": digest(b"mine"),
                "staged": str(secret),
            },
        ],
    }
    (folder / "journal.json").write_text(json.dumps(plan))
    clone = commit_and_clone(src, tmp_path / "clone", ".jixiao-cache/txn", "store/evil")
    env = fresh_env(tmp_path / "home")

    for args in (["list"], ["init"], ["check"]):
        proc = jixiao(clone, *args, env=env)
        assert proc.returncode in (0, 1), proc.stderr
        assert "import-evil" in proc.stderr and "已忽略" in proc.stderr, proc.stderr
        assert list(outside.iterdir()) == []  # nothing written through the symlinked folder
        assert secret.read_text() == "mine"  # nothing moved in from elsewhere
        assert not (clone / "store" / "stolen.txt").exists()
    # `check` names the tracked folder and the fix.
    assert "git rm -r --cached .jixiao-cache" in proc.stderr
    # The plan is left as it came: ignored, not acted on, not removed.
    assert (clone / ".jixiao-cache" / "txn" / "import-evil" / "journal.json").is_file()


def test_init_keeps_the_cache_out_of_git(tmp_path: Path) -> None:
    env = fresh_env(tmp_path / "home")
    ws = tmp_path / "ws"
    proc = subprocess.run([str(JIXIAO), "init", str(ws)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "/.jixiao-cache/" in (ws / ".gitignore").read_text().splitlines()
    # A second init does not add the line again.
    subprocess.run([str(JIXIAO), "init", str(ws)], check=True, capture_output=True, env=env)
    assert (ws / ".gitignore").read_text().count(".jixiao-cache") == 1
    proc = jixiao(ws, "check", env=env)
    assert "cached" not in proc.stderr  # nothing tracked, no warning


def test_a_committed_lock_symlink_is_never_written_through(
    committed: Workspace, tmp_path: Path
) -> None:
    src = committed.root
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    cache = src / ".jixiao-cache"
    cache.mkdir(exist_ok=True)
    (cache / "lock").unlink(missing_ok=True)
    (cache / "lock").symlink_to(victim)
    clone = commit_and_clone(src, tmp_path / "clone", ".jixiao-cache/lock")
    env = fresh_env(tmp_path / "home")

    proc = jixiao(clone, "import", str(SAMPLE), "--force", env=env)
    assert proc.returncode == 2, proc.stderr
    assert "lock" in proc.stderr and "符号链接" in proc.stderr and "删除" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert victim.read_text() == "precious\n"
    proc = jixiao(clone, "list", env=env)  # reading goes on, without the cache
    assert proc.returncode == 0, proc.stderr
    assert "法律援助工作经费" in proc.stdout
    assert victim.read_text() == "precious\n"


def test_a_committed_cache_folder_symlink_is_never_written_through(
    committed: Workspace, tmp_path: Path
) -> None:
    src = committed.root
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.rmtree(src / ".jixiao-cache", ignore_errors=True)
    (src / ".jixiao-cache").symlink_to(outside)
    clone = commit_and_clone(src, tmp_path / "clone", ".jixiao-cache")
    env = fresh_env(tmp_path / "home")

    proc = jixiao(clone, "import", str(SAMPLE), "--force", env=env)
    assert proc.returncode == 2, proc.stderr
    assert ".jixiao-cache" in proc.stderr and "符号链接" in proc.stderr
    for args in (["list"], ["check"], ["export", "-o", str(tmp_path / "out.txt")]):
        proc = jixiao(clone, *args, env=env)
        assert proc.returncode in (0, 1), proc.stderr
    assert (tmp_path / "out.txt").read_bytes() == SAMPLE.read_bytes()
    assert list(outside.iterdir()) == []  # no lock, cache or journal went there


def test_a_writer_refuses_a_lock_that_is_not_a_regular_file(workspace: Workspace) -> None:
    lock = workspace.root / ".jixiao-cache" / "lock"
    lock.unlink(missing_ok=True)
    lock.mkdir()
    proc = subprocess.run(
        [str(JIXIAO), "-C", str(workspace.root), "import", str(SAMPLE), "--force"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "不是普通文件" in proc.stderr, proc.stderr


def _path_without_jixiao() -> str:
    dirs = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(d for d in dirs if d and not (Path(d) / "jixiao").exists())


def test_hooks_in_a_clone_run_the_installed_program_never_the_repositorys_code(
    committed: Workspace, tmp_path: Path
) -> None:
    """issue 20 point 3: without jixiao on PATH the hook ran `python -c 'import cli'` from
    the repository's top, so a committed cli.py ran on every commit."""
    src = committed.root
    marker = tmp_path / "IMPORTED"
    for name in ("cli.py", "store/__init__.py", "sitecustomize.py"):
        (src / name).parent.mkdir(exist_ok=True)
        (src / name).write_text(
            f"import pathlib\npathlib.Path({str(marker)!r}).write_text({name!r})\n", "utf-8"
        )
    clone = commit_and_clone(src, tmp_path / "clone", "cli.py", "sitecustomize.py")
    env = fresh_env(tmp_path / "home", path=_path_without_jixiao())
    proc = jixiao(clone, "init", env=env)
    assert proc.returncode == 0, proc.stderr
    hook = (clone / ".git" / "hooks" / "pre-commit").read_text()
    assert str(JIXIAO) in hook and "import cli" not in hook
    project = next((clone / "store").rglob("执法证工本费.yaml"))
    text = project.read_text("utf-8")
    project.write_text(text.replace("本年权重: 20", "本年权重: 25", 1), "utf-8")
    git(clone, "add", "-A")
    commit = subprocess.run(
        ["git", "commit", "-qm", "wrong weights"],
        cwd=clone,
        capture_output=True,
        text=True,
        env=env,
    )
    assert commit.returncode != 0
    assert "E101" in commit.stdout + commit.stderr  # the check ran
    last = commit.stderr.rstrip().splitlines()[-1]
    assert last.startswith("jixiao: 提交已取消：") and "--no-verify" in last, commit.stderr
    assert not marker.exists(), marker.read_text()


def test_a_shared_hooks_path_is_left_alone(tmp_path: Path) -> None:
    """issue 20 point 4: a global core.hooksPath (a company's shared hooks)."""
    home = tmp_path / "home"
    shared = tmp_path / "shared-hooks"
    shared.mkdir()
    (shared / "pre-commit").write_text("#!/bin/sh\nexit 0\n")
    env = fresh_env(home)
    (home / ".gitconfig").write_text(f"[core]\n\thooksPath = {shared}\n")
    ws = tmp_path / "ws"
    proc = subprocess.run([str(JIXIAO), "init", str(ws)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in shared.iterdir()) == ["pre-commit"]
    assert (shared / "pre-commit").read_text() == "#!/bin/sh\nexit 0\n"
    assert "core.hooksPath" in proc.stdout and str(shared) in proc.stdout
    assert "git config core.hooksPath .git/hooks" in proc.stdout
    # Done as the sentence says, the check runs for this repository only.
    subprocess.run(["git", "config", "core.hooksPath", ".git/hooks"], cwd=ws, check=True, env=env)
    proc = jixiao(ws, "hook", env=env)
    assert proc.returncode == 0 and (ws / ".git" / "hooks" / "pre-commit").is_file()
    assert sorted(p.name for p in shared.iterdir()) == ["pre-commit"]


def test_init_inside_another_repository_asks_first(tmp_path: Path) -> None:
    """issue 21 point 10: `jixiao init 2024` inside jixiao's own checkout made no
    repository and put its hooks into the enclosing one."""
    env = fresh_env(tmp_path / "home")
    source = tmp_path / "jixiao-src"
    source.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=source, check=True, env=env)
    run = lambda *a: subprocess.run(  # noqa: E731
        [str(JIXIAO), *a], cwd=source, capture_output=True, text=True, env=env
    )
    proc = run("init", "2024")
    assert proc.returncode == 2, proc.stderr
    assert "--in-repo" in proc.stderr and "cd ~ && jixiao init 2024" in proc.stderr
    assert not (source / "2024").exists()
    assert list((source / ".git" / "hooks").glob("pre-*commit")) == [
        p for p in (source / ".git" / "hooks").glob("pre-*commit") if "jixiao" not in p.read_text()
    ]
    assert "jixiao" not in (source / ".git" / "config").read_text()
    assert "--in-repo" in run("init", "--help").stdout
    # Outside any repository: a repository of its own.
    proc = subprocess.run(
        [str(JIXIAO), "init", "2024"],
        cwd=tmp_path / "home",
        capture_output=True,
        text=True,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    top = git(tmp_path / "home" / "2024", "rev-parse", "--show-toplevel").strip()
    assert top == str((tmp_path / "home" / "2024").resolve())
    # Asked for explicitly: inside the other repository.
    proc = run("init", "--in-repo", "2024")
    assert proc.returncode == 0, proc.stderr
    assert not (source / "2024" / ".git").exists() and (source / "2024" / "jixiao.yaml").is_file()


def test_a_plain_git_pull_merges_in_a_clone(committed: Workspace, tmp_path: Path) -> None:
    """issue 21 point 12: git pull stopped at "divergent branches"; init sets pull.rebase."""
    env = fresh_env(tmp_path / "home")
    src = committed.root
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(src), str(clone)], check=True, env=env)
    assert jixiao(clone, "init", env=env).returncode == 0
    assert git(clone, "config", "pull.rebase").strip() == "false"
    for root, name, value in ((src, "法律援助工作经费", "600"), (clone, "执法证工本费", "30")):
        path = next((root / "store").rglob(f"{name}.yaml"))
        text = path.read_text("utf-8")
        path.write_text(text.replace("备注: ''", f"备注: '{value}'", 1), "utf-8")
        subprocess.run(
            ["git", "commit", "-qam", name, "--no-verify"], cwd=root, check=True, env=env
        )
    pull = subprocess.run(
        ["git", "pull", "-q", "--no-edit"], cwd=clone, capture_output=True, text=True, env=env
    )
    assert pull.returncode == 0, pull.stderr
    assert len(git(clone, "log", "--format=%H", "-1", "--merges").split()) == 1


def test_the_merge_driver_reads_no_side_larger_than_a_project_file(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    """A side git hands the driver comes from a repository: it may be made to be huge. Over
    the project-file limit it is not parsed; git's markers are left, and the driver says so."""
    from jixiao.store.disk.files import PROJECT_LIMIT
    from jixiao.store.workspace.mergedriver import merge_file

    text = "单位信息: 甲\n预算项目: 乙\n"
    base, ours, theirs = (tmp_path / n for n in ("base.yaml", "ours.yaml", "theirs.yaml"))
    base.write_text(text, encoding="utf-8")
    ours.write_text(text.replace("乙", "丙"), encoding="utf-8")
    theirs.write_text(text + "# " + "x" * PROJECT_LIMIT + "\n", encoding="utf-8")
    assert merge_file(base, ours, theirs, "store/甲/乙.yaml") == 1
    assert "<<<<<<<" in ours.read_text(encoding="utf-8")
    said = capsys.readouterr().err
    assert "store/甲/乙.yaml" in said and "按行合并" in said

"""The server's gate: a real bare repository with the pre-receive hook `jixiao init --server`
installs, and real `git push`es into it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from conftest import git, git_proc
from jixiao import cli
from typer.testing import CliRunner

runner = CliRunner()
FILE = "store/135001-大竹县司法局/安置帮教工作经费.yaml"


@pytest.fixture
def remote(committed, tmp_path: Path):  # noqa: ANN201
    """(clone, bare): the committed sample pushed to a bare repository guarded by the hook."""
    bare = tmp_path / "server" / "ws.git"
    bare.parent.mkdir()
    git(bare.parent, "init", "-q", "--bare", str(bare))
    root = committed.root
    git(root, "branch", "-M", "main")
    git(root, "remote", "add", "origin", str(bare))
    git(root, "push", "-q", "origin", "main")  # before the gate: quicker (see the orphan test)
    result = runner.invoke(cli.app, ["init", "--server", str(bare)])  # an existing bare repo
    assert result.exit_code == 0, result.output
    assert "已安装 pre-receive 钩子" in result.stdout
    return root, bare


def _edit(root: Path, old: str, new: str, message: str) -> None:
    path = root / FILE
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    git(root, "commit", "-qam", message)


def _tip(bare: Path, ref: str = "refs/heads/main") -> str:
    return git(bare, "rev-parse", ref).strip()


def test_a_push_that_breaks_e101_is_refused_and_the_fix_accepted(remote) -> None:
    root, bare = remote
    before = _tip(bare)
    _edit(root, "本年权重: 10", "本年权重: 15", "权重改错")
    push = git_proc(root, "push", "origin", "main")
    assert push.returncode != 0
    assert "pre-receive hook declined" in push.stderr
    assert (
        f"remote: GL-HOOK-ERR: {FILE}:" in push.stderr
        and "E101 本年权重合计 95 + 预算执行率权重 10 = 105，应为 100，多 5" in push.stderr
    )
    assert "GL-HOOK-ERR: jixiao 拒绝推送到 main：带来 1 个新错误" in push.stderr
    assert "W103" in push.stderr and "remote: jixiao: " in push.stderr  # warned, not refused
    assert _tip(bare) == before
    # a fix stacked on the broken commit: the tip brings no new error
    _edit(root, "本年权重: 15", "本年权重: 10", "权重改回")
    push = git_proc(root, "push", "origin", "main")
    assert push.returncode == 0, push.stderr
    assert _tip(bare) == git(root, "rev-parse", "HEAD").strip()


def test_deletion_tag_and_other_files_are_never_refused(remote) -> None:
    root, bare = remote
    git(root, "switch", "-qc", "side")
    (root / "说明.md").write_text("# 说明\n", encoding="utf-8")
    git(root, "add", "说明.md")
    git(root, "commit", "-qm", "只改了说明")
    assert git_proc(root, "push", "origin", "side").returncode == 0  # touches no project
    assert git_proc(root, "push", "origin", ":side").returncode == 0  # a deletion
    assert git_proc(bare, "rev-parse", "-q", "--verify", "refs/heads/side").returncode != 0
    _edit(root, "本年权重: 10", "本年权重: 15", "权重改错")
    git(root, "tag", "broken")
    push = git_proc(root, "push", "origin", "broken")  # a tag is never judged
    assert push.returncode == 0, push.stderr
    assert "GL-HOOK-ERR" not in push.stderr


def test_a_new_branch_is_judged_where_it_leaves_the_others(remote) -> None:
    root, bare = remote
    git(root, "switch", "-qc", "same")
    assert git_proc(root, "push", "origin", "same").returncode == 0  # nothing new
    git(root, "switch", "-qc", "topic")
    _edit(root, "本年权重: 10", "本年权重: 15", "权重改错")
    push = git_proc(root, "push", "origin", "topic")
    assert push.returncode != 0 and "E101" in push.stderr
    # an error that was already there is not new: main broken behind the gate's back
    hooks = bare / "hooks" / "pre-receive"
    hooks.rename(hooks.with_suffix(".off"))
    assert git_proc(root, "push", "origin", "topic:main").returncode == 0
    hooks.with_suffix(".off").rename(hooks)
    _edit(root, "度量单位: 人", "度量单位: 名", "只改单位")
    push = git_proc(root, "push", "origin", "topic:main")
    assert push.returncode == 0, push.stderr  # E101 was there before this push
    assert "GL-HOOK-ERR" not in push.stderr


def test_no_code_from_the_pushed_repository_is_run(remote, tmp_path: Path) -> None:
    root, bare = remote
    marker = tmp_path / "marker"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    for name in ("cli.py", "sitecustomize.py", "usercustomize.py", "store/__init__.py"):
        (root / name).write_text(payload, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "code beside a valid change")
    _edit(root, "度量单位: 人", "度量单位: 名", "一个合规的修改")
    # even with the pushed files on PYTHONPATH and as the current folder of the push
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONSTARTUP": str(root / "cli.py")}
    push = subprocess.run(
        ["git", "push", "origin", "main"], cwd=root, env=env, capture_output=True, text=True
    )
    assert push.returncode == 0, push.stderr
    assert not marker.exists()
    hook = (bare / "hooks" / "pre-receive").read_text(encoding="utf-8")
    assert " -I " in hook and "hook pre-receive" in hook


def test_init_server_makes_a_bare_repository_or_refuses_a_folder(committed, tmp_path) -> None:
    made = tmp_path / "new" / "ws.git"
    result = runner.invoke(cli.app, ["init", "--server", str(made)])
    assert result.exit_code == 0, result.output
    assert "已新建裸仓库" in result.stdout and "已安装 pre-receive 钩子" in result.stdout
    assert git(made, "rev-parse", "--is-bare-repository").strip() == "true"
    assert os.access(made / "hooks" / "pre-receive", os.X_OK)
    result = runner.invoke(cli.app, ["init", "--server", str(committed.root)])
    assert result.exit_code == 2
    assert "不是裸仓库" in result.stderr
    own = tmp_path / "own.git"
    git(tmp_path, "init", "-q", "--bare", str(own))
    (own / "hooks" / "pre-receive").write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    result = runner.invoke(cli.app, ["init", "--server", str(own)])
    assert result.exit_code == 0
    assert "已有你自己的 pre-receive 钩子，保持原样" in result.stdout
    assert (own / "hooks" / "pre-receive").read_text(encoding="utf-8") == "#!/bin/sh\nexit 0\n"


def test_init_server_goes_beside_a_gitea_hook(tmp_path) -> None:
    bare = tmp_path / "gitea.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    gitea = "#!/bin/sh\n# gitea runs hooks/pre-receive.d/*\n"
    (bare / "hooks" / "pre-receive").write_text(gitea, encoding="utf-8")
    (bare / "hooks" / "pre-receive.d").mkdir()
    result = runner.invoke(cli.app, ["init", "--server", str(bare)])
    assert result.exit_code == 0, result.output
    assert (bare / "hooks" / "pre-receive").read_text(encoding="utf-8") == gitea
    ours = bare / "hooks" / "pre-receive.d" / "jixiao"
    assert "hook pre-receive" in ours.read_text(encoding="utf-8")
    assert os.access(ours, os.X_OK)


def test_a_branch_without_shared_history_is_judged_on_every_project(remote) -> None:
    root, bare = remote
    git(root, "checkout", "-q", "--orphan", "fresh")  # keeps the files, drops the history
    git(root, "add", "-A")  # the same files, in a history of their own
    _edit(root, "本年权重: 10", "本年权重: 15", "另起的历史，权重改错")
    push = git_proc(root, "push", "origin", "fresh")
    assert push.returncode != 0
    assert "GL-HOOK-ERR: " in push.stderr and "E101" in push.stderr
    assert git_proc(bare, "rev-parse", "-q", "--verify", "refs/heads/fresh").returncode != 0


def test_rules_that_cannot_be_read_at_the_tip_refuse_the_push(remote) -> None:
    root, bare = remote
    (root / "jixiao.yaml").write_text("profile:\n  weight_total: 一百\n", encoding="utf-8")
    git(root, "commit", "-qam", "规则写坏了")
    push = git_proc(root, "push", "origin", "main")
    assert push.returncode != 0
    [line] = [x for x in push.stderr.splitlines() if "GL-HOOK-ERR" in x]
    assert "refs/heads/main: jixiao.yaml" in line and "weight_total" in line

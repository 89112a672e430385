"""`jixiao check` and its pre-commit hook, on a real workspace and a real git repository."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import git
from jixiao import cli
from typer.testing import CliRunner

runner = CliRunner()


def run(ws_root: Path, *args: str):
    return runner.invoke(cli.app, ["-C", str(ws_root), *args])


def test_check_on_the_sample_has_warnings_and_exits_0(workspace) -> None:
    result = run(workspace.root, "check")
    assert result.exit_code == 0, result.output
    assert "检查了 16 个项目：0 个错误，12 个警告，3 条提示" in result.output
    assert "执法证工本费.yaml:" in result.output and "I161" in result.output


def test_check_json_lists_findings_with_file_and_line(workspace) -> None:
    result = run(workspace.root, "check", "--format", "json")
    findings = json.loads(result.output)
    assert {f["code"] for f in findings} == {"W103", "W113", "W124", "W125", "I161"}
    f = next(f for f in findings if f["code"] == "W125")
    assert f["project"] == "法律援助工作经费"
    assert set(f) == {"code", "severity", "file", "line", "project", "row", "message"}
    text = (workspace.root / f["file"]).read_text(encoding="utf-8").splitlines()
    assert text[f["line"] - 1].strip().startswith("指标性质")


def test_a_weight_error_exits_1_and_names_the_line(workspace) -> None:
    ref = workspace.resolve("执法证工本费")
    text = ref.path.read_text(encoding="utf-8")
    ref.path.write_text(text.replace("本年权重: 20", "本年权重: 25", 1), encoding="utf-8")
    result = run(workspace.root, "check", "执法证工本费")
    assert result.exit_code == 1
    assert "E101 本年权重合计 95 + 预算执行率权重 10 = 105，应为 100，多 5" in result.output


def test_check_changed_looks_only_at_files_changed_since_head(committed) -> None:
    workspace = committed
    assert "检查了 0 个项目" in run(workspace.root, "check", "--changed").output
    ref = workspace.resolve("法治宣传经费")
    ref.path.write_text(ref.path.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    result = run(workspace.root, "check", "--changed")
    assert "检查了 1 个项目" in result.output


def test_explain_and_unknown_code(workspace) -> None:
    assert "二级指标" in run(workspace.root, "check", "--explain", "W113").output
    bad = run(workspace.root, "check", "--explain", "X999")
    assert bad.exit_code == 2 and "X999" in bad.output


def test_bad_profile_is_one_sentence_exit_2(workspace) -> None:
    settings = workspace.root / "jixiao.yaml"
    settings.write_text("profile:\n  weight_total: many\n", encoding="utf-8")
    result = run(workspace.root, "check")
    assert result.exit_code == 2
    assert "jixiao.yaml: profile.weight_total" in result.output
    assert "Traceback" not in result.output


def test_pre_commit_hook_stops_a_commit_with_a_weight_error(workspace) -> None:
    hook = workspace.root / ".git" / "hooks" / "pre-commit"
    assert run(workspace.root, "hook").exit_code == 0
    assert hook.exists() and "check --staged" in hook.read_text()
    git(workspace.root, "add", "-A")
    git(workspace.root, "commit", "-qm", "import")
    ref = workspace.resolve("执法证工本费")
    text = ref.path.read_text(encoding="utf-8")
    ref.path.write_text(text.replace("本年权重: 20", "本年权重: 25", 1), encoding="utf-8")
    git(workspace.root, "add", "-A")
    env_path = str(Path(cli.__file__).parent)
    proc = subprocess.run(
        ["git", "commit", "-qm", "wrong weights"],
        cwd=workspace.root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": env_path},
    )
    assert proc.returncode != 0
    assert "E101" in proc.stdout + proc.stderr
    # The program init ran as, by absolute path; the last line says what happened and what next.
    assert str(Path(sys.executable).parent / "jixiao") in hook.read_text()
    assert proc.stderr.rstrip().splitlines()[-1].startswith("jixiao: 提交已取消：")
    assert "git commit --no-verify" in proc.stderr.rstrip().splitlines()[-1]


def test_the_hook_checks_what_is_staged_not_the_working_tree(committed) -> None:
    """Found in review: an unstaged error blocked an unrelated commit, and a staged error
    fixed only in the working tree got through."""
    workspace = committed
    ref = workspace.resolve("执法证工本费")
    good = ref.path.read_text(encoding="utf-8")
    bad = good.replace("本年权重: 20", "本年权重: 25", 1)
    ref.path.write_text(bad, encoding="utf-8")  # an error, not staged
    (workspace.root / "notes.md").write_text("notes\n", encoding="utf-8")
    git(workspace.root, "add", "notes.md")
    result = run(workspace.root, "check", "--staged")
    assert result.exit_code == 0 and "检查了 0 个项目" in result.output
    git(workspace.root, "add", "-A")  # now the error is staged ...
    ref.path.write_text(good, encoding="utf-8")  # ... and fixed only in the working tree
    result = run(workspace.root, "check", "--staged")
    assert result.exit_code == 1 and "E101" in result.output


def test_the_hook_works_after_the_workspace_folder_moves(workspace, tmp_path) -> None:
    run(workspace.root, "hook")
    moved = tmp_path / "moved"
    workspace.root.rename(moved)
    ref = next((moved / "store").glob("*/执法证工本费.yaml"))
    ref.write_text(
        ref.read_text(encoding="utf-8").replace("本年权重: 20", "本年权重: 25", 1),
        encoding="utf-8",
    )
    git(moved, "add", "-A")
    proc = subprocess.run(
        ["git", "commit", "-qm", "wrong weights"],
        cwd=moved,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(cli.__file__).parent)},
    )
    assert proc.returncode != 0 and "E101" in proc.stdout + proc.stderr


def test_hook_help_names_what_the_hook_runs(tmp_path: Path) -> None:
    from jixiao.store.git.hooks import hook_script

    assert "check --staged" in hook_script(tmp_path)
    result = runner.invoke(cli.app, ["hook", "--help"])
    assert result.exit_code == 0
    words = " ".join(result.output.split())  # rich wraps the help text
    assert "check --staged" in words and "--changed" not in words

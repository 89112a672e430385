"""File names are capped in bytes, with room for the temp name a write makes beside them; the
whole 预算项目 stays in the file, and `show` finds the project by it."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import SAMPLE
from jixiao import cli
from typer.testing import CliRunner

LINES = SAMPLE.read_text(encoding="utf-8").split("\n")
LONG = "法" * 79  # 237 bytes: with ".yaml" and a temp name, past the 255 a file name may have
LONGER = "法" * 80 + "工作经费" * 20  # shares its first 80 characters with LONG + "法"


def _with_names(*names: str) -> str:
    """The sample with the 预算项目 of its first sheets replaced."""
    lines = list(LINES)
    starts = [k for k, ln in enumerate(lines) if ln == "绩效目标批复表"]
    for start, name in zip(starts, names, strict=False):
        cells = lines[start + 2].split("\t")
        cells[3] = name
        lines[start + 2] = "\t".join(cells)
    return "\n".join(lines)


def test_long_names_import_export_and_are_found(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    source = tmp_path / "long.txt"
    source.write_text(_with_names(LONG, LONGER), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli.app, ["init", str(root)]).exit_code == 0
    result = runner.invoke(cli.app, ["-C", str(root), "import", str(source)])
    assert result.exit_code == 0, result.output
    names = [p.name for p in (root / "store").rglob("*.yaml")]
    assert len(names) == 16 and all(len(n.encode()) <= 255 - 14 for n in names)
    for name in (LONG, LONGER):
        shown = runner.invoke(cli.app, ["-C", str(root), "show", name, "--format", "json"])
        assert shown.exit_code == 0, shown.output
        assert f'"预算项目": "{name}"' in shown.stdout
    exported = runner.invoke(cli.app, ["-C", str(root), "export"])
    assert exported.stdout_bytes == source.read_bytes()
    assert not [d for d in (root / "store").iterdir() if not any(d.iterdir())]
    # Saving writes a temp file beside the longest name: it must fit too.
    from jixiao.store.workspace.workspace import Workspace

    ws = Workspace(root)
    ref = ws.resolve(LONGER)
    sheet = ws.load(ref)
    text = ref.path.read_text(encoding="utf-8")
    sheet.goal = "改过"
    ws.save(ref, sheet, text)
    assert "年度目标: 改过" in ref.path.read_text(encoding="utf-8")
    assert os.listdir(ref.path.parent).count(ref.path.name) == 1

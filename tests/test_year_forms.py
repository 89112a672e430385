"""The year's forms (issue 22 point 5): export the 自评表 / 监控表, fill it as a colleague would
(openpyxl for the workbook, plain text edits for the tab form), import, score."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from conftest import git
from jixiao import cli
from jixiao.store.workspace.workspace import Workspace
from jixiao.store.year.forms import EVALUATION_HEADER
from typer.testing import CliRunner

NAME = "安置帮教工作经费"
FULL, PART = "达成年度指标", "部分达成年度指标并具有一定效果"
runner = CliRunner()


def run(root: Path, *args: str, code: int = 0):
    result = runner.invoke(cli.app, ["-C", str(root), *args])
    assert result.exit_code == code, result.output
    return result


def total(root: Path) -> float:
    data = json.loads(run(root, "score", NAME, "--format", "json").output)
    return data["项目"][0]["总分"]


def test_the_text_form_has_the_issues_rows(workspace: Workspace) -> None:
    out = workspace.root / "自评.txt"
    run(workspace.root, "export", "--form", "自评", NAME, "-o", str(out))
    text = out.read_text("utf-8")
    lines = text.split("\n")
    assert lines[:4] == ["", "", "项目支出绩效自评表", ""]
    assert lines[4].startswith("项目名称：\t安置帮教工作经费\t")
    assert lines.index("\t".join(EVALUATION_HEADER)) > 0
    assert lines[7].split("\t")[:7] == [
        "项目资金（元）",
        "年初预算数",
        "全年预算数",
        "全年执行数",
        "分值",
        "执行率",
        "得分",
    ]
    assert [line.split("\t")[0] for line in lines[8:13]] == [
        "年度资金总额", "其中：财政资金", "财政专户管理资金", "单位资金", "其他资金"
    ]  # fmt: skip
    assert lines[8].split("\t")[:2] == ["年度资金总额", "150,000"]  # 年初预算数 = 项目总额
    assert any(line.startswith("总分\t") and "\t等级\t" in line for line in lines)
    assert not text.endswith("\n")
    monitor = run(workspace.root, "export", "--form", "监控", NAME).output
    assert "绩效运行监控表" in monitor and "1-7月实际完成值\t全年预计完成值\t偏差原因" in monitor
    bad = runner.invoke(cli.app, ["-C", str(workspace.root), "export", "--form", "决算"])
    assert bad.exit_code == 2 and "应为 自评" in bad.output


def test_text_form_round_trip_gives_the_worked_total(committed: Workspace) -> None:
    root = committed.root
    out = root.parent / "自评.txt"
    run(root, "export", "--form", "自评", NAME, "-o", str(out))
    lines = out.read_text("utf-8").split("\n")
    actual = {  # 三级指标 -> (实际完成值, 偏差原因分析及改进措施)
        "接收安置帮教人数": ("450", "刑释人员减少"),
        "为安置帮教人员排解工作和心理的压力": (FULL, ""),
        "维护社会稳定": (PART, "个别人员重新犯罪"),
        "安置帮教人员的满意度": ("96%", ""),
        "每位安置帮教人员所需的费用": ("310", "物价上涨"),
        "本年度按时接收安置帮教人员": ("11个月", "12月份未开展"),
    }
    for k, line in enumerate(lines):
        cells = line.split("\t")
        if cells[0] == "年度资金总额":
            cells[2:4] = ["150,000", "138,000"]
        if len(cells) > 2 and cells[2] in actual:
            cells[6], cells[9] = actual[cells[2]]
            cells[8] = "99"  # a typed score is ignored
        if cells[0] == "总分":
            cells[1] = "100"
        lines[k] = "\t".join(cells)
    out.write_text("\n".join(lines), "utf-8")
    result = run(root, "import", str(out))
    assert "1 张表（含 1 张自评表/监控表）：新建 0，更新 1" in result.output
    # 定性 top of band: PART on 30 → 24. 9.2 + 9 + 20 + 24 + 10 + 9.67 + 9.17 = 91.04 → 优
    assert total(root) == 91.04
    git(root, "add", "-A")
    git(root, "commit", "-qm", "自评")
    run(root, "import", str(out))  # again: nothing changes
    assert git(root, "status", "--porcelain") == ""
    history = (root / "jixiao-imports.yaml").read_text("utf-8")  # the import is recorded
    assert "file: 自评.txt" in history


def test_workbook_filled_in_excel_round_trips(committed: Workspace) -> None:
    workspace = committed
    root = workspace.root
    out = root.parent / "自评.xlsx"
    run(root, "export", "--form", "自评", NAME, "-o", str(out))
    wb = openpyxl.load_workbook(out)
    ws = wb.worksheets[0]
    values = {"接收安置帮教人数": 450, "为安置帮教人员排解工作和心理的压力": FULL,
              "维护社会稳定": PART, "安置帮教人员的满意度": 0.96,
              "每位安置帮教人员所需的费用": "310", "本年度按时接收安置帮教人员": "11个月"}  # fmt: skip
    for row in ws.iter_rows():
        first = row[0].value
        if first == "年度资金总额":
            row[2].value, row[3].value = 150000, 138000
        third = row[2].value
        if third in values:
            row[6].value = values[third]
            if third == "安置帮教人员的满意度":
                row[6].number_format = "0%"  # Excel shows 96%: that is 96 (%)
        if third == "接收安置帮教人数":
            row[4].value = 550  # a target that differs: reported, not taken
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(buf.getvalue())
    result = run(root, "import", str(out))
    assert "「接收安置帮教人数」的年度指标值表中是 550，批复是 500；未采用" in result.output
    assert total(root) == 91.04
    text = next(r for r in workspace.projects() if r.name == NAME).path.read_text("utf-8")
    assert "实际完成值: 96%" in text and "本年绩效指标值: 500" in text


def test_a_partly_filled_form_and_an_unknown_project(committed: Workspace) -> None:
    root = committed.root
    out = root.parent / "自评.txt"
    run(root, "export", "--form", "自评", NAME, "-o", str(out))
    text = out.read_text("utf-8")
    out.write_text(
        text.replace("接收安置帮教人数\t≥\t500\t人\t", "接收安置帮教人数\t≥\t500\t人\t480"), "utf-8"
    )
    run(root, "import", str(out))
    card = json.loads(run(root, "score", NAME, "--format", "json").output)["项目"][0]
    assert card["绩效指标"][0]["实际完成值"] == "480" and card["预算执行得分"] == 0
    check = runner.invoke(cli.app, ["-C", str(root), "check", NAME])
    assert "W177" in check.output  # five indicators still empty
    before = {p: p.read_bytes() for p in (root / "store").rglob("*.yaml")}
    out.write_text(text.replace("安置帮教工作经费", "不存在的项目"), "utf-8")
    bad = runner.invoke(cli.app, ["-C", str(root), "import", str(out)])
    assert bad.exit_code == 2 and "不存在的项目 不在工作区中" in bad.output
    assert {p: p.read_bytes() for p in (root / "store").rglob("*.yaml")} == before


def test_the_monitoring_form_round_trips(committed: Workspace) -> None:
    workspace = committed
    root = workspace.root
    out = root.parent / "监控.txt"
    run(root, "export", "--form", "监控", NAME, "-o", str(out))
    text = out.read_text("utf-8")
    text = text.replace(
        "接收安置帮教人数\t≥\t500\t人\t\t\t\t\t",
        "接收安置帮教人数\t≥\t500\t人\t260\t480\t经费保障\t有可能\t争取追加经费",
    )
    text = text.replace("年度资金总额\t150,000\t\t", "年度资金总额\t150,000\t80,000\t150,000")
    out.write_text(text, "utf-8")
    run(root, "import", str(out))
    ref = next(r for r in workspace.projects() if r.name == NAME)
    mo = workspace.load(ref).monitoring
    assert mo.funding["total"].spent == "80,000"
    assert (mo.indicators[0].actual, mo.indicators[0].likelihood) == ("260", "有可能")
    again = run(root, "export", "--form", "监控", NAME).output
    assert "260\t480\t经费保障\t有可能\t争取追加经费" in again and "53.33%" in again


def test_textconv_names_each_cell_of_a_filled_form(workspace: Workspace) -> None:
    from jixiao.store.workspace.textconv import render_textconv

    data = run(workspace.root, "export", "--form", "自评", NAME).output.encode("utf-8")
    data = data.replace(
        "接收安置帮教人数\t≥\t500\t人\t".encode(), "接收安置帮教人数\t≥\t500\t人\t450".encode()
    )
    lines = render_textconv(data, "自评.txt").decode("utf-8").splitlines()
    assert "== 项目支出绩效自评表：安置帮教工作经费 (135001-大竹县司法局) ==" in lines
    assert "绩效自评「接收安置帮教人数」实际完成值: 450" in lines
    assert "绩效自评/预算执行/年度资金总额/年初预算数: 150,000" in lines


def test_forms_in_wan_yuan_when_the_profile_says_so(committed: Workspace) -> None:
    root = committed.root
    settings = root / "jixiao.yaml"
    text = settings.read_text("utf-8")
    assert "profile: {}" in text
    settings.write_text(
        text.replace("profile: {}", "profile: {scoring: {form_unit: 万元}}"), "utf-8"
    )
    git(root, "commit", "-qam", "万元")
    out = root.parent / "自评.txt"
    run(root, "export", "--form", "自评", NAME, "-o", str(out))
    lines = out.read_text("utf-8").split("\n")
    assert lines[7].startswith("项目资金（万元）\t")
    assert lines[8].split("\t")[:2] == ["年度资金总额", "15"]
    lines[8] = "\t".join(["年度资金总额", "15", "15", "13.8"] + lines[8].split("\t")[4:])
    out.write_text("\n".join(lines), "utf-8")
    run(root, "import", str(out))
    ev = committed.load(committed.resolve(NAME)).evaluation
    assert (ev.funding["total"].budget, ev.funding["total"].spent) == ("150,000", "138,000")
    again = run(root, "export", "--form", "自评", NAME).output
    assert "年度资金总额\t15\t15\t13.8\t10\t92.00%\t9.20" in again

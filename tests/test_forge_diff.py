"""`jixiao diff --format markdown|html`: the text diff's content, nothing of a cell read as
markup (the Markdown is rendered by a CommonMark parser, the HTML read by html.parser)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from conftest import git
from jixiao import cli
from markdown_it import MarkdownIt
from typer.testing import CliRunner

runner = CliRunner()
UNIT = "store/135001-大竹县司法局"
HOSTILE = "<script>alert(1)</script> *强调* [链接](http://x) | `代码` &amp; #1 \\ _x_"


def run(root: Path, *args: str):
    return runner.invoke(cli.app, ["-C", str(root), *args])


class Page(HTMLParser):
    """Tags and text of an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def _change(ws) -> None:  # noqa: ANN001
    path = ws.root / UNIT / "安置帮教工作经费.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("本年权重: 10", "本年权重: 15", 1)
    text = text.replace(
        "三级指标: 维护社会稳定", f"三级指标: '{HOSTILE.replace(chr(39), chr(39) * 2)}'"
    )
    path.write_text(text, encoding="utf-8")
    old, new = ws.root / UNIT / "法律援助工作经费.yaml", ws.root / UNIT / "法律援助经费.yaml"
    new.write_text(
        old.read_text(encoding="utf-8").replace(
            "预算项目: 法律援助工作经费", "预算项目: 法律援助经费"
        ),
        encoding="utf-8",
    )
    old.unlink()
    git(ws.root, "add", "-A")


def _text_lines(ws) -> list[str]:  # noqa: ANN001
    out = run(ws.root, "diff").stdout.splitlines()
    return [line.strip() for line in out[1:] if line.strip()]


def test_markdown_renders_every_value_as_text(committed) -> None:
    _change(committed)
    result = run(committed.root, "diff", "--format", "markdown")
    assert result.exit_code == 0, result.output
    rendered = MarkdownIt("commonmark").enable("table").render(result.stdout)
    page = parse(rendered)
    tags = {t for t, _ in page.tags}
    assert not tags & {"script", "em", "strong", "a", "code", "img"}
    assert "table" in tags and "h3" in tags
    text = "".join(page.text)
    assert HOSTILE in text  # shown exactly, nothing interpreted
    assert "改名" in text and "法律援助工作经费.yaml → " in text
    assert "新出现的问题" in text and "E101 本年权重合计 95 + 预算执行率权重 10 = 105" in text
    assert "W113" in text  # the renamed row's finding: gone under the old name, new under this
    for line in _text_lines(committed):  # what the text diff says, the summary aside
        if (
            not line.startswith(("+ ", "- ", "3 个项目"))
            and "新增：" not in line
            and "删除：" not in line
        ):
            assert line.lstrip("~ ") in text.replace("\n", " "), line


def test_html_is_one_escaped_page_with_the_same_content(committed) -> None:
    _change(committed)
    result = run(committed.root, "diff", "--format", "html")
    assert result.exit_code == 0, result.output
    page = parse(result.stdout)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags
    assert ("meta", {"charset": "utf-8"}) in page.tags
    assert not any("src" in attrs or attrs.get("rel") == "stylesheet" for _, attrs in page.tags)
    assert "url(" not in result.stdout
    text = "".join(page.text)
    assert HOSTILE in text
    assert "权重合计: 100 ✓ → 105 多 5" in text


def test_no_change_says_so(committed) -> None:
    result = run(committed.root, "diff", "--format", "markdown")
    assert "没有差异" in result.stdout


def test_text_diff_pairs_renames_and_names_new_findings(committed) -> None:
    _change(committed)
    out = run(committed.root, "diff").stdout
    assert f"改名：{UNIT}/法律援助工作经费.yaml → {UNIT}/法律援助经费.yaml" in out
    assert "预算项目: 法律援助工作经费 → 法律援助经费" in out
    assert "新出现的问题：" in out and "E101 本年权重合计 95" in out
    assert "消失的问题：\n      W113 第3行「维护社会稳定」" in out
    assert out.rstrip().endswith("2 个项目：修改 2 个（其中改名 1 个）")

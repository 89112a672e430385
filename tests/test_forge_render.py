"""`jixiao render`: the static site's structure, read with html.parser (the browser test is in
test_forge_render_browser.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from jixiao import cli
from typer.testing import CliRunner

runner = CliRunner()
UNIT = "135001-大竹县司法局"
HOSTILE = "<script>alert('x')</script>&amp;"


class Tree(HTMLParser):
    """Every start tag with its attributes and the text inside each (by a stack)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.cells: list[tuple[dict, str]] = []  # (<td> attributes, its text)
        self.rows: list[list[tuple[dict, str]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._td: tuple[dict, list[str]] | None = None
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "tr":
            self.rows.append([])
        if tag in ("td", "th"):
            self._td = (a, [])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._td is not None:
            cell = (self._td[0], "".join(self._td[1]))
            self.cells.append(cell)
            if self.rows:
                self.rows[-1].append(cell)
            self._td = None
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
            return
        self.text.append(data)
        if self._td is not None:
            self._td[1].append(data)


def read(path: Path) -> Tree:
    t = Tree()
    t.feed(path.read_text(encoding="utf-8"))
    return t


def render(root: Path, out: Path, *projects: str):
    result = runner.invoke(cli.app, ["-C", str(root), "render", *projects, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return result


def assert_self_contained(t: Tree, raw: str) -> None:
    tags = [name for name, _ in t.tags]
    assert "script" not in tags and "iframe" not in tags and "object" not in tags
    assert ("meta", {"charset": "utf-8"}) in t.tags
    for name, attrs in t.tags:
        assert "src" not in attrs and "srcset" not in attrs, name
        assert not any(k.startswith("on") for k in attrs), name  # no event handlers
        if name == "link":
            assert attrs.get("rel") != "stylesheet"
        href = attrs.get("href") or ""
        assert "://" not in href and not href.startswith(("//", "javascript:")), href
    css = "".join(t.styles)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    assert "<script" not in raw.lower().replace("&lt;script", "")


def test_index_lists_every_project_and_links_its_page(workspace, tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = render(workspace.root, out)
    assert "已把 16 个项目写成网页" in result.stdout
    raw = (out / "index.html").read_text(encoding="utf-8")
    t = read(out / "index.html")
    assert_self_contained(t, raw)
    header = [text for _, text in t.rows[0]]
    assert header == ["单位信息", "预算项目", "项目总额", "权重合计", "问题", "自评等级"]
    body = t.rows[1:]
    assert len(body) == 16
    links = [a["href"] for name, a in t.tags if name == "a"]
    assert len(links) == 16
    for href in links:
        assert (out / unquote(href)).is_file()
    row = next(r for r in body if r[1][1] == "执法证工本费")
    assert [text for _, text in row] == [UNIT, "执法证工本费", "50,000", "100 ✓", "1", ""]


def test_a_project_page_is_the_printed_form(workspace, tmp_path: Path) -> None:
    out = tmp_path / "site"
    render(workspace.root, out, "执法证工本费")
    page = out / UNIT / "执法证工本费.html"
    raw = page.read_text(encoding="utf-8")
    t = read(page)
    assert_self_contained(t, raw)
    assert "@page" in "".join(t.styles) and "A4" in "".join(t.styles)
    assert "绩效目标批复表" in "".join(t.text)
    labels = [text for a, text in t.cells]
    for label in ("单位信息", "预算项目", "项目总额", "其中：财政资金", "年度目标", "银行贷款"):
        assert label in labels
    # merged 一级/二级 cells: 产出指标 over 3 rows, 成本指标 and 经济成本指标 over 4
    merged = {text: a.get("rowspan") for a, text in t.cells if a.get("rowspan")}
    assert merged["产出指标"] == "3" and merged["成本指标"] == "4"
    assert merged["经济成本指标"] == "4"
    grid = [r for r in t.rows if len(r) >= 9]
    assert len(grid) == 1 + 9  # the header row and the nine indicators
    # the weight bar: pure HTML/CSS widths that add up to 100 %
    bars = [a for name, a in t.tags if name == "div" and "width:" in (a.get("style") or "")]
    widths = [float(a["style"].split("width:")[1].strip(" %;")) for a in bars]
    assert abs(sum(widths) - 100) < 0.01 and len(widths) == 5
    # the sheet-level finding is listed, with its code
    assert "I161" in "".join(t.text)


def test_findings_sit_beside_their_rows_and_values_are_escaped(workspace, tmp_path) -> None:
    path = workspace.root / "store" / UNIT / "安置帮教工作经费.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("备注: ''", '备注: "' + HOSTILE.replace('"', '\\"') + '"', 1),
        encoding="utf-8",
    )
    out = tmp_path / "site"
    render(workspace.root, out)
    page = out / UNIT / "安置帮教工作经费.html"
    raw = page.read_text(encoding="utf-8")
    t = read(page)
    assert_self_contained(t, raw)
    assert HOSTILE in [text for _, text in t.cells]  # shown as written
    row = next(r for r in t.rows if any(text == "维护社会稳定" for _, text in r))
    assert "W113" in row[-1][1] and row[-1][0].get("class") == "findings"
    clean = next(r for r in t.rows if any(text == "接收安置帮教人数" for _, text in r))
    assert clean[-1][1] == ""


def test_render_refuses_a_file_as_folder(workspace, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    result = runner.invoke(cli.app, ["-C", str(workspace.root), "render", "-o", str(target)])
    assert result.exit_code == 2 and "不是文件夹" in result.stderr


def test_an_unreadable_project_is_named_in_the_index(workspace, tmp_path: Path) -> None:
    (workspace.root / "store" / UNIT / "执法证工本费.yaml").write_text("a: [\n", encoding="utf-8")
    out = tmp_path / "site"
    render(workspace.root, out)
    t = read(out / "index.html")
    row = next(r for r in t.rows if "执法证工本费.yaml" in r[0][1])
    assert row[0][0].get("class") == "error" and row[1][1] == "E001"
    assert not (out / UNIT / "执法证工本费.html").exists()
    assert len(t.rows) == 17

"""`jixiao render [PROJECT...] -o DIR`: a static HTML site, one page per project laid out as
the printed 绩效目标批复表, and an index.

    pages = render_site(items, profile, grades)   # {relative path: HTML text}

Each page declares UTF-8, holds its own style (an A4 landscape print style included), runs
no script and loads nothing from anywhere: no external src, stylesheet, font or url(). Every
value read from a file is escaped (a cell holding `<script>` shows as text) with control
characters made visible. Links go between the pages only, by relative paths.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from ..printable import printable
from ..rules.profile import Profile
from ..rules.rules import Finding, WeightSummary, check_sheet, weight_summary
from ..sheet.fields import FUNDING_FIELDS, TABLE_HEADER, TITLE
from ..sheet.model import Indicator, Sheet, as_number, format_number

INDEX = "index.html"


@dataclass(frozen=True)
class Item:
    """One project to render: its file (workspace-relative) and its sheet, or why it could
    not be read."""

    rel: str
    sheet: Sheet | None
    error: str | None = None


def e(text: object) -> str:
    """A value as HTML text: escaped, control characters shown as visible signs."""
    return html.escape(printable(str(text)), quote=True)


def page_path(rel: str) -> str:
    """store/<unit>/<name>.yaml -> <unit>/<name>.html (names are already file-system safe)."""
    inner = rel.removeprefix("store/")
    return (inner[:-5] if inner.endswith(".yaml") else inner) + ".html"


def _href(path: str) -> str:
    return e(quote(path, safe="/"))


_STYLE = """
:root { --line: #555; --soft: #f3f3f3; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
       "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
       margin: 24px; color: #111; font-size: 14px; line-height: 1.45; }
nav { margin-bottom: 12px; font-size: 13px; }
h1 { text-align: center; font-size: 22px; letter-spacing: 0.3em; margin: 4px 0 12px; }
h1 small { display: block; font-size: 13px; letter-spacing: normal; color: #555; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 6px; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: normal; white-space: nowrap; }
table.head { table-layout: fixed; }
table.head col.label { width: 10%; } table.head col.value { width: 23.33%; }
table.head th { text-align: right; white-space: normal; }
table.head td.goal { white-space: pre-wrap; }
table.grid { margin-top: 10px; }
table.grid th { text-align: center; }
td.num { text-align: right; white-space: nowrap; }
td.merged { background: #fafafa; vertical-align: middle; }
tr.has-findings td { background: #fff7e6; }
td.findings { font-size: 12px; min-width: 14em; }
.error { color: #b00020; } .warning { color: #8a5a00; } .info { color: #00658a; }
ul.findings { margin: 4px 0; padding-left: 1.2em; }
.bar { display: flex; height: 26px; border: 1px solid var(--line); margin: 10px 0 2px;
       font-size: 12px; }
.bar div { display: flex; align-items: center; justify-content: center; overflow: hidden;
           white-space: nowrap; color: #fff; border-right: 1px solid #fff; }
.bar .c0 { background: #2f6db3; } .bar .c1 { background: #b35c2f; }
.bar .c2 { background: #2f8f5b; } .bar .c3 { background: #7b4fb3; }
.bar .c4 { background: #6b6b6b; } .bar .cx { background: #999; }
.bar .gap { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #f1c0c0 4px,
            #f1c0c0 8px); color: #b00020; }
.weights { font-size: 13px; }
.ok { color: #1a7f37; } .bad { color: #b00020; font-weight: bold; }
table.index td, table.index th { white-space: nowrap; }
table.index td.name { white-space: normal; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { margin: 0; font-size: 10px; line-height: 1.3; }
  h1 { font-size: 16px; margin: 0 0 6px; }
  th, td { padding: 2px 4px; }
  .bar { height: 18px; margin: 6px 0 2px; font-size: 10px; }
  td.findings { font-size: 9px; }
  ul.findings { margin: 0; }
  .weights { font-size: 10px; }
  nav { display: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .bar, tr.has-findings td, th, td.merged { print-color-adjust: exact;
                                            -webkit-print-color-adjust: exact; }
}
"""


def _page(title: str, body: list[str], up: str | None = "") -> str:
    """A whole page; `up` leads back to the index (None: this is the index)."""
    nav = f'<nav><a href="{up}{INDEX}">← 全部项目</a></nav>' if up is not None else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="zh-CN">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",
            f"<style>{_STYLE}</style>",
            "</head>",
            "<body>",
            nav,
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


# ---------------------------------------------------------------------- one project


def _head(sheet: Sheet) -> list[str]:
    """The header rows as the printed form lays them out: three label/value pairs a row,
    年度目标 beside the funding column."""
    f = {name: getattr(sheet.funding, name) for name, _ in FUNDING_FIELDS}
    funding = dict(FUNDING_FIELDS)
    rows = [
        [("单位信息", sheet.unit), ("预算项目", sheet.project), ("职能职责与活动", sheet.function)],
        [("主管部门", sheet.department), ("项目经办人", sheet.manager), ("项目总额", sheet.total)],
        [
            ("预算执行率权重", sheet.exec_weight),
            ("项目经办人电话", sheet.manager_phone),
            ("其中：" + funding["fiscal"], f["fiscal"]),
        ],
    ]
    cols = '<col class="label"><col class="value">' * 3
    out = ['<table class="head">', f"<colgroup>{cols}</colgroup>"]
    for row in rows:
        cells = "".join(f"<th>{e(k)}</th><td>{e(v)}</td>" for k, v in row)
        out.append(f"<tr>{cells}</tr>")
    rest = ["special", "unit_funds", "social", "loan"]
    for k, name in enumerate(rest):
        goal = ""
        if k == 0:
            goal = (
                f'<th rowspan="{len(rest)}">年度目标</th>'
                f'<td class="goal" colspan="3" rowspan="{len(rest)}">{e(sheet.goal)}</td>'
            )
        out.append(f"<tr>{goal}<th>{e(funding[name])}</th><td>{e(f[name])}</td></tr>")
    out.append("</table>")
    return out


def _spans(values: Sequence[tuple[str, ...]]) -> list[int]:
    """For each row, how many rows its merged cell spans (0: covered by the one above)."""
    out = [0] * len(values)
    k = 0
    while k < len(values):
        j = k + 1
        while j < len(values) and values[j] == values[k] and values[k][-1].strip():
            j += 1
        out[k] = j - k
        k = j
    return out


def _finding_list(found: Sequence[Finding]) -> str:
    items = "".join(
        f'<li class="{e(f.severity)}"><b>{e(f.code)}</b> {e(f.message)}</li>' for f in found
    )
    return f'<ul class="findings">{items}</ul>' if found else ""


_NUMERIC = {"权重(%)", "本年权重", "指标值", "本年绩效指标值"}
# Column widths (%) of the indicator table: the ten columns of the form, then 问题.
_WIDTHS = (7, 8, 14, 5, 11, 11, 6, 5, 5, 6, 22)


def _indicators(rows: Sequence[Indicator], found: Mapping[int, list[Finding]]) -> list[str]:
    head = "".join(f"<th>{e(h)}</th>" for h in TABLE_HEADER) + "<th>问题</th>"
    cols = "".join(f'<col style="width: {w}%">' for w in _WIDTHS)
    out = ['<table class="grid">', f"<colgroup>{cols}</colgroup>"]
    out += [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    span1 = _spans([(r.level1,) for r in rows])
    span2 = _spans([(r.level1, r.level2) for r in rows])
    # a 二级 cell never reaches past its 一级 cell
    for k in range(len(rows)):
        if span2[k]:
            end = k + span2[k]
            top = max(j for j in range(k + 1) if span1[j])
            limit = top + span1[top]
            if end > limit:
                span2[k] = limit - k
                for j in range(limit, end):
                    span2[j] = 1 if j == limit else 0
    for k, r in enumerate(rows):
        mine = found.get(k, [])
        cls = ' class="has-findings"' if mine else ""
        cells = []
        for i, (label, value) in enumerate(zip(TABLE_HEADER, r.values(), strict=True)):
            span = span1[k] if i == 0 else span2[k] if i == 1 else 1
            if span == 0:
                continue
            attrs = f' rowspan="{span}"' if span > 1 else ""
            if span > 1:
                attrs += ' class="merged"'
            elif label in _NUMERIC and as_number(value.strip().removesuffix("%")) is not None:
                attrs += ' class="num"'
            cells.append(f"<td{attrs}>{e(value)}</td>")
        cells.append(f'<td class="findings">{_finding_list(mine)}</td>')
        out.append(f"<tr{cls}>{''.join(cells)}</tr>")
    out += ["</tbody>", "</table>"]
    return out


_ORDER = ("产出指标", "成本指标", "效益指标", "满意度指标")


def weight_bar(w: WeightSummary) -> list[str]:
    """The weight points as a bar of CSS widths: each 一级指标, then 预算执行率, then what is
    missing up to the expected total (hatched)."""
    parts = sorted(w.by_level1.items(), key=lambda kv: (_ORDER + (kv[0],)).index(kv[0]))
    parts.append(("预算执行率", w.exec_weight))
    scale = max(w.total, w.expected) or 1.0
    cells = []
    for name, value in parts:
        if value <= 0:
            continue
        cls = (
            f"c{_ORDER.index(name)}" if name in _ORDER else ("c4" if name == "预算执行率" else "cx")
        )
        pct = 100.0 * value / scale
        label = f"{name} {format_number(value)}"
        cells.append(
            f'<div class="{cls}" style="width: {pct:.3f}%" title="{e(label)}">{e(label)}</div>'
        )
    if w.readable and w.total < w.expected:
        gap = w.expected - w.total
        cells.append(
            f'<div class="gap" style="width: {100.0 * gap / scale:.3f}%">'
            f"还差 {e(format_number(gap))}</div>"
        )
    mark = "ok" if w.ok else "bad"
    return [
        f'<div class="bar" role="img" aria-label="权重 {e(w)}">{"".join(cells)}</div>',
        f'<div class="weights">本年权重合计 + 预算执行率权重 = '
        f'<span class="{mark}">{e(w)}</span>（应为 {e(format_number(w.expected))}）</div>',
    ]


def project_page(item: Item, profile: Profile) -> str:
    sheet = item.sheet
    assert sheet is not None
    found = check_sheet(sheet, profile)
    by_row: dict[int, list[Finding]] = {}
    for f in found:
        if f.row is not None:
            by_row.setdefault(f.row, []).append(f)
    top = [f for f in found if f.row is None]
    up = "../" * page_path(item.rel).count("/")
    body = [
        f"<h1>{e(TITLE)}<small>{e(sheet.unit)} · {e(sheet.project)}</small></h1>",
        *_head(sheet),
        *weight_bar(weight_summary(sheet, profile)),
    ]
    if top:
        body += ['<h2 class="weights">表头和全表的问题</h2>', _finding_list(top)]
    body += _indicators(sheet.indicators, by_row)
    body.append(f'<p class="weights">文件：{e(item.rel)}</p>')
    return _page(f"{e(sheet.project)} · {e(TITLE)}", body, up)


# ---------------------------------------------------------------------- the index


def index_page(items: Sequence[Item], profile: Profile, grades: Mapping[str, str]) -> str:
    head = ["单位信息", "预算项目", "项目总额", "权重合计", "问题", "自评等级"]
    out = [
        f"<h1>{e(TITLE)}<small>{len(items)} 个项目</small></h1>",
        '<table class="index">',
        "<thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>",
        "<tbody>",
    ]
    for item in items:
        grade = e(grades.get(item.rel, ""))
        if item.sheet is None:
            out.append(
                f'<tr><td colspan="4" class="error">{e(item.rel)}：{e(item.error or "")}</td>'
                f'<td class="num error">E001</td><td>{grade}</td></tr>'
            )
            continue
        s = item.sheet
        w = weight_summary(s, profile)
        found = check_sheet(s, profile)
        errors = sum(f.severity == "error" for f in found)
        count = f"{len(found)}（{errors} 个错误）" if errors else (str(len(found)) if found else "")
        mark = '<span class="ok">✓</span>' if w.ok else '<span class="bad">✗</span>'
        out.append(
            f"<tr><td>{e(s.unit)}</td>"
            f'<td class="name"><a href="{_href(page_path(item.rel))}">{e(s.project)}</a></td>'
            f'<td class="num">{e(s.total)}</td>'
            f'<td class="num">{e(format_number(w.total))} {mark}</td>'
            f'<td class="num{" error" if errors else ""}">{e(count)}</td>'
            f"<td>{grade}</td></tr>"
        )
    out += ["</tbody>", "</table>"]
    return _page(f"{e(TITLE)} · 全部项目", out, up=None)


def render_site(
    items: Sequence[Item], profile: Profile, grades: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Every page of the site, by its path inside the output folder."""
    pages = {INDEX: index_page(items, profile, grades or {})}
    for item in items:
        if item.sheet is not None:
            pages[page_path(item.rel)] = project_page(item, profile)
    return pages

"""`jixiao diff --format markdown|html`: the text diff as a merge request's summary.

    review = build_review(diffs, profile)
    text = markdown(review, "HEAD", None)   # or html(review, "HEAD", None)

The content is the text diff's (store.diff.project_lines: fields before and after,
indicators added, removed, changed, moved, the weight total before → after), and two things a
reviewer asks next: a project removed under one name and added under another is shown as
renamed, and the findings that appear or disappear with the change are listed (matched by
what they are about, not by line, as store.forge_identity does). Every value is escaped:
nothing a cell holds is read as Markdown or HTML.
"""

from __future__ import annotations

import html as _html
import re
from dataclasses import dataclass, field

from ..merge.diff import ProjectDiff, diff_sheets, project_lines, summary_line
from ..printable import one_line
from ..rules.profile import DEFAULT_PROFILE, Profile
from ..rules.rules import Finding, check_sheet
from ..sheet.model import Sheet


@dataclass
class ProjectReview:
    """One project's diff, with its findings before and after."""

    diff: ProjectDiff
    renamed_from: str | None = None  # the old file, when the project was renamed
    appeared: list[Finding] = field(default_factory=list)
    disappeared: list[Finding] = field(default_factory=list)


def _key(f: Finding, sheet: Sheet) -> tuple[str, str, str]:
    """What a finding is about: its code, its row's names, the field it points at."""
    names = ""
    if f.row is not None and 0 <= f.row < len(sheet.indicators):
        ind = sheet.indicators[f.row]
        names = "/".join(x.strip() for x in (ind.level1, ind.level2, ind.level3))
    return f.code, names, str(f.path[-1]) if f.path else ""


def _findings(sheet: Sheet | None, profile: Profile) -> dict[tuple[str, str, str], list[Finding]]:
    out: dict[tuple[str, str, str], list[Finding]] = {}
    if sheet is not None:
        for f in check_sheet(sheet, profile):
            out.setdefault(_key(f, sheet), []).append(f)
    return out


def _changes(old: Sheet | None, new: Sheet | None, profile: Profile):  # noqa: ANN202
    """Findings of `new` that `old` did not have, and those of `old` that `new` lost."""
    before, after = _findings(old, profile), _findings(new, profile)
    appeared = [f for k, fs in after.items() for f in fs[len(before.get(k, [])) :]]
    gone = [f for k, fs in before.items() for f in fs[len(after.get(k, [])) :]]
    return appeared, gone


def _same_project(a: Sheet, b: Sheet) -> bool:
    """A removed and an added project that are one project renamed: same indicators and
    amounts (the names may differ)."""
    return a.indicators == b.indicators and a.total == b.total and a.funding == b.funding


def build_review(diffs: list[ProjectDiff], profile: Profile | None = None) -> list[ProjectReview]:
    """Pair renamed projects, and find the findings each change brings or removes."""
    profile = profile or DEFAULT_PROFILE
    added = [d for d in diffs if d.status == "added" and d.new is not None]
    renamed: dict[str, ProjectDiff] = {}  # added rel -> the removed diff it renames
    for d in diffs:
        if d.status != "removed" or d.old is None:
            continue
        twin = next(
            (a for a in added if a.rel not in renamed and _same_project(d.old, a.new)),  # type: ignore[arg-type]
            None,
        )
        if twin is not None:
            renamed[twin.rel] = d
    gone = {d.rel for d in renamed.values()}
    out: list[ProjectReview] = []
    for d in diffs:
        if d.rel in gone:
            continue
        source = renamed.get(d.rel)
        if source is not None:
            d = diff_sheets(source.old, d.new, d.rel, d.weight_after.expected)  # type: ignore[union-attr]
        appeared, disappeared = _changes(d.old, d.new, profile)
        out.append(ProjectReview(d, source.rel if source else None, appeared, disappeared))
    return out


def _sides(rev_a: str | None, rev_b: str | None) -> str:
    return f"{rev_a or '工作区'} → {rev_b or '工作区'}"


def _summary(review: list[ProjectReview]) -> str:
    line = summary_line([r.diff for r in review])
    n = sum(1 for r in review if r.renamed_from)
    if n:
        line += f"（其中改名 {n} 个）"
    return line


def _finding_text(f: Finding) -> str:
    return f"{f.code} {f.message}"


# ---------------------------------------------------------------------- text


def _text_project(r: ProjectReview) -> list[str]:
    lines = [text for _, text in project_lines(r.diff)]
    if r.renamed_from:
        lines[0] = f"~ {r.diff.project}  [{r.diff.unit}]  {r.renamed_from} → {r.diff.rel}"
        lines.insert(1, f"    改名：{r.renamed_from} → {r.diff.rel}")
    for label, found in (("新出现的问题", r.appeared), ("消失的问题", r.disappeared)):
        if found:
            lines.append(f"    {label}：")
            lines += [f"      {_finding_text(f)}" for f in found]
    return lines


def text(review: list[ProjectReview]) -> str:
    """`jixiao diff`'s text: store.diff.render_text's lines, renamed projects paired and the
    findings that appear or disappear added; ends with the summary line and a newline."""
    lines: list[str] = []
    for r in review:
        if lines:
            lines.append("")
        lines += _text_project(r)
    if lines:
        lines.append("")
    lines.append(_summary(review))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- Markdown

_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character


def md(text: str) -> str:
    """A value as Markdown text that shows exactly it: one line, each ASCII punctuation
    character backslash-escaped (CommonMark and GFM read `\\x` as a literal x)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def _md_project(r: ProjectReview) -> list[str]:
    lines = project_lines(r.diff)
    title = lines[0][1]
    if r.renamed_from:
        title = f"~ {r.diff.project}  [{r.diff.unit}]  {r.renamed_from} → {r.diff.rel}"
    out = [f"### {md(title)}", ""]
    if r.renamed_from:
        out.append(f"- 改名：{md(r.renamed_from)} → {md(r.diff.rel)}")
    for _, text in lines[1:]:
        depth = (len(text) - len(text.lstrip(" "))) // 2
        indent = "  " * max(0, depth - 2)
        out.append(f"{indent}- {md(text.strip())}")
    for label, found in (("新出现的问题", r.appeared), ("消失的问题", r.disappeared)):
        if found:
            out.append(f"- {label}：")
            out += [f"  - {md(_finding_text(f))}" for f in found]
    out.append("")
    return out


def _weights(r: ProjectReview) -> str:
    b, a = r.diff.weight_before, r.diff.weight_after
    if b is None and a is None:
        return ""
    if b is None:
        return str(a)
    if a is None:
        return f"{b} → 删除"
    return str(a) if abs(a.total - b.total) < 1e-9 else f"{b} → {a}"


_STATUS = {"added": "新增", "removed": "删除", "changed": "修改"}


def _status(r: ProjectReview) -> str:
    return "改名" if r.renamed_from else _STATUS.get(r.diff.status, r.diff.status)


def markdown(review: list[ProjectReview], rev_a: str | None, rev_b: str | None) -> str:
    """The summary for a merge-request comment or a job summary (GitLab/GitHub/Gitea)."""
    out = [f"## jixiao diff：{md(_sides(rev_a, rev_b))}", "", md(_summary(review)), ""]
    if review:
        out += [
            "| 单位信息 | 预算项目 | 改动 | 权重合计 | 新出现的问题 | 消失的问题 |",
            "|---|---|---|---|---:|---:|",
        ]
        for r in review:
            d = r.diff
            out.append(
                f"| {md(d.unit)} | {md(d.project)} | {_status(r)} | {md(_weights(r))} "
                f"| {len(r.appeared)} | {len(r.disappeared)} |"
            )
        out.append("")
    for r in review:
        out += _md_project(r)
    return "\n".join(out).rstrip("\n") + "\n"


# ---------------------------------------------------------------------- HTML


def h(text: str) -> str:
    """A value as HTML text: escaped, control characters made visible, one line."""
    return _html.escape(one_line(text), quote=True)


_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #999; padding: 0.25em 0.6em; text-align: left; }
td.n { text-align: right; }
li.added { color: #1a7f37; } li.removed { color: #cf222e; }
li.changed { color: #9a6700; } li.weights-bad { color: #cf222e; font-weight: bold; }
li.weights-ok { color: #1a7f37; }
"""


def _html_project(r: ProjectReview) -> list[str]:
    lines = project_lines(r.diff)
    title = lines[0][1]
    if r.renamed_from:
        title = f"~ {r.diff.project}  [{r.diff.unit}]  {r.renamed_from} → {r.diff.rel}"
    out = [f"<section><h3>{h(title)}</h3><ul>"]
    if r.renamed_from:
        out.append(f'<li class="changed">改名：{h(r.renamed_from)} → {h(r.diff.rel)}</li>')
    for kind, text in lines[1:]:
        depth = max(0, (len(text) - len(text.lstrip(" "))) // 2 - 2)
        style = f' style="margin-left: {depth * 1.5}em"' if depth else ""
        out.append(f'<li class="{h(kind)}"{style}>{h(text.strip())}</li>')
    for label, kind, found in (
        ("新出现的问题", "removed", r.appeared),
        ("消失的问题", "added", r.disappeared),
    ):
        if found:
            items = "".join(f"<li>{h(_finding_text(f))}</li>" for f in found)
            out.append(f'<li class="{kind}">{label}：<ul>{items}</ul></li>')
    out.append("</ul></section>")
    return out


def html(review: list[ProjectReview], rev_a: str | None, rev_b: str | None) -> str:
    """A whole page: UTF-8, no script, nothing loaded from anywhere."""
    sides = h(_sides(rev_a, rev_b))
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>jixiao diff：{sides}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h2>jixiao diff：{sides}</h2>",
        f"<p>{h(_summary(review))}</p>",
    ]
    if review:
        out.append(
            "<table><thead><tr><th>单位信息</th><th>预算项目</th><th>改动</th><th>权重合计</th>"
            "<th>新出现的问题</th><th>消失的问题</th></tr></thead><tbody>"
        )
        for r in review:
            d = r.diff
            out.append(
                f"<tr><td>{h(d.unit)}</td><td>{h(d.project)}</td><td>{_status(r)}</td>"
                f'<td>{h(_weights(r))}</td><td class="n">{len(r.appeared)}</td>'
                f'<td class="n">{len(r.disappeared)}</td></tr>'
            )
        out.append("</tbody></table>")
    for r in review:
        out += _html_project(r)
    out.append("</body></html>")
    return "\n".join(out) + "\n"

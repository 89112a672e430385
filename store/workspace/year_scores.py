"""`jixiao score`: each project's score card as a record, remembered per file like check's
findings (store/workspace/checkcache.py), and the per-unit and whole-store summaries.

A record is plain JSON in the form's words (the keys `score --format json` prints), so the
cache holds exactly what is printed: a warm `score` costs one stat per project, as a warm
`check` does. The cache file is .jixiao-cache/scores.json, stored under the profile's key.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ..disk.cache import ProjectCache, key_of
from ..errors import JixiaoError
from ..rules.profile import Profile
from ..sheet.model import format_number
from ..year.scoring import ScoreCard, score_sheet
from .project_summaries import load_probed
from .workspace import ProjectRef, Workspace

SCORES_CACHE = "scores"


def _num(x: Decimal | None, places: int = 2) -> float | None:
    return None if x is None else float(round(x, places))


def card_record(unit: str, project: str, card: ScoreCard | None, places: int) -> dict[str, Any]:
    """What `score` says about one project (JSON keys in the form's words)."""
    if card is None:
        return {"单位信息": unit, "预算项目": project, "自评": False, "总分": None, "等级": None}
    return {
        "单位信息": unit,
        "预算项目": project,
        "自评": True,
        "预算执行率": _num(card.exec_rate, 6),
        "预算执行率权重": _num(card.exec_weight, places),
        "预算执行得分": _num(card.exec_score, places),
        "绩效指标": [
            {
                "一级指标": s.indicator.level1,
                "二级指标": s.indicator.level2,
                "三级指标": s.indicator.level3,
                "实际完成值": s.actual.actual if s.actual is not None else "",
                "分值": _num(s.weight, places),
                "得分": _num(s.score, places),
            }
            for s in card.indicators
        ],
        "总分": _num(card.total, places),
        "等级": card.grade,
        "说明": list(card.notes)
        + [f"自评中的指标「{r.level3}」不在批复表中，未计分" for r in card.unknown],
    }


_IND = ("一级指标", "二级指标", "三级指标", "实际完成值", "分值", "得分")


@dataclass(slots=True)
class Scored:
    """One project's line of `score`: what the summaries need, and the rest of its record
    packed (positional, no key repeated: the cache keeps exactly this, and a warm run builds
    a record only to print it)."""

    unit: str
    project: str
    evaluated: bool
    total: float | None
    grade: str | None
    rest: list[Any]  # [预算执行率, 预算执行率权重, 预算执行得分, [[一级…得分] …], 说明]

    def record(self) -> dict[str, Any]:
        head = {"单位信息": self.unit, "预算项目": self.project, "自评": self.evaluated}
        if not self.evaluated:
            return {**head, "总分": None, "等级": None}
        rate, weight, got, rows, notes = self.rest
        return {
            **head,
            "预算执行率": rate,
            "预算执行率权重": weight,
            "预算执行得分": got,
            "绩效指标": [dict(zip(_IND, r, strict=True)) for r in rows],
            "总分": self.total,
            "等级": self.grade,
            "说明": notes,
        }


_SHAPE = (str, str, bool, (float, int, type(None)), (str, type(None)), list)


def _scored(r: dict[str, Any]) -> Scored:
    rest: list[Any] = []
    if r["自评"]:
        rows = [[i[k] for k in _IND] for i in r["绩效指标"]]
        rest = [r["预算执行率"], r["预算执行率权重"], r["预算执行得分"], rows, r["说明"]]
    return Scored(r["单位信息"], r["预算项目"], r["自评"], r["总分"], r["等级"], rest)


def _cached(v: Any) -> Scored | None:
    """The cached line, if it is exactly what score_refs writes."""
    if type(v) is not list or len(v) != len(_SHAPE):
        return None
    if not all(isinstance(x, t) for x, t in zip(v, _SHAPE, strict=True)):
        return None
    rest = v[5]
    if v[2] and not (
        len(rest) == 5
        and type(rest[3]) is list
        and all(type(r) is list and len(r) == len(_IND) for r in rest[3])
    ):
        return None
    return Scored(*v)


def score_refs(
    ws: Workspace, refs: Sequence[ProjectRef], profile: Profile, *, everything: bool = False
) -> tuple[list[Scored], list[str]]:
    """The lines of these projects, in order, and a sentence per unreadable file."""
    cache = ProjectCache(ws.root, SCORES_CACHE, key_of(profile))
    places = profile.scoring.decimals
    out: list[Scored] = []
    errors: list[str] = []
    for ref in refs:
        probe = cache.lookup(ref.rel, ref.path)
        line = _cached(probe.entry.get("score")) if probe.entry is not None else None
        if line is None:
            try:
                sheet = load_probed(ws, ref, probe)
            except JixiaoError as e:
                errors.append(str(e))
                continue
            record = card_record(sheet.unit, sheet.project, score_sheet(sheet, profile), places)
            line = _scored(record)
            cache.put(probe, score=[getattr(line, f) for f in Scored.__slots__])
        out.append(line)
    if everything:
        cache.retain({r.rel for r in refs})
    cache.save()
    return out, errors


def score_summary(lines: Sequence[Scored], profile: Profile, **label: str) -> dict[str, Any]:
    """Count, self-evaluated count, average 总分 and grade counts of some projects."""
    scored = [x.total for x in lines if x.evaluated and x.total is not None]
    grades = {name: 0 for name, _ in profile.scoring.grades}
    grades[profile.scoring.lowest] = 0
    for x in lines:
        if x.evaluated and x.grade in grades:
            grades[x.grade] += 1
    average = sum(Decimal(str(x)) for x in scored) / len(scored) if scored else None
    return {
        **label,
        "项目数": len(lines),
        "已自评": len(scored),
        "平均分": _num(average, profile.scoring.decimals),
        "等级": grades,
    }


def by_unit(lines: Sequence[Scored], profile: Profile) -> list[dict[str, Any]]:
    units: dict[str, list[Scored]] = {}
    for x in lines:
        units.setdefault(x.unit, []).append(x)
    return [score_summary(xs, profile, 单位信息=u) for u, xs in units.items()]


def json_text(lines: Sequence[Scored], units: list, whole: dict) -> str:
    """`score --format json`: {"项目": [...], "单位": [...], "合计": {...}}, one project a line."""
    dump = json.dumps
    projects = ",\n".join(
        f"    {dump(x.record(), ensure_ascii=False, separators=(', ', ': '))}" for x in lines
    )
    return (
        f'{{\n  "项目": [\n{projects}\n  ],\n'
        f'  "单位": {dump(units, ensure_ascii=False)},\n'
        f'  "合计": {dump(whole, ensure_ascii=False)}\n}}'
    )


def _n(x: float | None) -> str:
    return "—" if x is None else format_number(x)


def _summary_text(s: dict[str, Any]) -> str:
    grades = " ".join(f"{k} {v}" for k, v in s["等级"].items())
    avg = f"，平均分 {s['平均分']:.2f}" if s["平均分"] is not None else ""
    return f"{s['项目数']} 个项目，已自评 {s['已自评']}{avg}；{grades}"


def render_text(records: Sequence[dict[str, Any]], units: list, whole: dict | None) -> str:
    lines: list[str] = []
    for r in records:
        title = f"{r['单位信息']} / {r['预算项目']}"
        if not r["自评"]:
            lines.append(f"{title}：未自评")
            continue
        rate = r["预算执行率"]
        shown = "—" if rate is None else f"{rate * 100:.2f}%"
        lines.append(title)
        lines.append(
            f"  预算执行率 {shown}  分值 {_n(r['预算执行率权重'])}  得分 {r['预算执行得分']:.2f}"
        )
        for i in r["绩效指标"]:
            got = "不适用" if i["得分"] is None else f"{i['得分']:.2f}"
            name = "/".join(x for x in (i["一级指标"], i["二级指标"], i["三级指标"]))
            lines.append(
                f"  {name}  实际完成值 {i['实际完成值'] or '（空）'}  分值 {_n(i['分值'])}  得分 {got}"
            )
        lines.append(f"  总分 {r['总分']:.2f}  等级 {r['等级']}")
        lines += [f"  说明：{note}" for note in r.get("说明", [])]
    if units:
        lines.append("")
        lines += [f"{u['单位信息']}：{_summary_text(u)}" for u in units]
    if whole is not None:
        lines.append(f"合计：{_summary_text(whole)}")
    return "\n".join(lines)

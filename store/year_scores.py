"""`jixiao score`: each project's score card as a record, remembered per file like check's
findings (store/checkcache.py), and the per-unit and whole-store summaries.

A record is plain JSON in the form's words (the keys `score --format json` prints), so the
cache holds exactly what is printed: a warm `score` costs one stat per project, as a warm
`check` does. The cache file is .jixiao-cache/scores.json, stored under the profile's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .cache import ProjectCache, key_of
from .errors import JixiaoError
from .model import format_number
from .profile import Profile
from .summaries import load_probed
from .workspace import ProjectRef, Workspace
from .year_scoring import ScoreCard, score_sheet

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


def _packed(r: dict[str, Any]) -> list[Any]:
    """A record as the cache keeps it: positional, no keys repeated per project."""
    if not r["自评"]:
        return [r["单位信息"], r["预算项目"]]
    rows = [[i[k] for k in _IND] for i in r["绩效指标"]]
    return [r["单位信息"], r["预算项目"], r["预算执行率"], r["预算执行率权重"], r["预算执行得分"],
            rows, r["总分"], r["等级"], r["说明"]]  # fmt: skip


def _unpacked(p: Any) -> dict[str, Any] | None:
    """The record back from the cache; None when the entry is not what _packed writes."""
    if type(p) is not list or len(p) not in (2, 9):
        return None
    if len(p) == 2:
        return {"单位信息": p[0], "预算项目": p[1], "自评": False, "总分": None, "等级": None}
    if type(p[5]) is not list or not all(type(i) is list and len(i) == 6 for i in p[5]):
        return None
    return {
        "单位信息": p[0],
        "预算项目": p[1],
        "自评": True,
        "预算执行率": p[2],
        "预算执行率权重": p[3],
        "预算执行得分": p[4],
        "绩效指标": [dict(zip(_IND, i, strict=True)) for i in p[5]],
        "总分": p[6],
        "等级": p[7],
        "说明": p[8],
    }


def score_refs(
    ws: Workspace, refs: Sequence[ProjectRef], profile: Profile, *, everything: bool = False
) -> tuple[list[dict[str, Any]], list[str]]:
    """The records of these projects, in order, and a sentence per unreadable file."""
    cache = ProjectCache(ws.root, SCORES_CACHE, key_of(profile))
    places = profile.scoring.decimals
    out: list[dict[str, Any]] = []
    errors: list[str] = []
    for ref in refs:
        probe = cache.lookup(ref.rel, ref.path)
        record = _unpacked(probe.entry.get("score")) if probe.entry is not None else None
        if record is None:
            try:
                sheet = load_probed(ws, ref, probe)
            except JixiaoError as e:
                errors.append(str(e))
                continue
            record = card_record(sheet.unit, sheet.project, score_sheet(sheet, profile), places)
            cache.put(probe, score=_packed(record))
        out.append(record)
    if everything:
        cache.retain({r.rel for r in refs})
    cache.save()
    return out, errors


def summary(records: Sequence[dict[str, Any]], profile: Profile, **label: str) -> dict[str, Any]:
    """Count, self-evaluated count, average 总分 and grade counts of some records."""
    scored = [r["总分"] for r in records if r.get("自评")]
    grades = {name: 0 for name, _ in profile.scoring.grades}
    grades[profile.scoring.lowest] = 0
    for r in records:
        if r.get("自评") and r.get("等级") in grades:
            grades[r["等级"]] += 1
    average = sum(Decimal(str(x)) for x in scored) / len(scored) if scored else None
    return {
        **label,
        "项目数": len(records),
        "已自评": len(scored),
        "平均分": _num(average, profile.scoring.decimals),
        "等级": grades,
    }


def by_unit(records: Sequence[dict[str, Any]], profile: Profile) -> list[dict[str, Any]]:
    units: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        units.setdefault(r["单位信息"], []).append(r)
    return [summary(rs, profile, 单位信息=u) for u, rs in units.items()]


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

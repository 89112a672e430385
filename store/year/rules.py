"""The rules of the year (issue 22): the self-evaluation and the monitoring, checked as the
approval is (store/rules/rules.py), silent where a project has neither block.

    findings = all_findings(sheet, profile)   # the approval's rules, then the year's

A finding's path is the YAML path of the offending key (the forms' labels), so `check`
names its line; `row` is the approved indicator's row, so the editor marks it.
"""

from __future__ import annotations

from collections.abc import Callable

from ..rules.profile import Profile
from ..rules.rules import QUANTITATIVE, Finding, normalize_nature
from ..sheet.fields import EVALUATION_KEY, INDICATORS_KEY, MONITOR_KEY, YEAR_FUNDING_KEY
from ..sheet.model import Sheet, as_number, format_money, format_number
from ..sheet.year_model import CAUSES, LIKELIHOODS, NOT_APPLICABLE, identity_key
from ..sheet.year_yaml import ROW_LABEL
from .scoring import QUALITATIVE, band_of, quantity, score_sheet

Emit = Callable[[str, tuple, "int | None", str], None]


def check_year(sheet: Sheet, profile: Profile) -> list[Finding]:
    out: list[Finding] = []

    def emit(code: str, path: tuple, row: int | None, message: str) -> None:
        sev = profile.severity_of(code)
        if sev is None or (profile.ignores and profile.ignored(code, sheet.unit, sheet.project)):
            return
        message = message.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t")
        out.append(Finding(code, sev, path, row, message))

    if sheet.evaluation is not None:
        _check_evaluation(sheet, profile, emit)
    if sheet.monitoring is not None:
        _check_monitoring(sheet, emit)
    return out


def _lab(i: int, level3: str) -> str:
    return f"第{i + 1}行「{level3.strip()}」" if level3.strip() else f"第{i + 1}行"


def _check_evaluation(sheet: Sheet, profile: Profile, emit: Emit) -> None:
    ev = sheet.evaluation
    assert ev is not None
    card = score_sheet(sheet, profile)
    assert card is not None
    at = (EVALUATION_KEY, INDICATORS_KEY)
    index = {id(r): k for k, r in enumerate(ev.indicators)}
    empty: list[int] = []
    for s in card.indicators:
        i, ind, row = s.row, s.indicator, s.actual
        lab = _lab(i, ind.level3)
        if row is None or not row.actual.strip():
            empty.append(i)
            continue
        k = index[id(row)]
        here = (*at, k)
        actual = row.actual.strip()
        nature = normalize_nature(ind.nature)
        if "".join(actual.split()) == NOT_APPLICABLE:
            continue
        bad = (nature in QUANTITATIVE and quantity(actual) is None) or (
            nature == QUALITATIVE and band_of(actual, profile.scoring) is None
        )
        if nature in QUANTITATIVE and quantity(actual) is None:
            emit(
                "E171", (*here, "实际完成值"), i, f"{lab}：定量指标的实际完成值「{actual}」不是数字"
            )
        if nature == QUALITATIVE and band_of(actual, profile.scoring) is None:
            bands = "、".join(b[0] for b in profile.scoring.bands)
            emit(
                "E172",
                (*here, "实际完成值"),
                i,
                f"{lab}：定性指标的实际完成值「{actual}」应为 {bands} 之一",
            )
        if row.score.strip():
            _check_hand_score(s, lab, (*here, "得分"), nature, profile, emit)
        if not bad and s.score is not None and not s.full and not row.reason.strip():
            emit(
                "W174",
                (*here, "偏差原因分析及改进措施"),
                i,
                f"{lab}：得分 {s.score} 低于分值 {format_number(float(round(s.weight, 2)))}，"
                "偏差原因分析及改进措施为空",
            )
    if empty:
        rows = "、".join(str(i + 1) for i in empty[:10]) + ("…" if len(empty) > 10 else "")
        emit("W177", at, empty[0], f"绩效自评还有 {len(empty)} 条指标未填实际完成值（第{rows}行）")
    for r in card.unknown:
        k = next(n for n, x in enumerate(ev.indicators) if x is r)
        emit("W179", (*at, k), None, f"绩效自评中的指标「{_name(r)}」不在批复表中，不计分")
    floor = profile.scoring.exec_rate_floor
    if card.exec_rate is not None and card.exec_rate * 100 < floor and not ev.problems.strip():
        emit(
            "W175",
            (EVALUATION_KEY, "存在问题"),
            None,
            f"预算执行率 {float(card.exec_rate) * 100:.2f}% 低于 {format_number(floor)}%，存在问题为空",
        )
    for name, row in ev.funding.items():
        budget, spent = as_number(row.budget), as_number(row.spent)
        if budget is not None and spent is not None and spent > budget:
            label = ROW_LABEL[name]
            emit(
                "E176",
                (EVALUATION_KEY, YEAR_FUNDING_KEY, label, "全年执行数"),
                None,
                f"{YEAR_FUNDING_KEY}/{label}：全年执行数 {format_money(spent)} 超过全年预算数 "
                f"{format_money(budget)}",
            )


def _check_hand_score(s, lab: str, path: tuple, nature: str, profile: Profile, emit: Emit) -> None:  # noqa: ANN001
    row = s.actual
    text = row.score.strip()
    w = float(s.weight)
    value = as_number(text)
    if nature != QUALITATIVE:
        emit("E173", path, s.row, f"{lab}：定量指标的得分按公式计算，不能手填（填的是「{text}」）")
        return
    if value is None or not 0 <= value <= w + 1e-9:
        emit("E173", path, s.row, f"{lab}：得分「{text}」应在 0 到分值 {format_number(w)} 之间")
        return
    band = band_of(row.actual, profile.scoring)
    if band is None:
        return  # E172 says what is wrong
    _, top, bottom = band
    lo, hi = w * bottom / 100, w * top / 100
    if not lo - 1e-9 <= value <= hi + 1e-9:
        emit(
            "E173",
            path,
            s.row,
            f"{lab}：「{band[0]}」的得分应在 {format_number(lo)} 到 {format_number(hi)} 之间"
            f"（分值的 {format_number(bottom)}%–{format_number(top)}%），填的是 {text}",
        )


def _name(r) -> str:  # noqa: ANN001
    return "/".join(x for x in (r.level1, r.level2, r.level3) if x.strip()) or "（空）"


def _check_monitoring(sheet: Sheet, emit: Emit) -> None:
    mo = sheet.monitoring
    assert mo is not None
    known = {identity_key(i.level1, i.level2, i.level3): n for n, i in enumerate(sheet.indicators)}
    at = (MONITOR_KEY, INDICATORS_KEY)
    for k, r in enumerate(mo.indicators):
        i = known.get(r.key())
        if i is None:
            emit("W179", (*at, k), None, f"绩效监控中的指标「{_name(r)}」不在批复表中")
            continue
        lab = _lab(i, r.level3)
        likely = r.likelihood.strip()
        if likely and likely not in LIKELIHOODS:
            emit("W178", (*at, k, "完成目标可能性"), i,
                 f"{lab}：完成目标可能性「{likely}」应为 {'、'.join(LIKELIHOODS)} 之一")  # fmt: skip
        cause = r.cause.strip()
        if cause and cause not in CAUSES:
            emit("W178", (*at, k, "偏差原因"), i,
                 f"{lab}：偏差原因「{cause}」应为 {'、'.join(CAUSES)} 之一")  # fmt: skip
        if likely and likely != LIKELIHOODS[0]:
            missing = [x for x, v in (("偏差原因", cause), ("整改措施", r.remedy)) if not v.strip()]
            if missing:
                emit("W178", (*at, k, missing[0]), i,
                     f"{lab}：完成目标可能性为「{likely}」，{'和'.join(missing)}为空")  # fmt: skip

"""The one scoring engine of the self-evaluation (财预〔2020〕10号; settings in the profile).

    card = score_sheet(sheet, profile)     # None when the sheet has no 绩效自评
    card.total, card.grade, card.indicators[i].score

- 预算执行率 = 全年执行数 / 全年预算数 (the 年度资金总额 row); its score = min(率, 1) × 预算执行率权重.
- Per indicator (target 本年绩效指标值, weight 本年权重, actual 实际完成值): `≥`/`>` full when met,
  else w × a / t; `≤`/`<` full when met, else w × t / a; `=` w × max(0, 1 − |a − t| / t);
  定性 by the profile's bands (top of the band unless a hand-given 得分).
- 不适用 rows are left out and the others' weights scaled back to the indicators' total.
- A zero target is never divided by: met gives the full weight, not met 0 and a note why.
- Each score is rounded half-up (Decimal) to the profile's places; 总分 is the sum of the
  rounded scores; the grade is the first whose floor the 总分 reaches.

Pure: no I/O. The editor calls it on every keystroke.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..rules.profile import DEFAULT_PROFILE, Profile, Scoring
from ..rules.rules import QUANTITATIVE, normalize_nature
from ..sheet.model import Indicator, Sheet, as_number
from ..sheet.year_model import NOT_APPLICABLE, ActualRow, Identity, SelfEvaluation, identity_key

QUALITATIVE = "定性"
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)

# A value with its unit after it: '96%', '12个月', '1,200 元/人', '≥90'. The number itself is
# read by model.as_number, the project's one definition of a number.
_VALUE_WITH_UNIT = re.compile(r"\s*[≥≤=><＞＜＝]?\s*(.*?\d)\s*([^\d\s,.][^\d]*)?\s*")


def quantity(text: str) -> float | None:
    """The number a target or actual value holds, its unit or % sign aside: '96%' -> 96,
    '12个月' -> 12, '1,200' -> 1200; None when it is not one number."""
    m = _VALUE_WITH_UNIT.fullmatch(text)
    if m is None:
        return as_number(text)
    return as_number(m.group(1))


def _dec(x: float | str) -> Decimal:
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def rounded(x: Decimal, places: int) -> Decimal:
    """Half-up to `places` decimals (2.345 -> 2.35), never banker's rounding."""
    return x.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass
class IndicatorScore:
    """One approved indicator in the self-evaluation."""

    row: int  # its row in the approval (0-based)
    indicator: Indicator
    actual: ActualRow | None  # the self-evaluation's row for it (None: not there yet)
    weight: Decimal  # 分值: 本年权重, scaled when some rows are 不适用
    score: Decimal | None  # 得分, rounded; None for a 不适用 row
    note: str = ""  # how the score came about when it is not plain (为 0 的目标, 未填 …)
    hand: bool = False  # the 得分 was given by hand (定性)

    @property
    def applicable(self) -> bool:
        return self.score is not None

    @property
    def full(self) -> bool:
        return self.score is not None and self.score >= rounded(self.weight, 2)


@dataclass
class ScoreCard:
    """The scores of one project's self-evaluation."""

    exec_budget: Decimal | None  # 全年预算数 of 年度资金总额
    exec_spent: Decimal | None  # 全年执行数
    exec_rate: Decimal | None  # 全年执行数 / 全年预算数 (0.95 for 95%); None: not computable
    exec_weight: Decimal  # 预算执行率权重
    exec_score: Decimal
    indicators: list[IndicatorScore] = field(default_factory=list)
    total: Decimal = ZERO
    grade: str = ""
    notes: list[str] = field(default_factory=list)  # sentences on what could not be scored
    unknown: list[ActualRow] = field(default_factory=list)  # rows naming no approved indicator


def grade_of(total: Decimal, scoring: Scoring) -> str:
    for name, floor in scoring.grades:
        if total >= _dec(floor):
            return name
    return scoring.lowest


def band_of(actual: str, scoring: Scoring) -> tuple[str, float, float] | None:
    t = "".join(actual.split())
    for band in scoring.bands:
        if t == band[0]:
            return band
    return None


def match_rows(sheet: Sheet, ev: SelfEvaluation) -> tuple[list[ActualRow | None], list[ActualRow]]:
    """For each approved indicator its self-evaluation row (by identity, in order of
    occurrence), and the rows that name no approved indicator."""
    free: dict[Identity, list[ActualRow]] = {}
    for r in ev.indicators:
        free.setdefault(r.key(), []).append(r)
    matched: list[ActualRow | None] = []
    for ind in sheet.indicators:
        left = free.get(identity_key(ind.level1, ind.level2, ind.level3))
        matched.append(left.pop(0) if left else None)
    return matched, [r for rows in free.values() for r in rows]


def score_sheet(sheet: Sheet, profile: Profile | None = None) -> ScoreCard | None:
    """The score card of a sheet's self-evaluation; None when it has none."""
    ev = sheet.evaluation
    if ev is None:
        return None
    scoring = (profile or DEFAULT_PROFILE).scoring
    places = scoring.decimals
    card = _exec_score(sheet, ev, places)
    matched, card.unknown = match_rows(sheet, ev)
    weights = [_weight(ind) for ind in sheet.indicators]
    applicable = [r is None or "".join(r.actual.split()) != NOT_APPLICABLE for r in matched]
    whole = sum(weights, ZERO)
    kept = sum((w for w, a in zip(weights, applicable, strict=True) if a), ZERO)
    scale = whole / kept if kept and kept != whole else ONE
    for i, (ind, row) in enumerate(zip(sheet.indicators, matched, strict=True)):
        if not applicable[i]:
            card.indicators.append(IndicatorScore(i, ind, row, ZERO, None, "不适用，不计分"))
            continue
        w = weights[i] * scale
        raw, note, hand = _indicator_score(ind, row, w, scoring)
        card.indicators.append(IndicatorScore(i, ind, row, w, rounded(raw, places), note, hand))
    total = card.exec_score + sum((s.score for s in card.indicators if s.score is not None), ZERO)
    card.total = rounded(total, places)
    card.grade = grade_of(card.total, scoring)
    card.notes += [
        f"第{s.row + 1}行「{s.indicator.level3}」：{s.note}"
        for s in card.indicators
        if s.note and s.applicable
    ]
    return card


def _weight(ind: Indicator) -> Decimal:
    w = as_number(ind.annual_weight) if ind.annual_weight.strip() else 0.0
    return _dec(w) if w is not None and w >= 0 else ZERO


def _exec_score(sheet: Sheet, ev: SelfEvaluation, places: int) -> ScoreCard:
    ew_text = sheet.exec_weight.strip()
    ew = as_number(ew_text) if ew_text else 0.0
    weight = _dec(ew) if ew is not None and ew >= 0 else ZERO
    row = ev.funding.get("total")
    budget = as_number(row.budget) if row is not None and row.budget.strip() else None
    spent = as_number(row.spent) if row is not None and row.spent.strip() else None
    card = ScoreCard(
        None if budget is None else _dec(budget),
        None if spent is None else _dec(spent),
        None,
        weight,
        ZERO,
    )
    if budget is None or spent is None:
        card.notes.append("预算执行率：年度资金总额的全年预算数或全年执行数未填，计 0 分")
    elif budget <= 0:
        card.notes.append("预算执行率：全年预算数为 0，无法计算执行率，计 0 分")
    else:
        card.exec_rate = _dec(spent) / _dec(budget)
        card.exec_score = rounded(min(max(card.exec_rate, ZERO), ONE) * weight, places)
    return card


def _indicator_score(
    ind: Indicator, row: ActualRow | None, w: Decimal, scoring: Scoring
) -> tuple[Decimal, str, bool]:
    """(raw score, note, given by hand) of one applicable indicator."""
    if row is None or not row.actual.strip():
        return ZERO, "未填实际完成值，计 0 分", False
    nature = normalize_nature(ind.nature)
    if nature == QUALITATIVE:
        band = band_of(row.actual, scoring)
        if band is None:
            return ZERO, f"实际完成值「{row.actual.strip()}」不是定性指标的完成档次，计 0 分", False
        _, top, bottom = band
        if row.score.strip():
            hand = as_number(row.score)
            if (
                hand is not None
                and w * _dec(bottom) / HUNDRED <= _dec(hand) <= w * _dec(top) / HUNDRED
            ):
                return _dec(hand), "", True
            return (
                w * _dec(top) / HUNDRED,
                f"得分「{row.score.strip()}」不在此档之内，按档次上限计",
                False,
            )
        return w * _dec(top) / HUNDRED, "", False
    if nature not in QUANTITATIVE:
        return ZERO, f"指标性质「{ind.nature.strip()}」无法计分，计 0 分", False
    t, a = quantity(ind.annual_target), quantity(row.actual)
    if t is None:
        return ZERO, f"本年绩效指标值「{ind.annual_target.strip()}」不是数字，计 0 分", False
    if a is None:
        return ZERO, f"实际完成值「{row.actual.strip()}」不是数字，计 0 分", False
    return _quantitative(nature, _dec(t), _dec(a), w)


def _quantitative(nature: str, t: Decimal, a: Decimal, w: Decimal) -> tuple[Decimal, str, bool]:
    try:
        if nature in ("≥", ">"):
            if a >= t:
                return w, "", False
            if t == 0:
                return ZERO, "目标为 0 而实际未达到，不能按比例折算，计 0 分", False
            return max(ZERO, w * a / t), "", False
        if nature in ("≤", "<"):
            if a <= t:
                return w, "", False
            if a == 0 or t <= 0:
                return ZERO, f"目标为 {t}，实际超出，不能按比例折算，计 0 分", False
            return w * t / a, "", False
        # "="
        if a == t:
            return w, "", False
        if t == 0:
            return ZERO, "目标为 0 而实际不等于 0，不能按比例折算，计 0 分", False
        return w * max(ZERO, ONE - abs(a - t) / abs(t)), "", False
    except InvalidOperation:  # pragma: no cover - Decimal of finite numbers does not fail here
        return ZERO, "无法计算", False

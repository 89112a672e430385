"""The I161 arithmetic: what the cost indicators add up to, in 元.

A cost indicator (一级 成本指标, or a 二级 ending in 成本 under the older vocabulary) is either

- a lump sum: its 度量单位 is 元/千元/万元 (optionally per year: 元/年) and its 三级指标 names no
  unit it is paid per (每年印刷宣传资料的费用 20 万元 -> 200,000), or
- a per-unit cost: the 度量单位 is 元 per something (元/人·次, 万元/场, 元/本) or the 三级指标
  says what one unit is (每本执法证所需的费用, 每位…, 每次…, 每件…, 聘请一位…). It is multiplied
  by the one quantity indicator (二级 数量指标) whose 度量单位 counts the same kind of unit
  (人/人数, 次/场次, 件/案件数, 本 …) and whose 三级指标 names the same thing.

Amounts and quantities are read from 本年绩效指标值 (指标值 when that is empty). Whenever a row
cannot be read for sure - a 度量单位 that is not money, a per-month cost, a per-unit cost with no
quantity or two equally good ones - `cost_breakdown` returns None and I161 says nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..sheet.model import Indicator, Sheet, as_number, format_money, format_number
from .profile import base_name

_MONEY = {"元": 1.0, "千元": 1_000.0, "万元": 10_000.0, "亿元": 100_000_000.0}
_UNIT = re.compile(r"^(元|千元|万元|亿元)\s*(?:[/／]\s*(.+))?$")
_PER_YEAR = frozenset({"年", "年度", "每年", "一年", "全年"})
_TIME = frozenset({"月", "天", "日", "季度", "季", "周", "小时", "时"})

# A classifier a cost can be paid per, and the kind of unit it counts.
_KIND = {
    "位": "人",
    "名": "人",
    "人": "人",
    "次": "次",
    "场": "次",
    "期": "次",
    "届": "次",
    "轮": "次",
    "批": "次",
    "件": "件",
    "宗": "件",
    "案": "件",
    "卷": "件",
    "本": "本",
    "册": "本",
    "台": "台",
    "套": "台",
    "户": "户",
    "份": "份",
    "张": "张",
    "个": "",  # generic: any kind
    "项": "",
    "家": "",
    "所": "",
}
_PER = re.compile(
    r"每(?:一)?(年度|季度|小时|[年月天日周季时位名人个件本次场期届轮批宗案卷册台套户份张项家所])"
)
_ONE = re.compile(r"(?<![统第唯同之万单])一(位|名|本|件|次|场|台|套|户|份|张)")
_STOP = re.compile(
    r"多少钱|多少|所需的|所需|需要|的|费用|经费|补贴|补助|支出|成本|资金|金额|标准|平均|"
    r"每年|一年|全年|年度|开展|完成|费|是"
)


@dataclass(frozen=True)
class CostTerm:
    row: int  # index of the cost indicator
    amount: float  # 元 (per unit when qty_row is set)
    qty_row: int | None = None  # index of the quantity indicator it is multiplied by
    qty: float | None = None

    @property
    def value(self) -> float:
        return self.amount * self.qty if self.qty is not None else self.amount

    def text(self) -> str:
        if self.qty is None:
            return format_money(self.amount)
        return f"{format_money(self.amount)}×{format_number(self.qty)}"


@dataclass(frozen=True)
class CostBreakdown:
    terms: tuple[CostTerm, ...]

    @property
    def total(self) -> float:
        return sum(t.value for t in self.terms)

    def formula(self) -> str:
        """'20,000 + 5,000 + 82×800 + 10,000 = 100,600' ('6,700' for a single lump sum)."""
        if len(self.terms) == 1 and self.terms[0].qty is None:
            return self.terms[0].text()
        return f"{' + '.join(t.text() for t in self.terms)} = {format_money(self.total)}"


def is_cost(ind: Indicator) -> bool:
    return base_name(ind.level1) == "成本" or base_name(ind.level2).endswith("成本")


def is_quantity(ind: Indicator) -> bool:
    return base_name(ind.level2) == "数量"


def _value(ind: Indicator) -> float | None:
    text = ind.annual_target if ind.annual_target.strip() else ind.target
    return as_number(text)


@lru_cache(maxsize=4096)
def _kinds_of_measure(measure: str) -> frozenset[str]:
    """The kinds of unit a 度量单位 counts.

    '人次' -> {人, 次}, '案件数' -> {件}, '台(套)' -> {台}, '%' -> {}.
    """
    kinds = set()
    for ch in measure:
        k = _KIND.get(ch)
        if k:
            kinds.add(k)
    return frozenset(kinds)


@lru_cache(maxsize=4096)
def _clean(text: str) -> str:
    return _STOP.sub("", "".join(text.split()))


@lru_cache(maxsize=8192)
def _common(a: str, b: str) -> int:
    """Length of the longest common substring of a and b."""
    if not a or not b:
        return 0
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                v = prev[j - 1] + 1
                cur[j] = v
                if v > best:
                    best = v
        prev = cur
    return best


_UNSURE = object()


@lru_cache(maxsize=4096)
def _read_cost(name: str, measure: str) -> tuple[float, frozenset[str] | None, str] | object:
    """(元 per unit, kinds it is paid per or None for a lump sum, the thing it is paid for).

    Kinds is an empty set for a generic unit (每个…). Returns _UNSURE when the row cannot be
    read for sure.
    """
    m = _UNIT.match("".join(measure.split()))
    if not m:
        return _UNSURE
    factor = _MONEY[m.group(1)]
    per: set[str] = set()
    generic = False
    denom = m.group(2)
    if denom:
        denom = denom.strip("()（）")
        if denom in _PER_YEAR:
            pass
        elif denom in _TIME or any(t in denom for t in ("月", "天", "日", "季度", "周")):
            return _UNSURE
        else:
            kinds = _kinds_of_measure(denom)
            if kinds:
                per |= kinds
            elif any(_KIND.get(ch) == "" for ch in denom):
                generic = True
            else:
                return _UNSURE
    name = "".join(name.split())
    thing = name
    found = False
    for pm in _PER.finditer(name):
        word = pm.group(1)
        if word in _PER_YEAR:
            continue
        if word in _TIME or word in ("季度", "小时"):
            return _UNSURE
        kind = _KIND[word]
        if kind:
            per.add(kind)
        else:
            generic = True
        thing = name[pm.end() :]
        found = True
        break
    if not found:
        om = _ONE.search(name)
        if om:
            per.add(_KIND[om.group(1)])
            thing = name[om.end() :]
            found = True
    if not per and not generic:
        return (factor, None, "")
    return (factor, frozenset() if generic and not per else frozenset(per), _clean(thing))


def cost_breakdown(sheet: Sheet) -> CostBreakdown | None:
    """How the cost indicators add up, or None if there are none or one cannot be read."""
    inds = sheet.indicators
    costs = [i for i, ind in enumerate(inds) if is_cost(ind)]
    if not costs:
        return None
    quantities = [i for i, ind in enumerate(inds) if is_quantity(ind)]
    terms = []
    for i in costs:
        ind = inds[i]
        if ind.nature.strip() == "定性":
            return None
        read = _read_cost(ind.level3, ind.measure)
        if read is _UNSURE:
            return None
        factor, kinds, thing = read  # type: ignore[misc]
        value = _value(ind)
        if value is None:
            return None
        amount = value * factor
        if kinds is None:
            if _may_be_per_unit(inds, quantities, ind.level3):
                return None
            terms.append(CostTerm(i, amount))
            continue
        q = _match_quantity(inds, quantities, kinds, thing)
        if q is None:
            return None
        qty = _value(inds[q])
        if qty is None:
            return None
        terms.append(CostTerm(i, amount, q, qty))
    return CostBreakdown(tuple(terms))


def _may_be_per_unit(inds: list[Indicator], quantities: list[int], name: str) -> bool:
    """A cost with no 每 that names the very unit a quantity counts in, and the same thing
    (受理与处理案件所需费用 next to 受理的案卷数量, counted in 案件数), may be per unit or a lump
    sum: not sure, so say nothing."""
    name = "".join(name.split())
    thing = _clean(name)
    for q in quantities:
        unit = inds[q].measure.strip().removesuffix("数")
        if len(unit) >= 2 and unit in name and _common(thing, _clean(inds[q].level3)) >= 2:
            return True
    return False


def _match_quantity(
    inds: list[Indicator], quantities: list[int], kinds: frozenset[str], thing: str
) -> int | None:
    """The one quantity indicator a per-unit cost is paid per, or None when not sure."""
    if kinds:
        cands = [q for q in quantities if kinds & _kinds_of_measure(inds[q].measure)]
    else:
        cands = list(quantities)
    if not cands:
        return None
    if not thing:
        return cands[0] if len(cands) == 1 else None
    scored = sorted(((_common(thing, _clean(inds[q].level3)), q) for q in cands), reverse=True)
    best, q = scored[0]
    # Two characters in common (培训, 案件, 顾问) name the same thing (or the whole thing when it
    # is one character: 每个村 ~ 覆盖村数); one is enough when the unit kind already singled out
    # the quantity (培训 元/人次 ~ 参训人次).
    if best < (1 if kinds and len(cands) == 1 else min(2, len(thing))):
        return None
    if len(scored) > 1 and scored[1][0] == best:
        return None
    return q

"""The checks (README, "Checking the rules"): pure functions over a Sheet, shared by `jixiao check` and the TUI.

    findings = check_sheet(sheet, profile)      # list[Finding], in sheet order

The TUI calls this on every keystroke, so it does no I/O, compiles nothing per call and keeps
per-profile lookups precomputed in the Profile. A Finding names the offending field by `path`
(English names, e.g. ('indicators', 3, 'annual_weight')); the caller turns that into a YAML
line with store.locate and adds the file and 预算项目 (see store.checking).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from ..sheet.fields import FUNDING_FIELDS, LABEL_OF
from ..sheet.model import Sheet, as_number, format_money, format_number
from .costs import cost_breakdown, is_cost
from .profile import DEFAULT_PROFILE, Profile, base_name

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str  # E101 …
    severity: str  # 'error' | 'warning' | 'info'
    path: (
        Path  # the offending field: ('total',), ('funding', 'fiscal'), ('indicators', 3, 'weight')
    )
    row: int | None  # 0-based indicator index, or None for a sheet-level finding
    message: str  # in the form's words, with the numbers


# How grave a severity is: lower is graver.
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class WeightSummary:
    """Σ 本年权重 + 预算执行率权重 against the profile's total: the one computation behind E101,
    the editor's bar and status, `list`, `show`, `diff` and textconv."""

    by_level1: dict[str, float]  # 一级指标 (profile spelling, else as written) -> Σ 本年权重
    exec_weight: float
    total: float  # Σ 本年权重 + 预算执行率权重
    expected: float
    readable: bool  # False when some weight cell is not a number (then total leaves it out)
    # The first weight that is not a number or is negative, in its E102 finding's words.
    unreadable: str = ""

    @property
    def ok(self) -> bool:
        return self.readable and abs(self.total - self.expected) < 1e-6

    @property
    def status(self) -> str:
        """'✓', '还差 5' (short of the expected total), '多 5' (over it), or '权重有非数字'."""
        if not self.readable:
            return "权重有非数字"
        gap = self.total - self.expected
        if abs(gap) < 1e-6:
            return "✓"
        return f"多 {format_number(gap)}" if gap > 0 else f"还差 {format_number(-gap)}"

    def __str__(self) -> str:
        """'100 ✓', '95 还差 5'."""
        return f"{format_number(self.total)} {self.status}"


@dataclass(frozen=True)
class FundingSummary:
    """资金来源 summed against 项目总额: the one computation behind E131 and the editor's
    header line."""

    total: float | None  # 项目总额, None when it is not a number (or empty)
    total_text: str
    parts: tuple[tuple[str, float], ...]  # (label, amount) of the sources that hold one
    unreadable: tuple[tuple[str, str, str], ...]  # (name, label, text) that are not numbers

    @property
    def sum(self) -> float:
        return sum(v for _, v in self.parts)

    @property
    def ok(self) -> bool:
        return not self.unreadable and self.total is not None and abs(self.gap) < 0.005

    @property
    def gap(self) -> float:
        """Σ 资金来源 − 项目总额 (0 when either cannot be read)."""
        if self.unreadable or self.total is None:
            return 0.0
        return self.sum - self.total

    @property
    def how(self) -> str:
        """'多 1,000' or '少 1,000': how far the sum is from 项目总额."""
        return more_or_less(self.gap)


def more_or_less(diff: float) -> str:
    """An amount over or under what it should be: '多 1,000' / '少 1,000'."""
    return f"多 {format_money(diff)}" if diff > 0 else f"少 {format_money(-diff)}"


def funding_summary(total: str, funding: Mapping[str, str]) -> FundingSummary:
    """From the cell texts of 项目总额 and of 资金来源 (by English name), so the editor can
    sum what is being typed before it is committed."""
    parts: list[tuple[str, float]] = []
    unreadable: list[tuple[str, str, str]] = []
    for name, label in FUNDING_FIELDS:
        text = funding.get(name, "").strip()
        if not text:
            continue
        v = as_number(text)
        if v is None:
            unreadable.append((name, label, text))
        elif v:
            parts.append((label, v))
    total_text = total.strip()
    return FundingSummary(as_number(total_text), total_text, tuple(parts), tuple(unreadable))


NATURES = ("≥", "≤", "=", ">", "<", "定性")  # 指标值性质, in the order the editor offers them
QUANTITATIVE = frozenset({"≥", "≤", "=", ">", "<"})
_NATURE_FIX = {
    "＞": ">",
    "＜": "<",
    "＝": "=",
    "≧": "≥",
    "≦": "≤",
    ">=": "≥",
    "＞＝": "≥",
    "<=": "≤",
    "＜＝": "≤",
    "大于等于": "≥",
    "不低于": "≥",
    "不少于": "≥",
    "小于等于": "≤",
    "不高于": "≤",
    "不超过": "≤",
    "等于": "=",
    "大于": ">",
    "小于": "<",
    "定性指标": "定性",
}
_ACCEPTED_AS_IS = frozenset({"＞", "＜", "＝"})  # full-width forms the form itself accepts
_PERCENT = frozenset({"%", "％"})
_ONE_LINE = str.maketrans({"\r": "\\r", "\n": "\\n", "\t": "\\t"})


def normalize_nature(text: str) -> str:
    """'＞' -> '>', ' ≥ ' -> '≥'; anything else is returned trimmed."""
    t = "".join(text.split())
    if t in _ACCEPTED_AS_IS:
        return _NATURE_FIX[t]
    return t


# Operators as people type them (ASCII pairs, full-width forms) -> the vocabulary's symbol.
_TYPED_NATURE = {">=": "≥", "=>": "≥", "≧": "≥", "<=": "≤", "=<": "≤", "≦": "≤", "==": "="}


def typed_nature(text: str) -> str:
    """A typed 指标性质 in the vocabulary's spelling when it is an operator: '>=', '＞＝' -> '≥',
    '＝' -> '='; words and anything else are left as typed (E121 says what is expected)."""
    t = "".join(unicodedata.normalize("NFKC", text).split())
    t = _TYPED_NATURE.get(t, t)
    return t if t in NATURES else text


def _num(text: str) -> float | None:
    """A value cell's number, allowing a trailing % sign ('95%' -> 95)."""
    t = text.strip()
    if t[-1:] in _PERCENT:
        t = t[:-1]
    return as_number(t)


def _label(ind_index: int, level3: str) -> str:
    name = level3.strip()
    return f"第{ind_index + 1}行「{name}」" if name else f"第{ind_index + 1}行"


def weight_summary(sheet: Sheet, profile: Profile | None = None) -> WeightSummary:
    profile = profile or DEFAULT_PROFILE
    by: dict[str, float] = {}
    bad: list[str] = []
    for i, ind in enumerate(sheet.indicators):
        text = ind.annual_weight.strip()
        if not text:
            continue
        w = as_number(text)
        if w is None or w < 0:
            if not bad:
                bad.append(_bad_weight(_label(i, ind.level3), "本年权重", text, w))
            continue
        key = profile.level1(ind.level1) or ind.level1.strip()
        by[key] = by.get(key, 0.0) + w
    ew_text = sheet.exec_weight.strip()
    ew = as_number(ew_text) if ew_text else 0.0
    if ew is None or ew < 0:
        if not bad:
            bad.append(_bad_weight("", "预算执行率权重", ew_text, ew))
        ew = 0.0
    total = sum(by.values()) + ew
    return WeightSummary(by, ew, total, profile.weight_total, not bad, bad[0] if bad else "")


def check_sheet(sheet: Sheet, profile: Profile | None = None) -> list[Finding]:
    """Every finding for one sheet under a profile (default: 财预〔2021〕101号)."""
    profile = profile or DEFAULT_PROFILE
    out: list[Finding] = []
    unit, project = sheet.unit, sheet.project
    ignores = profile.ignores
    sev_of = profile.severity_of

    def emit(code: str, path: Path, row: int | None, message: str) -> None:
        sev = sev_of(code)
        if sev is None:
            return
        if ignores and profile.ignored(code, unit, project):
            return
        if "\n" in message or "\r" in message or "\t" in message:
            message = message.translate(_ONE_LINE)  # cell text quoted in a one-line message
        out.append(Finding(code, sev, path, row, message))

    # E151 — the header fields the sheet cannot do without.
    for name in ("unit", "project", "goal"):
        if not getattr(sheet, name).strip():
            emit("E151", (name,), None, f"{LABEL_OF[name]}为空")

    # E131 — 资金来源 against 项目总额.
    _check_funding(sheet, emit)

    # Per row: E102 W103 E112 W113 E121 E122 W123 W124 W125 W126 W141.
    present: set[str] = set()
    seen: dict[str, int] = {}
    for i, ind in enumerate(sheet.indicators):
        lab = _label(i, ind.level3)  # cheap; most rows emit nothing but it keeps the code plain

        # E102 / W103 — the weights.
        wt, awt = ind.weight.strip(), ind.annual_weight.strip()
        w = as_number(wt) if wt else None
        aw = as_number(awt) if awt else None
        w_bad = bool(wt) and (w is None or w < 0)
        aw_bad = bool(awt) and (aw is None or aw < 0)
        if w_bad:
            emit("E102", ("indicators", i, "weight"), i, _bad_weight(lab, "权重(%)", wt, w))
        if aw_bad:
            emit(
                "E102", ("indicators", i, "annual_weight"), i, _bad_weight(lab, "本年权重", awt, aw)
            )
        if not w_bad and not aw_bad and (wt or awt):
            if w is None:
                emit(
                    "W103", ("indicators", i, "weight"), i, f"{lab}：权重(%)为空，本年权重为 {awt}"
                )
            elif aw is None:
                emit(
                    "W103",
                    ("indicators", i, "annual_weight"),
                    i,
                    f"{lab}：本年权重为空（按 0 计入合计），权重(%)为 {wt}",
                )
            elif abs(w - aw) > 1e-9:
                emit(
                    "W103",
                    ("indicators", i, "weight"),
                    i,
                    f"{lab}：权重(%) {wt} 与本年权重 {awt} 不同",
                )

        # E112 / W113 — the vocabulary.
        l1 = profile.level1(ind.level1)
        if l1 is None:
            emit(
                "E112",
                ("indicators", i, "level1"),
                i,
                _unknown_level1(lab, ind.level1, ind.level2, profile),
            )
        else:
            present.add(base_name(l1))
            if not profile.level2_known(l1, ind.level2):
                emit(
                    "W113",
                    ("indicators", i, "level2"),
                    i,
                    _unknown_level2(lab, l1, ind.level2, profile),
                )

        # E121 E122 W123 W125 — 指标性质 and what it implies.
        nature = normalize_nature(ind.nature)
        if nature not in NATURES:
            emit("E121", ("indicators", i, "nature"), i, _bad_nature(lab, ind.nature))
        elif nature in QUANTITATIVE:
            at = ind.annual_target.strip()
            if _num(at) is None:
                shown = f"「{at}」不是数字" if at else "为空"
                emit(
                    "E122",
                    ("indicators", i, "annual_target"),
                    i,
                    f"{lab}：定量指标（{nature}）的本年绩效指标值{shown}",
                )
            if not ind.measure.strip():
                emit(
                    "W123",
                    ("indicators", i, "measure"),
                    i,
                    f"{lab}：定量指标（{nature}）没有度量单位",
                )
            if nature in (">", "≥") and is_cost(ind):
                emit(
                    "W125",
                    ("indicators", i, "nature"),
                    i,
                    f"{lab}：成本指标的指标性质是「{ind.nature.strip()}」，成本应设上限（≤ 或 =）",
                )

        # W124 — 指标值 empty.
        if not ind.target.strip():
            emit("W124", ("indicators", i, "target"), i, f"{lab}：指标值为空")

        # W126 — a percentage over 100.
        pct_unit = ind.measure.strip() in _PERCENT
        for name, label in (("target", "指标值"), ("annual_target", "本年绩效指标值")):
            text = getattr(ind, name).strip()
            if pct_unit or text[-1:] in _PERCENT:
                v = _num(text)
                if v is not None and v > 100:
                    emit(
                        "W126",
                        ("indicators", i, name),
                        i,
                        f"{lab}：{label} {format_number(v)}% 超过 100%",
                    )

        # W141 — the same 三级指标 twice.
        key = "".join(ind.level3.split())
        if key:
            first = seen.get(key)
            if first is None:
                seen[key] = i
            else:
                emit(
                    "W141", ("indicators", i, "level3"), i, f"{lab}：三级指标与第{first + 1}行重复"
                )

    # E111 — each required 一级指标 needs an indicator.
    for req in profile.required_bases():
        if req not in present:
            emit(
                "E111",
                ("indicators",),
                None,
                f"没有一级指标为「{profile.level1(req) or req}」的指标"
                f"（{'、'.join(profile.required)}各至少要有一条）",
            )

    # E101 — the weight total.
    ew_text = sheet.exec_weight.strip()
    ew = as_number(ew_text) if ew_text else 0.0
    if ew_text and (ew is None or ew < 0):
        emit("E102", ("exec_weight",), None, _bad_weight("", "预算执行率权重", ew_text, ew))
    weights = weight_summary(sheet, profile)
    if weights.readable and not weights.ok:
        emit(
            "E101",
            ("indicators",),
            None,
            f"本年权重合计 {format_number(weights.total - weights.exec_weight)} + 预算执行率权重 "
            f"{format_number(weights.exec_weight)} = {format_number(weights.total)}，"
            f"应为 {format_number(profile.weight_total)}，{weights.status}",
        )

    # I161 — the cost arithmetic (only when every cost row can be read for sure).
    if sev_of("I161") is not None:
        total_amount = as_number(sheet.total)
        if total_amount is not None:
            bd = cost_breakdown(sheet)
            if bd is not None:
                diff = bd.total - total_amount
                if abs(diff) >= 0.5:
                    how = f"{more_or_less(diff)} 元"
                    emit(
                        "I161",
                        ("total",),
                        None,
                        f"成本指标合计 {bd.formula()} 元，"
                        f"与项目总额 {format_money(total_amount)} 元不符，{how}",
                    )
    return out


def _bad_weight(lab: str, label: str, text: str, value: float | None) -> str:
    prefix = f"{lab}：" if lab else ""
    if value is None:
        return f"{prefix}{label}「{text}」不是数字"
    return f"{prefix}{label} {text} 小于 0"


def _bad_nature(lab: str, text: str) -> str:
    t = "".join(text.split())
    allowed = "≥ ≤ = > < 定性"
    if not t:
        return f"{lab}：指标性质为空，应为 {allowed} 之一"
    fix = _NATURE_FIX.get(t)
    hint = f"，可能是「{fix}」" if fix else ""
    return f"{lab}：指标性质「{t}」不是 {allowed} 之一{hint}"


def _closest(name: str, choices: dict[str, str]) -> str | None:
    """The spelling of the choice closest to name (by base names), or None."""
    import difflib  # only for a name that is not in the list

    got = difflib.get_close_matches(base_name(name), list(choices), n=1, cutoff=0.4)
    return choices[got[0]] if got else None


def _unknown_level1(lab: str, level1: str, level2: str, profile: Profile) -> str:
    known = "、".join(profile.levels)
    text = level1.strip()
    if not text:
        owner = profile.owner_of(level2) if level2.strip() else None
        hint = f"，按二级指标「{level2.strip()}」应为「{owner}」" if owner else ""
        return f"{lab}：一级指标为空{hint}"
    memo_key = ("E112", base_name(text))
    hint = profile.memo.get(memo_key)
    if hint is None:
        guess = _closest(text, {base_name(k): k for k in profile.levels})
        hint = f"，可能是「{guess}」" if guess else ""
        profile.memo[memo_key] = hint
    return f"{lab}：一级指标「{text}」不在指标体系中（{known}）{hint}"


def _unknown_level2(lab: str, level1: str, level2: str, profile: Profile) -> str:
    names = profile.level2_names(level1)
    listed = "、".join(names.values())
    text = level2.strip()
    if not text:
        return f"{lab}：二级指标为空，{level1}下应为 {listed} 之一"
    memo_key = ("W113", base_name(level1), base_name(text))
    hint = profile.memo.get(memo_key)
    if hint is None:
        hint = _suggest_level2(level1, text, profile)
        profile.memo[memo_key] = hint
    return f"{lab}：二级指标「{text}」不在{level1}的二级指标（{listed}）中{hint}"


def _suggest_level2(level1: str, text: str, profile: Profile) -> str:
    names = profile.level2_names(level1)
    target = profile.alias(text)
    if target is not None:
        if target in names:
            return f"，可能是「{names[target]}」"
        owner = profile.owner_of(target)
        if owner is not None:
            spelled = profile.level2_names(owner)[target]
            return f"，可能是「{spelled}」（属于一级指标「{owner}」）"
    owner = profile.owner_of(text)
    if owner is not None:
        return f"；「{text}」属于一级指标「{owner}」"
    guess = _closest(text, names)
    return f"，可能是「{guess}」" if guess else ""


def _check_funding(sheet: Sheet, emit) -> None:  # noqa: ANN001 - a local callback
    f = funding_summary(sheet.total, vars(sheet.funding))
    for name, label, text in f.unreadable:
        emit("E131", ("funding", name), None, f"资金来源 {label}「{text}」不是数字")
    if f.total is None:
        shown = f"「{f.total_text}」不是数字" if f.total_text else "为空"
        emit("E131", ("total",), None, f"项目总额{shown}，无法与资金来源核对")
        return
    if f.unreadable or f.ok:
        return
    terms = " + ".join(f"{label} {format_money(v)}" for label, v in f.parts) or "0"
    formula = f"{terms} = {format_money(f.sum)}" if len(f.parts) > 1 else terms
    emit(
        "E131",
        ("funding",),
        None,
        f"资金来源合计 {formula}，与项目总额 {format_money(f.total)} 不符，{f.how}",
    )


__all__ = [
    "Finding",
    "FundingSummary",
    "NATURES",
    "SEVERITY_RANK",
    "WeightSummary",
    "funding_summary",
    "more_or_less",
    "check_sheet",
    "normalize_nature",
    "typed_nature",
    "weight_summary",
]

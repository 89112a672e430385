"""The rule profile: what `jixiao check` holds a sheet against.

Built from the plain dict under `profile:` in the workspace's jixiao.yaml (or None for the
default). The default follows 财政部 财预〔2021〕101号 with 成本指标 as its own 一级指标:

```yaml
profile:
  weight_total: 100               # Σ 本年权重 + 预算执行率权重 must equal this
  levels:                         # 一级指标 -> its 二级指标 (the 指标 suffix is optional)
    产出指标: [数量指标, 质量指标, 时效指标]
    成本指标: [经济成本指标, 社会成本指标, 生态环境成本指标]
    效益指标: [经济效益指标, 社会效益指标, 生态效益指标, 可持续影响指标]
    满意度指标: [服务对象满意度指标]
  required: [产出指标, 效益指标, 满意度指标]   # E111: each needs at least one indicator
  aliases:                        # a 二级指标 people write -> the one it most likely means
    可持续发展指标: 可持续影响指标
  severity: {W103: info}          # error | warning | info | off
  disable: [I161]                 # codes switched off
  ignore:                         # per project, always with a reason
    - project: 135001-大竹县司法局/执法证工本费   # 预算项目, or 单位信息/预算项目
      codes: [I161]
      reason: 工本费 is paid partly by the province
```

Names are compared after trimming spaces and a trailing 指标, so 数量 and 数量指标 are the
same 二级指标. Every problem in the dict raises `ProfileError` with one sentence that names
the key.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ProfileError

SEVERITIES = ("error", "warning", "info")

# Every code the engine can emit, with its default severity.
CODES: dict[str, str] = {
    "E001": "error",  # the project file could not be read (workspace level, not a rule)
    "E002": "error",  # the project file holds unresolved merge conflicts (not a rule either)
    "W003": "warning",  # a file under store/ that is not a project file (jixiao skips it)
    "E101": "error",
    "E102": "error",
    "W103": "warning",
    "E111": "error",
    "E112": "error",
    "W113": "warning",
    "E121": "error",
    "E122": "error",
    "W123": "warning",
    "W124": "warning",
    "W125": "warning",
    "W126": "warning",
    "E131": "error",
    "W141": "warning",
    "E151": "error",
    "I161": "info",
    # The year after the approval (issue 22): the self-evaluation and the monitoring.
    "E171": "error",
    "E172": "error",
    "E173": "error",
    "W174": "warning",
    "W175": "warning",
    "E176": "error",
    "W177": "warning",
    "W178": "warning",
    "W179": "warning",
}
# Codes a profile may not switch off or downgrade: they are not rules but "could not check".
FIXED_CODES = frozenset({"E001", "E002"})

DEFAULT_LEVELS: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标"),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
DEFAULT_REQUIRED: tuple[str, ...] = ("产出指标", "效益指标", "满意度指标")
DEFAULT_ALIASES: dict[str, str] = {
    "可持续发展指标": "可持续影响指标",
    "可持续性指标": "可持续影响指标",
    "可持续指标": "可持续影响指标",
    "满意度指标": "服务对象满意度指标",
    "群众满意度指标": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标",
    "时效性指标": "时效指标",
    "时间指标": "时效指标",
    "进度指标": "时效指标",
    "环境效益指标": "生态效益指标",
    "生态环境效益指标": "生态效益指标",
    "成本指标": "经济成本指标",
    "环境成本指标": "生态环境成本指标",
    "生态成本指标": "生态环境成本指标",
}

_KEYS = (
    "weight_total",
    "levels",
    "required",
    "aliases",
    "severity",
    "disable",
    "ignore",
    "scoring",
)

# The self-evaluation's scoring, as 财预〔2020〕10号 describes it (store/year/scoring.py).
DEFAULT_GRADES: tuple[tuple[str, float], ...] = (("优", 90.0), ("良", 80.0), ("中", 60.0))
DEFAULT_LOWEST_GRADE = "差"
# 定性 results: (实际完成值, band top %, band bottom %) of the weight; top unless a hand score.
DEFAULT_BANDS: tuple[tuple[str, float, float], ...] = (
    ("达成年度指标", 100.0, 80.0),
    ("部分达成年度指标并具有一定效果", 80.0, 50.0),
    ("未达成年度指标且效果较差", 50.0, 0.0),
)


@dataclass(frozen=True)
class Scoring:
    """How a self-evaluation is scored; every number here so a province can change it.

    ```yaml
    profile:
      scoring:
        grades: {优: 90, 良: 80, 中: 60}   # 总分 at least this; below the last: lowest
        lowest: 差
        bands: {达成年度指标: [100, 80], 部分达成年度指标并具有一定效果: [80, 50],
                未达成年度指标且效果较差: [50, 0]}   # % of the weight: top, bottom
        exec_rate_floor: 90              # 预算执行率 below this (%) needs a word in 存在问题
        decimals: 2                      # scores rounded half-up to this many places
        form_unit: 元                    # the forms' 项目资金 in 元 or 万元 (the store keeps 元)
    ```
    """

    grades: tuple[tuple[str, float], ...] = DEFAULT_GRADES
    lowest: str = DEFAULT_LOWEST_GRADE
    bands: tuple[tuple[str, float, float], ...] = DEFAULT_BANDS
    exec_rate_floor: float = 90.0
    decimals: int = 2
    form_unit: str = "元"


FORM_UNITS = ("元", "万元")
_SCORING_KEYS = ("grades", "lowest", "bands", "exec_rate_floor", "decimals", "form_unit")


@lru_cache(maxsize=4096)
def base_name(name: str) -> str:
    """A 一级/二级 name as compared: trimmed, full-width spaces gone, no trailing 指标."""
    n = "".join(name.split())
    if n.endswith("指标") and len(n) > 2:
        n = n[:-2]
    return n


@dataclass(frozen=True)
class Ignore:
    """One per-project ignore: these codes are not reported for this project."""

    project: str  # 预算项目, or 单位信息/预算项目
    codes: frozenset[str]  # empty means every code
    reason: str

    def matches(self, unit: str, project: str) -> bool:
        p = self.project.strip()
        if "/" in p:
            return p == f"{unit.strip()}/{project.strip()}"
        return p == project.strip()


@dataclass(frozen=True)
class Profile:
    weight_total: float = 100.0
    levels: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_LEVELS))
    required: tuple[str, ...] = DEFAULT_REQUIRED
    aliases: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ALIASES))
    severity: Mapping[str, str] = field(default_factory=dict)
    disabled: frozenset[str] = frozenset()
    ignores: tuple[Ignore, ...] = ()
    scoring: Scoring = Scoring()

    def __post_init__(self) -> None:
        # Lookup tables the engine uses on every keystroke, computed once.
        level1_by_base = {base_name(k): k for k in self.levels}
        level2_by_base = {
            base_name(k): {base_name(v): v for v in vs} for k, vs in self.levels.items()
        }
        owner = {}
        for k, vs in self.levels.items():
            for v in vs:
                owner.setdefault(base_name(v), k)
        object.__setattr__(self, "_level1", level1_by_base)
        object.__setattr__(self, "_level2", level2_by_base)
        object.__setattr__(self, "_owner", owner)
        object.__setattr__(
            self, "_aliases", {base_name(k): base_name(v) for k, v in self.aliases.items()}
        )
        object.__setattr__(self, "_required", tuple(base_name(r) for r in self.required))
        # Messages worth remembering between keystrokes (suggestions), keyed by the rule.
        object.__setattr__(self, "memo", {})

    # -- lookups (all by base name) -------------------------------------------------------
    def level1(self, name: str) -> str | None:
        """The profile's spelling of a known 一级指标, or None."""
        return self._level1.get(base_name(name))  # type: ignore[attr-defined]

    def level2_known(self, level1: str, level2: str) -> bool:
        sub = self._level2.get(base_name(level1))  # type: ignore[attr-defined]
        return sub is not None and base_name(level2) in sub

    def level2_names(self, level1: str) -> dict[str, str]:
        """base -> spelling of the 二级指标 under a 一级指标 (empty if the 一级 is unknown)."""
        return self._level2.get(base_name(level1), {})  # type: ignore[attr-defined]

    def owner_of(self, level2: str) -> str | None:
        """The 一级指标 a 二级指标 belongs to, if the profile lists it anywhere."""
        return self._owner.get(base_name(level2))  # type: ignore[attr-defined]

    def alias(self, name: str) -> str | None:
        """The base name an alias points to, or None."""
        return self._aliases.get(base_name(name))  # type: ignore[attr-defined]

    def required_bases(self) -> tuple[str, ...]:
        return self._required  # type: ignore[attr-defined]

    def severity_of(self, code: str) -> str | None:
        """The severity to report a code with, or None when it is switched off."""
        if code in FIXED_CODES:
            return CODES[code]
        if code in self.disabled:
            return None
        return self.severity.get(code, CODES[code])

    def ignored(self, code: str, unit: str, project: str) -> Ignore | None:
        if code in FIXED_CODES:
            return None
        for ig in self.ignores:
            if (not ig.codes or code in ig.codes) and ig.matches(unit, project):
                return ig
        return None

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_dict(cls, data: Mapping | None) -> Profile:
        """The profile described by the `profile:` section (None or {} gives the default)."""
        if data is None:
            return DEFAULT_PROFILE
        if not isinstance(data, Mapping):
            raise ProfileError(
                f"profile: 应为各项设置的映射，实际是{_kind(data)}；可用的设置有 {'、'.join(_KEYS)}"
            )
        _only_known("profile", data, _KEYS)
        kw: dict = {}
        if "weight_total" in data:
            kw["weight_total"] = _weight_total(data["weight_total"])
        if "levels" in data:
            kw["levels"] = _levels(data["levels"])
        levels = kw.get("levels", DEFAULT_LEVELS)
        if "required" in data:
            req = _names(data["required"], "profile.required")
            known = {base_name(k) for k in levels}
            for r in req:
                if base_name(r) not in known:
                    raise ProfileError(
                        f"profile.required: {r!r} 不是 profile.levels 中的一级指标"
                        f"（{'、'.join(levels)}）"
                    )
            kw["required"] = tuple(req)
        if "aliases" in data:
            kw["aliases"] = _aliases(data["aliases"])
        if "severity" in data:
            kw["severity"], off = _severity(data["severity"])
        else:
            off = set()
        disabled = set(off)
        if "disable" in data:
            disabled |= set(_codes(data["disable"], "profile.disable"))
        kw["disabled"] = frozenset(disabled)
        if "ignore" in data:
            kw["ignores"] = _ignores(data["ignore"])
        if "scoring" in data:
            kw["scoring"] = _scoring(data["scoring"])
        return cls(**kw)


def _kind(v: object) -> str:
    if v is None:
        return "空值"
    if isinstance(v, bool):
        return " true/false"
    if isinstance(v, str):
        return f"文字 {v!r}"
    if isinstance(v, Mapping):
        return "映射"
    if isinstance(v, list | tuple):
        return "列表"
    return f" {v!r}"


MAX_WEIGHT_TOTAL = 1_000_000.0


def _weight_total(v: object) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or v <= 0:
        raise ProfileError(f"profile.weight_total: 应为大于 0 的数，实际是{_kind(v)}")
    try:
        total = float(v)
    except OverflowError:
        total = math.inf
    # .nan compares false with everything: it would switch E101 off without a word.
    if not math.isfinite(total) or total > MAX_WEIGHT_TOTAL:
        shown = "很大的数" if isinstance(v, int) else repr(v)
        raise ProfileError(
            f"profile.weight_total: 应为 0 到 {MAX_WEIGHT_TOTAL:,.0f} 之间的数（通常是 100），"
            f"实际是 {shown}"
        )
    return total


def _names(v: object, where: str) -> list[str]:
    if isinstance(v, str) or not isinstance(v, list | tuple):
        raise ProfileError(f"{where}: 应为名称的列表，实际是{_kind(v)}")
    out = []
    for item in v:
        if not isinstance(item, str) or not item.strip():
            raise ProfileError(f"{where}: 每一项都应是非空的名称，实际是{_kind(item)}")
        out.append(item.strip())
    return out


def _levels(v: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(v, Mapping) or not v:
        raise ProfileError(f"profile.levels: 应为一级指标到二级指标列表的映射，实际是{_kind(v)}")
    out: dict[str, tuple[str, ...]] = {}
    for k, vs in v.items():
        if not isinstance(k, str) or not k.strip():
            raise ProfileError(f"profile.levels: 一级指标的名称应为文字，实际是{_kind(k)}")
        out[k.strip()] = tuple(_names(vs, f"profile.levels.{k}"))
    return out


def _aliases(v: object) -> dict[str, str]:
    if not isinstance(v, Mapping):
        raise ProfileError(f"profile.aliases: 应为“别名: 所指名称”的映射，实际是{_kind(v)}")
    out = dict(DEFAULT_ALIASES)
    for k, t in v.items():
        if not isinstance(k, str) or not isinstance(t, str) or not k.strip() or not t.strip():
            raise ProfileError(f"profile.aliases: {k!r}：别名和所指名称都应是非空的名称")
        out[k.strip()] = t.strip()
    return out


def _codes(v: object, where: str) -> list[str]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple):
        raise ProfileError(f"{where}: 应为代码的列表，如 [W103, I161]，实际是{_kind(v)}")
    out = []
    for c in v:
        code = str(c).strip().upper()
        if code not in CODES:
            raise ProfileError(f"{where}: {c!r} 不是检查代码；代码有 {'、'.join(CODES)}")
        if code in FIXED_CODES:
            raise ProfileError(f"{where}: {code} 报告无法读取的文件，不能更改")
        out.append(code)
    return out


def _severity(v: object) -> tuple[dict[str, str], set[str]]:
    if not isinstance(v, Mapping):
        raise ProfileError(f"profile.severity: 应为映射，如 {{W103: info}}，实际是{_kind(v)}")
    out: dict[str, str] = {}
    off: set[str] = set()
    for c, s in v.items():
        (code,) = _codes([c], "profile.severity")
        sev = "off" if s is False else str(s).strip().lower()
        if sev == "off":
            off.add(code)
        elif sev in SEVERITIES:
            out[code] = sev
        else:
            raise ProfileError(
                f"profile.severity.{code}: {s!r} 不是级别；"
                "请用 error（错误）、warning（警告）、info（提示）或 off（关闭）"
            )
    return out, off


def _ignores(v: object) -> tuple[Ignore, ...]:
    if not isinstance(v, list | tuple):
        raise ProfileError(
            f"profile.ignore: 应为 {{project, codes, reason}} 各项的列表，实际是{_kind(v)}"
        )
    out = []
    for i, item in enumerate(v, 1):
        where = f"profile.ignore 第 {i} 项"
        if not isinstance(item, Mapping):
            raise ProfileError(f"{where}: 应有 project、codes 和 reason，实际是{_kind(item)}")
        extra = [k for k in item if k not in ("project", "codes", "reason")]
        if extra:
            raise ProfileError(f"{where}: 未知的键 {extra[0]!r}；请用 project、codes 和 reason")
        project = item.get("project")
        if not isinstance(project, str) or not project.strip():
            raise ProfileError(f"{where}: project 应写预算项目（或 单位信息/预算项目）")
        reason = item.get("reason")
        if not isinstance(reason, str) or not reason.strip():
            raise ProfileError(f"{where}（{project}）: 请在 reason 中写明为何忽略")
        codes = item.get("codes", "all")
        if codes in ("all", "*"):
            code_set: frozenset[str] = frozenset()
        else:
            code_set = frozenset(_codes(codes, f"{where}（{project}）的 codes"))
        out.append(Ignore(project.strip(), code_set, reason.strip()))
    return tuple(out)


def _percent(v: object, where: str, top: float = 100.0) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= top:
        raise ProfileError(f"{where}: 应为 0 到 {top:g} 之间的数，实际是{_kind(v)}")
    return float(v)


def _only_known(where: str, data: Mapping, keys: tuple[str, ...]) -> None:
    """ProfileError naming the first setting of `data` that is not one of `keys`."""
    unknown = [str(k) for k in data if k not in keys]
    if unknown:
        raise ProfileError(f"{where}: 未知的设置 {unknown[0]!r}；可用的设置有 {'、'.join(keys)}")


def _scoring(v: object) -> Scoring:
    if not isinstance(v, Mapping):
        raise ProfileError(
            f"profile.scoring: 应为映射，可用的设置有 {'、'.join(_SCORING_KEYS)}，实际是{_kind(v)}"
        )
    _only_known("profile.scoring", v, _SCORING_KEYS)
    kw: dict = {}
    if "grades" in v:
        g = v["grades"]
        if not isinstance(g, Mapping) or not g:
            raise ProfileError(
                f"profile.scoring.grades: 应为“等级: 最低总分”的映射，实际是{_kind(g)}"
            )
        grades = [
            (str(k).strip(), _percent(x, f"profile.scoring.grades.{k}", 1e6)) for k, x in g.items()
        ]
        kw["grades"] = tuple(sorted(grades, key=lambda item: -item[1]))
    if "lowest" in v:
        if not isinstance(v["lowest"], str) or not v["lowest"].strip():
            raise ProfileError("profile.scoring.lowest: 应为最低等级的名称，如 差")
        kw["lowest"] = v["lowest"].strip()
    if "bands" in v:
        b = v["bands"]
        if not isinstance(b, Mapping) or not b:
            raise ProfileError(
                f"profile.scoring.bands: 应为“完成情况: [上限%, 下限%]”的映射，实际是{_kind(b)}"
            )
        bands = []
        for k, x in b.items():
            where = f"profile.scoring.bands.{k}"
            if not isinstance(x, list | tuple) or len(x) != 2:
                raise ProfileError(f"{where}: 应为 [上限%, 下限%]，如 [100, 80]")
            top, bottom = _percent(x[0], where), _percent(x[1], where)
            if bottom > top:
                raise ProfileError(f"{where}: 下限 {bottom:g} 大于上限 {top:g}")
            bands.append((str(k).strip(), top, bottom))
        kw["bands"] = tuple(bands)
    if "exec_rate_floor" in v:
        kw["exec_rate_floor"] = _percent(v["exec_rate_floor"], "profile.scoring.exec_rate_floor")
    if "decimals" in v:
        d = v["decimals"]
        if isinstance(d, bool) or not isinstance(d, int) or not 0 <= d <= 6:
            raise ProfileError(f"profile.scoring.decimals: 应为 0 到 6 的整数，实际是{_kind(d)}")
        kw["decimals"] = d
    if "form_unit" in v:
        if v["form_unit"] not in FORM_UNITS:
            raise ProfileError(
                f"profile.scoring.form_unit: 应为 元 或 万元，实际是{_kind(v['form_unit'])}"
            )
        kw["form_unit"] = v["form_unit"]
    return Scoring(**kw)


DEFAULT_PROFILE = Profile()

"""`jixiao check --explain CODE`: what each code means and how to fix it."""

from __future__ import annotations

from typing import NamedTuple

from .errors import UnknownCodeError
from .profile import CODES


class Explanation(NamedTuple):
    title: str
    meaning: str
    fix: str


EXPLAIN: dict[str, Explanation] = {
    "E001": Explanation(
        "the project file cannot be read",
        "The YAML file of a project is broken (not YAML, a missing key, a tag that would build an "
        "object, ...), so none of its rules could run. The other files are still checked.",
        "Open the file at the line given and repair it, or restore it with `git checkout -- FILE`.",
    ),
    "E002": Explanation(
        "the project file holds a merge conflict",
        "A merge (git merge, rebase, cherry-pick or pull) changed the same field on both "
        "sides to different values. The file holds both, between the lines '<<<<<<< 我方', "
        "'=======' and '>>>>>>> 对方'; everything else in it is merged. Each conflict is "
        "named with its row, field and both values.",
        "Open the project with `jixiao edit` and pick a side (or type a value) per field, or "
        "edit the file: keep the line you want, delete the other and the three marker lines; "
        "then `git add` the file and commit.",
    ),
    "W003": Explanation(
        "a file under store/ that is not a project file",
        "Project files are store/<单位信息>/<预算项目>.yaml, neither part starting with a dot. "
        "Any other file under store/ (store/x.yaml, store/unit/sub/x.yaml, store/unit/.x.yaml, "
        "notes) is not read by jixiao: not listed, not checked, not exported. `check` and the "
        "pre-commit hook name it, so that nothing is kept there by mistake.",
        "Move the file out of store/, or to store/<单位信息>/<预算项目>.yaml if it is a project; "
        "or switch the code off in the profile (disable: [W003]).",
    ),
    "E101": Explanation(
        "weights do not add up",
        "The sum of every '本年权重' plus '预算执行率权重' must equal the profile's weight total "
        "(100 by default). The message gives the two parts, their sum and how much is missing "
        "or too much.",
        "Change '本年权重' of some indicators (or '预算执行率权重') until the sum is exact; "
        "the TUI shows the total while you type.",
    ),
    "E102": Explanation(
        "a weight is not a number",
        "'权重(%)', '本年权重' or '预算执行率权重' holds text that is not a number ≥ 0 (e.g. '十', "
        "'-5'). An empty '权重(%)' is allowed (see W103); an empty '本年权重' counts as 0.",
        "Write the weight in digits, e.g. 10.",
    ),
    "W103": Explanation(
        "'权重(%)' differs from '本年权重'",
        "Within one row the planned weight '权重(%)' and this year's weight '本年权重' "
        "differ, or one of them is empty. Only '本年权重' counts towards the total (E101).",
        "Usually both should hold the same number; fill in the empty one or make them agree.",
    ),
    "E111": Explanation(
        "a required 一级指标 has no indicator",
        "Every sheet needs at least one indicator under each required '一级指标' (by default "
        "'产出指标', '效益指标' and '满意度指标'; '成本指标' is optional).",
        "Add an indicator under the missing '一级指标', or change `profile.required`.",
    ),
    "E112": Explanation(
        "unknown 一级指标",
        "'一级指标' is empty or not one of the profile's (by default 财预〔2021〕101号: "
        "'产出指标', '成本指标', '效益指标', '满意度指标'). A missing '指标' suffix is "
        "accepted.",
        "Use one of the listed names (the message suggests the closest), or add it to "
        "`profile.levels`.",
    ),
    "W113": Explanation(
        "二级指标 not listed under its 一级指标",
        "'二级指标' is not one of those the profile lists under the row's '一级指标' "
        "(产出: 数量/质量/时效; 成本: 经济成本/社会成本/生态环境成本; "
        "效益: 经济效益/社会效益/生态效益/可持续影响; "
        "满意度: 服务对象满意度). Common variants such as '可持续发展指标' are recognised through "
        "`profile.aliases` and the message suggests the intended name.",
        "Rename the '二级指标' as suggested, move the row under the right '一级指标', or extend "
        "`profile.levels` if your finance bureau uses other names.",
    ),
    "E121": Explanation(
        "unknown 指标性质",
        "'指标性质' must be one of ≥ ≤ = > < or '定性' (full-width ＞ ＜ ＝ are accepted).",
        "Pick one of them; the message suggests one for forms like '>=' or '不低于'.",
    ),
    "E122": Explanation(
        "a quantitative indicator without a number",
        "A row whose '指标性质' is ≥ ≤ = > < is quantitative, so its '本年绩效指标值' "
        "must be a number (a trailing % is allowed).",
        "Write the target as a number and put the unit in '度量单位', or make the row '定性'.",
    ),
    "W123": Explanation(
        "a quantitative indicator without a unit",
        "A quantitative row ('指标性质' ≥ ≤ = > <) has an empty '度量单位', so its number means "
        "nothing to a reviewer.",
        "Fill in '度量单位' (人, 次, %, 元, 月, ...).",
    ),
    "W124": Explanation(
        "'指标值' is empty",
        "The row has no planned value '指标值' (even if '本年绩效指标值' is set).",
        "Fill in '指标值'; for a one-year project it is usually the same as '本年绩效指标值'.",
    ),
    "W125": Explanation(
        "a cost indicator without a ceiling",
        "A '成本指标' row uses ≥ or >, which sets a floor on spending; a cost target should be "
        "capped.",
        "Use ≤ (at most) or = for cost indicators.",
    ),
    "W126": Explanation(
        "a percentage over 100",
        "'指标值' or '本年绩效指标值' is above 100 while '度量单位' is % (or the value ends in %).",
        "Check the number; rates such as 满意度 or 合格率 cannot exceed 100%.",
    ),
    "E131": Explanation(
        "资金来源 do not add up to 项目总额",
        "'财政资金' + '财政专户管理资金' + '单位资金' + '社会投入资金' + '银行贷款' "
        "must equal '项目总额' (empty cells count as 0); each must be a number, and so "
        "must '项目总额'.",
        "Correct the amounts so the funding sources add up to the project total.",
    ),
    "W141": Explanation(
        "the same 三级指标 twice",
        "Two rows of one project have the same '三级指标' (spaces ignored), which usually means a "
        "row was copied and not changed.",
        "Rename or delete one of the rows.",
    ),
    "E151": Explanation(
        "a required header field is empty",
        "'单位信息', '预算项目' and '年度目标' must not be empty.",
        "Fill in the field.",
    ),
    "I161": Explanation(
        "cost indicators do not add up to 项目总额",
        "The '成本指标' rows, read as amounts in 元 (万元 × 10,000), are added up: a lump "
        "sum as it is, a per-unit cost (度量单位 like 元/人·次 or 万元/场, or a '三级指标' "
        "like '每本执法证所需的费用' or '每次培训…') times the '数量指标' row that counts "
        "the same thing (执法证本数 800 本). "
        "The '本年绩效指标值' is used. If the result differs from '项目总额' the message shows the "
        "sum, e.g. 20,000 + 5,000 + 82×800 + 10,000 = 100,600. Where a row cannot be matched "
        "for sure (a per-month cost, a cost in %, two equally likely quantities) nothing is said.",
        "Check the cost and quantity indicators against the budget; this is information only. "
        "Switch it off for one project with `profile.ignore` and a reason.",
    ),
}


def explain(code: str) -> str:
    """The --explain text for a code (case-insensitive); UnknownCodeError if there is none."""
    c = code.strip().upper()
    if c not in EXPLAIN:
        raise UnknownCodeError(f"{code!r} 不是检查代码；代码有 {'、'.join(EXPLAIN)}")
    e = EXPLAIN[c]
    return f"{c} ({CODES[c]}): {e.title}\n\n{e.meaning}\n\nHow to fix: {e.fix}\n"

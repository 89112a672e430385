"""The one place where the form's Chinese labels meet the English names used in code.

Project YAML files use the labels as keys (a reviewer reads a diff in the words of the form);
code uses the attribute names. Order here is the order of the YAML file and of the form.
"""

from __future__ import annotations

# Header fields of a sheet: (attribute, label).
HEADER_FIELDS: tuple[tuple[str, str], ...] = (
    ("unit", "单位信息"),
    ("project", "预算项目"),
    ("function", "职能职责与活动"),
    ("department", "主管部门"),
    ("manager", "项目经办人"),
    ("manager_phone", "项目经办人电话"),
    ("total", "项目总额"),
)
# Fields that come after 资金来源 in the YAML file.
TAIL_FIELDS: tuple[tuple[str, str], ...] = (
    ("exec_weight", "预算执行率权重"),
    ("goal", "年度目标"),
)
FUNDING_KEY = "资金来源"
FUNDING_FIELDS: tuple[tuple[str, str], ...] = (
    ("fiscal", "财政资金"),
    ("special", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
    ("social", "社会投入资金"),
    ("loan", "银行贷款"),
)
INDICATORS_KEY = "绩效指标"
INDICATOR_FIELDS: tuple[tuple[str, str], ...] = (
    ("level1", "一级指标"),
    ("level2", "二级指标"),
    ("level3", "三级指标"),
    ("nature", "指标性质"),
    ("target", "指标值"),
    ("annual_target", "本年绩效指标值"),
    ("measure", "度量单位"),
    ("weight", "权重"),
    ("annual_weight", "本年权重"),
    ("note", "备注"),
)
LAYOUT_KEY = "layout"

# The indicator table's header row as the official export writes it.
TABLE_HEADER: tuple[str, ...] = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标性质",
    "指标值",
    "本年绩效指标值",
    "度量单位",
    "权重(%)",
    "本年权重",
    "备注",
)

TITLE = "绩效目标批复表"

# Amount cells: written with digit grouping (150,000) when the sheet's layout says so.
AMOUNT_FIELDS: frozenset[str] = frozenset({"total"} | {name for name, _ in FUNDING_FIELDS})

# The English names alone, in the same order.
HEADER_NAMES: tuple[str, ...] = tuple(name for name, _ in HEADER_FIELDS + TAIL_FIELDS)
FUNDING_NAMES: tuple[str, ...] = tuple(name for name, _ in FUNDING_FIELDS)
INDICATOR_NAMES: tuple[str, ...] = tuple(name for name, _ in INDICATOR_FIELDS)

LABEL_OF: dict[str, str] = {
    name: label for name, label in HEADER_FIELDS + TAIL_FIELDS + FUNDING_FIELDS + INDICATOR_FIELDS
}

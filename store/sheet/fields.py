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

# ---------------------------------------------------------------------- the year
# Two optional blocks after the approval: the 绩效运行监控表 (July) and the 项目支出绩效自评表
# (after the year). Keys are the forms' words; indicators are matched to the approval by
# 一级/二级/三级指标 (IDENTITY_FIELDS).
MONITOR_KEY = "绩效监控"
EVALUATION_KEY = "绩效自评"
YEAR_FUNDING_KEY = "预算执行"
# The rows of a form's funding table: (attribute, label).
YEAR_FUNDING_ROWS: tuple[tuple[str, str], ...] = (
    ("total", "年度资金总额"),
    ("fiscal", "财政资金"),
    ("special", "财政专户管理资金"),
    ("unit_funds", "单位资金"),
    ("other", "其他资金"),
)
IDENTITY_FIELDS: tuple[tuple[str, str], ...] = INDICATOR_FIELDS[:3]
# The self-evaluation: per funding row, per indicator, and the block's own fields.
EVALUATION_FUNDING_FIELDS: tuple[tuple[str, str], ...] = (
    ("budget", "全年预算数"),
    ("spent", "全年执行数"),
)
ACTUAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("actual", "实际完成值"),
    ("reason", "偏差原因分析及改进措施"),
    ("score", "得分"),
)
EVALUATION_FIELDS: tuple[tuple[str, str], ...] = (
    ("achieved", "年度目标完成情况"),
    ("problems", "存在问题"),
    ("measures", "改进措施"),
)
# The monitoring: per funding row and per indicator.
MONITOR_FUNDING_FIELDS: tuple[tuple[str, str], ...] = (
    ("spent", "1-7月执行数"),
    ("expected", "全年预计执行数"),
)
PROGRESS_FIELDS: tuple[tuple[str, str], ...] = (
    ("actual", "1-7月实际完成值"),
    ("expected", "全年预计完成值"),
    ("cause", "偏差原因"),
    ("likelihood", "完成目标可能性"),
    ("remedy", "整改措施"),
)
# Labels whose values are amounts (written with the sheet's digit grouping).
YEAR_AMOUNT_LABELS: frozenset[str] = frozenset(
    label for _, label in EVALUATION_FUNDING_FIELDS + MONITOR_FUNDING_FIELDS
)
EVALUATION_TITLE = "项目支出绩效自评表"
MONITOR_TITLE = "绩效运行监控表"

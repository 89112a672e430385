"""The year after the approval: the monitoring and the self-evaluation of a project.

Both are optional blocks of the project file beside the approved targets. An indicator here
names its approved row by identity (一级/二级/三级指标) and carries only what the year adds
(actual values, reasons, a hand-given score); the targets and weights stay where the approval
put them and are never copied. Every value is the cell's text, as in store/sheet/model.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

Identity = tuple[str, str, str]  # (一级指标, 二级指标, 三级指标)


def identity_key(level1: str, level2: str, level3: str) -> Identity:
    """An indicator's identity as compared: each level without blanks."""
    return ("".join(level1.split()), "".join(level2.split()), "".join(level3.split()))


@dataclass
class SpentRow:
    """One row of the self-evaluation's funding table (年度资金总额, 财政资金, …)."""

    budget: str = ""  # 全年预算数
    spent: str = ""  # 全年执行数


@dataclass
class ActualRow:
    """One indicator's result in the self-evaluation."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    actual: str = ""  # 实际完成值 (不适用: left out of the score)
    reason: str = ""  # 偏差原因分析及改进措施
    score: str = ""  # 得分, given by hand (定性 rows only); empty: computed

    def key(self) -> Identity:
        return identity_key(self.level1, self.level2, self.level3)


@dataclass
class SelfEvaluation:
    """The 项目支出绩效自评表 of a project (财预〔2020〕10号)."""

    funding: dict[str, SpentRow] = field(default_factory=dict)  # by row name (fields.py)
    achieved: str = ""  # 年度目标完成情况
    indicators: list[ActualRow] = field(default_factory=list)
    problems: str = ""  # 存在问题
    measures: str = ""  # 改进措施


@dataclass
class ProgressFunding:
    """One row of the monitoring's funding table."""

    spent: str = ""  # 1-7月执行数
    expected: str = ""  # 全年预计执行数


@dataclass
class ProgressRow:
    """One indicator's progress in the monitoring."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    actual: str = ""  # 1-7月实际完成值
    expected: str = ""  # 全年预计完成值
    cause: str = ""  # 偏差原因: one of CAUSES
    likelihood: str = ""  # 完成目标可能性: one of LIKELIHOODS
    remedy: str = ""  # 整改措施

    def key(self) -> Identity:
        return identity_key(self.level1, self.level2, self.level3)


@dataclass
class Monitoring:
    """The 绩效运行监控表 of a project (财预〔2019〕136号)."""

    funding: dict[str, ProgressFunding] = field(default_factory=dict)
    indicators: list[ProgressRow] = field(default_factory=list)


CAUSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
NOT_APPLICABLE = "不适用"

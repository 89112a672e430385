"""The profile from jixiao.yaml: defaults, overrides and clear errors."""

from __future__ import annotations

import pytest
from jixiao.store.rules.profile import CODES, DEFAULT_PROFILE, Profile, ProfileError


def test_none_and_empty_give_the_default():
    assert Profile.from_dict(None) is DEFAULT_PROFILE
    p = Profile.from_dict({})
    assert p.weight_total == 100
    assert list(p.levels) == ["产出指标", "成本指标", "效益指标", "满意度指标"]
    assert p.required == ("产出指标", "效益指标", "满意度指标")


def test_default_vocabulary_accepts_the_sample_spelling():
    p = DEFAULT_PROFILE
    for l1, l2 in [
        ("产出指标", "数量指标"),
        ("成本指标", "经济成本指标"),
        ("满意度指标", "服务对象满意度指标"),
        ("效益指标", "社会效益指标"),
        ("效益指标", "可持续影响指标"),
        ("效益指标", "可持续影响"),
        ("产出", "时效"),
    ]:
        assert p.level2_known(l1, l2), (l1, l2)
    assert not p.level2_known("效益指标", "可持续发展指标")
    assert not p.level2_known("满意度指标", "满意度指标")
    assert p.level1(" 成本指标 ") == "成本指标"
    assert p.level1("财务指标") is None


def test_severity_disable_and_ignore():
    p = Profile.from_dict(
        {
            "severity": {"w103": "info", "I161": "off"},
            "disable": ["W141"],
            "ignore": [{"project": "扫黑除恶", "codes": ["W113"], "reason": "上级要求的名称"}],
        }
    )
    assert p.severity_of("W103") == "info"
    assert p.severity_of("I161") is None
    assert p.severity_of("W141") is None
    assert p.severity_of("E101") == "error"
    ig = p.ignored("W113", "135001-大竹县司法局", "扫黑除恶")
    assert ig is not None and ig.reason == "上级要求的名称"
    assert p.ignored("W113", "135001-大竹县司法局", "司法工作经费") is None
    assert p.ignored("W124", "135001-大竹县司法局", "扫黑除恶") is None


def test_custom_levels_and_required():
    p = Profile.from_dict(
        {
            "weight_total": 90,
            "levels": {"产出指标": ["数量指标"], "效益指标": ["社会效益指标"]},
            "required": ["产出指标"],
        }
    )
    assert p.weight_total == 90
    assert p.required_bases() == ("产出",)
    assert p.level1("成本指标") is None


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ("strict", "应为各项设置的映射"),
        ({"weights": 100}, "未知的设置 'weights'"),
        ({"weight_total": "100"}, "weight_total: 应为大于 0 的数"),
        ({"weight_total": 0}, "大于 0"),
        ({"weight_total": True}, "大于 0"),
        ({"levels": ["产出指标"]}, "profile.levels: 应为一级指标到二级指标列表的映射"),
        ({"levels": {"产出指标": "数量指标"}}, "profile.levels.产出指标: 应为名称的列表"),
        ({"levels": {"产出指标": [""]}}, "非空的名称"),
        ({"required": ["财务指标"]}, "不是 profile.levels 中的一级指标"),
        ({"aliases": ["可持续发展指标"]}, "profile.aliases: 应为“别名: 所指名称”的映射"),
        ({"aliases": {"可持续发展指标": ""}}, "别名和所指名称都应是非空的名称"),
        ({"severity": {"W999": "info"}}, "'W999' 不是检查代码"),
        ({"severity": {"W103": "fatal"}}, "'fatal' 不是级别"),
        ({"severity": {"E001": "off"}}, "不能更改"),
        ({"disable": "W103, W124"}, "不是检查代码"),
        ({"disable": {"W103": True}}, "应为代码的列表"),
        ({"ignore": {"project": "x"}}, "应为 {project, codes, reason} 各项的列表"),
        ({"ignore": [{"project": "x", "codes": ["I161"]}]}, "请在 reason 中写明为何忽略"),
        ({"ignore": [{"codes": ["I161"], "reason": "r"}]}, "project 应写预算项目"),
        ({"ignore": [{"project": "x", "reason": "r", "why": 1}]}, "未知的键 'why'"),
    ],
)
def test_bad_profiles_raise_one_clear_sentence(data, words):
    with pytest.raises(ProfileError) as e:
        Profile.from_dict(data)
    msg = str(e.value)
    assert words in msg
    assert not msg.endswith((".", "。")) and "\n" not in msg
    assert isinstance(e.value, ValueError)


def test_every_code_has_a_default_severity():
    assert set(CODES.values()) <= {"error", "warning", "info"}
    for code, sev in CODES.items():
        assert code[0] == {"error": "E", "warning": "W", "info": "I"}[sev]


def test_profile_from_round_trip_yaml():
    from ruamel.yaml import YAML

    text = """\
profile:
  weight_total: 100
  severity: {W103: info, I161: off}   # off is a word in YAML 1.2, false in 1.1
  disable: [W141]
  aliases:
    维稳指标: 社会效益指标
  ignore:
  - project: 135001-大竹县司法局/执法证工本费
    codes: [I161]
    reason: 省厅承担部分工本费
"""
    data = YAML().load(text)["profile"]
    p = Profile.from_dict(data)
    assert p.severity_of("W103") == "info"
    assert p.severity_of("I161") is None and p.severity_of("W141") is None
    assert p.alias("维稳指标") == "社会效益"
    assert p.ignores[0].reason == "省厅承担部分工本费"
    assert Profile.from_dict({"severity": {"W103": False}}).severity_of("W103") is None

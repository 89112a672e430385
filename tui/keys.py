"""Every action of the editor in one table: the key bindings, the F1 help and the ctrl+p palette
are all made from it, so they cannot disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command:
    action: str  # the screen's action name (action_<name>)
    keys: str  # Textual key names, comma separated
    label: str  # short, for the footer and the palette
    help: str  # one sentence, for F1, the palette and the tooltip
    footer: bool = False  # shown in the footer
    display: str | None = None  # how the key is written in the footer/help


MAIN_COMMANDS: tuple[Command, ...] = (
    Command("save", "ctrl+s", "保存", "保存当前项目（只改动变化的行）", True, "^s"),
    Command("undo", "ctrl+z", "撤销", "撤销上一步修改", False, "^z"),
    Command("redo", "ctrl+y", "重做", "重做刚撤销的修改", False, "^y"),
    Command(
        "copy",
        "ctrl+c",
        "复制",
        "复制当前单元格，或 shift+↑/↓ 选中的行（在 # 列上：本行；制表符分隔）到剪贴板（经终端 OSC 52）",
        False,
        "^c",
    ),
    Command("filter", "ctrl+f", "筛选", "按名称筛选左侧项目列表（边输入边筛选）", False, "^f"),
    Command(
        "add_row",
        "insert",
        "新增行",
        "在当前行下方新增一行指标（沿用一级/二级指标和指标性质）",
        True,
        "Ins",
    ),
    Command("duplicate_row", "f4", "复制行", "复制当前行，插在它下面", False, "F4"),
    Command("delete_row", "delete", "删除行", "删除当前行（先确认）", False, "Del"),
    Command("move_up", "ctrl+up,alt+up", "上移", "把当前行上移一行", False, "^↑ / alt+↑"),
    Command("move_down", "ctrl+down,alt+down", "下移", "把当前行下移一行", False, "^↓ / alt+↓"),
    Command("edit_header", "ctrl+e", "表头", "编辑表头字段、资金来源和年度目标", True, "^e"),
    Command("focus_table", "ctrl+t", "指标表", "回到指标表", False, "^t"),
    Command(
        "focus_projects", "ctrl+l", "项目列表", "跳到左侧项目列表（隐藏时先显示）", False, "^l"
    ),
    Command("focus_findings", "ctrl+w", "问题", "跳到问题列表；Enter 跳到对应单元格", False, "^w"),
    Command("changes", "ctrl+g", "改动", "查看当前项目相对 git HEAD 的改动", True, "^g"),
    Command(
        "new_project",
        "ctrl+n",
        "新建项目",
        "按模板新建项目（含四个一级指标），立即写入文件",
        False,
        "^n",
    ),
    Command(
        "rename_project",
        "ctrl+r",
        "改名",
        "修改预算项目名称：立即保存，文件随之移动（不能撤销，可再次改名）",
        False,
        "^r",
    ),
    Command(
        "delete_project",
        "ctrl+d",
        "删除项目",
        "删除当前项目的文件（先确认；git 中仍有它的历史）",
        False,
        "^d",
    ),
    Command("toggle_projects", "f2", "项目列表", "显示或隐藏左侧项目列表", True, "F2"),
    Command("toggle_header", "f3", "表头", "表头收起为一行或展开", False, "F3"),
    Command("reload", "f5", "重新载入", "丢弃未保存的修改，从磁盘重新载入", False, "F5"),
    Command(
        "switch_view",
        "f6",
        "批复/监控/自评",
        "在当前项目的批复表、绩效监控和绩效自评之间切换（自评显示得分、总分和等级）",
        True,
        "F6",
    ),
)

APP_COMMANDS: tuple[Command, ...] = (
    Command("help", "f1", "帮助", "显示所有按键", True, "F1"),
    Command("command_palette", "ctrl+p", "命令", "打开命令面板", False, "^p"),
    Command("quit", "ctrl+q", "退出", "退出（有未保存的修改时先询问）", True, "^q"),
)

# The app's commands the main screen's footer shows first, in this order: the footer cuts the
# last keys off in a narrow terminal, and how to quit and where the help is must always show.
FOOTER_FIRST = ("quit", "help")

EDITOR_KEYS: tuple[tuple[str, str], ...] = (
    ("任何字符", "在单元格上直接输入（数字、字母、汉字、符号）：开始编辑，新内容从输入的字开始"),
    ("Enter", "在单元格上：开始编辑；编辑中：确认并移到下一行"),
    ("Tab / shift+Tab", "编辑中：确认并移到右边 / 左边的单元格；在表中：右移 / 左移"),
    ("Esc", "取消编辑（恢复原值）"),
    ("shift+↑ / shift+↓", "在表中：选中多行（^c 复制为制表符分隔的行，可粘贴到电子表格）"),
    ("↑ / ↓", "编辑一级指标、二级指标、指标性质时：在可选值之间切换"),
    ("→", "接受输入框中灰色的补全建议"),
    ("^s", "编辑年度目标时：确认并保存（Enter 换行）"),
)


def bindings(commands: tuple[Command, ...], priority: bool = False) -> list[Binding]:
    return [
        Binding(
            c.keys,
            c.action,
            c.label,
            show=c.footer,
            key_display=c.display,
            tooltip=c.help,
            id=f"jixiao.{c.action}",
            priority=priority,
        )
        for c in commands
    ]

"""The git settings a workspace needs: attributes (cloned) and drivers (repository config,
not cloned, which is why `jixiao init` run again in a fresh clone sets them up).

- Exported `.txt` sheets stay byte-exact (`-text`) and diff through `jixiao textconv`, as do
  workbooks (.xlsx/.xlsm/.xls), which textconv reads too.
- Project files, jixiao.yaml and the import history (jixiao-imports.yaml) merge through
  `jixiao merge-file` (store/workspace/mergedriver.py).

Each driver runs the jixiao that ran `init`, by its absolute path (store/git/installed.py): a
terminal where the environment is not activated merges the same way. Git appends the files'
names itself, quoted (`%P` is shell-quoted by git; %O %A %B are its own temporary names).
Where that program is gone, textconv says so and shows the raw text, and the merge driver
says so and leaves the file conflicted (never a silent line merge).

Written in one go: the settings are read with one `git config --list`, and jixiao's own go
to `.git/jixiao.config` (written here, in git's config format), which `.git/config`
includes: one `git config` the first time, none after. A value the user set themselves (a
textconv pointing elsewhere, their own pull.rebase) is kept: ours is left out of the file.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from ..disk import atomic
from . import git
from .installed import FIX, command, shell_words

_MERGE_COMMENT = (
    "# 项目文件、jixiao.yaml 和导入记录（jixiao-imports.yaml）经 jixiao merge-file 按字段合并。\n"
)
ATTRIBUTES = (
    "# 导出的表须逐字节保持原样：不转换换行符。git diff 经 jixiao textconv（jixiao init\n"
    "# 所设）把它们和工作簿显示为易读的文字。\n",
    "*.txt -text diff=jixiao\n",
    "*.xlsx -text diff=jixiao\n",
    "*.xlsm -text diff=jixiao\n",
    "*.xls -text diff=jixiao\n",
    _MERGE_COMMENT,
    "/store/**/*.yaml merge=jixiao\n",
    "/jixiao.yaml merge=jixiao\n",
    "/jixiao-imports.yaml merge=jixiao\n",
)
_TEXTCONV_MARK = "jixiao-textconv"  # marks a textconv jixiao wrote
_OURS = "jixiao-merge"  # marks a merge driver jixiao wrote
OWN_FILE = "jixiao.config"  # beside the repository's config, included from it


def _missing(words: list[str]) -> str:
    return f"jixiao: 找不到 jixiao 程序 {words[0] or 'jixiao'}"


def textconv(words: list[str]) -> str:
    """The textconv command: the program's `textconv FILE`, or, where it is gone, a
    sentence and the raw text (a `git log -p` never fails for want of jixiao)."""
    say = shlex.quote(f"{_missing(words)}，显示原文；{FIX}")
    script = (
        f'if [ -x {shlex.quote(words[0])} ]; then exec {shell_words(words)} textconv "$1"; fi; '
        f'printf "%s\\n" {say} >&2; exec cat "$1"'
    )
    return f"sh -c {shlex.quote(script)} {_TEXTCONV_MARK}"


def merge_driver(words: list[str]) -> str:
    """The merge driver: the program's `merge-file`, or, where it is gone, a sentence naming
    the file and the fix, and exit 1: git leaves the file conflicted (our side in it)."""
    before = shlex.quote(f"{_missing(words)}，")
    after = shlex.quote(f" 没有按字段合并，留作冲突；{FIX}，再 git merge --abort 后重新合并")
    script = (
        f"if [ -x {shlex.quote(words[0])} ]; then "
        f'exec {shell_words(words)} merge-file "$1" "$2" "$3" "$4"; fi; '
        f'printf "%s%s%s\\n" {before} "$4" {after} >&2; exit 1'
    )
    return f"sh -c {shlex.quote(script)} {_OURS} %O %A %B %P"


def wanted(words: list[str]) -> dict[str, str]:
    """Every setting jixiao keeps in the repository's config, for the program `words`."""
    return {
        "core.quotepath": "false",
        "diff.jixiao.textconv": textconv(words),
        "diff.jixiao.xfuncname": "^== .* ==$",
        "merge.jixiao.name": "jixiao: 按字段合并项目文件",
        "merge.jixiao.driver": merge_driver(words),
        # A plain `git pull` merges (the merge driver is what makes that safe) instead of
        # stopping at git's "divergent branches".
        "pull.rebase": "false",
    }


# Keys whose value the user may have chosen: theirs is kept unless jixiao wrote it.
_MARKS = {
    "diff.jixiao.textconv": _TEXTCONV_MARK,
    "merge.jixiao.driver": _OURS,
    "pull.rebase": None,
}


def configure(directory: Path, top: Path | None = None) -> None:
    """Bring the repository config a workspace needs up to date (see the module's
    docstring): one `git config --list`, our file, and the include the first time. `top`
    is the repository's top folder (git names config files relative to it)."""
    top = top or git.toplevel(directory) or directory
    entries = read_config(top)
    local = next((origin for scope, origin, _, _ in entries if scope == "local"), None)
    if local is None:
        proc = git.run(["rev-parse", "--git-common-dir"], top)
        config = top / proc.stdout.decode().strip() / "config"
    else:
        config = top / local
    directory = top
    own = config.parent / OWN_FILE
    theirs: dict[str, str] = {}
    stale: set[str] = set()
    included = False
    for scope, origin, key, value in entries:
        from_own = origin != "" and _same_file(directory / origin, own)
        mark = _MARKS.get(key)
        if key == "include.path" and scope == "local" and value == OWN_FILE:
            included = True
        elif scope == "local" and not from_own and mark and mark in value:
            stale.add(key)  # written into .git/config by an older jixiao: ours replaces it
        elif not from_own:
            theirs[key] = value
    for key in sorted(stale):  # once, on the first init after an upgrade
        git.run(["config", "--local", "--unset-all", key], directory, check=False)
    words = command() or [""]
    values = {}
    for key, value in wanted(words).items():
        if key in _MARKS and key in theirs:
            mark = _MARKS[key]
            if mark is None or mark not in theirs[key]:
                continue  # the user's own choice
        values[key] = value
    text = render(values)
    try:
        current = own.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    if current != text:
        atomic.write(own, text.encode("utf-8"), make_dirs=False, mode=0o644)
    if not included:
        git.run(["config", "--local", "--add", "include.path", OWN_FILE], directory)


def _same_file(a: Path, b: Path) -> bool:
    return os.path.normpath(os.path.abspath(a)) == os.path.normpath(os.path.abspath(b))


def read_config(directory: Path) -> list[tuple[str, str, str, str]]:
    """Every setting git sees here, in one process: (scope, origin file, key, value)."""
    proc = git.run(["config", "--list", "--show-scope", "--show-origin", "-z"], directory)
    fields = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    out = []
    for k in range(0, len(fields) - 2, 3):
        scope, origin, item = fields[k], fields[k + 1], fields[k + 2]
        key, _, value = item.partition("\n")
        out.append((scope, origin.removeprefix("file:"), key, value))
    return out


def _quote(value: str) -> str:
    """A value in git's config syntax: always in double quotes, \\ \" and newlines escaped."""
    escaped = (
        value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
        .replace("\b", "\\b")
    )
    return f'"{escaped}"'


def render(values: dict[str, str]) -> str:
    """`values` ({"section.sub.name": value}) as the text of a git config file."""
    sections: dict[tuple[str, str | None], list[tuple[str, str]]] = {}
    for key, value in values.items():
        section, _, rest = key.partition(".")
        sub, _, name = rest.rpartition(".")
        sections.setdefault((section, sub or None), []).append((name, value))
    lines = [
        "# jixiao init 写的 git 设置，由本仓库的 config 以 include.path 引入；",
        "# 重新运行 jixiao init 会改写这个文件（要改某项，在 git config 里设你自己的值）。",
    ]
    for (section, sub), items in sections.items():
        if sub is None:
            lines.append(f"[{section}]")
        else:
            quoted = sub.replace("\\", "\\\\").replace('"', '\\"')
            lines.append(f'[{section} "{quoted}"]')
        lines += [f"\t{name} = {_quote(value)}" for name, value in items]
    return "\n".join(lines) + "\n"


IGNORE = ("# jixiao 本机的缓存、锁和写入计划：不提交\n", "/.jixiao-cache/\n")


def gitignore(existing: bytes | None) -> bytes | None:
    """.gitignore with .jixiao-cache/ listed (None: it is there already). The folder also
    ignores itself (store/disk/ignored.py); this line says so to a person reading .gitignore."""
    if existing is not None:
        have = {
            line.strip().strip("/") for line in existing.decode("utf-8", "replace").splitlines()
        }
        if ".jixiao-cache" in have:
            return None
    existing = existing or b""
    sep = b"" if existing.endswith(b"\n") or not existing else b"\n"
    return existing + sep + "".join(IGNORE).encode("utf-8")


def attributes(existing: bytes | None) -> bytes | None:
    """.gitattributes with every line jixiao needs (None: nothing to add)."""
    if existing is None:
        return "".join(ATTRIBUTES).encode("utf-8")
    have = {line.strip() for line in existing.decode("utf-8", "replace").splitlines()}
    missing = [line for line in ATTRIBUTES if not line.startswith("#") and line.strip() not in have]
    # An older workspace may route a pattern with a line of its own (say `*.txt diff=jixiao`).
    routed = {
        words[0]
        for words in (line.split() for line in have)
        if len(words) > 1 and "diff=jixiao" in words[1:]
    }
    missing = [line for line in missing if line.split()[0] not in routed]
    if not missing:
        return None
    merges = [line for line in missing if "merge=jixiao" in line]
    if merges:
        missing = [line for line in missing if line not in merges] + [_MERGE_COMMENT, *merges]
    sep = b"" if existing.endswith(b"\n") or not existing else b"\n"
    return existing + sep + "".join(missing).encode("utf-8")

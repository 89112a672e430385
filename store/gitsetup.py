"""The git settings a workspace needs: attributes (cloned) and drivers (repository config,
not cloned, which is why `jixiao init` run again in a fresh clone sets them up).

- Exported `.txt` sheets stay byte-exact (`-text`) and diff through `jixiao textconv`, as do
  workbooks (.xlsx/.xlsm/.xls), which textconv reads too.
- Project files, jixiao.yaml and the import history (jixiao-imports.yaml) merge through
  `jixiao merge-file` (store/mergedriver.py).

No driver command holds a path: git appends the files' names itself, quoted (`%P` is
shell-quoted by git; %O %A %B are its own temporary names). Where `jixiao` is not on PATH,
each driver falls back to what git would do without it (the raw text; `git merge-file`),
so a diff or a merge never fails for want of jixiao.
"""

from __future__ import annotations

from pathlib import Path

from . import git

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
TEXTCONV = (
    'sh -c \'if command -v jixiao >/dev/null 2>&1; then exec jixiao textconv "$1"; '
    'else exec cat "$1"; fi\' jixiao-textconv'
)
MERGE_DRIVER = (
    "sh -c 'if command -v jixiao >/dev/null 2>&1; "
    'then exec jixiao merge-file "$1" "$2" "$3" "$4"; '
    'else exec git merge-file -L 我方 -L 共同祖先 -L 对方 "$2" "$1" "$3"; fi\' '
    "jixiao-merge %O %A %B %P"
)
# Set where missing. An existing textconv is kept (say one pointing into a virtualenv); a
# merge driver jixiao wrote earlier is brought up to date.
CONFIG = {
    "diff.jixiao.textconv": TEXTCONV,
    "diff.jixiao.xfuncname": "^== .* ==$",
    "merge.jixiao.name": "jixiao: 按字段合并项目文件",
    "merge.jixiao.driver": MERGE_DRIVER,
}
_OURS = "jixiao-merge"  # marks a merge driver jixiao wrote


def configure(directory: Path) -> None:
    """Set the repository config a workspace needs (quotepath off, the two drivers)."""
    git.set_config(directory, "core.quotepath", "false")
    for key, value in CONFIG.items():
        current = git.get_config(directory, key)
        if current is None or (key == "merge.jixiao.driver" and _OURS in current):
            if current != value:
                git.set_config(directory, key, value)


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

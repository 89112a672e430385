"""`jixiao hook pre-receive`: the server refuses a push whose new tip brings new errors.

    refused, lines = judge_push(repo, sys.stdin.read())   # lines for the pusher (stderr)

Git runs a pre-receive hook in the bare repository with one `old new ref` line per pushed ref
on stdin (githooks(5)); the new objects are readable, the refs not yet moved. Each ref is
judged by its net change, the new tip against:
- the old tip, for an existing branch;
- where it leaves the existing branches, for a new branch (the boundary of
  `git rev-list new --not --all`), or the empty tree when it shares no history with them.
Only the project files that differ (renames followed) are read, from git objects alone (one
`git diff-tree`, one `git cat-file --batch`): no work tree, nothing of the pushed tree is
ever run or imported. An error at the tip whose identity (store.forge_identity: file, code,
indicator names, field) is not among the old side's errors is new; any new error refuses
the push. Deleted refs, tags and other non-branch refs, and refs whose tip has no
jixiao.yaml are let through. Warnings and notes never refuse; new ones are printed.

Each refusing line starts with `GL-HOOK-ERR: `, which GitLab shows in its interface; every
server shows it to the pusher as `remote: GL-HOOK-ERR: …`.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..disk.files import YAML_LIMIT
from ..errors import JixiaoError, WorkspaceError
from ..printable import one_line
from ..projectfile.yamlfile import load_data
from ..rules.profile import Profile, ProfileError
from ..workspace.checking import Report, check_project, parse_input
from ..workspace.settings import SETTINGS
from ..workspace.workspace import STORE, is_project_path
from .identity import fingerprints

PREFIX = "GL-HOOK-ERR: "
MAX_NOTES = 20  # new warnings and notes shown to the pusher (errors are always all shown)
_ZERO = frozenset("0")


def _git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=repo, input=data, capture_output=True)
    except FileNotFoundError:
        raise WorkspaceError("没有安装 git；jixiao 用 git 保存工作区") from None
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkspaceError(f"git {args[0]} 失败：{msg[-1] if msg else proc.returncode}")
    return proc.stdout


def _blobs(repo: Path, ids: Iterable[str]) -> dict[str, bytes | None]:
    """Blobs by object id, in one `git cat-file --batch` (None: too big to be a project)."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    sizes = _git(repo, "cat-file", "--batch-check", data="".join(i + "\n" for i in wanted).encode())
    small = []
    for line in sizes.decode().splitlines():
        oid, kind, size = (line.split() + ["", ""])[:3]
        if kind == "blob" and int(size) <= YAML_LIMIT:
            small.append(oid)
    out: dict[str, bytes | None] = dict.fromkeys(wanted)
    data = _git(repo, "cat-file", "--batch", data="".join(i + "\n" for i in small).encode())
    pos = 0
    for oid in small:
        end = data.index(b"\n", pos)
        size = int(data[pos:end].split()[2])
        out[oid] = data[end + 1 : end + 1 + size]
        pos = end + 1 + size + 1
    return out


@dataclass
class Change:
    """One project file that differs between the two sides (old side: None when new)."""

    path: str
    new_blob: str
    old_path: str | None = None
    old_blob: str | None = None


def changed_projects(repo: Path, base: str, tip: str) -> list[Change]:
    """Project files added, changed or renamed from `base` to `tip` (deletions left out)."""
    raw = _git(repo, "diff-tree", "-r", "-z", "-M", "--raw", base, tip, "--", f"{STORE}/")
    parts = raw.decode("utf-8", "surrogateescape").split("\0")
    out: list[Change] = []
    k = 0
    while k < len(parts) - 1:
        meta = parts[k].split()
        if not meta:
            k += 1
            continue
        old_blob, new_blob, status = meta[2], meta[3], meta[4]
        if status[0] in "RC":
            old_path, path = parts[k + 1], parts[k + 2]
            k += 3
        else:
            old_path = path = parts[k + 1]
            k += 2
        if status[0] == "D" or not is_project_path(path):
            continue
        if status[0] == "A" or set(old_blob) <= _ZERO:
            out.append(Change(path, new_blob))
        else:
            out.append(Change(path, new_blob, old_path, old_blob))
    return out


def _bases(repo: Path, tip: str) -> list[str]:
    """Where a new branch leaves the existing ones: the boundary commits of
    `git rev-list --boundary tip --not --all`; the empty tree when it shares no history;
    [] when every commit is already on a branch (nothing new to judge)."""
    out = _git(repo, "rev-list", "--boundary", tip, "--not", "--all").decode().split()
    new = [c for c in out if not c.startswith("-")]
    if not new:
        return []
    bounds = [c[1:] for c in out if c.startswith("-")]
    return bounds or [_empty_tree(repo)]


def _empty_tree(repo: Path) -> str:
    return _git(repo, "hash-object", "-t", "tree", "--stdin", data=b"").decode().strip()


def _profile(repo: Path, tip: str) -> Profile | None:
    """The rules at the tip (jixiao.yaml), or None when the tip is no jixiao workspace."""
    ls = _git(repo, "ls-tree", "-z", tip, "--", SETTINGS).decode()
    if not ls:
        return None
    oid = ls.split()[2]
    data = _blobs(repo, [oid]).get(oid)
    if data is None:
        raise ProfileError(f"{SETTINGS}: 文件过大")
    try:
        settings = load_data(data.decode("utf-8"), SETTINGS) or {}
    except UnicodeDecodeError:
        raise ProfileError(f"{SETTINGS}:1: 不是 UTF-8 文本") from None
    if not isinstance(settings, dict):
        raise ProfileError(f"{SETTINGS}:1: 应为各项设置的映射（profile: …）")
    try:
        return Profile.from_dict(settings.get("profile") or None)
    except ProfileError as e:
        raise ProfileError(f"{SETTINGS}: {e}") from None


def _reports(path: str, data: bytes | None, profile: Profile) -> tuple[list[Report], str | None]:
    """The findings of one file's bytes, named `path`, and its text (for the fingerprints)."""
    if data is None:
        data = b""
        big = Report("E001", "error", path, 1, path, None, "文件过大，不是项目文件")
        return [big], None
    item = parse_input(path, data)
    return check_project(item, profile), item.read_text()


@dataclass
class Verdict:
    """What the gate found for one ref."""

    ref: str
    new_errors: list[Report] = field(default_factory=list)
    new_other: list[Report] = field(default_factory=list)  # warnings and notes: never refuse
    checked: int = 0


def judge_ref(repo: Path, old: str, new: str, ref: str) -> Verdict | None:
    """The new findings one pushed ref brings; None for what is never judged."""
    if set(new) <= _ZERO or not ref.startswith("refs/heads/"):
        return None  # a deletion, a tag, a note, …
    profile = _profile(repo, new)
    if profile is None:
        return None
    bases = [old] if not set(old) <= _ZERO else _bases(repo, new)
    verdict = Verdict(ref)
    changes: dict[str, list[Change]] = {}
    for base in bases:
        for c in changed_projects(repo, base, new):
            changes.setdefault(c.path, []).append(c)
    if not changes:
        return verdict
    ids = [c.new_blob for cs in changes.values() for c in cs[:1]]
    ids += [c.old_blob for cs in changes.values() for c in cs if c.old_blob]
    blobs = _blobs(repo, ids)
    for path, cs in changes.items():
        now, text = _reports(path, blobs.get(cs[0].new_blob), profile)
        before: set[str] = set()
        for c in cs:
            if c.old_blob is None:
                continue
            was, was_text = _reports(c.path, blobs.get(c.old_blob), profile)  # named as now
            before |= set(fingerprints(was, lambda _rel, t=was_text: t))
        prints = fingerprints(now, lambda _rel, t=text: t)
        for r, fp in zip(now, prints, strict=True):
            if fp in before:
                continue
            (verdict.new_errors if r.severity == "error" else verdict.new_other).append(r)
    verdict.checked = len(changes)
    return verdict


def parse_updates(text: str) -> list[tuple[str, str, str]]:
    """githooks(5)'s `<old-value> SP <new-value> SP <ref-name> LF` lines."""
    out = []
    for line in text.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3:
            out.append((parts[0], parts[1], parts[2]))
    return out


def _line(r: Report) -> str:
    return one_line(f"{r.file}:{r.line}: {r.code} {r.message}")


def judge_push(repo: Path, stdin: str) -> tuple[bool, list[str]]:
    """Whether the push is refused, and the lines to show the pusher."""
    lines: list[str] = []
    refused = False
    for old, new, ref in parse_updates(stdin):
        try:
            verdict = judge_ref(repo, old, new, ref)
        except (JixiaoError, ProfileError) as e:
            refused = True
            lines.append(PREFIX + one_line(f"{ref}: {e}"))
            continue
        if verdict is None:
            continue
        name = one_line(ref.removeprefix("refs/heads/"))
        for r in verdict.new_errors:
            lines.append(PREFIX + _line(r))
        shown = verdict.new_other[:MAX_NOTES]
        lines += ["jixiao: " + _line(r) for r in shown]
        if len(verdict.new_other) > len(shown):
            more = len(verdict.new_other) - len(shown)
            lines.append(f"jixiao: 另有 {more} 条新的警告或提示未列出（不影响推送）")
        if verdict.new_errors:
            refused = True
            lines.append(
                f"{PREFIX}jixiao 拒绝推送到 {name}：带来 {len(verdict.new_errors)} 个新错误；"
                "请修正后再推送（jixiao check --explain 代码 说明改法）"
            )
    return refused, lines

"""The workspace: a folder with jixiao.yaml and store/<单位信息>/<预算项目>.yaml, in git."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..disk import files
from ..disk.oserrors import cannot_read, cannot_read_detail
from ..disk.pending import pending
from ..errors import (
    ConflictError,
    ConflictMarkersError,
    JixiaoError,
    ProjectFileError,
    WorkspaceError,
)
from ..projectfile import projectsize
from ..rules.profile import Profile
from ..sheet.model import Sheet, SheetLayout
from .settings import DEFAULT_SETTINGS, SETTINGS, Settings

# The importer (tab and workbook readers, the merge, the new-file writer), the round-trip
# writer and the export are imported by the methods that use them: a command that only reads
# (`check X`, `list`) starts ~25 ms sooner without them.

STORE = "store"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_MAX_NAME = 80  # characters: names up to here keep the file names they always had
# File names are limited in bytes (255 on every Linux file system), not characters: 79 汉字
# are 237 bytes. Room is left for ".yaml" and for the temp name a write uses beside the file
# (".<name>.<8 hex>.tmp", 14 bytes more).
NAME_MAX = 255
_MAX_NAME_BYTES = NAME_MAX - len(".yaml") - 14


_MARKED = re.compile(r"~[0-9a-f]{8}$")


def safe_name(text: str) -> str:
    """A file-system-safe name for a 单位信息 or 预算项目: never a path, never hidden, never
    too long, and one name's alone. A name kept as it is stays as it is; a name cut short or
    changed (`/` made `_`, spaces trimmed) ends in `~` and a hash of the whole name, so
    `甲/乙` and `甲_乙`, or two long names alike in their first 80 characters, never share a
    file. The whole name is kept in the file itself."""
    name = _UNSAFE.sub("_", text).strip().rstrip(".")
    if not name or name.startswith("."):
        name = "_" + name
    if (
        name == text
        and len(name) <= _MAX_NAME
        and len(name.encode("utf-8", "surrogatepass")) <= _MAX_NAME_BYTES
        and not _MARKED.search(name)  # only a changed name may end like a hashed one
    ):
        return name
    mark = "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    head = name[: _MAX_NAME - len(mark)].encode("utf-8", "surrogatepass")
    head = head[: _MAX_NAME_BYTES - len(mark)].decode("utf-8", "ignore").rstrip(". ")
    return (head or "_") + mark


def legacy_name(text: str) -> str:
    """The name a store made before names were unique (a cut without a hash at 80
    characters, a changed name without one): files with it keep working."""
    name = _UNSAFE.sub("_", text).strip().rstrip(".")
    if not name or name.startswith("."):
        name = "_" + name
    name = name[:_MAX_NAME]
    data = name.encode("utf-8", "surrogatepass")
    if len(data) <= _MAX_NAME_BYTES:
        return name
    mark = "~" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    head = data[: _MAX_NAME_BYTES - len(mark)].decode("utf-8", "ignore").rstrip(". ")
    return head + mark


@dataclass(frozen=True, slots=True)
class ProjectRef:
    """A project file in the store."""

    root: Path
    rel: str  # posix path relative to the workspace root: store/<unit>/<name>.yaml

    @property
    def path(self) -> Path:
        return self.root / self.rel

    @property
    def unit_dir(self) -> str:
        return self.rel.split("/")[1]

    @property
    def name(self) -> str:
        return self.rel.rsplit("/", 1)[1].removesuffix(".yaml")


class Workspace:
    """A workspace folder: finding it, its project files, loading and saving them.

    Settings live in store/workspace/settings.py, importing in store/workspace/importer.py, the export's layout
    choice in store/tab/export.py, and making, moving and renaming files in store/workspace/projects.py.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.store = self.root / STORE
        self.settings = Settings(self.root)
        # Before anything else: finish or undo what a killed jixiao left half written.
        self.recovered: list[str] = []
        if pending(self.root):  # a listdir; the transaction machinery only when needed
            from ..disk import transaction

            self.recovered = transaction.recover(self.root)

    # ------------------------------------------------------------------ finding, creating

    @classmethod
    def find(cls, start: Path) -> Workspace:
        start = start.resolve()
        for d in (start, *start.parents):
            if (d / SETTINGS).is_file():
                return cls(d)
        raise WorkspaceError(
            f"{start}: 不在 jixiao 工作区内（此处及上级文件夹都没有 {SETTINGS}）；"
            "请先运行 jixiao init，或用 -C 目录 指定工作区"
        )

    @classmethod
    def init(cls, directory: Path, in_existing_repo: bool = False) -> Workspace:
        """A new workspace, or, where one exists, its git settings brought up to date (the
        repository config is not cloned, so `jixiao init` in a fresh clone sets it up).

        The workspace is a repository of its own: a folder that is not the top of one
        becomes one, unless it lies inside another repository (say jixiao's own source
        checkout), which is used only when `in_existing_repo` says so (or the workspace
        was made there before); otherwise WorkspaceError says so."""
        from ..disk import transaction
        from ..git import git, gitsetup

        if git.inside_git_dir(directory):
            raise WorkspaceError(
                f"{directory}: 在裸 git 仓库（或 .git 文件夹）里，不能在这里建工作区；"
                "请在普通文件夹里运行 jixiao init，或 git clone 这个仓库后在克隆里运行"
            )
        here = directory
        while not here.is_dir() and here != here.parent:
            here = here.parent
        top = git.toplevel(here)
        inside = top is not None and top.resolve() != directory.resolve()
        if inside and not in_existing_repo and not (directory / SETTINGS).is_file():
            raise WorkspaceError(
                f"{directory}: 在另一个 git 仓库 {top} 之内；在这里建工作区会把它和它的钩子、"
                "合并设置放进那个仓库。请换到仓库之外的文件夹（如 cd ~ && jixiao init 2024），"
                "或确要放进那个仓库时加 --in-repo"
            )
        directory.mkdir(parents=True, exist_ok=True)
        notes = transaction.recover(directory)
        if top is None:
            git.init(directory)
            top = directory
        gitsetup.configure(directory, top)
        (directory / STORE).mkdir(exist_ok=True)
        changes: list[transaction.Change] = []
        with transaction.locked(directory):
            if not (directory / SETTINGS).exists():
                changes.append(
                    transaction.Change(directory / SETTINGS, DEFAULT_SETTINGS.encode(), None)
                )
            attrs = directory / ".gitattributes"
            data = attrs.read_bytes() if attrs.exists() else None
            wanted = gitsetup.attributes(data)
            if wanted is not None:
                changes.append(transaction.Change(attrs, wanted, transaction.digest(data)))
            ignore = directory / ".gitignore"
            data = ignore.read_bytes() if ignore.exists() else None
            wanted = gitsetup.gitignore(data)
            if wanted is not None:
                changes.append(transaction.Change(ignore, wanted, transaction.digest(data)))
            transaction.commit(directory, changes, "init")
        ws = cls(directory)
        ws.recovered = notes + ws.recovered
        return ws

    def profile(self) -> Profile:
        """The rules profile of jixiao.yaml; a bad one is one sentence naming the file."""
        return self.settings.profile()

    def profile_data(self) -> dict:
        return self.settings.profile_data()

    # ------------------------------------------------------------------ projects

    def relpath(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def project_ref(self, sheet: Sheet) -> ProjectRef:
        rel = f"{STORE}/{safe_name(sheet.unit)}/{safe_name(sheet.project)}.yaml"
        ref = ProjectRef(self.root, rel)
        old = self._legacy_ref(sheet, ref)
        if old is not None:
            ref = old
        # realpath, not Path.resolve(): a symlink loop is a path like any other here (3.11's
        # resolve() raises RuntimeError on one); reading it later says what is wrong.
        real = Path(os.path.realpath(ref.path))
        if not real.is_relative_to(os.path.realpath(self.store)):
            raise WorkspaceError(f"{sheet.project!r}: 会写到 {STORE}/ 之外，不写入")
        return ref

    def _legacy_ref(self, sheet: Sheet, ref: ProjectRef) -> ProjectRef | None:
        """The file a store made for this sheet before names were unique, if it is there
        and holds this very project (a file of another project is never taken for it)."""
        rel = f"{STORE}/{legacy_name(sheet.unit)}/{legacy_name(sheet.project)}.yaml"
        if rel == ref.rel or os.path.lexists(ref.path):
            return None
        old = ProjectRef(self.root, rel)
        if not old.path.is_file():
            return None
        try:
            held = self.load(old)
        except (JixiaoError, OSError):
            return None
        return old if (held.unit, held.project) == (sheet.unit, sheet.project) else None

    def projects(self) -> list[ProjectRef]:
        """Every project file, in import order; projects never imported come last by path."""
        if not self.store.is_dir():
            return []
        rels = sorted(_project_rels(self.store))
        order = self.settings.import_order()
        known = set(rels)
        first = [r for r in order if r in known]
        placed = set(first)
        return [ProjectRef(self.root, r) for r in first + [r for r in rels if r not in placed]]

    def resolve(self, spec: str, cwd: Path | None = None) -> ProjectRef:
        """A project by 预算项目 name, unit/name, or path to its YAML file (relative to `cwd`)."""
        p = Path(spec)
        if not p.is_absolute() and cwd is not None:
            p = cwd / p
        if spec.endswith(".yaml") and p.exists():
            path = p.resolve()
            if not path.is_relative_to(self.store):
                raise WorkspaceError(f"{spec}: 不是 {self.store} 下的项目文件")
            return ProjectRef(self.root, self.relpath(path))
        refs = self.projects()
        hits = self._named(refs, spec, safe_name)
        if not hits:  # a file an older jixiao named (see legacy_name)
            hits = self._named(refs, spec, legacy_name)
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise WorkspaceError(f"{spec}: {STORE}/ 中没有这个项目（可用 jixiao list 查看）")
        units = "、".join(r.unit_dir for r in hits)
        raise WorkspaceError(f"{spec}: 有多个项目叫这个名字（{units}）；请写 单位信息/预算项目")

    @staticmethod
    def _named(refs: list[ProjectRef], spec: str, naming: Callable[[str], str]) -> list[ProjectRef]:
        # A 预算项目 may itself hold '/' (its file name has '_' there): `a/b` is unit/name
        # or a name, whichever finds a project.
        hits = [r for r in refs if r.name == naming(spec)]
        if "/" in spec:
            unit, _, name = spec.rpartition("/")
            hits += [
                r
                for r in refs
                if r.name == naming(name) and unit in (r.unit_dir, r.unit_dir.split("-")[0])
            ]
        return list(dict.fromkeys(hits))

    def read_text(self, ref: ProjectRef) -> str:
        from ..projectfile import (
            yamlfile,  # a warm command (the per-file cache) never loads ruamel.yaml
        )

        try:
            data = files.read_regular(ref.path, files.PROJECT_LIMIT, ref.rel)
        except OSError as e:
            raise ProjectFileError(ref.rel, cannot_read_detail(e)) from None
        except files.FileKindError as e:
            raise ProjectFileError(e.path, e.detail) from None
        return yamlfile.project_text(data, ref.rel)

    def load(self, ref: ProjectRef) -> Sheet:
        return load_text(self.read_text(ref), ref.rel)

    def disk_text(self, ref: ProjectRef) -> str | None:
        """What the file holds now (None: no file), for telling whether it changed. Bytes that
        are not UTF-8 come back replaced, so they differ from any text we loaded."""
        try:
            data = files.read_regular(ref.path, files.PROJECT_LIMIT, ref.rel)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise ConflictError(cannot_read(ref.rel, e)) from None
        except files.FileKindError as e:
            raise ConflictError(str(e)) from None
        return data.decode("utf-8", errors="replace")

    def save(
        self,
        ref: ProjectRef,
        sheet: Sheet,
        base_text: str | None,
        overwrite: bool = False,
        document: str | None = None,
    ) -> str:
        """Write `sheet` over the file, editing the text it was loaded from in place.

        `base_text` is the file's text when it was loaded (None for a new file); if the file
        on disk no longer holds it, nothing is written and ConflictError says so. With
        `overwrite` (the person chose to replace what is on disk) the file on disk is the
        document edited, or, where it is not readable YAML, a fresh one. `document` is the
        text to edit when it is not `base_text` (a file with merge conflicts: one side).
        """
        from ..disk import transaction
        from ..projectfile import yamlsave  # only the commands that write

        with transaction.locked(self.root):
            data = self.disk_bytes(ref)
            on_disk = None if data is None else data.decode("utf-8", errors="replace")
            if overwrite:
                base_text = on_disk
            elif on_disk != base_text:
                raise ConflictError(f"{ref.rel}: 打开后已在磁盘上被改动，未保存")
            try:
                text = yamlsave.dumps(sheet, base_text if document is None else document)
            except ProjectFileError:
                if not overwrite:
                    raise
                text = yamlsave.dumps(sheet)
            self.write_checked(ref, text, transaction.digest(data))
        return text

    def disk_bytes(self, ref: ProjectRef) -> bytes | None:
        """The file's bytes now (None: no file); `transaction.digest` of them is what
        `write_checked` compares."""
        try:
            return files.read_regular(ref.path, files.PROJECT_LIMIT, ref.rel)
        except FileNotFoundError:
            return None
        except OSError as e:
            raise ConflictError(cannot_read(ref.rel, e)) from None

    def write_checked(self, ref: ProjectRef, text: str, expected: str | None) -> None:
        """Write `text` as the file of `ref`, atomically and under the workspace lock, if the
        file still has the digest `expected` (`transaction.digest` of the bytes it was read
        from; None: it must not exist yet). Otherwise ChangedOnDisk (its `actual` digest
        says what is there now) and nothing is written: read the file again, merge, retry."""
        from ..disk import transaction  # only the commands that write or ask git load them

        data = text.encode("utf-8")
        projectsize.check_bytes(ref.rel, data)
        change = transaction.Change(ref.path, data, expected)
        transaction.commit(self.root, [change], "save")

    # ------------------------------------------------------------------ import

    def uncommitted(self) -> set[str]:
        """Workspace-relative paths that differ from git HEAD (untracked included)."""
        from ..git import git  # only the commands that write or ask git load them

        top = git.toplevel(self.root)
        if top is None:
            return set()
        prefix = self.root.relative_to(top.resolve()).as_posix()
        paths = git.changed_files(top)
        if prefix == ".":
            return set(paths)
        return {p.removeprefix(prefix + "/") for p in paths if p.startswith(prefix + "/")}

    # ------------------------------------------------------------------ export

    def export(self, sheets: list[Sheet]) -> bytes:
        """The official tab file for these sheets, in this order (store/tab/export.py)."""
        from ..tab.export import export

        return export(sheets, self.common_layout)

    def common_layout(self) -> SheetLayout:
        """The workspace's most common sheet layout (for projects that have none)."""
        from ..tab.export import most_common_layout

        layouts = []
        for ref in self.projects()[:200]:
            try:
                layouts.append(self.load(ref).layout)
            except JixiaoError:
                continue
        return most_common_layout(x for x in layouts if x.recorded) or SheetLayout()


def load_text(text: str, where: str) -> Sheet:
    """The sheet in a project file's text; a file a merge left conflicted raises
    ConflictedFileError naming each conflict in the form's words (the merge engine reads the
    two sides, so it is imported only then)."""
    from ..projectfile import (
        yamlfile,  # a warm command (the per-file cache) never loads ruamel.yaml
    )

    try:
        return yamlfile.loads(text, where)
    except ConflictMarkersError:
        from ..merge.mergetext import load_project

        return load_project(text, where)


def is_project_path(rel: str) -> bool:
    """THE rule for what is a project file: store/<unit>/<name>.yaml, neither part hidden.

    `check`, the pre-commit hook, `list`, `diff` and the editor all go by it; any other file
    under store/ is not read, and `check` reports it (W003)."""
    parts = rel.split("/")
    return (
        not _NOT_UTF8.search(rel)
        and len(parts) == 3
        and parts[0] == STORE
        and not parts[1].startswith(".")
        and parts[2].endswith(".yaml")
        and not parts[2].startswith(".")
    )


# A name the OS gave that is not UTF-8 holds its bytes as lone surrogates (surrogateescape):
# never a project file (its name could not be written into jixiao.yaml, the cache or JSON);
# `check` reports it (W003), and output shows its bytes as \xNN.
_NOT_UTF8 = re.compile(r"[\ud800-\udfff]")


def is_utf8_name(rel: str) -> bool:
    """Whether a path the OS gave is text (its bytes were UTF-8)."""
    return not _NOT_UTF8.search(rel)


def _project_rels(store: Path) -> list[str]:
    """'store/<unit>/<name>.yaml' for every project file (is_project_path, without building a
    Path per file: thousands of projects are listed on every command)."""
    rels: list[str] = []
    with os.scandir(store) as units:
        for unit in units:
            if not unit.is_dir() or unit.name[0] == ".":
                continue
            prefix = f"{STORE}/{unit.name}/"
            rels.extend(
                [prefix + n for n in os.listdir(unit.path) if n.endswith(".yaml") and n[0] != "."]
            )
    return [r for r in rels if not _NOT_UTF8.search(r)]


def stray_files(store: Path) -> list[str]:
    """Every file under store/ that is not a project file (workspace-relative, sorted)."""
    out: list[str] = []
    if not store.is_dir():
        return out
    for folder, dirs, names in os.walk(store):
        rel_dir = Path(folder).relative_to(store.parent).as_posix()
        dirs.sort()
        for n in names:
            rel = f"{rel_dir}/{n}"
            if not is_project_path(rel):
                out.append(rel)
    return sorted(out)

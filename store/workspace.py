"""The workspace: a folder with jixiao.yaml and store/<单位信息>/<预算项目>.yaml, in git."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from . import atomic, git, tabfile, yamlfile
from .cache import ProjectCache, sheet_digest
from .errors import JixiaoError, ProjectFileError, WorkspaceError
from .model import FileLayout, Sheet, SheetLayout
from .profile import Profile, ProfileError

SETTINGS = "jixiao.yaml"
STORE = "store"
GITATTRIBUTES = """\
# Exported sheets must stay byte-exact: no line-ending conversion. `git diff` shows them
# as readable text through `jixiao textconv` (set up by `jixiao init`).
*.txt -text diff=jixiao
"""
# The diff driver for exported sheets; kept if the repository already sets them.
# textconv falls back to the raw file where jixiao is not on PATH, so `git diff` always works.
TEXTCONV = (
    'sh -c \'if command -v jixiao >/dev/null 2>&1; then exec jixiao textconv "$1"; '
    'else exec cat "$1"; fi\' jixiao-textconv'
)
DIFF_DRIVER = {"diff.jixiao.textconv": TEXTCONV, "diff.jixiao.xfuncname": "^== .* ==$"}
DEFAULT_SETTINGS = """\
# jixiao workspace settings.
# profile: the rules `jixiao check` applies (weight total, vocabulary, codes switched off);
# see `jixiao check --explain CODE`.
profile: {}
# imports: what `jixiao import` read, in order; `jixiao export` with no project follows it.
imports: []
"""

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
_MAX_NAME = 80


def safe_name(text: str) -> str:
    """A file-system-safe name for a 单位信息 or 预算项目: never a path, never hidden."""
    name = _UNSAFE.sub("_", text).strip().rstrip(".")
    if not name or name.startswith("."):
        name = "_" + name
    return name[:_MAX_NAME]


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


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    sheets: int = 0
    changes: dict[str, tuple[Sheet | None, Sheet]] = field(default_factory=dict)


class ConflictError(JixiaoError):
    """The file changed on disk since it was loaded."""


Progress = Callable[[int, int], None]


def _rt() -> YAML:
    y = YAML(typ="rt")
    y.width = 1 << 30
    y.allow_unicode = True
    y.indent(mapping=2, sequence=2, offset=0)
    return y


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.store = self.root / STORE
        self._settings: dict[str, Any] | None = None
        self._light: tuple[dict[str, Any], list[str]] | None = None

    # ------------------------------------------------------------------ finding, creating

    @classmethod
    def find(cls, start: Path) -> Workspace:
        start = start.resolve()
        for d in (start, *start.parents):
            if (d / SETTINGS).is_file():
                return cls(d)
        raise WorkspaceError(
            f"{start}: not inside a jixiao workspace (no {SETTINGS} here or above); "
            "run `jixiao init` first or use -C DIR"
        )

    @classmethod
    def init(cls, directory: Path) -> Workspace:
        """A new workspace, or, where one exists, its git settings brought up to date (the
        repository config is not cloned, so `jixiao init` in a fresh clone sets it up)."""
        directory.mkdir(parents=True, exist_ok=True)
        top = git.toplevel(directory)
        if top is None:
            git.init(directory)
            top = directory
        git.set_config(directory, "core.quotepath", "false")
        for key, value in DIFF_DRIVER.items():
            if git.get_config(directory, key) is None:
                git.set_config(directory, key, value)
        (directory / STORE).mkdir(exist_ok=True)
        files: dict[Path, bytes] = {}
        if not (directory / SETTINGS).exists():
            files[directory / SETTINGS] = DEFAULT_SETTINGS.encode()
        attrs = directory / ".gitattributes"
        if not attrs.exists():
            files[attrs] = GITATTRIBUTES.encode()
        else:
            data = attrs.read_bytes()
            if b"diff=jixiao" not in data:
                sep = b"" if data.endswith(b"\n") or not data else b"\n"
                files[attrs] = data + sep + b"*.txt -text diff=jixiao\n"
        if files:
            atomic.write_all(files)
        return cls(directory)

    # ------------------------------------------------------------------ settings

    def settings(self) -> dict[str, Any]:
        if self._settings is None:
            self._settings = self._parse_settings(None)
        return self._settings

    def _parse_settings(self, data: bytes | None) -> dict[str, Any]:
        path = self.root / SETTINGS
        if data is None:
            try:
                data = path.read_bytes()
            except OSError as e:
                raise WorkspaceError(f"{path}: cannot be read ({e.strerror})") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise WorkspaceError(f"{path}:1: not UTF-8 text") from None
        settings = yamlfile.load_data(text, str(path))
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            raise WorkspaceError(f"{path}:1: expected settings as a mapping (profile: …)")
        for key, kind in (("profile", dict), ("imports", list)):
            if settings.get(key) is not None and not isinstance(settings[key], kind):
                what = "a mapping" if kind is dict else "a list"
                raise WorkspaceError(f"{path}: {key} should be {what}")
        return settings

    def _digest(self) -> tuple[dict[str, Any], list[str]]:
        """jixiao.yaml without its `imports`, and the import order they give; from the cache
        while the file is unchanged (`imports` lists thousands of paths: parsing them on every
        start costs more than everything else the project list needs)."""
        if self._light is None:
            self._light = self._load_digest()
        return self._light

    def _load_digest(self) -> tuple[dict[str, Any], list[str]]:
        cache = ProjectCache(self.root, "settings")
        probe = None
        if self._settings is None:
            probe = cache.lookup(SETTINGS, self.root / SETTINGS)
            entry = probe.entry
            if entry is not None and isinstance(entry.get("rest"), dict):
                if isinstance(entry.get("order"), list):
                    cache.save()  # its stat, refreshed
                    return entry["rest"], entry["order"]
            self._settings = self._parse_settings(probe.data)
        rest = {k: v for k, v in self._settings.items() if k != "imports"}
        order = _import_order(self._settings)
        if probe is not None and _json_exact(rest) and _json_exact(order):
            cache.put(probe, rest=rest, order=order)
            cache.save()
        return rest, order

    def profile(self) -> Profile:
        """The rules profile of jixiao.yaml; a bad one is one sentence naming the file."""
        try:
            return Profile.from_dict(self.profile_data() or None)
        except ProfileError as e:
            raise ProfileError(f"{SETTINGS}: {e}") from None

    def profile_data(self) -> dict[str, Any]:
        return self._digest()[0].get("profile") or {}

    # ------------------------------------------------------------------ projects

    def relpath(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def project_ref(self, sheet: Sheet) -> ProjectRef:
        rel = f"{STORE}/{safe_name(sheet.unit)}/{safe_name(sheet.project)}.yaml"
        ref = ProjectRef(self.root, rel)
        if not ref.path.resolve().is_relative_to(self.store.resolve()):
            raise WorkspaceError(f"{sheet.project!r}: would be written outside {STORE}/")
        return ref

    def projects(self) -> list[ProjectRef]:
        """Every project file, in import order; projects never imported come last by path."""
        if not self.store.is_dir():
            return []
        rels = sorted(_project_rels(self.store))
        order = self._import_order()
        known = set(rels)
        first = [r for r in order if r in known]
        placed = set(first)
        return [ProjectRef(self.root, r) for r in first + [r for r in rels if r not in placed]]

    def _import_order(self) -> list[str]:
        """Each project at the place of its most recent import."""
        return self._digest()[1]

    def resolve(self, spec: str, cwd: Path | None = None) -> ProjectRef:
        """A project by 预算项目 name, unit/name, or path to its YAML file (relative to `cwd`)."""
        p = Path(spec)
        if not p.is_absolute() and cwd is not None:
            p = cwd / p
        if spec.endswith(".yaml") and p.exists():
            path = p.resolve()
            if not path.is_relative_to(self.store):
                raise WorkspaceError(f"{spec}: not a project file under {self.store}")
            return ProjectRef(self.root, self.relpath(path))
        refs = self.projects()
        # A 预算项目 may itself hold '/' (its file name has '_' there): `a/b` is unit/name
        # or a name, whichever finds a project.
        hits = [r for r in refs if r.name == safe_name(spec)]
        if "/" in spec:
            unit, _, name = spec.rpartition("/")
            hits += [
                r
                for r in refs
                if r.name == safe_name(name) and unit in (r.unit_dir, r.unit_dir.split("-")[0])
            ]
            hits = list(dict.fromkeys(hits))
        if len(hits) == 1:
            return hits[0]
        if not hits:
            raise WorkspaceError(f"{spec}: no such project in {STORE}/ (try `jixiao list`)")
        units = ", ".join(r.unit_dir for r in hits)
        raise WorkspaceError(
            f"{spec}: more than one project has this name ({units}); use unit/name"
        )

    def read_text(self, ref: ProjectRef) -> str:
        try:
            return ref.path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ProjectFileError(f"{ref.rel}:1: not UTF-8 text") from None
        except OSError as e:
            raise ProjectFileError(f"{ref.rel}: cannot be read ({e.strerror})") from None

    def load(self, ref: ProjectRef) -> Sheet:
        return yamlfile.loads(self.read_text(ref), ref.rel)

    def disk_text(self, ref: ProjectRef) -> str | None:
        """What the file holds now (None: no file), for telling whether it changed. Bytes that
        are not UTF-8 come back replaced, so they differ from any text we loaded."""
        try:
            return ref.path.read_bytes().decode("utf-8", errors="replace")
        except FileNotFoundError:
            return None
        except OSError as e:
            raise ConflictError(f"{ref.rel}: cannot be read ({e.strerror})") from None

    def save(
        self, ref: ProjectRef, sheet: Sheet, base_text: str | None, overwrite: bool = False
    ) -> str:
        """Write `sheet` over the file, editing the text it was loaded from in place.

        `base_text` is the file's text when it was loaded (None for a new file); if the file
        on disk no longer holds it, nothing is written and ConflictError says so. With
        `overwrite` (the person chose to replace what is on disk) the file on disk is the
        document edited, or, where it is not readable YAML, a fresh one.
        """
        on_disk = self.disk_text(ref)
        if overwrite:
            base_text = on_disk
        elif on_disk != base_text:
            raise ConflictError(f"{ref.rel}: changed on disk since it was opened")
        try:
            text = yamlfile.dumps(sheet, base_text)
        except ProjectFileError:
            if not overwrite:
                raise
            text = yamlfile.dumps(sheet)
        atomic.write(ref.path, text.encode("utf-8"))
        return text

    def move(self, ref: ProjectRef, target: ProjectRef, text: str) -> None:
        """Write `text` as the project file `target` and remove `ref`, keeping the project's
        place in the import order (its path is renamed in jixiao.yaml's `imports`).

        The new file and jixiao.yaml are written together before the old file goes, so an
        interruption leaves both files, never neither.
        """
        writes = {target.path: text.encode("utf-8")}
        settings = self._settings_renamed(ref.rel, target.rel)
        if settings is not None:
            writes[self.root / SETTINGS] = settings
        target.path.parent.mkdir(parents=True, exist_ok=True)
        atomic.write_all(writes)
        self._settings = None
        self._light = None
        if target != ref:
            ref.path.unlink(missing_ok=True)
            try:
                ref.path.parent.rmdir()  # the unit's folder, if that was its last project
            except OSError:
                pass

    def _settings_renamed(self, old: str, new: str) -> bytes | None:
        """jixiao.yaml with `old` renamed to `new` in every import record (None: not listed)."""
        records = self.settings().get("imports") or []
        if old == new or not any(
            isinstance(r, dict) and old in (r.get("sheets") or []) for r in records
        ):
            return None
        path = self.root / SETTINGS
        y = _rt()
        doc = y.load(path.read_text(encoding="utf-8"))
        for rec in doc.get("imports") or []:
            sheets = rec.get("sheets") if isinstance(rec, dict) else None
            if isinstance(sheets, list):
                for k, rel in enumerate(sheets):
                    if rel == old:
                        sheets[k] = new
        buf = io.StringIO()
        y.dump(doc, buf)
        return buf.getvalue().encode("utf-8")

    # ------------------------------------------------------------------ import

    def uncommitted(self) -> set[str]:
        """Workspace-relative paths that differ from git HEAD (untracked included)."""
        top = git.toplevel(self.root)
        if top is None:
            return set()
        prefix = self.root.relative_to(top.resolve()).as_posix()
        paths = git.changed_files(top)
        if prefix == ".":
            return set(paths)
        return {p.removeprefix(prefix + "/") for p in paths if p.startswith(prefix + "/")}

    def import_files(
        self, paths: Iterable[Path], progress: Progress | None = None, force: bool = False
    ) -> ImportReport:
        """Every sheet of every file into the store, or nothing at all.

        An import never overwrites a project file with changes not committed to git (a
        person's edit would be lost) unless `force` is given.
        """
        parsed: list[tuple[Path, bytes, list[Sheet]]] = []
        for path in dict.fromkeys(p.resolve() for p in paths):  # the same file once
            try:
                data = path.read_bytes()
            except OSError as e:
                raise WorkspaceError(f"{path}: cannot be read ({e.strerror})") from None
            sheets, _ = tabfile.parse(data, str(path))
            parsed.append((path, data, sheets))
        total = sum(len(s) for _, _, s in parsed)
        report = ImportReport(sheets=total)
        cache = ProjectCache(self.root)
        writes: dict[Path, bytes] = {}
        written: dict[str, Sheet] = {}  # rel -> the sheet its staged bytes were made from
        targets: dict[str, tuple[Path, int]] = {}
        new_records: list[dict[str, Any]] = []
        done = 0
        for path, data, sheets in parsed:
            rels: list[str] = []
            for k, sheet in enumerate(sheets, 1):
                ref = self.project_ref(sheet)
                if ref.rel in targets and targets[ref.rel][0] == path:
                    raise WorkspaceError(
                        f"{path}, sheet {k}: the same 单位信息 and 预算项目 as sheet "
                        f"{targets[ref.rel][1]} ({sheet.unit} / {sheet.project})"
                    )
                targets[ref.rel] = (path, k)
                rels.append(ref.rel)
                before = writes.get(ref.path)
                self._stage_sheet(ref, sheet, writes, report, cache)
                if writes.get(ref.path) is not before:
                    written[ref.rel] = sheet
                done += 1
                if progress:
                    progress(done, total)
            record = {"file": path.name, "sha256": hashlib.sha256(data).hexdigest(), "sheets": rels}
            new_records.append(record)
        if not force:
            self._refuse_over_uncommitted(report.updated)
        settings_bytes = self._settings_with(new_records)
        if settings_bytes is not None:
            writes[self.root / SETTINGS] = settings_bytes
        if writes:
            atomic.write_all(writes)
            self._settings = self._light = None
            for rel, sheet in written.items():
                path = self.root / rel
                cache.record_written(rel, path, writes[path], digest=sheet_digest(sheet))
        cache.save()
        return report

    def _refuse_over_uncommitted(self, updated: list[str]) -> None:
        if not updated:
            return
        dirty = [rel for rel in updated if rel in self.uncommitted()]
        if dirty:
            more = f" (and {len(dirty) - 1} more)" if len(dirty) > 1 else ""
            raise WorkspaceError(
                f"{dirty[0]}{more}: has changes not committed to git that this import would "
                "overwrite; commit them first, or import with --force"
            )

    def _stage_sheet(
        self,
        ref: ProjectRef,
        sheet: Sheet,
        writes: dict,
        report: ImportReport,
        cache: ProjectCache,
    ) -> None:
        staged = writes.get(ref.path)
        old_text = staged.decode() if staged is not None else None
        probe = None
        if old_text is None:
            # Unchanged since the cache saw it, and the same sheet: nothing to parse or write.
            probe = cache.lookup(ref.rel, ref.path)
            digest = sheet_digest(sheet)
            if probe.entry is not None and probe.entry.get("digest") == digest:
                if ref.rel not in report.unchanged:
                    report.unchanged.append(ref.rel)
                return
            if probe.data is not None:
                old_text = project_text(probe.data, ref.rel)
        if old_text is None and ref.path.exists():
            old_text = self.read_text(ref)
        if old_text is None:
            writes[ref.path] = yamlfile.dumps(sheet).encode("utf-8")
            report.created.append(ref.rel)
            report.changes[ref.rel] = (None, sheet)
            return
        try:
            old = yamlfile.loads(old_text, ref.rel)
        except ProjectFileError as e:
            raise ProjectFileError(f"{e}; fix or restore it before importing") from None
        if staged is None and (old.unit, old.project) != (sheet.unit, sheet.project):
            raise WorkspaceError(
                f"{ref.rel}: holds {old.unit} / {old.project}, but the sheet "
                f"{sheet.unit} / {sheet.project} maps to the same file name (the names differ "
                "only in characters a file name cannot hold); rename one of the projects"
            )
        if same_sheet(old, sheet):
            if ref.rel not in report.created + report.updated:
                report.unchanged.append(ref.rel)
            if probe is not None:
                cache.put(probe, digest=sheet_digest(sheet))
            return
        writes[ref.path] = yamlfile.dumps(sheet, old_text).encode("utf-8")
        if ref.rel in report.unchanged:
            report.unchanged.remove(ref.rel)
        if ref.rel not in report.created + report.updated:
            report.updated.append(ref.rel)
            report.changes[ref.rel] = (old, sheet)

    def _settings_with(self, records: list[dict[str, Any]]) -> bytes | None:
        existing = self.settings().get("imports") or []
        known = {
            (r.get("sha256"), tuple(r.get("sheets") or [])) for r in existing if isinstance(r, dict)
        }
        fresh = [r for r in records if (r["sha256"], tuple(r["sheets"])) not in known]
        if not fresh:
            return None
        path = self.root / SETTINGS
        y = _rt()
        doc = y.load(path.read_text(encoding="utf-8")) or CommentedMap()
        seq = doc.get("imports")
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            doc["imports"] = seq
        for r in fresh:
            item = CommentedMap(
                file=r["file"], sha256=r["sha256"], sheets=CommentedSeq(r["sheets"])
            )
            seq.append(item)
        seq.fa.set_block_style()
        buf = io.StringIO()
        y.dump(doc, buf)
        return buf.getvalue().encode("utf-8")

    # ------------------------------------------------------------------ export

    def export(self, sheets: list[Sheet]) -> bytes:
        """The official tab file for these sheets, in this order."""
        common = _most_common_layout(s.layout for s in sheets if s.layout.recorded)
        if common is None:
            common = self.common_layout()
        for s in sheets:
            if not s.layout.recorded:
                s.layout = _sheet_defaults(common)
        files = Counter(_file_key(s.layout.file) for s in sheets)
        file = FileLayout(**dict(files.most_common(1)[0][0]))
        return tabfile.emit(sheets, file)

    def common_layout(self) -> SheetLayout:
        """The workspace's most common sheet layout (for projects that have none)."""
        layouts = []
        for ref in self.projects()[:200]:
            try:
                layouts.append(self.load(ref).layout)
            except JixiaoError:
                continue
        return _most_common_layout(x for x in layouts if x.recorded) or SheetLayout()


def _import_order(settings: dict[str, Any]) -> list[str]:
    records = settings.get("imports") or []
    pos: dict[str, tuple[int, int]] = {}
    for k, rec in enumerate(records):
        if isinstance(rec, dict):
            for j, rel in enumerate(rec.get("sheets") or []):
                pos[str(rel)] = (k, j)
    return sorted(pos, key=pos.__getitem__)


def _json_exact(data: Any) -> bool:
    """Whether `data` comes back from JSON as it is (no dates, no non-text keys)."""
    try:
        return json.loads(json.dumps(data, ensure_ascii=False)) == data
    except (TypeError, ValueError):
        return False


def _project_rels(store: Path) -> list[str]:
    """'store/<unit>/<name>.yaml' for every project file (what store.glob('*/*.yaml') finds,
    without building a Path per file: thousands of projects are listed on every command)."""
    rels: list[str] = []
    with os.scandir(store) as units:
        for unit in units:
            if not unit.is_dir():
                continue
            prefix = f"{STORE}/{unit.name}/"
            rels.extend(
                [prefix + n for n in os.listdir(unit.path) if n.endswith(".yaml") and n[0] != "."]
            )
    return rels


def project_text(data: bytes, rel: str) -> str:
    """A project file's bytes as text, the way read_text gives it (universal newlines)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProjectFileError(f"{rel}:1: not UTF-8 text") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def same_sheet(a: Sheet, b: Sheet) -> bool:
    """Values and layout equal (the dataclass == ignores layout)."""
    if a != b:
        return False
    if yamlfile.layout_to_data(a.layout) != yamlfile.layout_to_data(b.layout):
        return False
    return all(x.trivia == y.trivia for x, y in zip(a.indicators, b.indicators, strict=True))


def _file_key(f: FileLayout) -> tuple:
    return tuple(sorted(vars(f).items()))


def _sheet_key(layout: SheetLayout) -> tuple:
    return (
        layout.colon,
        layout.columns,
        layout.funding_column,
        layout.grouping,
        _file_key(layout.file),
    )


def _most_common_layout(layouts: Iterable[SheetLayout]) -> SheetLayout | None:
    counts: Counter[tuple] = Counter()
    sample: dict[tuple, SheetLayout] = {}
    for layout in layouts:
        key = _sheet_key(layout)
        counts[key] += 1
        sample.setdefault(key, layout)
    if not counts:
        return None
    return _sheet_defaults(sample[counts.most_common(1)[0][0]])


def _sheet_defaults(layout: SheetLayout) -> SheetLayout:
    """The named facts of a layout, without the cells peculiar to one sheet."""
    return SheetLayout(
        colon=layout.colon,
        columns=layout.columns,
        funding_column=layout.funding_column,
        grouping=layout.grouping,
        file=FileLayout(**vars(layout.file)),
    )

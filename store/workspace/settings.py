"""jixiao.yaml, a workspace's settings (the rules profile), and jixiao-imports.yaml, its
import history; read and rewritten.

Each import adds a record (the file's name, its sha256, the project files it wrote, in
order) to the history, which gives `export` its order and tells a re-import from a new one.
The records live in a file of their own so that jixiao.yaml stays a short file of settings
whose diff says what changed in them; the history merges like the settings did (by record,
store/workspace/mergesettings.py), so two people importing different files in two clones merge
cleanly. A workspace made before keeps the records its jixiao.yaml holds (`imports:`); they
count as older than any record in the history file.

Reading the history is dear once it lists thousands of paths, so what most commands need
(the settings, and the import order the records give) is kept in the local cache while the
files are unchanged. Rewrites go through ruamel.yaml's round-trip mode, so the comments a
person wrote survive.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..disk import files
from ..disk.cache import ProjectCache
from ..disk.oserrors import cannot_read
from ..errors import WorkspaceError
from ..rules.profile import Profile, ProfileError
from .names import HISTORY, SETTINGS

if TYPE_CHECKING:
    from ruamel.yaml import YAML

IMPORTS = "imports"
DEFAULT_SETTINGS = """\
# jixiao 工作区设置。
# profile：jixiao check 所用的规则（权重合计、用语、关闭的检查代码）；
# 各代码的含义见 jixiao check --explain 代码。导入记录在 jixiao-imports.yaml。
profile: {}
"""
DEFAULT_HISTORY = """\
# jixiao 的导入记录，由 jixiao import 追加，请勿手改。每条记录：导入的文件名（file）、
# 其内容的 sha256、写入的项目文件（sheets，按表中顺序）。不指定项目的 jixiao export
# 按记录的先后写出；同一文件再次导入时不再追加。两人各自导入后合并，记录会自动合在一起。
imports: []
"""


class Settings:
    """The settings file of the workspace at `root`; parsed on demand, at most once."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / SETTINGS
        self.history = root / HISTORY
        self._data: dict[str, Any] | None = None
        self._history: dict[str, Any] | None = None
        self._light: tuple[dict[str, Any], list[str]] | None = None
        self._from_cache = False  # whether _light came from the cache

    def forget(self) -> None:
        """The files were rewritten: read them again when next asked."""
        self._data = self._history = self._light = None

    # ------------------------------------------------------------------ reading

    def data(self) -> dict[str, Any]:
        """The whole of jixiao.yaml (a mapping)."""
        if self._data is None:
            self._data = self._parse(None)
        return self._data

    def history_data(self) -> dict[str, Any]:
        """The whole of jixiao-imports.yaml (a mapping; empty while there is no such file)."""
        if self._history is None:
            self._history = self._parse(None, self.history) if self.history.exists() else {}
        return self._history

    def records(self) -> list[Any]:
        """Every import record, oldest first: jixiao.yaml's own (a workspace made before the
        history had a file of its own), then the history's."""
        return [*(self.data().get(IMPORTS) or []), *(self.history_data().get(IMPORTS) or [])]

    def _parse(self, data: bytes | None, path: Path | None = None) -> dict[str, Any]:
        from ..projectfile import (
            yamlfile,  # a warm command (the per-file cache) never loads ruamel.yaml
        )

        path = path or self.path
        if data is None:
            try:
                data = files.read_regular(path, files.YAML_LIMIT)
            except OSError as e:
                raise WorkspaceError(cannot_read(path, e)) from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise WorkspaceError(f"{path}:1: 不是 UTF-8 文本") from None
        if "<<<<<<<" in text:
            _refuse_conflicted(text, path)
        settings = yamlfile.load_data(text, str(path))
        if settings is None:
            settings = {}
        if not isinstance(settings, dict):
            raise WorkspaceError(f"{path}:1: 应为各项设置的映射（profile: …）")
        for key, kind in (("profile", dict), ("imports", list)):
            if settings.get(key) is not None and not isinstance(settings[key], kind):
                what = "映射" if kind is dict else "列表"
                raise WorkspaceError(f"{path}: {key} 应为{what}")
        return settings

    def _digest(self) -> tuple[dict[str, Any], list[str]]:
        """The file without its `imports`, and the import order they give; from the cache
        while the file is unchanged (parsing thousands of import paths on every start costs
        more than everything else the project list needs)."""
        if self._light is None:
            self._light = self._load_digest()
        return self._light

    def _load_digest(self, trust_cache: bool = True) -> tuple[dict[str, Any], list[str]]:
        cache = ProjectCache(self.root, "settings")
        self._from_cache = False
        rest, older, from_cache = self._settings_digest(cache, trust_cache)
        newer = self._history_order(cache, trust_cache)
        self._from_cache = from_cache  # the profile's source: retried if it reads wrong
        cache.save()  # stats refreshed, facts learned
        if not newer:
            return rest, older
        # A path's place is that of its latest record: the history's come after jixiao.yaml's.
        again = set(newer)
        return rest, [rel for rel in older if rel not in again] + newer

    def _settings_digest(
        self, cache: ProjectCache, trust_cache: bool
    ) -> tuple[dict[str, Any], list[str], bool]:
        """jixiao.yaml without its records, the order they give, and whether from the cache."""
        probe = None
        if self._data is None:
            probe = cache.lookup(SETTINGS, self.path, files.YAML_LIMIT)
            cached = _cached_digest(probe.entry) if trust_cache else None
            if cached is not None:
                return (*cached, True)
            self._data = self._parse(probe.data)
        rest = {k: v for k, v in self._data.items() if k != IMPORTS}
        order = _import_order(self._data)
        if probe is not None and _json_exact(rest) and _json_exact(order):
            cache.put(probe, rest=rest, order=order)
        return rest, order, False

    def _history_order(self, cache: ProjectCache, trust_cache: bool) -> list[str]:
        """The order jixiao-imports.yaml's records give."""
        if not self.history.exists():
            return []
        probe = None
        if self._history is None:
            probe = cache.lookup(HISTORY, self.history)
            entry = probe.entry or {}
            order = entry.get("order")
            if trust_cache and type(order) is list and all(type(r) is str for r in order):
                return order
            self._history = self._parse(probe.data, self.history)
        order = _import_order(self._history)
        if probe is not None and _json_exact(order):
            cache.put(probe, order=order)
        return order

    def profile_data(self) -> dict[str, Any]:
        return self._digest()[0].get("profile") or {}

    def profile(self) -> Profile:
        """The rules profile; a bad one is one sentence naming the file."""
        try:
            return Profile.from_dict(self.profile_data() or None)
        except ProfileError as e:
            if self._light is not None and self._from_cache:
                # The cache may be what is wrong, not jixiao.yaml: ask the file itself.
                self._light = self._load_digest(trust_cache=False)
                return self.profile()
            raise ProfileError(f"{SETTINGS}: {e}") from None

    def import_order(self) -> list[str]:
        """Project paths, each at the place of its most recent import."""
        return self._digest()[1]

    # ------------------------------------------------------------------ rewriting

    def with_imports(self, records: list[dict[str, Any]]) -> bytes | None:
        """jixiao-imports.yaml with these import records appended (None: all of them are
        already recorded, here or in jixiao.yaml)."""
        from ..projectfile.safeyaml import round_trip  # only when jixiao's own files are written

        known = {
            (r.get("sha256"), tuple(r.get("sheets") or []))
            for r in self.records()
            if isinstance(r, dict)
        }
        fresh = [r for r in records if (r["sha256"], tuple(r["sheets"])) not in known]
        if not fresh:
            return None
        from ruamel.yaml.comments import CommentedMap, CommentedSeq  # only when writing

        y = round_trip()
        text = self.history.read_text(encoding="utf-8") if self.history.exists() else ""
        doc = y.load(text or DEFAULT_HISTORY) or CommentedMap()
        seq = doc.get(IMPORTS)
        if not isinstance(seq, CommentedSeq):
            seq = CommentedSeq()
            doc[IMPORTS] = seq
        for r in fresh:
            seq.append(
                CommentedMap(file=r["file"], sha256=r["sha256"], sheets=CommentedSeq(r["sheets"]))
            )
        seq.fa.set_block_style()
        return _dump(y, doc)

    def without(self, rel: str) -> list[tuple[Path, bytes]]:
        """Each file of records with `rel` gone from every import record (none: not listed).
        A record left with no project stays: it still says that file was imported."""

        def drop(sheets: list[Any]) -> None:
            while rel in sheets:
                sheets.remove(rel)

        return self._edit_sheets(rel, drop)

    def renamed(self, old: str, new: str) -> list[tuple[Path, bytes]]:
        """Each file of records with `old` renamed to `new` in every import record (none:
        not listed)."""
        if old == new:
            return []

        def rename(sheets: list[Any]) -> None:
            for k, rel in enumerate(sheets):
                if rel == old:
                    sheets[k] = new

        return self._edit_sheets(old, rename)

    def _edit_sheets(self, rel: str, edit: Callable[[list[Any]], None]) -> list[tuple[Path, bytes]]:
        """jixiao.yaml and jixiao-imports.yaml, those whose records name `rel`, with `edit`
        applied in place to the project list of each such record, so comments and layout
        survive."""
        from ..projectfile.safeyaml import round_trip  # only when jixiao's own files are written

        out = []
        for path, data in ((self.path, self.data()), (self.history, self.history_data())):
            records = data.get(IMPORTS) or []
            if not any(isinstance(r, dict) and rel in (r.get("sheets") or []) for r in records):
                continue
            y = round_trip()
            doc = y.load(path.read_text(encoding="utf-8"))
            for rec in doc.get(IMPORTS) or []:
                sheets = rec.get("sheets") if isinstance(rec, dict) else None
                if isinstance(sheets, list) and rel in sheets:
                    edit(sheets)
            out.append((path, _dump(y, doc)))
        return out


def _refuse_conflicted(text: str, path: Path) -> None:
    """A jixiao.yaml a merge left with conflict markers: one sentence naming the first."""
    from ..merge.mergetext import has_markers

    if has_markers(text):
        line = next(
            n for n, s in enumerate(text.splitlines(), 1) if s.startswith(("<<<<<<<", ">>>>>>>"))
        )
        raise WorkspaceError(
            f"{path}:{line}: 有未解决的合并冲突（<<<<<<< 我方 … >>>>>>> 对方）；保留要的一边，"
            "删除另一边和冲突标记，再 git add"
        )


def _dump(y: YAML, doc: Any) -> bytes:
    buf = io.StringIO()
    y.dump(doc, buf)
    return buf.getvalue().encode("utf-8")


def _cached_digest(entry: dict[str, Any] | None) -> tuple[dict[str, Any], list[str]] | None:
    """(rest, order) from a settings cache entry, if exactly in the shape _load_digest writes
    (anything else: read jixiao.yaml again)."""
    if entry is None:
        return None
    rest, order = entry.get("rest"), entry.get("order")
    if type(rest) is not dict or type(order) is not list:
        return None
    if not all(type(rel) is str for rel in order):
        return None
    if rest.get("profile") is not None and type(rest["profile"]) is not dict:
        return None
    return rest, order


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

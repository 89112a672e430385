"""Three-way merge of jixiao.yaml. Pure: no I/O.

    text, conflicts = merge_settings(base_text, ours_text, theirs_text)

Two people importing different files on two branches each append a record to `imports:`;
the records merge by file (the same file with the same content is one record), in order:
ours' order, with theirs' new records after the record they follow on theirs' side (after
ours' new ones, where both appended). `profile:` and any other key merge by key, like a
project's header. A key (or a record) both sides changed differently is a conflict: the file
then holds markers around the differing lines, as a conflicted project file does.

The text is ours' file edited in place (ruamel.yaml round trip), so its comments survive.
"""

from __future__ import annotations

import io
from collections import Counter
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..errors import WorkspaceError
from ..merge.merge import merge_order
from ..merge.mergetext import with_markers
from ..projectfile.safeyaml import round_trip
from ..projectfile.yamlfile import load_data

IMPORTS = "imports"
_GONE = object()  # a key or record not there on that side


def merge_settings(
    base_text: str | None, ours_text: str, theirs_text: str, where: str = "jixiao.yaml"
) -> tuple[str, list[str]]:
    """The merged text and the names of its conflicts ('profile/weight_total', 'imports/a.txt').

    A side that is not a readable settings mapping raises WorkspaceError (the caller then
    falls back to git's line merge).
    """
    if theirs_text in (base_text, ours_text):
        return ours_text, []
    if ours_text == base_text:
        return theirs_text, []
    base = _plain(base_text or "", f"{where} (base)")
    ours = _plain(ours_text, f"{where} (ours)")
    theirs = _plain(theirs_text, f"{where} (theirs)")
    conflicts: list[str] = []
    texts = []
    for theirs_wins in (False, True):
        y = round_trip()
        try:
            doc = y.load(ours_text)
            doc_t = y.load(theirs_text)
        except YAMLError:
            raise WorkspaceError(f"{where}: 不是可读的 YAML") from None
        if not isinstance(doc, CommentedMap):
            raise WorkspaceError(f"{where}: 应为各项设置的映射")
        found = _merge_doc(doc, doc_t, base, ours, theirs, theirs_wins)
        if not theirs_wins:
            conflicts = found
        buf = io.StringIO()
        y.dump(doc, buf)
        texts.append(buf.getvalue())
        if not conflicts:
            break
    if not conflicts:
        return texts[0], []
    return with_markers(texts[0], texts[1]), conflicts


def _plain(text: str, where: str) -> dict[str, Any]:
    data = load_data(text, where) if text.strip() else {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise WorkspaceError(f"{where}: 应为各项设置的映射（profile: …）")
    return data


def _merge_doc(
    doc: CommentedMap,
    doc_t: Any,
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    theirs_wins: bool,
) -> list[str]:
    """Bring `doc` (ours' document) to the merge; at a conflict keep ours unless
    `theirs_wins`. Returns the conflicts' names."""
    conflicts: list[str] = []
    for key in dict.fromkeys([*ours, *theirs, *base]):
        b, o, t = (side.get(key, _GONE) for side in (base, ours, theirs))
        if key == IMPORTS and all(isinstance(x, list) or x is _GONE for x in (b, o, t)):
            conflicts += _merge_imports(doc, doc_t, b, o, t, theirs_wins)
        elif key == "profile" and all(isinstance(x, dict) or x is _GONE for x in (b, o, t)):
            if not isinstance(doc.get(key), CommentedMap):
                doc[key] = CommentedMap()
            sub_t = doc_t.get(key) if isinstance(doc_t, dict) else None
            for k in dict.fromkeys([*_d(o), *_d(t), *_d(b)]):
                vb, vo, vt = (_d(x).get(k, _GONE) for x in (b, o, t))
                if _settle(doc[key], k, sub_t, vb, vo, vt, theirs_wins):
                    conflicts.append(f"{key}/{k}")
        elif _settle(doc, key, doc_t, b, o, t, theirs_wins):
            conflicts.append(str(key))
    return conflicts


def _d(x: Any) -> dict[str, Any]:
    return x if isinstance(x, dict) else {}


def _settle(doc: Any, key: Any, doc_t: Any, b: Any, o: Any, t: Any, theirs_wins: bool) -> bool:
    """One key merged three ways into doc; True if it is a conflict."""
    conflict = o != t and o != b and t != b
    if o == t or t == b or (conflict and not theirs_wins):
        return conflict
    if t is _GONE:
        doc.pop(key, None)
    else:
        doc[key] = doc_t[key] if isinstance(doc_t, dict) and key in doc_t else t
    return conflict


def _record_ids(records: Any) -> list[tuple[Any, ...]]:
    """A record's identity: its file and content (sha256), counted when repeated."""
    seen: Counter = Counter()
    out = []
    for r in records if isinstance(records, list) else []:
        key = (r.get("file"), r.get("sha256")) if isinstance(r, dict) else (repr(r), None)
        seen[key] += 1
        out.append((*key, seen[key]))
    return out


def _merge_imports(
    doc: CommentedMap, doc_t: Any, b: Any, o: Any, t: Any, theirs_wins: bool
) -> list[str]:
    b, o, t = (x if isinstance(x, list) else [] for x in (b, o, t))
    ids_b, ids_o, ids_t = _record_ids(b), _record_ids(o), _record_ids(t)
    of_b, of_o, of_t = (
        dict(zip(i, x, strict=True)) for i, x in ((ids_b, b), (ids_o, o), (ids_t, t))
    )
    seq_o = doc.get(IMPORTS)
    seq_t = doc_t.get(IMPORTS) if isinstance(doc_t, dict) else None
    node_o = dict(zip(ids_o, seq_o, strict=True)) if isinstance(seq_o, list) else {}
    node_t = dict(zip(ids_t, seq_t, strict=True)) if isinstance(seq_t, list) else {}
    conflicts: list[str] = []
    keep: dict[tuple, Any] = {}
    for x in dict.fromkeys([*ids_o, *ids_t]):
        rb, ro, rt = of_b.get(x, _GONE), of_o.get(x, _GONE), of_t.get(x, _GONE)
        conflict = ro != rt and ro != rb and rt != rb
        if conflict:
            conflicts.append(f"{IMPORTS}/{x[0]}")
        take_theirs = not (ro == rt or rt == rb or (conflict and not theirs_wins))
        chosen, node = (rt, node_t.get(x)) if take_theirs else (ro, node_o.get(x))
        if chosen is not _GONE:
            keep[x] = node if node is not None else chosen
    order = merge_order(ids_b, ids_o, ids_t, theirs_wins)
    seq = CommentedSeq([keep[x] for x in order if x in keep])
    if isinstance(seq_o, CommentedSeq) and not seq_o.fa.flow_style():
        seq.fa.set_block_style()
    if [_plain_record(r) for r in seq] != [_plain_record(r) for r in (seq_o or [])]:
        if seq:
            seq.fa.set_block_style()
        doc[IMPORTS] = seq
    return conflicts


def _plain_record(r: Any) -> Any:
    if isinstance(r, dict):
        return {k: list(v) if isinstance(v, list) else v for k, v in r.items()}
    return r

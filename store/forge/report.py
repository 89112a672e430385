"""`jixiao check` in the formats the forges read: GitLab Code Quality, SARIF 2.1.0, JUnit XML
and GitHub (and Gitea) Actions workflow commands.

    text = codequality(reports, prints, prefix)
    text = sarif(reports, prints, profile, prefix, version)
    text = junit(reports, files, profile, prefix)
    lines = github(reports, prefix)

`prints` are store.forge_identity fingerprints, one per report. `prefix` is the workspace's
folder inside the git repository ('' at its top, else 'budget/'): forges name files from the
repository's top. Every format holds every finding; none of them reads a message as markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from urllib.parse import quote
from xml.etree import ElementTree as ET

from ..errors import JixiaoError
from ..git import git
from ..printable import printable
from ..projectfile.yamlfile import project_text
from ..rules.explanations import EXPLAIN, explain
from ..rules.profile import CODES, Profile
from ..workspace.checking import Report
from ..workspace.workspace import ProjectRef, Workspace
from .identity import VERSION, fingerprints

# error / warning / info in each forge's words.
CODEQUALITY_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
GITHUB_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)


def codequality(reports: Sequence[Report], prints: Sequence[str], prefix: str = "") -> str:
    """GitLab's Code Quality report: a JSON array, one object per finding."""
    out = [
        {
            "description": f"{r.code} {r.message}",
            "check_name": r.code,
            "fingerprint": fp,
            "severity": CODEQUALITY_SEVERITY[r.severity],
            "categories": ["Style"] if r.severity != "error" else ["Bug Risk"],
            "location": {"path": prefix + r.file, "lines": {"begin": r.line}},
        }
        for r, fp in zip(reports, prints, strict=True)
    ]
    return json.dumps(out, ensure_ascii=False, indent=2)


def _rule(code: str, profile: Profile) -> dict:
    e = EXPLAIN[code]
    text = explain(code).strip()
    level = profile.severity_of(code)
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": e.title},
        "fullDescription": {"text": text},
        "help": {"text": text},
        "defaultConfiguration": {
            "level": SARIF_LEVEL[level] if level else "none",
            "enabled": level is not None,
        },
    }


def sarif(
    reports: Sequence[Report],
    prints: Sequence[str],
    profile: Profile,
    prefix: str = "",
    version: str = "",
) -> str:
    """A SARIF 2.1.0 log: one run, every rule in tool.driver.rules, one result per finding."""
    codes = list(CODES)
    index = {c: i for i, c in enumerate(codes)}
    results = [
        {
            "ruleId": r.code,
            "ruleIndex": index[r.code],
            "level": SARIF_LEVEL[r.severity],
            "message": {"text": r.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(prefix + r.file, safe="/")},
                        "region": {"startLine": r.line},
                    }
                }
            ],
            "partialFingerprints": {VERSION: fp},
        }
        for r, fp in zip(reports, prints, strict=True)
    ]
    driver: dict = {"name": "jixiao"}
    if version:
        driver["version"] = version
    driver["rules"] = [_rule(c, profile) for c in codes]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {"tool": {"driver": driver}, "results": results, "columnKind": "unicodeCodePoints"}
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def junit(
    reports: Sequence[Report], files: Iterable[str], profile: Profile, prefix: str = ""
) -> str:
    """JUnit XML: a test suite per project file (`files`, plus any other file a finding
    names), a test case per rule run on it, each finding a <failure> of its rule's case."""
    by_file: dict[str, list[Report]] = {f: [] for f in files}
    for r in reports:
        by_file.setdefault(r.file, []).append(r)
    rules = [
        c for c in CODES if profile.severity_of(c) is not None and c not in ("E001", "E002", "W003")
    ]
    root = ET.Element("testsuites", name="jixiao check")
    total = failed = 0
    for file, found in by_file.items():
        codes = list(rules)
        codes += [c for c in dict.fromkeys(r.code for r in found) if c not in codes]
        suite = ET.SubElement(root, "testsuite", name=printable(prefix + file))
        fails = 0
        for code in codes:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"{code} {EXPLAIN[code].title}",
                classname=printable(prefix + file),
            )
            hits = [r for r in found if r.code == code]
            for r in hits:
                message = printable(r.message)  # XML 1.0 cannot hold control characters at all
                failure = ET.SubElement(case, "failure", type=r.severity, message=message)
                failure.text = printable(f"{prefix}{r.file}:{r.line}: {r.code}") + f" {message}"
            fails += bool(hits)
        suite.set("tests", str(len(codes)))
        suite.set("failures", str(fails))
        suite.set("errors", "0")
        suite.set("skipped", "0")
        total += len(codes)
        failed += fails
    root.set("tests", str(total))
    root.set("failures", str(failed))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")


def escape_data(s: str) -> str:
    """A workflow command's message: % CR LF escaped as the runner unescapes them."""
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    """A workflow command's property value: as data, and ':' ',' too."""
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(reports: Iterable[Report], prefix: str = "") -> list[str]:
    """One `::error file=…,line=…,title=E101::…` line per finding."""
    return [
        f"::{GITHUB_COMMAND[r.severity]} file={escape_property(prefix + r.file)},"
        f"line={r.line},title={escape_property(r.code)}::{escape_data(r.message)}"
        for r in reports
    ]


# ---------------------------------------------------------------------- `jixiao check --format`

FORMATS = ("codequality", "sarif", "junit", "github")


def repository_prefix(ws: Workspace) -> str:
    """The workspace's folder inside its git repository, with a trailing '/' ('' at the top
    or outside git): forges name files from the repository's top."""
    top = git.toplevel(ws.root)
    if top is None:
        return ""
    rel = ws.root.resolve().relative_to(top.resolve()).as_posix()
    return "" if rel == "." else rel + "/"


def workspace_texts(ws: Workspace, staged: bool = False) -> Callable[[str], str | None]:
    """How the fingerprints read a file: from the working tree, or (`staged`) the index."""

    def read(rel: str) -> str | None:
        if staged:
            data = git.read_blobs(ws.root, "", [rel]).get(rel)
            if data is None:
                return None
            try:
                return project_text(data, rel)
            except JixiaoError:
                return None
        try:
            return ws.read_text(ProjectRef(ws.root, rel))
        except JixiaoError:
            return None

    return read


def render_check(
    fmt: str,
    reports: Sequence[Report],
    *,
    ws: Workspace,
    profile: Profile,
    files: Iterable[str],
    staged: bool = False,
    version: str = "",
) -> str:
    """The whole report in one of FORMATS (github: its lines, one per finding)."""
    prefix = repository_prefix(ws)
    if fmt == "github":
        return "".join(line + "\n" for line in github(reports, prefix))
    if fmt == "junit":
        return junit(reports, files, profile, prefix) + "\n"
    prints = fingerprints(reports, workspace_texts(ws, staged))
    if fmt == "codequality":
        return codequality(reports, prints, prefix) + "\n"
    if fmt == "sarif":
        return sarif(reports, prints, profile, prefix, version) + "\n"
    raise ValueError(fmt)

"""Every error that reaches the user as one clear sentence (the CLI prints it without a
traceback). All are JixiaoError; where a file and line are known they are fields, so callers
(check's E001, the editor) use them as data instead of parsing the message."""

from __future__ import annotations

from typing import Any


class JixiaoError(Exception):
    """A problem the user can fix; str(error) is the whole message."""


class TabFormatError(JixiaoError):
    """The official tab-delimited file could not be read."""


class WorkbookError(JixiaoError):
    """A workbook that cannot be read as sheets; names the file, worksheet and cell."""

    def __init__(self, message: str, worksheet: str | None = None, cell: str | None = None):
        super().__init__(message)
        self.worksheet = worksheet
        self.cell = cell


class ProjectFileError(JixiaoError):
    """A project YAML file could not be read.

    `file` is where it was read from (a workspace path, or `REV:path` at a revision), `line`
    its 1-based line when known, `detail` what is wrong there, and `path` the YAML path of the
    offending key (English names) until the line is looked up.
    """

    def __init__(
        self, file: str, detail: str, line: int | None = None, path: tuple | None = None
    ) -> None:
        self.file, self.detail, self.line, self.path = file, detail, line, path
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.detail}"

    def at(self, line: int) -> ProjectFileError:
        """The same error placed on a line."""
        return ProjectFileError(self.file, self.detail, line)

    def adding(self, more: str) -> ProjectFileError:
        """The same error with advice appended to its detail."""
        return ProjectFileError(self.file, f"{self.detail}{more}", self.line, self.path)


class ConflictMarkersError(ProjectFileError):
    """A project file holds merge-conflict markers (<<<<<<<). The YAML reader knows only that;
    the merge layer (mergetext.load_project) upgrades it to a ConflictedFileError that names
    each conflict in the form's words."""


class ConflictedFileError(ProjectFileError):
    """A project file still holds merge conflicts; `conflicted` has them as data (a
    mergetext.ConflictedFile), one `file:line: message` line each."""

    def __init__(self, file: str, conflicted: Any) -> None:
        self.conflicted = conflicted
        first, *rest = self.lines_of(file, conflicted)
        detail = "\n".join([conflicted.conflicts[0].message(), *rest])
        super().__init__(file, detail, conflicted.conflicts[0].line)

    @property
    def where(self) -> str:
        return self.file

    @staticmethod
    def lines_of(file: str, conflicted: Any) -> list[str]:
        return [f"{file}:{c.line}: {c.message()}" for c in conflicted.conflicts]

    def lines(self) -> list[str]:
        """'store/…/x.yaml:28: 第1行「…」本年权重 冲突：我方 15，对方 20', one per conflict."""
        return self.lines_of(self.file, self.conflicted)


class FileKindError(JixiaoError):
    """Not a regular file, or too large: `path` is the file named, `detail` what it is."""

    def __init__(self, path: str, detail: str) -> None:
        self.path, self.detail = path, detail
        super().__init__(f"{path}: {detail}")


class WorkspaceError(JixiaoError):
    """No workspace, or something in it is not as expected."""


class ProfileError(JixiaoError, ValueError):
    """The profile in jixiao.yaml cannot be used; the message is one sentence."""


class UnknownCodeError(JixiaoError, ValueError):
    """--explain was given something that is not a code."""


class ConflictError(JixiaoError):
    """The file changed on disk since it was loaded."""


class ProjectExists(WorkspaceError):
    """A move or rename would replace another project's file (`rel`)."""

    def __init__(self, message: str, rel: str) -> None:
        super().__init__(message)
        self.rel = rel


class WorkspaceBusy(WorkspaceError):
    """Another jixiao held the workspace lock for longer than we wait (`pid`, if known)."""

    def __init__(self, pid: int | None) -> None:
        who = f"（pid {pid}）" if pid else ""
        super().__init__(f"另一个 jixiao 正在写入此工作区{who}，请等它结束后再试")
        self.pid = pid


class ChangedOnDisk(ConflictError):
    """A file changed since it was read, so it was not replaced: `rel` is the file,
    `expected` the digest it had when read (None: it did not exist), `actual` its digest now
    (None: it is gone). A caller that can merge reads the file again and retries."""

    def __init__(self, message: str, rel: str, expected: str | None, actual: str | None) -> None:
        super().__init__(message)
        self.rel = rel
        self.expected = expected
        self.actual = actual

"""Errors that reach the user as one clear sentence (the CLI prints them without a traceback)."""

from __future__ import annotations


class JixiaoError(Exception):
    """A problem the user can fix; str(error) is the whole message."""


class TabFormatError(JixiaoError):
    """The official tab-delimited file could not be read."""


class ProjectFileError(JixiaoError):
    """A project YAML file could not be read. `path` names the offending YAML key, if known."""

    def __init__(self, message: str, path: tuple | None = None) -> None:
        super().__init__(message)
        self.path = path


class WorkspaceError(JixiaoError):
    """No workspace, or something in it is not as expected."""


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

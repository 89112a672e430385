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

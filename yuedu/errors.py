"""Errors a writer can act on: each names the file, the line and the problem."""

from __future__ import annotations

from pathlib import Path


class YueduError(Exception):
    """An error that ends a command with a message (no traceback) and exit code 1."""

    exit_code = 1


class ContentError(YueduError):
    """A problem in a source file, reported as ``path:line: message``."""

    def __init__(self, path: str | Path, lineno: int | None, message: str) -> None:
        self.path = str(path)
        self.lineno = lineno
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.path}:{self.lineno}" if self.lineno else self.path
        return f"{where}: {self.message}"


class BuildFailed(YueduError):
    """One or more content errors; each was already reported."""

    def __init__(self, errors: list[ContentError]) -> None:
        self.errors = errors
        noun = "error" if len(errors) == 1 else "errors"
        super().__init__(f"build failed with {len(errors)} {noun}")

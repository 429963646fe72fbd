"""One shape for every problem the hooks report: file:line: what is wrong; how to fix it.

Hooks log these through mkdocs' logger at warning or error level, so that
``mkdocs build --strict`` fails on them and editors can click the location.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # docs-relative path of the source file, e.g. speeches/x.md ('../' for files outside docs/)
    line: int  # 1-based line in that file; 0 when the problem concerns the whole file
    message: str  # what is wrong and how to fix it

    def __str__(self) -> str:
        path = self.path[3:] if self.path.startswith("../") else f"docs/{self.path}"
        location = f"{path}:{self.line}" if self.line else path
        return f"{location}: {self.message}"


class ProblemError(Exception):
    """Raised by the plain functions; the hook turns it into a logged Problem."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def body_offset(source: str, body: str) -> int:
    """Lines of the file that precede ``body`` (front matter and the blank lines after it)."""
    probe = body.lstrip("\n")[:200]
    index = source.find(probe) if probe else -1
    return source.count("\n", 0, index) if index >= 0 else 0

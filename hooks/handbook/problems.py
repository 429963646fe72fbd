"""One shape for every problem the build reports: file:line: [rule] what is wrong; how to fix it.

Features return these; the build owner (hooks/pipeline.py) logs them through mkdocs' logger at
warning or error level, so that ``mkdocs build --strict`` fails on them and editors can click the
location.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str  # docs-relative path of the source file, e.g. speeches/x.md ('../' for files outside docs/)
    line: int  # 1-based line in that file; 0 when the problem concerns the whole file
    message: str  # what is wrong (older messages also say how to fix it)
    rule: str = ""  # which check found it, e.g. citation, clause, broken-link
    fix: str = ""  # how to fix it
    subject: str = ""  # the offending text itself (a link, a number), where there is one

    @property
    def location(self) -> str:
        path = self.path[3:] if self.path.startswith("../") else f"docs/{self.path}"
        return f"{path}:{self.line}" if self.line else path

    def __str__(self) -> str:
        # A message may name its rule itself where it reads better (after the part of a file it points at).
        rule = f"[{self.rule}] " if self.rule and f"[{self.rule}]" not in self.message else ""
        fix = f"; {self.fix}." if self.fix else ""
        return f"{self.location}: {rule}{self.message}{fix}"


def yaml_problem(path: str, error, rule: str) -> Problem:
    """A sources file that is not valid YAML (``error`` from PyYAML): the line where the parser stopped."""
    mark = getattr(error, "problem_mark", None)
    return Problem(path, mark.line + 1 if mark else 0, f"not valid YAML ({error})", rule=rule, fix="fix the YAML syntax")


def report(problems, log: logging.Logger, level: int = logging.ERROR) -> int:
    """Log each problem through mkdocs' logger (so --strict counts it); returns how many."""
    count = 0
    for problem in problems:
        log.log(level, str(problem))
        count += 1
    return count


def body_offset(source: str, body: str) -> int:
    """Lines of the file that precede ``body`` (front matter and the blank lines after it)."""
    probe = body.lstrip("\n")[:200]
    index = source.find(probe) if probe else -1
    return source.count("\n", 0, index) if index >= 0 else 0

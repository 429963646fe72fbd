"""The build's version for the footer and the clause record: git short hash and commit date."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path


def build_version(repo: Path) -> dict[str, str]:
    """Short hash and date of the checked-out commit, '+' when the tree has edits; a fallback outside git."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True).stdout.strip()

    try:
        commit, day = git("log", "-1", "--format=%h %cs").split()
        dirty = bool(git("status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.CalledProcessError, ValueError):
        return {"version": "unversioned", "date": date.today().isoformat()}
    return {"version": commit + ("+" if dirty else ""), "date": day}

"""Hook: the build's version (git short hash and commit date) for the footer.

Idempotent on purpose: mkdocs-static-i18n runs on_config once per language.
"""

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


def on_config(config):
    config.extra["build"] = build_version(Path(config.config_file_path).parent)
    return config

"""Hook: the build's version (git short hash and commit date, handbook/version.py) for the footer.

Idempotent on purpose: mkdocs-static-i18n runs on_config once per language.
"""

from __future__ import annotations

from pathlib import Path

from handbook.version import build_version

__all__ = ["build_version", "on_config"]  # tools/bench.py and tools/publish.py import build_version from here


def on_config(config):
    config.extra["build"] = build_version(Path(config.config_file_path).parent)
    return config

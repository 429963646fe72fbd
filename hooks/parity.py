"""Hook: translation parity between the Chinese pages and their English counterparts.

A missing counterpart or a translated page with different clause IDs / paragraph anchors is an
error. Pages still waiting for translation (English stand-ins) are counted; with
extra.handbook.integrity.pending_translations set to warning or error they fail --strict.
"""

from __future__ import annotations

import logging
from pathlib import Path

from handbook.languages import is_default_language
from handbook.parity import check_parity
from handbook.settings import handbook_settings

log = logging.getLogger("mkdocs.hooks.parity")
LEVELS = {"info": logging.INFO, "warning": logging.WARNING, "error": logging.ERROR}


def on_files(files, config):
    if not is_default_language(config):  # once per build, not once per language
        return files
    report = check_parity(Path(config.docs_dir))
    for problem in report.problems:
        log.error(str(problem))
    setting = handbook_settings(config, "integrity").get("pending_translations", "info")
    if report.pending:
        log.log(LEVELS.get(setting, logging.INFO),
                f"[parity] {len(report.pending)} pages await their English translation (first: docs/{report.pending[0]}); "
                "translate them and drop `translation: pending`.")
    return files

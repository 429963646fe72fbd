"""Hook: every page's front matter parses, and speech pages name an existing source file."""

from __future__ import annotations

import logging
from pathlib import Path

from handbook.front_matter import front_matter_problems

log = logging.getLogger("mkdocs.hooks.front_matter")


def on_page_markdown(markdown, page, config, files):
    sources_dir = Path(config.config_file_path).parent / "sources"
    # When mkdocs could not parse the front matter it leaves it in the Markdown: parse again for the error.
    parsed = None if markdown.startswith("---") else page.meta
    for problem in front_matter_problems(page.file.src_uri, page.file.content_string, sources_dir, parsed):
        log.error(str(problem))
    return markdown

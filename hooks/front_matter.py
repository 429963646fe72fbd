"""Hook: every page's front matter parses, speech pages name an existing source file, and a
front-matter title is text: Material's templates print page titles unescaped (nav, tags, <title>),
so a title such as "A <b> & C" would otherwise become markup on every page."""

from __future__ import annotations

import html
import logging
from pathlib import Path

from handbook.front_matter import front_matter_problems
from handbook.sources import source_of

log = logging.getLogger("mkdocs.hooks.front_matter")


def on_page_markdown(markdown, page, config, files):
    sources_dir = Path(config.config_file_path).parent / "sources"
    # When mkdocs could not parse the front matter it leaves it in the Markdown: parse again for the error.
    parsed = None if markdown.startswith("---") else page.meta
    for problem in front_matter_problems(page.file.src_uri, source_of(page.file, files), sources_dir, parsed):
        log.error(str(problem))
    if isinstance(page.meta.get("title"), str):
        page.meta["title"] = html.escape(page.meta["title"], quote=False)
    return markdown

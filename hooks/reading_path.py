"""Hook: fill ``<!-- reading-path -->`` from the page's ``reading_path`` front matter, with reading times."""

from __future__ import annotations

import logging

from handbook.checklist import name_task_list_checkboxes
from handbook.corpus import unlocalized
from handbook.front_matter import split_front_matter
from handbook.languages import current_language
from handbook.reading_path import READING_PATH_MARKER, reading_path_table
from handbook.sources import page_sources, source_of

log = logging.getLogger("mkdocs.hooks.reading_path")


def on_page_markdown(markdown, page, config, files):
    if READING_PATH_MARKER not in markdown:
        return markdown
    language = current_language(config)
    sources = {}
    for src_uri, text in page_sources(files).items():
        _, meta = split_front_matter(text)
        sources[unlocalized(src_uri, language)] = (str(meta.get("title") or src_uri), text)
    line = next((n for n, text in enumerate(source_of(page.file, files).split("\n"), start=1) if text.startswith("reading_path:")), 1)
    table, problems = reading_path_table(page.meta.get("reading_path"), unlocalized(page.file.src_uri, language),
                                         sources, language, line)
    for problem in problems:
        log.error(str(problem))
    return markdown.replace(READING_PATH_MARKER, table)


def on_page_content(html, page, config, files):
    # The onboarding page (the one with a reading path) holds the first-week checklist.
    if not page.meta.get("reading_path"):
        return html
    return name_task_list_checkboxes(html)

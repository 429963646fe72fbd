"""Hook: norm clauses — IDs checked and shown as badges; the 工作规范 index table."""

from __future__ import annotations

import logging

from handbook.clauses import (
    NORMS_INDEX_MARKER,
    duplicate_clause_problems,
    find_clauses,
    mark_clause_ids,
    norms_index,
)
from handbook.corpus import NORMS_DIR, unlocalized
from handbook.front_matter import split_front_matter
from handbook.languages import current_language
from handbook.problems import body_offset
from handbook.sources import page_sources
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.clauses")

# Rebuilt in on_files, which mkdocs-static-i18n runs once per language: (src_uri, title, clauses) per norm page.
norm_pages: list = []


# After mkdocs-static-i18n (priority -100) has chosen the files of the language being built.
@event_priority(-200)
def on_files(files, config):
    language = current_language(config)
    norm_pages.clear()
    all_clauses = []
    for src_uri, source in page_sources(files).items():
        uri = unlocalized(src_uri, language)
        if not uri.startswith(NORMS_DIR) or uri == NORMS_DIR + "index.md":
            continue
        body, meta = split_front_matter(source)
        clauses, problems = find_clauses(body, src_uri, body_offset(source, body))
        for problem in problems:
            log.error(str(problem))
        all_clauses.extend(clauses)
        norm_pages.append((uri, str(meta.get("title", uri)), clauses))
    for problem in duplicate_clause_problems(all_clauses):
        log.error(str(problem))
    return files


def on_nav(nav, config, files):
    """List the norm pages in the navigation's order, not the files' alphabetical one."""
    language = current_language(config)
    order = {unlocalized(page.file.src_uri, language): index for index, page in enumerate(nav.pages)}
    norm_pages.sort(key=lambda entry: order.get(entry[0], len(order)))
    return nav


def on_page_markdown(markdown, page, config, files):
    if NORMS_INDEX_MARKER in markdown:
        language = current_language(config)
        markdown = markdown.replace(NORMS_INDEX_MARKER, norms_index(norm_pages, unlocalized(page.file.src_uri, language), language))
    if unlocalized(page.file.src_uri, current_language(config)).startswith(NORMS_DIR):
        markdown = mark_clause_ids(markdown)
    return markdown

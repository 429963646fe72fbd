"""Hook: stable paragraph anchors (#p1, #p2, …) on speech pages, with a copyable ¶ link.

Speech pages are those whose front matter names a ``source`` file (see tools/ingest.py).
"""

from __future__ import annotations

import logging

from handbook.html import add_paragraph_links, duplicate_ids
from handbook.languages import current_language
from handbook.paragraphs import add_paragraph_anchors
from handbook.problems import Problem, ProblemError, body_offset
from handbook.sources import source_of
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.speech_paragraphs")

LINK_LABEL = {"zh": "第{number}段：点击复制本段链接", "en": "Paragraph {number}: link to this paragraph"}


def is_speech(page) -> bool:
    """A speech page holding the text (not an English stand-in whose translation is pending)."""
    return bool(page.meta.get("source")) and page.meta.get("translation") != "pending"


# Hooks -----------------------------------------------------------------------


def on_page_markdown(markdown, page, config, files):
    if not is_speech(page):
        return markdown
    try:
        return add_paragraph_anchors(markdown)
    except ProblemError as error:
        offset = body_offset(source_of(page.file, files), markdown)
        log.error(str(Problem(page.file.src_uri, offset + error.line, error.message)))
        return markdown


# Before Material's search (priority 0) indexes the content, so the ¶ links are excluded.
@event_priority(50)
def on_page_content(html, page, config, files):
    for anchor in duplicate_ids(html):
        log.error(str(Problem(page.file.src_uri, 0, f"the anchor #{anchor} is defined more than once; "
                              "rename one of them so links land on a single place.")))
    if not is_speech(page):
        return html
    label = LINK_LABEL.get(current_language(config), LINK_LABEL["en"])
    return add_paragraph_links(html, label)

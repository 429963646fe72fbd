"""Hook: citations of speech paragraphs — verified, rendered as links, and listed under the paragraphs they cite.

Syntax and rules: handbook/citations.py. A broken citation (unknown speech or paragraph, a
fragment not found verbatim) is an error naming the file and line, so --strict fails.
"""

from __future__ import annotations

import logging

from handbook.citations import render_citations
from handbook.corpus import SPEECHES_DIR, Corpus, load_corpus, speech_slug, unlocalized
from handbook.html import add_backlinks
from handbook.languages import current_language, is_default_language
from handbook.problems import Problem, body_offset
from handbook.sources import page_sources, source_of
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.citations")

CITED_BY = {"zh": "引用本段：", "en": "Cited by: "}
LIST_SEPARATOR = {"zh": "、", "en": ", "}

# Rebuilt in on_files, which mkdocs-static-i18n runs once per language.
corpus = Corpus()
citing: dict[str, list] = {}  # speech slug -> its citations, so a speech page reads its own, not all


# After mkdocs-static-i18n (priority -100) has chosen the files of the language being built.
@event_priority(-200)
def on_files(files, config):
    global corpus, citing
    corpus = load_corpus(list(page_sources(files).items()), current_language(config))
    citing = corpus.citations_by_speech()
    return files


def on_page_markdown(markdown, page, config, files):
    src_uri = unlocalized(page.file.src_uri, current_language(config))
    offset = body_offset(source_of(page.file, files), markdown)
    original = None
    if not is_default_language(config):  # a translation: each quotation also links to the Chinese original
        # The Chinese page's URL as mkdocs writes it: speeches/x/, or speeches/x.html in the offline build.
        suffix = "/" if config.use_directory_urls else ".html"

        def original(citation):
            return get_relative_url(f"{SPEECHES_DIR}{citation.slug}{suffix}", page.url) + f"#p{citation.number}"
    markdown, problems = render_citations(markdown, src_uri, corpus.speeches, offset, current_language(config), original)
    for line, message in problems:
        log.error(str(Problem(page.file.src_uri, line, message)))
    return markdown


# Before Material's search (priority 0) indexes the page, so the lists stay out of the index.
@event_priority(40)
def on_page_content(html, page, config, files):
    src_uri = unlocalized(page.file.src_uri, current_language(config))
    if not src_uri.startswith(SPEECHES_DIR):
        return html
    backlinks: dict[str, list[tuple[str, str, str]]] = {}
    urls: dict[str, str | None] = {}  # citing page -> its URL: looking files up is not free
    for citation in citing.get(speech_slug(src_uri), []):
        if citation.src_uri not in urls:
            urls[citation.src_uri] = getattr(files.get_file_from_path(citation.src_uri), "url", None)
        if urls[citation.src_uri] is None:
            continue
        fragment = f"#{citation.clause}" if citation.clause else ""
        href = get_relative_url(urls[citation.src_uri], page.url) + fragment
        text = citation.clause or corpus.titles.get(citation.src_uri, citation.src_uri)
        title = citation.clause_title or corpus.titles.get(citation.src_uri, "")
        links = backlinks.setdefault(f"p{citation.number}", [])
        if (href, text, title) not in links:
            links.append((href, text, title))
    if not backlinks:
        return html
    language = current_language(config)
    return add_backlinks(html, backlinks, CITED_BY.get(language, CITED_BY["en"]), LIST_SEPARATOR.get(language, ", "))

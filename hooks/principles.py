"""Hook: cross-link the recurring principles (提法).

Every occurrence of a principle's term or variant in running text links to its page (by
default the first in each section), with its summary as the tooltip; each principle page
lists where it occurs (出处与引用); the 提法索引 page shows principles × speeches; and each
build reports recurring phrases that have no principle page yet.

Settings, in mkdocs.yml under extra.handbook.principles:
  link:      first-in-section (default) | first-on-page | every
  discovery: info (default) | warning   — warning makes --strict fail on an unlisted phrase
"""

from __future__ import annotations

import logging
from pathlib import Path

from handbook.clauses import find_clauses
from handbook.corpus import NORMS_DIR, load_corpus, unlocalized
from handbook.front_matter import split_front_matter
from handbook.html import LINK_POLICIES, add_term_links
from handbook.languages import current_language, is_default_language
from handbook.principles import (
    PRINCIPLES_DIR,
    Matcher,
    Occurrences,
    backlinks_context,
    collect_occurrences,
    discover,
    matrix_context,
    read_term,
)
from handbook.settings import handbook_settings
from handbook.sources import page_sources
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

log = logging.getLogger("mkdocs.hooks.principles")
MATRIX_MARKER = "<!-- principle-matrix -->"
DISCOVERY_FILE = "editors/phrase-discovery.txt"

# Rebuilt in on_files, which mkdocs-static-i18n runs once per language.
state: dict = {}


def settings(config) -> dict:
    chosen = handbook_settings(config, "principles")
    policy = chosen.get("link", "first-in-section")
    if policy not in LINK_POLICIES:
        log.error(f"mkdocs.yml: extra.handbook.principles.link is '{policy}'; use one of {', '.join(LINK_POLICIES)}.")
        policy = "first-in-section"
    return {"link": policy, "discovery": chosen.get("discovery", "info")}


# After mkdocs-static-i18n (priority -100) has chosen the files of the language being built.
@event_priority(-200)
def on_files(files, config):
    language = current_language(config)
    pages = list(page_sources(files).items())
    corpus = load_corpus(pages, language)
    terms, clauses = [], []
    for src_uri, source in pages:
        uri = unlocalized(src_uri, language)
        if uri.startswith(PRINCIPLES_DIR) and (term := read_term(uri, source)):
            terms.append(term)
        elif uri.startswith(NORMS_DIR):
            body, _ = split_front_matter(source)
            clauses.extend(find_clauses(body, uri)[0])
    matcher = Matcher(terms)
    state.clear()
    state.update(settings=settings(config), language=language, default_language=language if is_default_language(config) else None, corpus=corpus, terms=terms, matcher=matcher,
                 found=collect_occurrences(matcher, corpus.speeches, clauses) if terms else Occurrences())
    return files


# Before Material's search (priority 0) reads the content: the links do not change its text,
# and the matrix is marked data-search-exclude.
@event_priority(30)
def on_page_content(html, page, config, files):
    if not state.get("terms"):
        return html
    own = unlocalized(page.file.src_uri, state["language"])
    if "urls" not in state:  # once per language: looking files up is not free
        targets = {term.src_uri for term in state["terms"]} | {s.src_uri for s in state["corpus"].speeches.values()}
        targets |= {uri for uses in state["found"].in_clauses.values() for uri, _, _ in uses}
        state["urls"] = {uri: getattr(files.get_file_from_path(uri), "url", None) for uri in targets}

    def url_of(src_uri: str, fragment: str = "") -> str:
        return get_relative_url(state["urls"][src_uri], page.url) + (f"#{fragment}" if fragment else "")

    def href_for(term):
        return None if term.src_uri == own or state["urls"].get(term.src_uri) is None else url_of(term.src_uri)

    html = add_term_links(html, state["matcher"], href_for, state["settings"]["link"])
    if MATRIX_MARKER in html:  # our own marker comment, which Markdown leaves in the HTML
        context = matrix_context(state["terms"], state["found"], state["corpus"].speeches, url_of, state["language"])
        html = html.replace(MATRIX_MARKER, template(config, "partials/hb-principle-matrix.html").render(**context))
    term = next((t for t in state["terms"] if t.src_uri == own), None)
    if term:
        context = backlinks_context(term, state["found"], state["corpus"].speeches, url_of, state["language"])
        state.setdefault("sources", {})[page.file.src_uri] = template(config, "partials/hb-principle-sources.html").render(**context)
    return html


# 出处与引用 is appended after Material's search (priority 0) has indexed the page: the search
# parser skips data-search-exclude text but still made an empty entry for each heading in it.
@event_priority(-50)
def on_page_context(context, page, config, nav):
    if sources := state.get("sources", {}).pop(page.file.src_uri, None):
        page.content += sources
    return context


def template(config, name: str):
    """A theme template, loaded once per language build (get_env() makes a new environment each call)."""
    templates = state.setdefault("templates", {})
    if name not in templates:
        templates[name] = config.theme.get_env().get_template(name)
    return templates[name]


def on_post_build(config):
    corpus = state.get("corpus")
    if not corpus or state.get("language") != state.get("default_language"):
        return  # phrases are discovered in the original speeches
    phrases = discover(corpus.speeches, state["matcher"])
    report = Path(config.site_dir) / DISCOVERY_FILE
    report.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{phrase}\t{len(slugs)} speeches\t{', '.join(slugs)}" for phrase, slugs in phrases]
    report.write_text("# Recurring phrases without a principle page (phrase, speeches)\n" + "\n".join(lines) + "\n", encoding="utf-8")
    level = logging.WARNING if state["settings"]["discovery"] == "warning" else logging.INFO
    shown = "、".join(phrase for phrase, _ in phrases[:12]) + ("…" if len(phrases) > 12 else "")
    log.log(level, f"{len(phrases)} recurring phrases have no principle page (see {DISCOVERY_FILE} in the site): {shown}")

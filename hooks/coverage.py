"""Hook: source coverage — warn about speech paragraphs no clause cites, and fill the 来源覆盖 page."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from handbook.corpus import Corpus, load_corpus
from handbook.coverage import (
    COVERAGE_MARKER,
    NON_NORMATIVE_FILE,
    coverage_markdown,
    non_normative_problems,
    paragraph_statuses,
    uncovered_problems,
)
from handbook.languages import current_language, is_default_language
from handbook.sources import page_sources
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.hooks.coverage")

# Rebuilt in on_files, which mkdocs-static-i18n runs once per language.
state = {"corpus": Corpus(), "statuses": {}}


# After mkdocs-static-i18n (priority -100) has chosen the files of the language being built.
@event_priority(-200)
def on_files(files, config):
    language = current_language(config)
    corpus = load_corpus(list(page_sources(files).items()), language)
    path = Path(config.config_file_path).parent / NON_NORMATIVE_FILE
    source = path.read_text(encoding="utf-8") if path.exists() else ""  # none yet: every paragraph needs a citation
    non_normative = yaml.safe_load(source) or {}
    statuses = paragraph_statuses(corpus, non_normative, language)
    if is_default_language(config):  # coverage is of the original speeches; parity keeps translations in step
        for problem in non_normative_problems(corpus, non_normative, source) + uncovered_problems(corpus, statuses):
            log.warning(str(problem))
    state.update(corpus=corpus, statuses=statuses)
    return files


def on_page_markdown(markdown, page, config, files):
    if COVERAGE_MARKER not in markdown:
        return markdown
    table = coverage_markdown(state["corpus"], state["statuses"], page.file.src_uri, current_language(config))
    return markdown.replace(COVERAGE_MARKER, table)

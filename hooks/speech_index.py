"""Hook: fill the 讲话原文 index page (marker ``<!-- speech-index -->``) from the speech pages."""

from __future__ import annotations

from handbook.languages import current_language
from handbook.sources import page_sources
from handbook.speech_index import INDEX_MARKER, index_table, summarize
from mkdocs.plugins import event_priority

# Reset in on_files, which mkdocs-static-i18n runs once per language build.
speeches = []


# After mkdocs-static-i18n (priority -100) has narrowed the files to the language being built.
@event_priority(-200)
def on_files(files, config):
    speeches.clear()
    for src_uri, source in page_sources(files).items():
        summary = summarize(src_uri, source)
        if summary:
            speeches.append(summary)
    return files


def on_page_markdown(markdown, page, config, files):
    if INDEX_MARKER not in markdown:
        return markdown
    table = index_table(speeches, page.file.src_uri, current_language(config))
    return markdown.replace(INDEX_MARKER, table)

"""The downloads of a release: the PDFs of each language and the offline site, linked from the home page."""

from __future__ import annotations

import html

from handbook.pdf import pdf_name
from handbook.pdf_document import EDITIONS, ONBOARDING

DOWNLOADS = "downloads"
OFFLINE_ZIP = "handbook-offline.zip"
MARKER = "<!-- downloads -->"

def editions_of(src_uris: list[str]) -> list[str]:
    """The PDFs a site has: the full handbook, and the 新人入职 pack when there is a 新人入职 page."""
    has_onboarding = any(uri.startswith(f"{ONBOARDING}/index.") for uri in src_uris)
    return [edition for edition in EDITIONS if edition != "onboarding" or has_onboarding]


def downloads_section(language: str, default_language: bool, editions: list[str], offline_zip: bool, labels: dict) -> str:
    """The home page's download list (raw HTML: mkdocs would report links to files outside docs/);
    ``labels`` is the downloads part of the language's label table."""
    items = [(f"{DOWNLOADS}/{pdf_name(language, edition)}", labels[edition]) for edition in editions]
    if offline_zip:  # one zip for both languages, at the site root
        items.append((("" if default_language else "../") + f"{DOWNLOADS}/{OFFLINE_ZIP}", labels["offline"]))
    if not items:
        return ""
    links = "\n".join(f'<li><a href="{html.escape(href)}" download>{html.escape(label)}</a></li>'
                      for href, label in items)
    return f'## {labels["heading"]}\n\n<ul class="hb-downloads">\n{links}\n</ul>\n'


def replace_marker(markdown: str, section: str) -> str:
    return markdown.replace(MARKER, section)

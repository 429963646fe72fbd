"""Citations of speech paragraphs: ``[@slug#p12 "verbatim words" "more words"]`` (grammar.py).

Each renders as a link to the paragraph anchor, named by the speech's short title and the
paragraph number, with a preview of the paragraph as its tooltip, followed by the quoted key
words in 「」. The model (model.py) has located and checked every citation once; rendering
replaces the valid ones in the page's Markdown.
"""

from __future__ import annotations

import html

from handbook.grammar import Citation
from handbook.model import normalise
from handbook.speech import escape_markdown

PREVIEW_CHARS = 90


def preview(paragraph: str, quote: str) -> str:
    """A window of the paragraph around the first quoted fragment, for the tooltip."""
    text = normalise(paragraph)
    start = max(text.find(normalise(quote)), 0)
    begin = max(start - PREVIEW_CHARS // 3, 0)
    window = text[begin : begin + PREVIEW_CHARS]
    return ("…" if begin else "") + window + ("…" if begin + PREVIEW_CHARS < len(text) else "")


def render_citation(citation: Citation, speech, href: str, labels: dict, original_href: str | None = None) -> str:
    """Markdown for a verified citation: a link with a tooltip, then the quoted words.

    ``href`` is the cited paragraph's URL from the page. The link is inline HTML, not a Markdown link:
    a page cites dozens of paragraphs, and mkdocs would look each Markdown link's file up again (the model
    has checked the citation, and the final-HTML link check checks the link). ``labels`` is the language's
    label table (quotation marks, the 中文原文 link). In a translation (``original_href`` given) the quoted
    words are marked as translated, with a link to the same paragraph in the Chinese original.
    """
    # The paragraph as the model normalised it once (normalising is idempotent: the preview is the same).
    tooltip = preview(speech.normalised[citation.number], citation.quotes[0])
    # The speeches use “” only; an ASCII double quote (there was none) would read as the end of the quotation.
    tooltip = html.escape(tooltip.replace('"', "'"))
    link = (f'<a class="hb-cite" href="{html.escape(href)}" title="{tooltip}">'
            f'{escape_markdown(speech.short_title)} ¶{citation.number}</a>')
    opening, closing = labels["quote_open"], labels["quote_close"]

    def wrap(quote: str) -> str:
        # Words that already begin or end with the same quotation mark are not quoted twice (““…””).
        start = "" if quote.startswith(opening) else opening
        end = "" if quote.endswith(closing) else closing
        return f"{start}{escape_markdown(quote)}{end}"

    # 「…」「…」 reads as separate quotations in Chinese; English needs an ellipsis between them.
    quoted = labels["quote_join"].join(wrap(quote) for quote in citation.quotes)
    if original_href is None:
        return link + quoted
    original = (f'<a class="hb-original" href="{html.escape(original_href)}" hreflang="zh" lang="zh" '
                f'title="{html.escape(labels["original_title"])}">{html.escape(labels["original"])}</a>')
    return f'{link} {quoted} <span class="hb-translated">({html.escape(labels["translation"])} · {original})</span>'


def render_citations(markdown: str, page, handbook, labels: dict, href, original_href=None) -> str:
    """Replace every valid citation of ``page`` (a model Page) in its Markdown, as the model located them.

    Runs on the page's Markdown as mkdocs read it, before any step adds lines, so the model's line
    numbers still point at the citations. ``href(citation)`` is the cited paragraph's URL from the page;
    ``original_href(citation)``, for a translated page, links a citation to the Chinese original.
    """
    lines = markdown.split("\n")
    for citation in handbook.citations_of(page.uri):
        if citation in handbook.invalid_citations:
            continue
        index = citation.line - page.offset - 1
        rendered = render_citation(citation, handbook.speeches[citation.slug], href(citation), labels,
                                   original_href(citation) if original_href else None)
        lines[index] = lines[index].replace(citation.text, rendered, 1)
    return "\n".join(lines)

"""Citations of speech paragraphs: ``[@slug#p12 "verbatim words" "more words"]``.

Each renders as a link to the paragraph anchor, named by the speech's short title and the
paragraph number, with a preview of the paragraph as its tooltip, followed by the quoted key
words in 「」. Each quoted fragment must occur verbatim in the cited paragraph.
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass

from handbook.speech import escape_markdown

CITATION = re.compile(r"\[@(?P<slug>[A-Za-z0-9_-]+)#p(?P<number>\d+)(?P<quotes>(?:\s*\"[^\"\n]*\")*)\s*\]")
QUOTE = re.compile(r"\"([^\"\n]*)\"")
# Something that looks like a citation but does not parse, so it is not silently left as text.
CITATION_START = re.compile(r"\[@")
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING_WITH_ID = re.compile(r"^#{1,6}\s+(?P<text>.*?)\s*\{[^}]*#(?P<id>[^\s}]+)[^}]*\}\s*$")
PREVIEW_CHARS = 90


@dataclass(frozen=True)
class Citation:
    src_uri: str  # the citing page, unlocalized
    line: int  # line in the citing page's file
    slug: str
    number: int
    quotes: tuple[str, ...]
    clause: str | None  # id of the nearest heading with an explicit id above it (a clause ID)
    clause_title: str | None
    text: str  # the citation as written


# Memoised (a pure function): each citation normalises its whole paragraph twice (check, tooltip),
# and a paragraph is cited many times.
@functools.lru_cache(maxsize=4096)
def normalise(text: str) -> str:
    """Whitespace normalised, nothing else."""
    return " ".join(text.split())


def find_citations(markdown: str, src_uri: str, line_offset: int = 0) -> list[Citation]:
    """Every citation in the page body, with its line in the file and the clause it belongs to."""
    found = []
    clause = clause_title = None
    in_fence = False
    for number, line in enumerate(markdown.split("\n"), start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence:
            continue
        if heading := _HEADING_WITH_ID.match(line):
            clause, clause_title = heading["id"], heading["text"]
        for match in CITATION.finditer(line):
            found.append(
                Citation(src_uri, line_offset + number, match["slug"], int(match["number"]),
                         tuple(QUOTE.findall(match["quotes"])), clause, clause_title, match.group(0))
            )
    return found


def malformed_citations(markdown: str, line_offset: int = 0) -> list[tuple[int, str]]:
    """(line, text) of '[@' openings that are not valid citations."""
    problems = []
    for number, line in enumerate(markdown.split("\n"), start=1):
        valid = {match.start() for match in CITATION.finditer(line)}
        for start in CITATION_START.finditer(line):
            if start.start() not in valid:
                problems.append((line_offset + number, line[start.start() : start.start() + 40]))
    return problems


def citation_problem(citation: Citation, speeches: dict) -> str | None:
    """Why ``citation`` does not hold (unknown speech, unknown paragraph, misquote), or None."""
    speech = speeches.get(citation.slug)
    if speech is None:
        known = ", ".join(sorted(speeches)) or "none"
        return f"citation {citation.text} names an unknown speech '{citation.slug}'; known speeches: {known}."
    if citation.number not in speech.paragraphs:
        return (f"citation {citation.text} names paragraph p{citation.number}, but {speech.src_uri} has "
                f"paragraphs p1–p{len(speech.paragraphs)}; check the number with `make paragraphs SLUG={citation.slug}`.")
    if not citation.quotes:
        return f"citation {citation.text} quotes nothing; add the key words in double quotes, copied from the paragraph."
    paragraph = normalise(speech.paragraphs[citation.number])
    for quote in citation.quotes:
        if not normalise(quote) or normalise(quote) not in paragraph:
            return (f"citation {citation.text}: \"{quote}\" is not in {citation.slug}#p{citation.number} verbatim; "
                    "copy the words exactly as the speech has them.")
    return None


def preview(paragraph: str, quote: str) -> str:
    """A window of the paragraph around the first quoted fragment, for the tooltip."""
    text = normalise(paragraph)
    start = max(text.find(normalise(quote)), 0)
    begin = max(start - PREVIEW_CHARS // 3, 0)
    window = text[begin : begin + PREVIEW_CHARS]
    return ("…" if begin else "") + window + ("…" if begin + PREVIEW_CHARS < len(text) else "")


@functools.lru_cache(maxsize=4096)
def relative_path(src_uri: str, page_src_uri: str) -> str:
    """``src_uri`` relative to the page's folder (memoised: relpath asks the OS for the working directory)."""
    return posixpath.relpath(src_uri, posixpath.dirname(page_src_uri) or ".")


QUOTE_MARKS = {"zh": ("「", "」"), "en": ("“", "”")}


def render_citation(citation: Citation, speech, page_src_uri: str, language: str = "zh", original_href: str | None = None) -> str:
    """Markdown for a verified citation: a link with a tooltip, then the quoted words.

    In a translation (``original_href`` given) the quoted words are marked as translated, with a
    link to the same paragraph in the Chinese original.
    """
    target = relative_path(speech.src_uri, page_src_uri)
    tooltip = preview(speech.paragraphs[citation.number], citation.quotes[0])
    # A Markdown link title cannot hold an ASCII double quote; the speeches use “” only.
    tooltip = escape_markdown(tooltip.replace('"', "'"))
    link = f'[{escape_markdown(speech.short_title)} ¶{citation.number}]({target}#p{citation.number} "{tooltip}"){{: .hb-cite }}'
    opening, closing = QUOTE_MARKS.get(language, QUOTE_MARKS["en"])

    def wrap(quote: str) -> str:
        # Words that already begin or end with the same quotation mark are not quoted twice (““…””).
        start = "" if quote.startswith(opening) else opening
        end = "" if quote.endswith(closing) else closing
        return f"{start}{escape_markdown(quote)}{end}"

    # 「…」「…」 reads as separate quotations in Chinese; English needs an ellipsis between them.
    quoted = ("" if language == "zh" else " … ").join(wrap(quote) for quote in citation.quotes)
    if original_href is None:
        return link + quoted
    original = (f'<a class="hb-original" href="{original_href}" hreflang="zh" lang="zh" '
                f'title="The same paragraph in the Chinese original">中文原文</a>')
    return f'{link} {quoted} <span class="hb-translated">(translation · {original})</span>'



def render_citations(markdown: str, page_src_uri: str, speeches: dict, line_offset: int = 0, language: str = "zh",
                     original_href=None) -> tuple[str, list[tuple[int, str]]]:
    """Replace every valid citation in the page; return the new Markdown and (line, problem) pairs.

    ``original_href(citation)``, for a translated page, links a citation to the Chinese original.
    """
    problems = [(line, f"'{text}…' is not a valid citation; write [@slug#p12 \"verbatim words\"].")
                for line, text in malformed_citations(markdown, line_offset)]
    lines = markdown.split("\n")
    for citation in find_citations(markdown, page_src_uri, line_offset):
        problem = citation_problem(citation, speeches)
        if problem:
            problems.append((citation.line, problem))
            continue
        index = citation.line - line_offset - 1
        rendered = render_citation(citation, speeches[citation.slug], page_src_uri, language,
                                   original_href(citation) if original_href else None)
        lines[index] = lines[index].replace(citation.text, rendered, 1)
    return "\n".join(lines), problems

"""The speech content model: a speech is a title and numbered source paragraphs.

A source paragraph is one line of the cleaned speech text; paragraph N is the
N-th of them (the title line is not counted, the salutation 同志们： is p1).
Where the speech opens a paragraph with its own numbering (一、 / （一） /
第一， / 一要 / 1、), that lead phrase is shown as a heading and the rest of the
line follows it; both remain one paragraph with one anchor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CHINESE_NUMERAL = "一二三四五六七八九十"

# Numbering markers in the order of the usual Chinese outline hierarchy.
# Each entry: (rank, pattern). Lower rank = higher outline level.
NUMBERING_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (0, re.compile(rf"^[{CHINESE_NUMERAL}]+、")),
    (0, re.compile(rf"^第[{CHINESE_NUMERAL}]+[，,、]")),
    (0, re.compile(rf"^[{CHINESE_NUMERAL}]+要")),
    (1, re.compile(rf"^（[{CHINESE_NUMERAL}]+）")),
    (2, re.compile(r"^\d+[、.．]")),
)

# A lead phrase ends at the first full stop, exclamation or question mark.
LEAD_END = re.compile(r"[。！？]")
LONGEST_LEAD = 40  # characters; longer openings are ordinary paragraphs
LONGEST_STANDALONE_HEADING = 45  # a whole line this short with a marker is a heading

SPEECH_START = "<!-- speech:start -->"
SPEECH_END = "<!-- speech:end -->"

# Characters that Markdown would interpret; escaped so the page shows the text as written.
# Only Python-Markdown's own escapable characters: a backslash before any other
# character would be shown literally. The extensions we enable add no inline syntax
# beyond these (tilde, caret, mark and emoji are deliberately not enabled).
_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!])")


@dataclass(frozen=True)
class Paragraph:
    number: int
    text: str  # the source line, verbatim
    lead: str | None = None  # the numbered opening shown as a heading (a prefix of text)
    rank: int | None = None  # outline rank of the numbering marker

    @property
    def anchor(self) -> str:
        return paragraph_anchor(self.number)

    @property
    def body(self) -> str:
        return self.text[len(self.lead) :] if self.lead else self.text


def paragraph_anchor(number: int) -> str:
    return f"p{number}"


def numbering_rank(line: str) -> int | None:
    """Outline rank of the numbering marker that opens ``line``, if any."""
    for rank, pattern in NUMBERING_MARKERS:
        if pattern.match(line):
            return rank
    return None


def split_lead(line: str) -> str | None:
    """The numbered opening phrase of ``line`` to show as a heading, or None."""
    if numbering_rank(line) is None:
        return None
    end = LEAD_END.search(line)
    if end is None:
        return line if len(line) <= LONGEST_STANDALONE_HEADING else None
    if end.end() > LONGEST_LEAD:
        return None
    return line[: end.end()]


def paragraphs_from_lines(lines: list[str]) -> list[Paragraph]:
    """Number the cleaned speech lines (title excluded) as source paragraphs."""
    result = []
    for number, line in enumerate(lines, start=1):
        lead = split_lead(line)
        result.append(Paragraph(number, line, lead, numbering_rank(line) if lead else None))
    return result


def escape_markdown(text: str) -> str:
    """Escape ``text`` so Python-Markdown renders exactly these characters."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def table_cell(text: str) -> str:
    """Text from front matter or data, safe inside a Markdown table cell (or a link's text)."""
    return escape_markdown(" ".join(str(text).split())).replace("|", "\\|")


def heading_levels(paragraphs: list[Paragraph]) -> dict[int, int]:
    """Map each outline rank used in the speech to a heading level, starting at h2."""
    ranks = sorted({p.rank for p in paragraphs if p.rank is not None})
    return {rank: level for level, rank in enumerate(ranks, start=2)}


def render_speech_body(paragraphs: list[Paragraph]) -> str:
    """Markdown for the speech: one block per source paragraph, between markers.

    A block is either plain text, a heading alone (the whole line is the lead),
    or a heading line directly followed by the rest of the paragraph.
    """
    levels = heading_levels(paragraphs)
    blocks = []
    for paragraph in paragraphs:
        if paragraph.lead is None:
            blocks.append(escape_markdown(paragraph.text))
            continue
        heading = "#" * levels[paragraph.rank] + " " + escape_markdown(paragraph.lead)
        body = paragraph.body
        blocks.append(heading + ("\n" + escape_markdown(body) if body else ""))
    return "\n\n".join([SPEECH_START, *blocks, SPEECH_END]) + "\n"

"""The 讲话原文 index: one row per speech page, with length computed from the page itself."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from handbook.front_matter import split_front_matter
from handbook.paragraphs import speech_blocks
from handbook.problems import ProblemError
from handbook.speech import table_cell

INDEX_MARKER = "<!-- speech-index -->"

COLUMNS = {
    "zh": ("讲话", "场合", "讲话人", "年份", "段落", "字数"),
    "en": ("Speech", "Occasion", "Speaker", "Year", "Paragraphs", "Words"),
}
NOT_STATED = {"zh": "未载明", "en": "not stated"}
PENDING = {"zh": "待补", "en": "pending"}


@dataclass(frozen=True)
class SpeechSummary:
    src_uri: str
    source: str  # the ingested file; its name orders the speeches as the navigation does
    title: str
    occasion: str
    speaker: str | None
    year: int | None
    paragraphs: int | None  # None: the page holds no speech text yet (an untranslated stand-in)
    characters: int | None  # Chinese: characters, punctuation included, spaces not
    words: int | None  # English: words


def summarize(src_uri: str, source: str) -> SpeechSummary | None:
    """Summary of a page if it is a speech page (front matter names a ``source``)."""
    body, meta = split_front_matter(source)
    if not meta.get("source"):
        return None
    try:
        blocks = speech_blocks(body)
        paragraphs = len(blocks)
        characters = sum(len("".join(block.text.split())) for block in blocks)
        words = sum(len(block.text.split()) for block in blocks)
    except ProblemError:
        paragraphs = characters = words = None
    return SpeechSummary(
        src_uri=src_uri,
        source=str(meta["source"]),
        title=str(meta.get("title", src_uri)),
        occasion=str(meta.get("occasion", "")),
        speaker=meta.get("speaker"),
        year=meta.get("year"),
        paragraphs=paragraphs,
        characters=characters,
        words=words,
    )


def index_table(summaries: list[SpeechSummary], page_src_uri: str, language: str) -> str:
    """A Markdown table of the speeches, links relative to the page that shows it."""
    language = language if language in COLUMNS else "en"
    header = COLUMNS[language]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * 3 + "---|" + "--:|" * 2]
    base = posixpath.dirname(page_src_uri)
    for speech in sorted(summaries, key=lambda s: s.source):
        link = posixpath.relpath(speech.src_uri, base or ".")
        cells = [
            f"[{table_cell(speech.title)}]({link})",
            table_cell(speech.occasion),
            table_cell(speech.speaker or NOT_STATED[language]),
            str(speech.year) if speech.year else NOT_STATED[language],
            str(speech.paragraphs) if speech.paragraphs is not None else PENDING[language],
            f"{(speech.words if language == 'en' else speech.characters):,}" if speech.paragraphs is not None else PENDING[language],
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


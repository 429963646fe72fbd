"""The 讲话原文 index: one row per speech page, with length computed from the page itself."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from handbook.speech import table_cell

INDEX_MARKER = "<!-- speech-index -->"



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


def summarize(page, blocks: list) -> SpeechSummary:
    """Summary of a speech page (a model Page whose front matter names a ``source``) from its paragraphs."""
    meta = page.meta
    paragraphs = characters = words = None
    if blocks:
        paragraphs = len(blocks)
        characters = sum(len("".join(block.text.split())) for block in blocks)
        words = sum(len(block.text.split()) for block in blocks)
    return SpeechSummary(
        src_uri=page.src_uri,
        source=str(meta["source"]),
        title=str(meta.get("title", page.src_uri)),
        occasion=str(meta.get("occasion", "")),
        speaker=meta.get("speaker"),
        year=meta.get("year"),
        paragraphs=paragraphs,
        characters=characters,
        words=words,
    )


def index_table(summaries: list[SpeechSummary], page_src_uri: str, language: str, labels: dict) -> str:
    """A Markdown table of the speeches, links relative to the page that shows it (``labels``: the
    speech_index part of the language's label table)."""
    header = labels["columns"]
    rows = ["| " + " | ".join(header) + " |", "|" + "---|" * 3 + "---|" + "--:|" * 2]
    base = posixpath.dirname(page_src_uri)
    for speech in sorted(summaries, key=lambda s: s.source):
        link = posixpath.relpath(speech.src_uri, base or ".")
        cells = [
            f"[{table_cell(speech.title)}]({link})",
            table_cell(speech.occasion),
            table_cell(speech.speaker or labels["not_stated"]),
            str(speech.year) if speech.year else labels["not_stated"],
            str(speech.paragraphs) if speech.paragraphs is not None else labels["pending"],
            f"{(speech.words if language == 'en' else speech.characters):,}" if speech.paragraphs is not None else labels["pending"],
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


"""Stable paragraph anchors (#p1, #p2, …) for speech pages.

The ingested Markdown holds the speech between two HTML comments, one block per
source paragraph (see handbook.speech). Numbering the blocks at build time keeps
the anchors out of the editable text and identical from build to build; adding
them as attr_list ids puts them in the Markdown tree, where mkdocs' anchor
validation sees them like any heading id.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from handbook.problems import Problem
from handbook.speech import SPEECH_END, SPEECH_START, paragraph_anchor

_ATTR_LIST = re.compile(r"\{:?[^}\n]*\}\s*$")
_BACKSLASH_ESCAPE = re.compile(r"\\(.)")


@dataclass(frozen=True)
class SpeechBlock:
    number: int
    line: int  # 1-based line of the block's first line within the page Markdown
    lines: tuple[str, ...]

    @property
    def is_heading(self) -> bool:
        return self.lines[0].startswith("#")

    @property
    def text(self) -> str:
        """The paragraph as the reader sees it: heading and body joined, escapes undone."""
        parts = [re.sub(r"^#+\s*", "", line) if i == 0 and self.is_heading else line for i, line in enumerate(self.lines)]
        # Chinese runs on without a space (the source line exactly); an English heading and body need one.
        joiner = " " if parts[0][-1:].isascii() else ""
        return html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", joiner.join(parts)))


def speech_blocks(markdown: str, path: str = "", line_offset: int = 0) -> tuple[list[SpeechBlock], list[Problem]]:
    """The numbered source paragraphs between the speech markers, or the problem that prevents them.

    ``path`` and ``line_offset`` place a problem in the page file (the body starts after its front matter).
    """
    def problem(line: int, message: str, fix: str) -> tuple[list[SpeechBlock], list[Problem]]:
        return [], [Problem(path, line_offset + line, message, rule="speech", fix=fix)]

    lines = markdown.split("\n")
    try:
        start = lines.index(SPEECH_START)
    except ValueError:
        return problem(1, f"speech page without the '{SPEECH_START}' marker", "re-run `make ingest` for its source")
    try:
        end = lines.index(SPEECH_END, start)
    except ValueError:
        return problem(start + 1, f"'{SPEECH_START}' is never closed by '{SPEECH_END}'", "re-run `make ingest`")

    blocks: list[SpeechBlock] = []
    current: list[str] = []
    first = 0
    for index in range(start + 1, end + 1):
        line = lines[index] if index < end else ""
        if line.strip():
            if not current:
                first = index + 1
            current.append(line)
        elif current:
            blocks.append(SpeechBlock(len(blocks) + 1, first, tuple(current)))
            current = []
    if not blocks:
        return problem(start + 1, "the speech is empty: no paragraph between the markers", "ingest a non-empty source")
    for block in blocks:
        if _ATTR_LIST.search(block.lines[0] if block.is_heading else block.lines[-1]):
            return problem(block.line, f"paragraph {block.number} already carries an attribute list; paragraph anchors "
                                       "are added by the build (a hand-written id would duplicate or shift them)",
                           "remove the attribute list")
    return blocks, []


def add_paragraph_anchors(markdown: str, blocks: list[SpeechBlock]) -> str:
    """Give each speech paragraph its id: on its heading line if it opens with one, else on the block.

    ``blocks`` are the page's paragraphs as the model read them (speech_blocks of this Markdown).
    """
    lines = markdown.split("\n")
    for block in blocks:
        anchor = paragraph_anchor(block.number)
        if block.is_heading:
            lines[block.line - 1] += f" {{: #{anchor} }}"
        else:
            last = block.line - 1 + len(block.lines) - 1
            lines[last] += f"\n{{: #{anchor} .hb-para }}"
    return "\n".join(lines)

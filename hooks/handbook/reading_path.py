"""The onboarding reading path: front matter ``reading_path`` rendered as a table with reading times."""

from __future__ import annotations

import math
import posixpath
import re

from handbook.front_matter import split_front_matter
from handbook.grammar import CITATION
from handbook.problems import Problem
from handbook.speech import table_cell

READING_PATH_MARKER = "<!-- reading-path -->"
CHINESE_PER_MINUTE = 300  # characters: a careful first reading of rules, not skimming
ENGLISH_PER_MINUTE = 200  # words
_HAN = re.compile(r"[\u3400-\u9fff]")
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")
_NOT_READ = re.compile(r"<!--.*?-->|\{[^}\n]*\}|\]\([^)\n]*\)|`[^`\n]*`", re.S)


def reading_minutes(source: str) -> int:
    """Minutes to read a page: its Chinese characters and English words, markup and citation keys left out."""
    body, _ = split_front_matter(source)
    body = CITATION.sub(lambda m: " ".join(re.findall(r"\"([^\"]*)\"", m.group(0))), body)
    body = _NOT_READ.sub(" ", body)
    minutes = len(_HAN.findall(body)) / CHINESE_PER_MINUTE + len(_WORD.findall(body)) / ENGLISH_PER_MINUTE
    return max(1, math.ceil(minutes))


def reading_path_table(path: list, page_src_uri: str, sources: dict[str, tuple[str, str]], labels: dict,
                       front_matter_line: int = 1, path_name: str | None = None) -> tuple[str, list[Problem]]:
    """Markdown table of the path; ``sources`` maps a src_uri to (title, file text); ``labels`` is the
    reading_path part of the language's label table; problems name ``path_name`` (the file)."""
    header = labels["columns"]
    rows = ["| " + " | ".join(header) + " |", "|--:|---|---|--:|"]
    problems = []
    base = posixpath.dirname(page_src_uri) or "."
    total = 0
    for step, entry in enumerate(path or [], start=1):
        target = str((entry or {}).get("page", ""))
        if target not in sources:
            problems.append(Problem(path_name or page_src_uri, front_matter_line,
                                    f"reading_path step {step} names '{target}', which is not a page of the site",
                                    rule="reading-path", fix="use a path relative to docs/"))
            continue
        title, text = sources[target]
        minutes = reading_minutes(text)
        total += minutes
        why = table_cell(entry.get("why", ""))
        rows.append(f"| {step} | [{table_cell(title)}]({posixpath.relpath(target, base)}) | {why} | {labels['minutes'].format(minutes=minutes)} |")
    rows.append(f"| | {labels['total']} | | {labels['minutes'].format(minutes=total)} |")
    return "\n".join(rows), problems

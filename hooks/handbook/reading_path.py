"""The onboarding reading path: front matter ``reading_path`` rendered as a table with reading times."""

from __future__ import annotations

import math
import posixpath
import re

from handbook.citations import CITATION
from handbook.front_matter import split_front_matter
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


def reading_path_table(path: list, page_src_uri: str, sources: dict[str, tuple[str, str]], language: str,
                       front_matter_line: int = 1) -> tuple[str, list[Problem]]:
    """Markdown table of the path; ``sources`` maps a src_uri to (title, file text)."""
    zh = language == "zh"
    header = ("序号", "阅读", "为什么读", "约需") if zh else ("Step", "Read", "Why", "Time")
    rows = ["| " + " | ".join(header) + " |", "|--:|---|---|--:|"]
    problems = []
    base = posixpath.dirname(page_src_uri) or "."
    total = 0
    for step, entry in enumerate(path or [], start=1):
        target = str((entry or {}).get("page", ""))
        if target not in sources:
            problems.append(Problem(page_src_uri, front_matter_line,
                                    f"reading_path step {step} names '{target}', which is not a page of the site; use a path relative to docs/."))
            continue
        title, text = sources[target]
        minutes = reading_minutes(text)
        total += minutes
        why = table_cell(entry.get("why", ""))
        rows.append(f"| {step} | [{table_cell(title)}]({posixpath.relpath(target, base)}) | {why} | {minutes} {'分钟' if zh else 'min'} |")
    rows.append(f"| | {'合计' if zh else 'Total'} | | {total} {'分钟' if zh else 'min'} |")
    return "\n".join(rows), problems

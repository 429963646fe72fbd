"""Translation parity: every Chinese page has its English counterpart and vice versa, with the
same clause IDs and paragraph anchors once translated (a stand-in says ``translation: pending``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from handbook.front_matter import split_front_matter
from handbook.paragraphs import speech_blocks
from handbook.problems import Problem, ProblemError

_EXPLICIT_ID = re.compile(r"\{[^}\n]*#([^\s}]+)[^}\n]*\}\s*$")


def anchors(source: str) -> set[str]:
    """The anchors a reader may link to: explicit ids (clause IDs) and speech paragraphs (#p1 …)."""
    body, meta = split_front_matter(source)
    found = {match.group(1) for line in body.split("\n") if (match := _EXPLICIT_ID.search(line))}
    if meta.get("source"):
        try:
            found |= {f"p{block.number}" for block in speech_blocks(body)}
        except ProblemError:
            pass
    return found


@dataclass
class ParityReport:
    problems: list[Problem]
    pending: list[str]  # Chinese pages whose English counterpart is a stand-in


def check_parity(docs: Path, language: str = "en") -> ParityReport:
    problems, pending = [], []
    suffix = f".{language}.md"
    for page in sorted(docs.rglob("*.md")):
        relative = page.relative_to(docs).as_posix()
        if relative.endswith(suffix):
            original = page.with_name(page.name[: -len(suffix)] + ".md")
            if not original.exists():
                problems.append(Problem(relative, 1, f"[parity] English page without a Chinese original "
                                                     f"{original.relative_to(docs).as_posix()}; add the original or remove this page."))
            continue
        counterpart = page.with_name(page.stem + suffix)
        if not counterpart.exists():
            problems.append(Problem(relative, 1, f"[parity] no English counterpart {counterpart.relative_to(docs).as_posix()}; "
                                                 "run `make stand-ins` to add a translation-pending page, then translate it."))
            continue
        english = counterpart.read_text(encoding="utf-8")
        if split_front_matter(english)[1].get("translation") == "pending":
            pending.append(relative)
            continue
        chinese_anchors, english_anchors = anchors(page.read_text(encoding="utf-8")), anchors(english)
        for anchor in sorted(chinese_anchors - english_anchors):
            problems.append(Problem(counterpart.relative_to(docs).as_posix(), 1,
                                    f"[parity] anchor #{anchor} of {relative} is missing here; give the English page the same clause IDs and paragraphs."))
        for anchor in sorted(english_anchors - chinese_anchors):
            problems.append(Problem(counterpart.relative_to(docs).as_posix(), 1,
                                    f"[parity] anchor #{anchor} is not in {relative}; remove it or add it to the Chinese page."))
    return ParityReport(problems, pending)

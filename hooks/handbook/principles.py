"""Recurring principles (提法): the term index, a matcher that tolerates the speeches' variants,
and the data behind the backlinks, the 提法索引 matrix and the discovery report.

Python-Markdown's abbreviations cannot do this: their ``\\b`` word boundaries never match
inside Chinese text, and they know nothing of punctuation between a phrase's parts.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass, field

PRINCIPLES_DIR = "principles/"
# What may stand between the parts of a phrase, or around it: CJK and ASCII punctuation, quotes, spaces.
SEPARATORS = "，、；：,;:·\\s“”\"'‘’「」『』"
_SPLIT = re.compile(f"[{SEPARATORS}]+")
MATRIX_MARKER = "<!-- principle-matrix -->"  # where the 提法索引 goes (hooks/pipeline.py fills it)


def parts_of(form: str) -> list[str]:
    """The parts of a written form between its punctuation: 身在兵位、胸为帅谋 → 身在兵位, 胸为帅谋."""
    return [part for part in _SPLIT.split(form) if part]
# Full-width ASCII (！ to ～) folds to half-width, one character for one, so offsets stay valid.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


_FULL_WIDTH = re.compile("[\uff01-\uff5e]")


def fold(text: str) -> str:
    # translate() looks every character up in a dict; most English text has nothing to fold.
    return text.translate(_FOLD) if _FULL_WIDTH.search(text) else text


@dataclass(frozen=True)
class Term:
    src_uri: str  # the principle page
    term: str
    variants: tuple[str, ...]
    summary: str
    title: str

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.variants)


def term_of(src_uri: str, meta: dict) -> Term | None:
    """The term a principle page defines in its front matter (None for pages that define none)."""
    if not meta.get("term") or isinstance(meta["term"], (bool, list, dict)):
        return None
    # Anything but a list of wordings is reported by the front matter check (handbook/front_matter.py);
    # here it must not raise, nor turn one string into a variant per character.
    listed = meta.get("variants")
    listed = listed if isinstance(listed, list) else [listed] if isinstance(listed, str) else []
    variants = tuple(str(v) for v in listed if v is not None and not isinstance(v, (bool, list, dict)))
    return Term(src_uri, str(meta["term"]), variants, str(meta.get("summary", "")), str(meta.get("title", meta["term"])))


def form_pattern(form: str) -> str:
    """A regex for one written form: its parts in order, any separators between them."""
    parts = [re.escape(part) for part in _SPLIT.split(fold(form)) if part]
    return f"[{SEPARATORS}]*".join(parts)


def alternation(forms: list[str]) -> str:
    """The forms' patterns as alternatives tried in the given order, a literal prefix they share written once.

    Only forms whose first parts are prefix and extension of each other (keep, keeping) can match at
    the same position: two different literals cannot both start there otherwise. So the forms fall
    into groups of such forms, in which the given order is kept, and a group's common prefix is tried
    once instead of once per form; twelve English forms open with "the". The matches are the same.
    """
    firsts = [next((part for part in _SPLIT.split(fold(form)) if part), "") for form in forms]
    groups: list[list[int]] = []  # indexes into forms, in the given order
    for index, first in enumerate(firsts):
        related = [group for group in groups if any(first.startswith(firsts[i]) or firsts[i].startswith(first) for i in group)]
        merged = sorted([index, *(i for group in related for i in group)])
        groups = [group for group in groups if group not in related] + [merged]
    alternatives = []
    for group in sorted(groups):
        prefix = re.escape(os.path.commonprefix([firsts[i] for i in group]))
        patterns = [form_pattern(forms[i]) for i in group]
        if len(group) == 1 or not prefix:
            alternatives += patterns
        else:
            alternatives.append(prefix + "(?:" + "|".join(pattern[len(prefix):] for pattern in patterns) + ")")
    return "|".join(alternatives)


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    term: Term


class Matcher:
    """One compiled pattern for all forms of all terms: one pass over a text finds every occurrence.

    Alternatives are ordered longest first, so where terms overlap (五个坚持 and 坚持) the longer wins.
    They are plain (no named groups), so every alternative starts with a literal and the regex
    engine skips quickly over positions where no term can start; the matched text, separators
    removed, tells which term it was.
    """

    def __init__(self, terms: list[Term]):
        self.terms = terms
        self._term_of_form: dict[str, Term] = {}
        for term in terms:
            for form in term.forms:
                if form.strip():
                    self._term_of_form.setdefault(_SPLIT.sub("", fold(form)), term)
        forms = sorted({form for term in terms for form in term.forms if form.strip()},
                       key=lambda form: -len(_SPLIT.sub("", form)))
        self._pattern = re.compile(alternation(forms)) if forms else None
        self._term_of_text: dict[str, Term] = {}  # matched text -> its term: the same few texts match again and again

    def _term(self, matched: str) -> Term:
        term = self._term_of_text.get(matched)
        if term is None:
            term = self._term_of_text[matched] = self._term_of_form[_SPLIT.sub("", matched)]
        return term

    def find(self, text: str) -> list[Match]:
        if self._pattern is None or not text:
            return []
        return [Match(m.start(), m.end(), self._term(m.group(0))) for m in self._pattern.finditer(fold(text))]


@dataclass
class Occurrences:
    """Where each principle occurs: speech paragraphs (with context) and norm clauses."""

    in_speeches: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)  # term src_uri -> (slug, pN, context)
    in_clauses: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # term src_uri -> (norm src_uri, id, title)

    def counts(self, term_uri: str) -> Counter:
        return Counter(slug for slug, _, _ in self.in_speeches.get(term_uri, []))


def context_line(text: str, match: Match, width: int = 18) -> str:
    start, end = max(match.start - width, 0), min(match.end + width, len(text))
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def collect_occurrences(matcher: Matcher, speeches: dict, clauses: list) -> Occurrences:
    """Every occurrence in the speech paragraphs, and every clause that uses each term."""
    found = Occurrences()
    for slug, speech in speeches.items():
        for number, text in speech.paragraphs.items():
            for match in matcher.find(text):
                found.in_speeches.setdefault(match.term.src_uri, []).append((slug, number, context_line(text, match)))
    for clause in clauses:
        for term_uri in dict.fromkeys(match.term.src_uri for match in matcher.find(clause.title + "\n" + clause.body)):
            found.in_clauses.setdefault(term_uri, []).append((clause.src_uri, clause.id, clause.title))
    return found


def backlinks_context(term: Term, found: Occurrences, speeches: dict, url_of, labels: dict) -> dict:
    """What the 出处与引用 template shows: occurrences grouped by speech, counted, and the clauses.

    ``url_of(src_uri, fragment)`` gives the link from the page being built; ``labels`` is the principles
    part of the language's label table.
    """
    in_speeches = found.in_speeches.get(term.src_uri, [])
    in_clauses = found.in_clauses.get(term.src_uri, [])
    counts = found.counts(term.src_uri)
    by_speech: dict[str, list[tuple[int, str]]] = {}  # grouped once, not filtered once per speech
    for slug, number, context in in_speeches:
        by_speech.setdefault(slug, []).append((number, context))
    groups = [
        {
            "id": f"src-{slug}",
            "title": labels["speech"].format(title=speech.short_title, count=counts[slug]),
            "items": [{"href": url_of(speech.src_uri, f"p{number}"), "label": f"¶{number}", "context": context}
                      for number, context in by_speech[slug]],
        }
        for slug, speech in speeches.items() if counts.get(slug)
    ]
    return {
        "heading": labels["heading"],
        "summary": labels["summary"].format(speeches=len(counts), count=len(in_speeches), clauses=len(in_clauses)),
        "groups": groups,
        "clauses_title": labels["clauses"].format(count=len(in_clauses)),
        "clauses": [{"href": url_of(uri, clause_id), "label": clause_id, "title": title} for uri, clause_id, title in in_clauses],
        "none": labels["none"] if not in_speeches and not in_clauses else "",
    }


def matrix_context(terms: list[Term], found: Occurrences, speeches: dict, url_of, labels: dict) -> dict:
    """Principles × speeches: occurrence counts with a shade 0–4, each cell linking to the backlinks; by total."""
    peak = max((count for term in terms for count in found.counts(term.src_uri).values()), default=1)
    rows = []
    for term in sorted(terms, key=lambda term: (-sum(found.counts(term.src_uri).values()), term.term)):
        counts = found.counts(term.src_uri)
        cells = [{"count": counts.get(slug, 0), "href": url_of(term.src_uri, f"src-{slug}"),
                  "shade": 0 if not counts.get(slug) else min(4, 1 + (counts[slug] - 1) * 4 // peak)}
                 for slug in speeches]
        rows.append({"term": term.term, "summary": term.summary, "href": url_of(term.src_uri, ""), "cells": cells,
                     "total": sum(counts.values())})
    return {"term_label": labels["term"], "total_label": labels["total"],
            "speeches": [speech.short_title for speech in speeches.values()], "rows": rows}


QUOTED = re.compile(r"“([^”“]{2,12})”")
# 四个意识, 两个维护 (一个X is ordinary speech); 三督三察, 一文一机 (the same numeral twice).
NUMBERED = re.compile(r"[两二三四五六七八九十][个项条种][\u4e00-\u9fff]{2}|([一二三四五六七八九十])[\u4e00-\u9fff]\1[\u4e00-\u9fff]")


def is_covered(phrase: str, matcher: Matcher) -> bool:
    """A phrase is covered when a term matches all of it, or it is a part of some term's form (前哨 of 前哨和后院)."""
    folded = _SPLIT.sub("", fold(phrase))
    if any(match.start == 0 and match.end == len(phrase) for match in matcher.find(phrase)):
        return True
    return any(folded in _SPLIT.sub("", fold(form)) for term in matcher.terms for form in term.forms)


def discover(speeches: dict, matcher: Matcher) -> list[tuple[str, list[str]]]:
    """Quoted and numbered set phrases found in two or more speeches that no principle page covers."""
    where: dict[str, set[str]] = {}
    for slug, speech in speeches.items():
        for text in speech.paragraphs.values():
            for match in QUOTED.finditer(text):
                where.setdefault(match.group(1), set()).add(slug)
            for match in NUMBERED.finditer(text):
                where.setdefault(match.group(0), set()).add(slug)
    result = []
    for phrase, slugs in sorted(where.items(), key=lambda item: (-len(item[1]), item[0])):
        if len(slugs) < 2:
            continue
        if is_covered(phrase, matcher):
            continue
        result.append((phrase, sorted(slugs)))
    return result

"""Quotation marks mean quotation (GUIDE): text in “” in a clause's title or rule must be the speeches' words.

It must occur in a paragraph the clause cites, or, for a named 提法 (a principle's term or variant), in some
speech. English pages are checked against the English translations of the paragraphs, as the reader sees
them. A clause whose 说明 / Note repeats the quoted words explains them there and is not flagged. Whitespace
is normalised; the speeches' own punctuation inside a phrase (、，) may be left out, case and the
apostrophe's form (’ or ') do not count; nothing else.
"""

from __future__ import annotations

import functools
import re

from handbook.grammar import QUOTATION, Clause, note_lines, rule_lines
from handbook.problems import Problem

_PUNCTUATION = re.compile(r"[\s、，,·]+")


def _plain(text: str) -> str:
    """Compared without spaces, list punctuation, case and the apostrophe's typographic form (’ and ')."""
    return _PUNCTUATION.sub("", text).replace("’", "'").casefold()


class Quotations:
    """The quotation check of one build: the terms' forms and the text of all the speeches are made once, when a
    first phrase needs them (made for every clause, they grew with the corpus: quadratic at 100×)."""

    def __init__(self, speeches: dict, terms: list):
        self.speeches, self.terms = speeches, terms

    @functools.cached_property
    def forms(self) -> set[str]:
        return {_plain(form) for term in self.terms for form in term.forms if form}

    @functools.cached_property
    def every_speech(self) -> str:
        return _plain("\n".join(p for s in self.speeches.values() for p in s.paragraphs.values()))

    def problems(self, clause: Clause, path: str) -> list[Problem]:
        """A problem per quoted phrase of ``clause`` that its cited paragraphs do not hold (``path``: its file)."""
        quotations = [(line, match) for line, text in [(clause.line, clause.title), *rule_lines(clause)]
                      for match in QUOTATION.finditer(text)]
        if not quotations:  # most clauses: their cited paragraphs need not be read
            return []
        speeches = self.speeches
        cited = [speeches[c.slug].paragraphs.get(c.number, "") for c in clause.citations if c.slug in speeches]
        cited_text = _plain("\n".join(cited))
        notes = "\n".join(note_lines(clause))
        problems = []
        for line, match in quotations:
            quoted = _plain(match.group(1))
            if not quoted or quoted in cited_text or match.group(0) in notes:
                continue
            if quoted in self.forms and quoted in self.every_speech:
                continue
            problems.append(Problem(
                path, line, f"{clause.id}: “{match.group(1)}” is in quotation marks but is not in the paragraphs it cites",
                rule="quotation", fix="quote the speech's own words, drop the quotation marks, or say why in the "
                                      "clause's 说明 / Note (repeating the quoted words)"))
        return problems


def quotation_problems(clause: Clause, path: str, speeches: dict, terms: list) -> list[Problem]:
    """Quotations(speeches, terms).problems(clause, path), for one clause."""
    return Quotations(speeches, terms).problems(clause, path)

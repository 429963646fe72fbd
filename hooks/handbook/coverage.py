"""Source coverage: each speech paragraph is cited by a norm clause or listed as non-normative; a speech in
progress (handbook/drafts.py) lists the paragraphs that are neither as to do."""

from __future__ import annotations

from dataclasses import dataclass

from handbook.blocks import Href, Link, Strong, one_line, table
from handbook.drafts import SPEECHES_FILE, to_do_ranges
from handbook.model import Handbook
from handbook.problems import Problem
from handbook.speech import table_cell

COVERAGE_MARKER = "<!-- coverage -->"
NON_NORMATIVE_FILE = "sources/non-normative.yml"

@dataclass(frozen=True)
class ParagraphStatus:
    slug: str
    number: int
    clauses: tuple[tuple[str, str], ...]  # (norm page src_uri, clause id) citing it
    reason: str | None  # why it is non-normative, if listed
    draft: bool = False  # the speech is in progress: an uncovered paragraph is to do, not a fault

    @property
    def uncovered(self) -> bool:
        return not self.clauses and not self.reason


def reason_text(value, language: str) -> str | None:
    """A reason is a string, or {zh: …, en: …} with one per language (Chinese as the fallback)."""
    if isinstance(value, dict):
        return value.get(language) or value.get("zh")
    return value


def paragraph_statuses(corpus: Handbook, non_normative: dict, language: str = "zh") -> dict[str, list[ParagraphStatus]]:
    cited = corpus.cited_by_clauses()
    result = {}
    for slug, speech in corpus.speeches.items():
        reasons = non_normative.get(slug) or {}
        statuses = []
        for number in sorted(speech.paragraphs):
            clauses = []
            for citation in cited.get((slug, number), []):
                entry = (citation.src_uri, citation.clause or "")
                if entry not in clauses:
                    clauses.append(entry)
            statuses.append(ParagraphStatus(slug, number, tuple(clauses), reason_text(reasons.get(number), language),
                                            speech.draft))
        result[slug] = statuses
    return result


def non_normative_problems(corpus: Handbook, non_normative: dict, source_text: str) -> list[Problem]:
    """Entries of the non-normative list that name no existing speech or paragraph."""
    problems: list[Problem] = []
    if not any(speech.paragraphs for speech in corpus.speeches.values()):
        return problems  # a language whose speeches are untranslated stand-ins: nothing to check against
    lines = source_text.split("\n")

    def line_of(needle: str) -> int:
        return next((i for i, line in enumerate(lines, start=1) if line.strip().startswith(needle)), 1)

    for slug, entries in (non_normative or {}).items():
        speech = corpus.speeches.get(slug)
        if speech is None:
            problems.append(Problem(f"../{NON_NORMATIVE_FILE}", line_of(f"{slug}:"), f"unknown speech '{slug}'; use a slug of docs/speeches/."))
            continue
        if not speech.paragraphs:
            continue  # a stand-in page without the text: nothing to check against
        for number, reason in (entries or {}).items():
            if number not in speech.paragraphs:
                problems.append(Problem(f"../{NON_NORMATIVE_FILE}", line_of(f"{number}:"), f"{slug} has no paragraph {number}; remove the entry."))
            elif not str(reason_text(reason, "zh") or "").strip():
                problems.append(Problem(f"../{NON_NORMATIVE_FILE}", line_of(f"{number}:"), f"{slug} paragraph {number} needs a reason."))
    return problems


def uncovered_problems(corpus: Handbook, statuses: dict[str, list[ParagraphStatus]]) -> list[Problem]:
    """A warning for each paragraph neither cited nor listed, but in a speech in progress (see to_do_notes)."""
    problems = []
    for slug, items in statuses.items():
        speech = corpus.speeches[slug]
        if speech.draft:
            continue
        for status in items:
            if status.uncovered:
                problems.append(Problem(
                    speech.src_uri, speech.lines.get(status.number, 0),
                    f"paragraph p{status.number} is neither cited by a norm clause nor listed in {NON_NORMATIVE_FILE}; "
                    "cite it from a clause (`make suggest SLUG=" + slug + "` lists the clauses it most likely supports), "
                    "or list it there with the reason it sets no norm.",
                ))
    return problems


def to_do_notes(corpus: Handbook, statuses: dict[str, list[ParagraphStatus]]) -> list[Problem]:
    """One line for each speech in progress: its paragraphs still to cite or list (logged as information)."""
    notes = []
    for slug, items in statuses.items():
        speech = corpus.speeches[slug]
        if not speech.draft:
            continue
        to_do = [status.number for status in items if status.uncovered]
        message = (f"in progress (status: draft in {SPEECHES_FILE}): {len(to_do)} of {len(items)} paragraphs to do, "
                   f"neither cited nor listed in {NON_NORMATIVE_FILE}" + (f": {to_do_ranges(to_do)}" if to_do else ""))
        fix = (f"cite each from a clause or list it with its reason (`make paragraphs SLUG={slug}` prints them)" if to_do else
               f"every paragraph is done: remove `status: draft` from {SPEECHES_FILE} so the speech can be published")
        notes.append(Problem(speech.src_uri, speech.lines.get(to_do[0], 0) if to_do else 0, message, rule="draft", fix=fix))
    return notes


def coverage_parts(corpus: Handbook, statuses: dict[str, list[ParagraphStatus]], href: Href, labels: dict,
                   separator: str = "、") -> list:
    """Summary table per speech, then each speech's paragraphs with status, links and reasons: a heading
    (Markdown, for the table of contents) and a table (an element, handbook/blocks.py) per speech.

    ``labels`` is the coverage part of the language's label table, ``separator`` its list separator.
    """
    summary, parts = [], []
    totals = [0, 0, 0, 0]
    for slug, items in statuses.items():
        speech = corpus.speeches[slug]
        counts = [len(items), sum(1 for s in items if s.clauses), sum(1 for s in items if s.reason and not s.clauses),
                  sum(1 for s in items if s.uncovered)]
        totals = [a + b for a, b in zip(totals, counts)]
        name = one_line(speech.short_title) + (labels["draft"] if speech.draft else "")
        summary.append((Link(f"#{slug}", name), *map(str, counts), _rate(counts)))
        rows = []
        for status in items:
            paragraph = Link(href(speech.src_uri, f"p{status.number}"), f"¶{status.number}")
            if status.clauses:
                refs: list = []
                for uri, clause in status.clauses:
                    refs += [separator] if refs else []
                    refs.append(Link(href(uri, clause), clause) if clause else Link(href(uri), one_line(corpus.titles.get(uri, uri))))
                rows.append((paragraph, labels["cited"], refs))
            elif status.reason:
                rows.append((paragraph, labels["non_normative"], one_line(status.reason)))
            elif status.draft:
                rows.append((paragraph, labels["to_do"], ""))
            else:
                rows.append((paragraph, Strong(labels["uncovered"]), ""))
        heading = table_cell(speech.short_title) + (table_cell(labels["draft"]) if speech.draft else "")
        parts += [f"## {heading} {{ #{slug} }}", table(labels["detail"], rows)]
    summary.append((labels["total"], *map(str, totals), _rate(totals)))
    return [table(labels["summary"], summary, right=frozenset(range(1, 6))), *parts]


def _rate(counts: list[int]) -> str:
    total, cited, non_normative, _ = counts
    normative = total - non_normative
    return f"{cited / normative:.0%}" if normative else "—"

"""How widely each clause is held, computed from its citations: the speeches that support it, and whether it is
one office's arrangement for one year (every citation from a speech whose front matter says it is that office's
plan for that year, `arrangement:` in sources/speeches.yml, carried in by `make ingest`). Nothing is typed per
clause.

Shown as a small line under each clause (kept out of the search index: speech names under every clause would
match every query naming a speech), as 原编号 lines for merged IDs (indexed: a search for an old ID finds the
clause), and in the 工作规范 index as two tabs: every clause, and those held across speeches.
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook.blocks import Href, Link, block, one_line, table, tabs
from handbook.grammar import Clause
from handbook.speech import escape_markdown

CLAUSE_LIST_MARKER = "<!-- norms-clauses -->"


@dataclass(frozen=True)
class Support:
    slugs: tuple[str, ...]  # the speeches the clause cites, in the speeches' order
    arrangement: dict | None = None  # the speech's `arrangement` when it is the clause's only support


def arrangements(original) -> dict[str, dict]:
    """Speech slug -> its `arrangement` (office, office_en, year), from the original-language model's front matter."""
    return {slug: original.pages[speech.src_uri].meta["arrangement"] for slug, speech in original.speeches.items()
            if isinstance(original.pages[speech.src_uri].meta.get("arrangement"), dict)}


def support_of(clause: Clause, speeches: dict, plans: dict[str, dict]) -> Support:
    cited = {citation.slug for citation in clause.citations}
    slugs = tuple(slug for slug in speeches if slug in cited)
    arrangement = plans.get(slugs[0]) if len(slugs) == 1 else None
    return Support(slugs, arrangement)


def support_line(support: Support, speeches: dict, labels: dict, language: str) -> str:
    """The clause's support as a Markdown paragraph with its class (out of the search index)."""
    names = labels["list_separator"].join(escape_markdown(speeches[slug].short_title) for slug in support.slugs)
    text = (labels["support_one"] if len(support.slugs) == 1 else labels["support"]).format(
        count=len(support.slugs), speeches=names)
    if support.arrangement:
        text += escape_markdown(arrangement_text(support, labels, language))
    return f"{text}\n{{: .hb-support data-search-exclude }}"


def formerly_line(old_ids: list[str], labels: dict) -> str:
    """原编号 / Formerly: the IDs merged into this clause, in its indexed text."""
    return labels["formerly"].format(ids=labels["list_separator"].join(old_ids)) + "\n{: .hb-formerly }"


def mark_clauses(markdown: str, page, clauses: list[Clause], speeches: dict, plans: dict,
                 formerly: dict[str, list[str]], labels: dict, language: str) -> str:
    """Each clause's common questions as a small line of their own, and its support line (and 原编号 line) before
    them or at its end. One pass from the last clause up, on the model's line numbers: run before any step that
    adds lines."""
    lines = markdown.split("\n")
    for clause in sorted(clauses, key=lambda clause: -clause.line):
        if clause.questions_line:
            at = clause.questions_line - page.offset - 1
            lines[at] += "\n{: .hb-questions }"
        else:
            at = clause.line - page.offset + clause.body.rstrip("\n").count("\n") + 1
        added = [support_line(support_of(clause, speeches, plans), speeches, labels, language)]
        if clause.id in formerly:
            added.insert(0, formerly_line(formerly[clause.id], labels))
        lines[at:at] = [part for line in added for part in (line, "")]
    return "\n".join(lines)


def arrangement_text(support: Support, labels: dict, language: str) -> str:
    """The arrangement's words (an office and a year), as text; escape_markdown() them for Markdown."""
    office = support.arrangement.get("office_en" if language == "en" else "office", "")
    return labels["arrangement"].format(office=office, year=support.arrangement.get("year", ""))


def clause_list(norm_pages: list, href: Href, speeches: dict, plans: dict, labels: dict, language: str):
    """The 工作规范 index's two tabs (pymdownx.tabbed's markup, no script needed): every clause with its support
    count, and only the clauses held in two or more speeches. Out of the search index: the clauses are indexed
    where they stand."""
    rows_all, rows_shared = [], []
    for norm_page in norm_pages:
        for clause in norm_page.clauses:
            support = support_of(clause, speeches, plans)
            link = Link(href(norm_page.uri, clause.id), one_line(f"{clause.id} {clause.title}"))
            count = str(len(support.slugs)) + (arrangement_text(support, labels, language) if support.arrangement else "")
            rows_all.append((link, count))
            if len(support.slugs) > 1:
                rows_shared.append((link, count))
    header = (labels["clause"], labels["speeches"])
    tab_set_element = tabs([labels["all"].format(count=len(rows_all)), labels["shared"].format(count=len(rows_shared))],
                           [table(header, rows_all, right=frozenset({1})), table(header, rows_shared, right=frozenset({1}))])
    # A <section>, not a <div>: Material's search parser matches closing tags by name only, so the first inner
    # </div> of the tabs would end a <div>'s exclusion.
    section = block("section", {"class": "hb-clause-list", "data-search-exclude": ""}, text="\n")
    section.append(tab_set_element)
    return section

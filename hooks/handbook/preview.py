"""What an edit affects: the pages `make serve` renders again after a save, instead of the whole site.

mkdocs' own `serve --dirty` re-renders the edited page alone, so the pages that show that page's clauses,
citations or title go stale (mkdocs #1705, #4047), and it cannot know better: what a page shows of the others
is the handbook's business. Here, from the model before and after the save, each page's *facts* are worked
out: what it shows of the model besides its own text (the clauses a generated list names, the citations under
a speech paragraph, a principle's occurrences, the reading times of the onboarding path). A page is rendered
again when its file changed or its facts did. What every page shows (the navigation's titles, the principle
links, the speeches that citations quote) is a *site fact*: when one changes, every page is rendered again.

Plain data and plain functions (the tests call them without mkdocs). tests/test_preview.py checks the outcome
against a full build, page by page, for the edits an editor makes.
"""

from __future__ import annotations

from handbook.clauses import NORMS_INDEX_MARKER
from handbook.coverage import COVERAGE_MARKER
from handbook.model import SPEECHES_DIR, Handbook, speech_slug
from handbook.principles import MATRIX_MARKER
from handbook.questions import FAQ_MARKER
from handbook.reading_path import READING_PATH_MARKER
from handbook.revisions import REVISIONS_MARKER
from handbook.speech_index import INDEX_MARKER as SPEECH_INDEX_MARKER


def site_facts(handbook: Handbook) -> tuple:
    """What every page shows of the others: the pages and their titles (the navigation, the footer's previous
    and next), the principles' terms (linked on every page), the speeches (quoted by every citation, named in
    every support line) and the tags (the tags page, each page's tag links)."""
    return (
        tuple((uri, page.title, tuple(page.meta.get("tags") or ())) for uri, page in handbook.pages.items()),
        tuple(handbook.terms),
        tuple((slug, speech.short_title, speech.source, tuple(speech.paragraphs.items()),
               repr(handbook.pages[speech.src_uri].meta)) for slug, speech in handbook.speeches.items()),
    )


def page_facts(handbook: Handbook, record: dict | None = None, gone_pages: frozenset[str] = frozenset()) -> dict[str, tuple]:
    """Page uri -> what that page shows of the model besides its own text (nothing, for most pages).

    ``record`` is the build's clause record (the 修订记录 lists what changed in it); ``gone_pages`` the pages
    that list merged or retired IDs, each with its successor's title.
    """
    clauses = handbook.clauses
    named = tuple((c.src_uri, c.id, c.title) for c in clauses)  # a clause as a link to it shows it
    found = handbook.occurrences
    by_speech = handbook.citations_by_speech()
    facts: dict[str, tuple] = {}
    for uri, page in handbook.pages.items():
        text, shown = page.text, []
        if NORMS_INDEX_MARKER in text:  # each clause with its scope and the speeches it is held in
            shown.append(tuple((c.src_uri, c.id, c.title, c.scope and (c.scope.year, c.scope.audiences),
                                tuple(citation.slug for citation in c.citations)) for c in clauses))
        if FAQ_MARKER in text:
            shown.append(tuple((c.src_uri, c.id, c.title, c.questions) for c in clauses))
        if REVISIONS_MARKER in text:
            shown += [repr(record), named]
        if COVERAGE_MARKER in text:  # each paragraph with the clauses citing it
            shown.append(tuple((c.src_uri, c.slug, c.number, c.clause) for c in handbook.citations))
        if SPEECH_INDEX_MARKER in text:
            shown.append(tuple(handbook.speeches))
        if MATRIX_MARKER in text:
            shown.append(repr((found.in_speeches, found.in_clauses)))
        if any(term.src_uri == uri for term in handbook.terms):  # its 出处与引用 and related norms (ID and title)
            shown.append(repr((found.in_speeches.get(uri), found.in_clauses.get(uri))))
        if READING_PATH_MARKER in text:  # each listed page's reading time
            listed = [entry.get("page") for entry in page.meta.get("reading_path") or [] if isinstance(entry, dict)]
            shown.append(tuple((item, handbook.pages[item].text) for item in listed if item in handbook.pages))
        if uri.startswith(SPEECHES_DIR):  # under each paragraph, the clauses citing it
            shown.append(tuple((c.src_uri, c.number, c.clause, c.clause_title) for c in by_speech.get(speech_slug(uri), [])))
        if uri in gone_pages:  # each merged ID with its successor
            shown.append(named)
        if shown:
            facts[uri] = tuple(shown)
    return facts


def affected_pages(before: Handbook, after: Handbook, changed: set[str], record_before: dict | None = None,
                   record_after: dict | None = None, gone_pages: frozenset[str] = frozenset()) -> set[str] | None:
    """The pages (model uris) to render again after the files of ``changed`` were edited; None: every page."""
    if site_facts(before) != site_facts(after):
        return None
    facts_before = page_facts(before, record_before, gone_pages)
    facts_after = page_facts(after, record_after, gone_pages)
    return set(changed) | {uri for uri in set(facts_before) | set(facts_after) if facts_before.get(uri) != facts_after.get(uri)}


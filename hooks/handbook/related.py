"""相关规范 / Related norms on each principle page, generated from the model: the clauses whose title, rule or
cited words carry the principle (principles.collect_occurrences reads a clause's title and its whole text,
citations and their quoted words included), each as ID and title as its own page has them, so a title can
never drift from its clause. The clauses are found in the original language, so both languages list the same."""

from __future__ import annotations

import posixpath

from handbook.speech import escape_markdown

RELATED_MARKER = "<!-- related-norms -->"


def related_markdown(term_uri: str, occurrences, norm_pages: list, page_uri: str, none: str) -> str:
    """One item per clause carrying the term, in the navigation's order of the norm pages."""
    carrying = {clause_id for _, clause_id, _ in occurrences.in_clauses.get(term_uri, [])}
    base = posixpath.dirname(page_uri) or "."
    items = [f"- [{clause.id}]({posixpath.relpath(norm_page.uri, base)}#{clause.id}) {escape_markdown(clause.title)}"
             for norm_page in norm_pages for clause in norm_page.clauses if clause.id in carrying]
    return "\n".join(items) if items else none

"""The 常见问题 page: every clause's common questions (grammar.py), gathered by domain, each linking to its clause."""

from __future__ import annotations

import posixpath

from handbook.speech import escape_markdown

FAQ_MARKER = "<!-- common-questions -->"


def faq_markdown(norm_pages: list, page_uri: str, labels: dict) -> str:
    """One section per norm page (in the navigation's order), one item per clause with questions.

    ``labels`` is the questions part of the language's label table; links are relative to ``page_uri``.
    """
    base = posixpath.dirname(page_uri) or "."
    sections = []
    for norm_page in norm_pages:
        items = [f"- {' '.join(escape_markdown(q) for q in clause.questions)} {labels['answer']} "
                 f"[{clause.id} {escape_markdown(clause.title)}]({posixpath.relpath(norm_page.uri, base)}#{clause.id})"
                 for clause in norm_page.clauses if clause.questions]
        if items:
            sections.append(f"## {escape_markdown(norm_page.title)}\n\n" + "\n".join(items))
    return "\n\n".join(sections)

"""The 常见问题 page: every clause's common questions (grammar.py), gathered by domain, each linking to its clause."""

from __future__ import annotations

from handbook.blocks import Href, Link, bullet_list
from handbook.speech import escape_markdown

FAQ_MARKER = "<!-- common-questions -->"


def faq_parts(norm_pages: list, href: Href, labels: dict) -> list:
    """One section per norm page (in the navigation's order), one item per clause with questions: a heading
    (Markdown) and a list (an element, handbook/blocks.py).

    ``labels`` is the questions part of the language's label table; ``href`` makes a page's URL.
    """
    parts = []
    for norm_page in norm_pages:
        items = [(f"{' '.join(clause.questions)} {labels['answer']} ",
                  Link(href(norm_page.uri, clause.id), f"{clause.id} {clause.title}"))
                 for clause in norm_page.clauses if clause.questions]
        if items:
            parts += [f"## {escape_markdown(norm_page.title)}", bullet_list(items)]
    return parts

"""Norm clauses (grammar.py: ``### 办文-03 标题 { #办文-03 }``): the ID shown as a badge, and the
工作规范 index table. The model (model.py) has read and checked them."""

from __future__ import annotations

import re

from handbook.blocks import Href, Link, one_line, table
from handbook.grammar import CLAUSE_HEADING

NORMS_INDEX_MARKER = "<!-- norms-index -->"


def mark_clause_ids(markdown: str) -> str:
    """Show the ID of each clause heading as a badge (the anchor and the title stay as written)."""
    def badge(match: re.Match) -> str:
        return f'{match["hashes"]} <span class="hb-clause-id">{match["id"]}</span> {match["title"]} {{ #{match["anchor"]} }}'
    return "\n".join(CLAUSE_HEADING.sub(badge, line) for line in markdown.split("\n"))


def norms_index(pages: list, href: Href, labels: dict):
    """A table of the norm pages (model NormPages): title (link), number of clauses, first and last ID."""
    rows = [(Link(href(page.uri), one_line(page.title)), str(len(page.clauses)),
             f"{page.clauses[0].id} – {page.clauses[-1].id}" if page.clauses else "—") for page in pages]
    rows.append((labels["total"], str(sum(len(page.clauses) for page in pages)), ""))
    return table((labels["domain"], labels["clauses"], labels["ids"]), rows, right=frozenset({1}))

"""Norm clauses (grammar.py: ``### 办文-03 标题 { #办文-03 }``): the ID shown as a badge, and the
工作规范 index table. The model (model.py) has read and checked them."""

from __future__ import annotations

import posixpath
import re

from handbook.grammar import CLAUSE_HEADING
from handbook.speech import table_cell

NORMS_INDEX_MARKER = "<!-- norms-index -->"


def mark_clause_ids(markdown: str) -> str:
    """Show the ID of each clause heading as a badge (the anchor and the title stay as written)."""
    def badge(match: re.Match) -> str:
        return f'{match["hashes"]} <span class="hb-clause-id">{match["id"]}</span> {match["title"]} {{ #{match["anchor"]} }}'
    return "\n".join(CLAUSE_HEADING.sub(badge, line) for line in markdown.split("\n"))


def norms_index(pages: list, page_src_uri: str, labels: dict) -> str:
    """A table of the norm pages (model NormPages): title (link), number of clauses, first and last ID."""
    rows = ["| " + " | ".join((labels["domain"], labels["clauses"], labels["ids"])) + " |", "|---|--:|---|"]
    base = posixpath.dirname(page_src_uri) or "."
    for page in pages:
        ids = f"{page.clauses[0].id} – {page.clauses[-1].id}" if page.clauses else "—"
        rows.append(f"| [{table_cell(page.title)}]({posixpath.relpath(page.uri, base)}) | {len(page.clauses)} | {ids} |")
    rows.append(f"| {labels['total']} | {sum(len(page.clauses) for page in pages)} | |")
    return "\n".join(rows)

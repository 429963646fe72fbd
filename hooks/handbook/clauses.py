"""Norm clauses: ``### 办文-03 标题 { #办文-03 }`` — a stable ID, shown and usable as an anchor.

Checked here: the ID's form, that the heading text starts with the same ID as its anchor,
that no ID is used twice in the handbook, and that every clause cites at least one paragraph.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from handbook.citations import CITATION
from handbook.problems import Problem
from handbook.speech import table_cell

CLAUSE_HEADING = re.compile(r"^(?P<hashes>#{2,6})\s+(?P<id>\S+-\d+)\s+(?P<title>.*?)\s*\{\s*:?\s*#(?P<anchor>[^\s}]+)\s*\}\s*$")
CLAUSE_ID = re.compile(r"^[\u4e00-\u9fff]{2,4}-\d{2,3}$")
NORMS_INDEX_MARKER = "<!-- norms-index -->"


@dataclass(frozen=True)
class Clause:
    src_uri: str
    line: int
    id: str
    title: str
    level: int
    citations: int
    body: str  # the clause's text below its heading


def find_clauses(markdown: str, src_uri: str, line_offset: int = 0) -> tuple[list[Clause], list[Problem]]:
    """Clauses of a norm page and the problems in their headings or bodies."""
    clauses: list[Clause] = []
    problems: list[Problem] = []
    lines = markdown.split("\n")
    starts = []
    for index, line in enumerate(lines):
        match = CLAUSE_HEADING.match(line)
        if not match:
            continue
        number = line_offset + index + 1
        if not CLAUSE_ID.match(match["id"]):
            problems.append(Problem(src_uri, number, f"clause ID '{match['id']}' is not of the form 办文-03 (domain, hyphen, two digits)."))
        if match["anchor"] != match["id"]:
            problems.append(Problem(src_uri, number, f"clause heading shows '{match['id']}' but its anchor is '#{match['anchor']}'; make them the same."))
        starts.append((index, match))
    for position, (index, match) in enumerate(starts):
        level = len(match["hashes"])
        end = len(lines)
        for later in range(index + 1, len(lines)):
            heading = re.match(r"^(#{1,6})\s", lines[later])
            if heading and len(heading.group(1)) <= level:
                end = later
                break
        count = sum(len(CITATION.findall(line)) for line in lines[index + 1 : end])
        body = "\n".join(lines[index + 1 : end])
        clause = Clause(src_uri, line_offset + index + 1, match["id"], match["title"], level, count, body)
        clauses.append(clause)
        if count == 0:
            problems.append(Problem(src_uri, clause.line, f"clause {clause.id} cites no speech paragraph; add a 依据 line with [@slug#pN \"…\"]."))
    return clauses, problems


def duplicate_clause_problems(clauses: list[Clause]) -> list[Problem]:
    seen: dict[str, Clause] = {}
    problems = []
    for clause in clauses:
        if clause.id in seen:
            first = seen[clause.id]
            problems.append(Problem(clause.src_uri, clause.line,
                                    f"clause ID {clause.id} is already used at docs/{first.src_uri}:{first.line}; give this clause a new ID."))
        else:
            seen[clause.id] = clause
    return problems


def mark_clause_ids(markdown: str) -> str:
    """Show the ID of each clause heading as a badge (the anchor and the title stay as written)."""
    def badge(match: re.Match) -> str:
        return f'{match["hashes"]} <span class="hb-clause-id">{match["id"]}</span> {match["title"]} {{ #{match["anchor"]} }}'
    return "\n".join(CLAUSE_HEADING.sub(badge, line) for line in markdown.split("\n"))


def norms_index(pages: list[tuple[str, str, list[Clause]]], page_src_uri: str, language: str) -> str:
    """A table of the norm pages: title (link), number of clauses, first and last ID."""
    header = ("领域", "条款数", "编号") if language == "zh" else ("Domain", "Clauses", "IDs")
    rows = ["| " + " | ".join(header) + " |", "|---|--:|---|"]
    base = posixpath.dirname(page_src_uri) or "."
    for src_uri, title, clauses in pages:
        ids = f"{clauses[0].id} – {clauses[-1].id}" if clauses else "—"
        rows.append(f"| [{table_cell(title)}]({posixpath.relpath(src_uri, base)}) | {len(clauses)} | {ids} |")
    rows.append(f"| {'合计' if language == 'zh' else 'Total'} | {sum(len(c) for _, _, c in pages)} | |")
    return "\n".join(rows)

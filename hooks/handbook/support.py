"""How widely each clause is held, computed from its citations: the speeches that support it. Nothing is typed per
clause. Whom a clause binds and for how long is its scope line, which an editor writes (handbook/scopes.py).

Shown as a small line under each clause (kept out of the search index: speech names under every clause would
match every query naming a speech), as 原编号 lines for merged IDs (indexed: a search for an old ID finds the
clause), and in the 工作规范 index as tabs: every clause, each scope's duration, and those held across speeches.
"""

from __future__ import annotations

from dataclasses import dataclass

from handbook.blocks import Href, Link, block, one_line, table, tabs
from handbook.grammar import Clause
from handbook.scopes import duration_text, scope_text
from handbook.speech import escape_markdown

CLAUSE_LIST_MARKER = "<!-- norms-clauses -->"


@dataclass(frozen=True)
class Support:
    slugs: tuple[str, ...]  # the speeches the clause cites, in the speeches' order


def support_of(clause: Clause, speeches: dict) -> Support:
    cited = {citation.slug for citation in clause.citations}
    return Support(tuple(slug for slug in speeches if slug in cited))


def support_line(support: Support, speeches: dict, labels: dict) -> str:
    """The clause's support as a Markdown paragraph with its class (out of the search index)."""
    names = labels["list_separator"].join(escape_markdown(speeches[slug].short_title) for slug in support.slugs)
    text = (labels["support_one"] if len(support.slugs) == 1 else labels["support"]).format(
        count=len(support.slugs), speeches=names)
    return f"{text}\n{{: .hb-support data-search-exclude }}"


def formerly_line(old_ids: list[str], labels: dict) -> str:
    """原编号 / Formerly: the IDs merged into this clause, in its indexed text."""
    return labels["formerly"].format(ids=labels["list_separator"].join(old_ids)) + "\n{: .hb-formerly }"


def mark_clauses(markdown: str, page, clauses: list[Clause], speeches: dict, formerly: dict[str, list[str]],
                 labels: dict) -> str:
    """Each clause's scope and common questions as small lines of their own, and its support line (and 原编号 line)
    before the questions or at its end. One pass from the last clause up, on the model's line numbers: run before
    any step that adds lines. The scope stays out of the search index's text: the worker shows it from the
    model, and 县政府办公室 under every clause would match every query naming the office."""
    lines = markdown.split("\n")
    for clause in sorted(clauses, key=lambda clause: -clause.line):
        if clause.scope:  # the line as written; a class to set it apart, data-scope for the reader's eye and tests
            kind = "standing" if clause.scope.standing else f"task-{clause.scope.year}"
            lines[clause.scope.line - page.offset - 1] += f"\n{{: .hb-scope data-scope=\"{kind}\" data-search-exclude }}"
        if clause.questions_line:
            at = clause.questions_line - page.offset - 1
            lines[at] += "\n{: .hb-questions }"
        else:
            at = clause.line - page.offset + clause.body.rstrip("\n").count("\n") + 1
        added = [support_line(support_of(clause, speeches), speeches, labels)]
        if clause.id in formerly:
            added.insert(0, formerly_line(formerly[clause.id], labels))
        lines[at:at] = [part for line in added for part in (line, "")]
    return "\n".join(lines)


def clause_list(norm_pages: list, href: Href, speeches: dict, labels: dict):
    """The 工作规范 index's tabs (pymdownx.tabbed's markup, no script needed): every clause with its scope and
    support count; the clauses of each duration (长期有效, each year's tasks); those held in two or more speeches.
    Out of the search index: the clauses are indexed where they stand."""
    rows_all, rows_shared, by_duration = [], [], {}
    for norm_page in norm_pages:
        for clause in norm_page.clauses:
            support = support_of(clause, speeches)
            link = Link(href(norm_page.uri, clause.id), one_line(f"{clause.id} {clause.title}"))
            row = ((link, scope_text(clause.scope, labels) if clause.scope else "", str(len(support.slugs))),
                   clause.scope.audiences if clause.scope else ())
            rows_all.append(row)
            if clause.scope:
                by_duration.setdefault(clause.scope.year, []).append(row)
            if len(support.slugs) > 1:
                rows_shared.append(row)
    titles, contents = [labels["all"].format(count=len(rows_all))], [scope_table(rows_all, labels)]
    for year, rows in sorted(by_duration.items()):  # standing (year 0) first, then each year's tasks
        scope = duration_text(year, labels)
        titles.append(labels["scope_tab"].format(scope=scope, count=len(rows)))
        contents.append(scope_table(rows, labels))
    titles.append(labels["shared"].format(count=len(rows_shared)))
    contents.append(scope_table(rows_shared, labels))
    tab_set_element = tabs(titles, contents)
    # A <section>, not a <div>: Material's search parser matches closing tags by name only, so the first inner
    # </div> of the tabs would end a <div>'s exclusion.
    section = block("section", {"class": "hb-clause-list", "data-search-exclude": ""}, text="\n")
    section.append(tab_set_element)
    return section


def scope_table(rows: list, labels: dict):
    """The clauses' table; each row names the offices and roles its clause binds (data-audiences, one per line),
    which assets/javascripts/norms-filter.js filters by."""
    element = table((labels["clause"], labels["scope"], labels["speeches"]), [cells for cells, _ in rows],
                    right=frozenset({2}))
    for row, (_, audiences) in zip(element.findall("tbody/tr"), rows):
        row.set("data-audiences", "\n".join(audiences))
    return element

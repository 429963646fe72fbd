"""The registry of published clause IDs, sources/clause-registry.yml: every ID a reader may have linked to.

A clause ID is a published URL (norms/<page>/#<ID>). The registry lists each ID with its page and a
digest of what it said (rule text and citations, for the 修订记录 of a plain build); an ID that no longer
heads a clause must say where it went:

    作风-01:
      page: norms/conduct.md
      digest: aab8ed4c61
      replaced_by: 办事-05          # merged: norms/conduct/#作风-01 points to 办事-05, which shows 原编号 作风-01
    督查-13:
      page: norms/supervision.md
      retired: 与督查-06 重复        # withdrawn without a successor: the old page says so under its ID
      retired_en: Repeated 督查-06

`python tools/clause_registry.py --write` makes the file from the pages (once) and adds IDs that are new
since; it never changes an entry. The build reads the registry once (hooks/pipeline.py, on_files) and fails
when an entry points nowhere.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path

import yaml

from handbook.front_matter import FAST_LOADER
from handbook.grammar import CLAUSE_ID, Clause, rule_lines
from handbook.model import normalise
from handbook.problems import Problem, yaml_problem
from handbook.speech import escape_markdown

REGISTRY_FILE = "sources/clause-registry.yml"
PROBLEM_PATH = "../" + REGISTRY_FILE
FIELDS = ("page", "digest", "replaced_by", "moved", "retired", "retired_en")
HEADER = """\
# Published clause IDs: each is a URL (norms/<page>/#<ID>) that must keep resolving (README, "Writing the handbook").
# Written by `python tools/clause_registry.py --write` from the pages; it adds new IDs and never changes an entry.
#   page         the norm page the ID was published on
#   digest       what the clause said when registered (rule text and citations): a plain build's 修订记录 compares with it
#   replaced_by  the clause that now holds this rule (a merge): the old page points there, the new clause shows 原编号
#   moved        true when replaced_by is the same rule under a new ID on the page where readers look for it (a move)
#   retired      why the rule was withdrawn without a successor (retired_en: the same in English)
"""


@dataclass(frozen=True)
class Entry:
    id: str
    line: int
    page: str
    digest: str = ""
    replaced_by: str = ""
    retired: str = ""
    retired_en: str = ""
    moved: bool = False


@dataclass
class Registry:
    entries: dict[str, Entry]
    present: bool = True  # False when the file does not exist (fixture sites, a new project)

    def replaced(self) -> dict[str, str]:
        """Old ID -> the ID that replaced it."""
        return {entry.id: entry.replaced_by for entry in self.entries.values() if entry.replaced_by}

    def formerly(self) -> dict[str, list[str]]:
        """New ID -> the old IDs merged into it, in registry order."""
        result: dict[str, list[str]] = {}
        for old, new in self.replaced().items():
            result.setdefault(new, []).append(old)
        return result

    def gone_from(self, page_uri: str) -> list[Entry]:
        """The replaced and retired IDs published on ``page_uri``."""
        return [entry for entry in self.entries.values()
                if entry.page == page_uri and (entry.replaced_by or entry.retired)]


def clause_digest(clause: Clause) -> str:
    """What a reader would call a change: the rule text (whitespace normalised) and the paragraphs it cites."""
    rule = normalise(" ".join(text for _, text in rule_lines(clause)))
    cited = sorted({f"{citation.slug}#p{citation.number}" for citation in clause.citations})
    return hashlib.sha1("\n".join([rule, *cited]).encode("utf-8")).hexdigest()[:10]


def read_registry(path: Path) -> tuple[Registry, list[Problem]]:
    """The registry file, each entry with its line; a problem per unreadable entry."""
    if not path.exists():
        return Registry({}, present=False), []
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError as error:
        return Registry({}), [yaml_problem(PROBLEM_PATH, error, "registry")]
    entries: dict[str, Entry] = {}
    problems: list[Problem] = []
    if root is None:
        return Registry({}), []
    if not isinstance(root, yaml.MappingNode):
        return Registry({}), [Problem(PROBLEM_PATH, 1, "the registry must map clause IDs to their entries", rule="registry",
                                      fix="write `办文-03:` and under it `page: norms/documents.md`")]
    # The nodes are composed already (with their lines): each entry's fields are constructed from its node, not
    # serialised and parsed again (that was most of the registry's reading time).
    constructor = yaml.constructor.SafeConstructor()
    for key, value in root.value:
        line = key.start_mark.line + 1
        clause_id = str(key.value)
        fields = constructor.construct_document(value) if isinstance(value, yaml.MappingNode) else None
        if not CLAUSE_ID.match(clause_id) or not isinstance(fields, dict) or not fields.get("page"):
            problems.append(Problem(PROBLEM_PATH, line, f"'{clause_id}' is not a clause ID with its page",
                                    rule="registry", fix="write the ID (办文-03) and under it `page: norms/<page>.md`"))
            continue
        if unknown := sorted(set(fields) - set(FIELDS)):
            problems.append(Problem(PROBLEM_PATH, line, f"{clause_id} has unknown fields {', '.join(unknown)}",
                                    rule="registry", fix=f"use only {', '.join(FIELDS)}"))
        if clause_id in entries:
            problems.append(Problem(PROBLEM_PATH, line, f"{clause_id} is listed twice (first at line {entries[clause_id].line})",
                                    rule="registry", fix="keep one entry"))
            continue
        entries[clause_id] = Entry(clause_id, line, str(fields["page"]), str(fields.get("digest") or ""),
                                   str(fields.get("replaced_by") or ""), str(fields.get("retired") or ""),
                                   str(fields.get("retired_en") or ""), fields.get("moved") is True)
    return Registry(entries), problems


def registry_problems(registry: Registry, clauses: list[Clause]) -> list[Problem]:
    """Every registered ID still resolves: it heads a clause on its page, or it names its successor or its reason."""
    by_id = {clause.id: clause for clause in clauses}
    problems = []

    def problem(entry: Entry, message: str, fix: str) -> None:
        problems.append(Problem(PROBLEM_PATH, entry.line, message, rule="registry", fix=fix))

    for entry in registry.entries.values():
        clause = by_id.get(entry.id)
        if entry.moved and not entry.replaced_by:
            problem(entry, f"{entry.id} is moved but names no clause it moved to", "add `replaced_by: <new ID>`")
        if entry.replaced_by and entry.retired:
            problem(entry, f"{entry.id} is both replaced_by {entry.replaced_by} and retired", "keep one of them")
        if clause is not None:
            if entry.replaced_by or entry.retired:
                problem(entry, f"{entry.id} still heads a clause (docs/{clause.src_uri}:{clause.line}) but the registry "
                               f"says it is {'replaced' if entry.replaced_by else 'retired'}",
                        "remove the clause, or drop replaced_by/retired from the entry")
            elif clause.src_uri != entry.page:
                problem(entry, f"{entry.id} was published on {entry.page} but is now on {clause.src_uri}: "
                               f"links to {entry.page}#{entry.id} would break",
                        f"keep the clause on {entry.page}, or give it a new ID there and set `replaced_by:` on {entry.id}")
            continue
        if entry.replaced_by:
            if entry.replaced_by not in by_id:
                problem(entry, f"{entry.id} is replaced_by {entry.replaced_by}, which is not a clause",
                        "name the clause that now holds this rule")
        elif entry.retired:
            if not entry.retired_en:
                problem(entry, f"{entry.id} is retired without retired_en", "give the reason in English too")
        else:
            problem(entry, f"clause {entry.id} (published on {entry.page}) no longer exists and is not mapped",
                    f"restore it, or set `replaced_by: <ID>` (merged) or `retired: <reason>` on {entry.id}")
    return problems


def registry_text(clauses: list[Clause], registry: Registry | None = None) -> tuple[str, list[str]]:
    """The registry file with every clause ID not yet in ``registry`` added at its end; and the IDs added."""
    existing = registry.entries if registry else {}
    added = [clause for clause in clauses if clause.id not in existing]
    blocks = [f"{clause.id}:\n  page: {clause.src_uri}\n  digest: '{clause_digest(clause)}'\n" for clause in added]
    return "".join(blocks), [clause.id for clause in added]


def gone_markdown(entries: list[Entry], clauses: dict[str, Clause], page_uri: str, labels: dict, language: str) -> str:
    """The section at the end of the page an ID was published on: one item per merged or retired ID, the item
    carrying the ID as its anchor, so norms/<page>/#<old ID> lands on it and it points to the successor."""
    base = posixpath.dirname(page_uri) or "."
    items = []
    for entry in entries:
        if entry.replaced_by:
            new = clauses.get(entry.replaced_by)
            if new is None:  # reported by registry_problems
                continue
            link = f"[{new.id} {escape_markdown(new.title)}]({posixpath.relpath(new.src_uri, base)}#{new.id})"
            text = labels["moved" if entry.moved else "merged"].format(old=entry.id, new=link)
        else:
            reason = entry.retired_en if language == "en" else entry.retired
            text = labels["retired"].format(old=entry.id, reason=escape_markdown(reason))
        items.append(f"- {text}\n{{: #{entry.id} }}")
    return f"## {labels['gone_heading']}\n\n" + "\n".join(items) if items else ""

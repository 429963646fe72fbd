"""Whom a clause binds and for how long: its scope line (handbook/grammar.py), read against sources/scopes.yml.

The scope is decided by an editor reading the clause against its paragraphs, never derived from the speeches it
cites; the build only checks that every clause has one, that it names offices and roles the table knows, and that
a translation states the same scope as the Chinese clause. Shown under each clause (the line as written), as a
column and tabs of the 工作规范 index, and with the clause in search results.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from handbook.front_matter import FAST_LOADER
from handbook.grammar import Clause, Scope
from handbook.labels import label_table
from handbook.problems import Problem, yaml_problem

SCOPES_FILE = "sources/scopes.yml"
PROBLEM_PATH = "../" + SCOPES_FILE


def read_audiences(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """sources/scopes.yml's `audiences`: the Chinese name of each office or role -> its English."""
    if not path.exists():
        return {}, [Problem(PROBLEM_PATH, 0, "the table of offices and roles a scope may name is missing", rule="scope",
                            fix=f"restore {SCOPES_FILE} (audiences: {{县政府办公室: County Government Office, …}})")]
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=FAST_LOADER) or {}
    except yaml.YAMLError as error:
        return {}, [yaml_problem(PROBLEM_PATH, error, "scope")]
    audiences = data.get("audiences") if isinstance(data, dict) else None
    if not isinstance(audiences, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                                  for k, v in audiences.items()):
        return {}, [Problem(PROBLEM_PATH, 0, "`audiences` must map each Chinese name to its English", rule="scope",
                            fix="write audiences: then one `县政府办公室: County Government Office` line per office or role")]
    return {key.strip(): value.strip() for key, value in audiences.items()}, []


def scope_problems(clauses: list[Clause], audiences: dict[str, str], language: str,
                   original: dict[str, Clause] | None = None, paths: dict[str, str] | None = None) -> list[Problem]:
    """Unknown offices or roles in scope lines; on a translation (``original``: the Chinese clauses by ID), a scope
    that differs from the Chinese clause's. ``paths``: the files problems name, by page uri."""
    names = set(audiences.values()) if language == "en" else set(audiences)
    problems = []
    for clause in clauses:
        scope = clause.scope
        if scope is None:
            continue  # the grammar reported it
        path = (paths or {}).get(clause.src_uri, clause.src_uri)
        for audience in scope.audiences:
            if audience not in names:
                problems.append(Problem(path, scope.line, f"the scope of {clause.id} names '{audience}', which "
                                                          f"{SCOPES_FILE} does not list", rule="scope",
                                        fix="use a name listed there, or add it (with its English) if a speech "
                                            "addresses this office or role"))
        source = (original or {}).get(clause.id)
        if source is not None and source.scope is not None:
            expected = tuple(audiences.get(audience, audience) for audience in source.scope.audiences)
            if (scope.year, scope.audiences) != (source.scope.year, expected):
                problems.append(Problem(path, scope.line, f"the scope of {clause.id} differs from the Chinese clause's "
                                                          f"({scope_text(source.scope, label_table('zh')['clauses'])})",
                                        rule="scope",
                                        fix="state the same years and the same offices and roles, in the English of "
                                            f"{SCOPES_FILE}, in the same order"))
    return problems


def scope_text(scope: Scope, labels: dict) -> str:
    """The scope as a reader sees it at a glance: 长期有效 · 县政府办公室, Task for 2020 · County Government Office."""
    return f"{duration_text(scope.year, labels)} · {labels['audience_separator'].join(scope.audiences)}"


def duration_text(year: int, labels: dict) -> str:
    """长期有效 / Standing (year 0), or 2020年度任务 / Task for 2020."""
    return labels["task"].format(year=year) if year else labels["standing"]

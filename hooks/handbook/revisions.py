"""修订记录 / Revision history: clauses added, changed (rule text or citations), merged and retired since the
previous published release, computed at build.

Every build writes its record, clause-record.json, into the site: each clause's page, title and digest
(registry.clause_digest), the merged and retired IDs, and the history of earlier releases. `make publish`
gives the build the live release's record (extra.handbook.revisions.previous_record); a plain build compares
with the registry of published IDs instead (sources/clause-registry.yml), so a plain build of an unchanged
handbook lists nothing, and a merge recorded in the registry shows as merged. The record carries the history
forward, newest first. Computed from the original language (a translation follows its clauses); each language
shows its own titles.
"""

from __future__ import annotations

import json
from pathlib import Path

from handbook.blocks import Href, Link, bullet_list, format_parts, paragraph
from handbook.problems import Problem
from handbook.registry import Registry, clause_digest

RECORD_FILE = "clause-record.json"
REVISIONS_MARKER = "<!-- revisions -->"
KINDS = ("added", "changed", "merged", "moved", "retired")


def current_record(clauses: list, registry: Registry, version: str, date: str) -> dict:
    """What this build publishes: its clauses, the merged and retired IDs."""
    return {
        "version": version,
        "date": date,
        "clauses": {clause.id: {"page": clause.src_uri, "title": clause.title, "digest": clause_digest(clause)}
                    for clause in clauses},
        "replaced": {entry.id: entry.replaced_by for entry in registry.entries.values() if entry.replaced_by},
        "moved": sorted(entry.id for entry in registry.entries.values() if entry.moved and entry.replaced_by),
        "retired": {entry.id: entry.retired for entry in registry.entries.values() if entry.retired},
        "history": [],
    }


def registry_baseline(registry: Registry) -> dict:
    """The registry as the previous release of a plain build: every published ID, as it was registered."""
    return {"version": "", "date": "", "replaced": {}, "moved": [], "retired": {}, "history": [],
            "clauses": {entry.id: {"page": entry.page, "digest": entry.digest} for entry in registry.entries.values()}}


def read_record(path: Path) -> tuple[dict | None, list[Problem]]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return None, [Problem("../mkdocs.yml", 0, f"extra.handbook.revisions.previous_record: cannot read {path} ({error})",
                              rule="revisions", fix="point it at the clause-record.json of the live release, or leave it empty")]
    return record, []


def changes(previous: dict, current: dict) -> dict[str, list[str]]:
    """Clause IDs by kind of change from ``previous`` to ``current`` (records)."""
    before, now = previous.get("clauses", {}), current["clauses"]
    known = set(before) | set(previous.get("replaced", {})) | set(previous.get("retired", {}))
    return {
        "added": [cid for cid in now if cid not in known],
        "changed": [cid for cid in now if cid in before and before[cid].get("digest")
                    and before[cid]["digest"] != now[cid]["digest"]],
        "merged": [cid for cid in current["replaced"] if cid not in previous.get("replaced", {})
                   and cid not in current.get("moved", [])],
        "moved": [cid for cid in current.get("moved", []) if cid not in previous.get("replaced", {})],
        "retired": [cid for cid in current["retired"] if cid not in previous.get("retired", {})],
    }


def with_history(previous: dict, current: dict) -> dict:
    """``current`` with its changes since ``previous`` on top of the previous history (newest first)."""
    found = changes(previous, current)
    entry = {"version": current["version"], "date": current["date"], "since": previous.get("version", ""), **found}
    history = list(previous.get("history", []))
    if any(found[kind] for kind in KINDS):
        history.insert(0, entry)
    return {**current, "history": history}


def revisions_parts(record: dict, clauses: dict, gone: dict[str, str], href: Href, labels: dict) -> list:
    """The page: one section per release with changes, newest first, each ID linking to its clause; a heading
    (Markdown) and its paragraphs and lists (elements, handbook/blocks.py) per release.

    ``clauses``: ID -> (page uri, title) in this language; ``gone``: merged or retired ID -> the page that still
    holds its anchor (the registry's 已并入 list). IDs that resolve nowhere any more are named without a link.
    """
    def item(clause_id: str, kind: str) -> list:
        if clause_id in clauses and kind not in ("merged", "moved"):
            uri, title = clauses[clause_id]
            text = Link(href(uri, clause_id), f"{clause_id} {title}")
        elif clause_id in gone:
            text = Link(href(gone[clause_id], clause_id), clause_id)
        else:
            text = clause_id
        if kind in ("merged", "moved") and (new := record["replaced"].get(clause_id)) in clauses:
            uri, title = clauses[new]
            return format_parts(labels[f"{kind}_into"], old=text, new=Link(href(uri, new), f"{new} {title}"))
        return [text]

    if not record["history"]:
        return [labels["none"]]
    parts = []
    for entry in record["history"]:
        since = labels["since_release"].format(version=entry["since"]) if entry.get("since") else labels["since_registry"]
        parts += [f"## {labels['release'].format(version=entry['version'], date=entry['date'])}", paragraph(since)]
        for kind in KINDS:
            if entry.get(kind):
                parts += [paragraph(labels[kind].format(count=len(entry[kind])), strong=True),
                          bullet_list([item(clause_id, kind) for clause_id in entry[kind]])]
    return parts


def write_record(record: dict, site_dir: Path) -> Path:
    path = site_dir / RECORD_FILE
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1), encoding="utf-8")
    return path

"""The registry of published clause IDs: ``python tools/clause_registry.py [--write]``.

Without --write, lists the clause IDs of docs/norms/ that sources/clause-registry.yml does not hold yet.
With --write, creates the registry from the Chinese norm pages (the first time) or adds those IDs at its
end; it never changes or removes an entry (a merged or retired ID keeps its entry, with replaced_by/retired
written by hand: README, "Writing the handbook").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.model import NORMS_DIR, read_handbook  # noqa: E402
from handbook.registry import HEADER, REGISTRY_FILE, read_registry, registry_problems, registry_text  # noqa: E402


def norm_pages(docs: Path) -> list[tuple[str, str]]:
    """(src_uri, text) of the Chinese norm pages (the IDs are the same in every language)."""
    return [(path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8"))
            for path in sorted((docs / NORMS_DIR).glob("*.md")) if not path.name.endswith(".en.md")]


def main(arguments: list[str] | None = None, repo: Path = REPO) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="create the registry, or add the new IDs to it")
    args = parser.parse_args(arguments)
    path = repo / REGISTRY_FILE
    registry, problems = read_registry(path)
    if problems:
        print("\n".join(str(problem) for problem in problems), file=sys.stderr)
        return 1
    clauses = read_handbook(norm_pages(repo / "docs")).clauses
    blocks, added = registry_text(clauses, registry)
    if not args.write:
        print("\n".join(added) if added else "every clause ID is registered")
        for problem in registry_problems(registry, clauses):
            print(problem, file=sys.stderr)
        return 0
    if added:
        with path.open("a", encoding="utf-8") as file:
            file.write(("" if registry.present else HEADER) + blocks)
    print(f"{REGISTRY_FILE}: {len(added)} IDs added, {len(registry.entries)} were there")
    return 0


if __name__ == "__main__":
    sys.exit(main())

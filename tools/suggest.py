"""Citation suggestions for a speech: ``make suggest SLUG=<slug>`` (README, "Adding a speech" and "Benchmark").

    python tools/suggest.py [--as-new] [--top N] [--en] [SLUG ...]

For each paragraph of the speech that no clause cites and sources/non-normative.yml does not list: ¶N and its
first words, then the existing clauses it most likely supports, best first (ID, title, score and why), each with
a citation line whose quoted words occur verbatim in the paragraph, to paste under the clause; or
"候选新条款或非规范性文字" when no clause is likely. Without SLUG, every speech. --as-new ranks every paragraph the
list does not hold as if the speech were new (its citations removed from the clauses): what the suggester would
have said when it was ingested. --en prints the interface text in English (the suggestions are the Chinese
pages'). The same suggestions for the whole handbook are in site/editors/citation-suggestions.txt after a build.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.coverage import NON_NORMATIVE_FILE, paragraph_statuses  # noqa: E402
from handbook.labels import label_table  # noqa: E402
from handbook.model import Handbook, read_handbook  # noqa: E402
from handbook.suggest import TOP, clause_index, report_lines, suggestions_for, uncited  # noqa: E402


def chinese_handbook(repo: Path = REPO) -> Handbook:
    """The model of the Chinese pages of docs/, as the Chinese build reads it (without mkdocs)."""
    docs = repo / "docs"
    pages = [(path.relative_to(docs).as_posix(), path.read_text(encoding="utf-8"))
             for path in sorted(docs.rglob("*.md")) if not path.name.endswith(".en.md")]
    return read_handbook(pages, "zh")


def read_non_normative(repo: Path = REPO) -> dict:
    path = repo / NON_NORMATIVE_FILE
    return (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}


def main(arguments: list[str] | None = None, repo: Path = REPO) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("slugs", nargs="*", metavar="SLUG", help="speeches (default: every speech)")
    parser.add_argument("--as-new", action="store_true", help="rank every paragraph not listed as non-normative, "
                                                              "the speech's own citations removed")
    parser.add_argument("--top", type=int, default=TOP, help=f"suggestions per paragraph (default {TOP})")
    parser.add_argument("--en", action="store_true", help="interface text in English")
    args = parser.parse_args(arguments)
    handbook = chinese_handbook(repo)
    unknown = [slug for slug in args.slugs if slug not in handbook.speeches]
    if unknown:
        print(f"unknown speech {', '.join(unknown)}; known speeches: {', '.join(handbook.speeches)}", file=sys.stderr)
        return 2
    non_normative = read_non_normative(repo)
    slugs = args.slugs or list(handbook.speeches)
    labels = label_table("en" if args.en else "zh")
    quote = (labels["quote_open"], labels["quote_close"])
    found = []
    for slug in slugs:
        if args.as_new:
            listed = set(non_normative.get(slug) or {})
            paragraphs = [(slug, number) for number in handbook.speeches[slug].paragraphs if number not in listed]
            found += suggestions_for(handbook, paragraphs, clause_index(handbook, without=slug), args.top)
        else:
            statuses = paragraph_statuses(handbook, non_normative)
            found += suggestions_for(handbook, [entry for entry in uncited(statuses) if entry[0] == slug], top=args.top)
    try:
        print("\n".join(report_lines(found, handbook, labels["suggest"], quote)))
    except BrokenPipeError:  # `make suggest … | head`: the reader has seen enough
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

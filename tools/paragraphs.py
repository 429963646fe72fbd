"""Print the numbered paragraphs of the speeches, for editors writing citations.

    python tools/paragraphs.py [--en] [SLUG ...]

Each line reads ``slug#pN<TAB>text``; cite it as ``[@slug#pN "verbatim words"]``. With --en, the
English translations (what English pages quote from).
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.paragraphs import speech_blocks  # noqa: E402
from mkdocs.utils.meta import get_data  # noqa: E402


def main(arguments: list[str]) -> int:
    english = "--en" in arguments
    slugs = [argument for argument in arguments if argument != "--en"]
    suffix = ".en.md" if english else ".md"
    pages = sorted((REPO / "docs" / "speeches").glob(f"*{suffix}"))
    for page in pages:
        slug = page.name.removesuffix(suffix)
        if "." in slug or slug == "index" or (slugs and slug not in slugs):
            continue
        body, _ = get_data(page.read_text(encoding="utf-8"))
        blocks, problems = speech_blocks(body, page.relative_to(REPO / "docs").as_posix())
        for problem in problems:
            print(problem, file=sys.stderr)
        for block in blocks:
            print(f"{slug}#p{block.number}\t{block.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

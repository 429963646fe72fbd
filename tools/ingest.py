"""Ingest raw speech files: ``python tools/ingest.py path/to/speech.txt [...]``.

With no argument, re-ingests every file already in sources/ (after a rule change).
Exit status 1 with a file:line message when an input cannot be ingested.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.ingest import IngestError, ingest  # noqa: E402


def main(arguments: list[str]) -> int:
    sources = [Path(a) for a in arguments] or sorted((REPO / "sources").glob("*.txt"))
    for src in sources:
        try:
            page, speech = ingest(src, REPO)
        except (IngestError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{src.name} -> {page.relative_to(REPO)}: {len(speech.lines)} paragraphs")
        for number, line in speech.dropped:
            print(f"  dropped {src.name}:{number} (advertising/disclaimer): {line.strip()}")
    print("New speech? List its page under 讲话原文 in mkdocs.yml `nav:` (zh) so readers can reach it.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

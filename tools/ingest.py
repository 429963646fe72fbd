"""Ingest raw speech files: ``python tools/ingest.py path/to/讲话.docx [...]`` (Word documents, or text in
UTF-8, UTF-16 or GB18030).

With no argument, re-ingests every speech file already in sources/ (after a rule change).
Exit status 1 with a one-line file:line message when an input cannot be ingested; nothing is written then.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.ingest import IngestError, ingest  # noqa: E402

SPEECH_FILES = (".txt", ".docx")  # what sources/ holds besides its .yml and .md files


def main(arguments: list[str]) -> int:
    sources = [Path(a) for a in arguments] or sorted(
        path for path in (REPO / "sources").iterdir() if path.suffix.lower() in SPEECH_FILES)
    for src in sources:
        try:
            page, speech = ingest(src, REPO)
        except (IngestError, OSError) as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{src.name} ({speech.read_as}) -> {page.relative_to(REPO)}: {len(speech.lines)} paragraphs")
        for number, line in speech.dropped:
            print(f"  dropped {src.name}:{number} (advertising/disclaimer): {line.strip()}")
    print("New speech? List its page under 讲话原文 in mkdocs.yml `nav:` (zh) so readers can reach it.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""PDF, part of `make bench`: build time and peak memory of each edition, in each language.

Runs tools/build_pdf.py, which renders one PDF from an already built site directory:
    python tools/build_pdf.py SITE_DIR --language zh|en --edition handbook|onboarding --output FILE.pdf
one child per edition and language, timed, with its peak memory from os.wait4's rusage.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))
from benchkit import run_measured  # noqa: E402

PDF_SCRIPT = REPO / "tools" / "build_pdf.py"
EDITIONS = ("handbook", "onboarding")
LANGUAGES = ("zh", "en")
PAGES = re.compile(r"(\d+)\s+pages?\b")


@dataclass(frozen=True)
class PdfRun:
    edition: str
    language: str
    ok: bool
    seconds: float
    peak_rss_bytes: int  # of the largest single process (the script or a renderer it waited for)
    pdf_bytes: int
    pages: int | None  # as the script reports it
    error: str = ""


def pdf_runs(site: Path, work: Path, script: Path = PDF_SCRIPT) -> list[PdfRun] | None:
    """One run per edition × language; None when the script is not in this tree."""
    if not script.is_file():
        return None
    runs = []
    for edition in EDITIONS:
        for language in LANGUAGES:
            output = work / f"{edition}-{language}.pdf"
            result = run_measured([sys.executable, str(script), str(site), "--language", language, "--edition", edition,
                                   "--output", str(output)], cwd=REPO, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
            ok = result.returncode == 0 and output.is_file()
            pages = PAGES.search(result.stdout + result.stderr)
            error = "" if ok else (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
            runs.append(PdfRun(edition, language, ok, result.wall_seconds, result.peak_rss_bytes,
                               output.stat().st_size if output.is_file() else 0, int(pages[1]) if pages else None, error))
    return runs

"""Render one handbook PDF from an already built site, without rebuilding it:

    python tools/build_pdf.py SITE_DIR --language zh|en --edition handbook|onboarding --output FILE.pdf

`make release` renders all four inside the build (hooks/downloads.py); this is for trying the print
styles (overrides/pdf/) quickly and for the benchmark, which times each edition on its own.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))

from handbook.pdf import render_pdf  # noqa: E402
from handbook.pdf_document import EDITIONS  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site_dir", type=Path, help="a built site (`make build` writes site/)")
    parser.add_argument("--language", choices=("zh", "en"), default="zh")
    parser.add_argument("--edition", choices=EDITIONS, default="handbook")
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    # The default language sits at the site's root, every other one in a folder of its own (en/).
    language_dir = args.site_dir if args.language == "zh" else args.site_dir / args.language
    if not (language_dir / "index.html").is_file():
        print(f"build_pdf: {language_dir / 'index.html'} not found; build the site first (make build)", file=sys.stderr)
        return 2

    def warn(message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)

    try:
        render_pdf(language_dir, args.language, args.edition, args.output, progress=print, warn=warn)
    except ValueError as error:
        print(f"build_pdf: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

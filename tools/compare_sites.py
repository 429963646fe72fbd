"""Compare two built sites: which files only one has, and which differ once the build's own stamp (git
short hash, dates) is set aside. Used to show that a refactoring leaves the site as it was:

    python tools/compare_sites.py site-before site-after
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

STAMP = re.compile(r"[0-9a-f]{7}\+?|\d{4}-\d{2}-\d{2}")  # the footer's version and the revision dates
TEXT = (".html", ".json", ".txt", ".xml", ".js", ".css")


def files(site: Path) -> set[str]:
    return {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}


def differing(before: Path, after: Path) -> tuple[list[str], list[str], list[str]]:
    old, new = files(before), files(after)
    changed = []
    for name in sorted(old & new):
        first, second = (before / name).read_bytes(), (after / name).read_bytes()
        if first == second:
            continue
        if name.endswith(TEXT) and STAMP.sub("", first.decode("utf-8", "replace")) == STAMP.sub("", second.decode("utf-8", "replace")):
            continue
        changed.append(name)
    return sorted(old - new), sorted(new - old), changed


def main(arguments: list[str]) -> int:
    if len(arguments) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    only_before, only_after, changed = differing(Path(arguments[0]), Path(arguments[1]))
    print(f"only in {arguments[0]}: {only_before or 'none'}")
    print(f"only in {arguments[1]}: {only_after or 'none'}")
    print(f"{len(changed)} files differ" + (":\n  " + "\n  ".join(changed) if changed else ""))
    return 1 if only_before or only_after or changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

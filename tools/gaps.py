"""The questions no clause answers, as readers sent them: `make gaps LOG=/var/log/nginx/handbook-gaps.log`.

A reader whose question gets the verdict 手册中没有直接回答这个问题的条款 / The handbook has no clause that
answers this may press 没有找到答案 / Not answered; the page then asks the intranet server for
/not-answered?lang=…&q=…, which the shipped nginx (deploy/nginx/handbook.conf) answers with 204 and logs, one
line each, to its own log: ``<time> <lang> <question, percent-encoded>``. This lists those questions, most
asked first, with the language and the dates first and last asked; personal data a reader typed (phone
numbers, ID numbers, e-mail addresses …, the 保密 gate's patterns in any written form) is masked.
Several log files may be given (rotated logs; gzipped ones are read too).

With --site (a built or published site, e.g. DEST/live), each question is asked again of that site's search, in
Node as the browser's worker would answer it, and the line says what it answers now: the clause, or none. So an
editor who recorded a question under its clause (sources/search-questions.yml) or added a clause sees which
questions the next release answers, and which are left.
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote_plus

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from handbook.search import DEFAULT_LANGUAGE, EDITIONS, edition_index_path  # noqa: E402
from handbook.secrecy import mask_personal_data  # noqa: E402

# nginx's escape=default writes ", \\ and bytes outside printable ASCII as \\xHH.
_ESCAPED = re.compile(rb"\\x([0-9A-Fa-f]{2})")
_LINE = re.compile(r"^(?P<time>\S+) (?P<lang>\S*) (?P<q>\S*)$")


@dataclass(frozen=True)
class Gap:
    question: str  # masked: what is shown
    language: str
    count: int
    first: str
    last: str
    typed: str = ""  # as the reader sent it: asked again of a site (--site), never shown


def decode(raw: bytes) -> str:
    """One logged field as the reader typed it: nginx's escapes undone, then the URL's percent-encoding."""
    data = _ESCAPED.sub(lambda match: bytes([int(match[1], 16)]), raw)
    return unquote_plus(data.decode("utf-8", "replace"), errors="replace")


def normalised(question: str) -> str:
    """The same question typed twice counts once: compatibility forms folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", question).split()).rstrip("?？")


def read_log(paths: list[Path]) -> list[Gap]:
    counts: Counter = Counter()
    dates: dict[tuple[str, str], list[str]] = {}
    for path in paths:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rb") as log:
            for raw in log:
                match = _LINE.match(raw.rstrip(b"\r\n").decode("ascii", "replace"))
                if not match or match["q"] in ("", "-"):
                    continue
                question = normalised(decode(match["q"].encode("ascii", "replace")))
                if not question:
                    continue
                key = (question, decode(match["lang"].encode("ascii", "replace")).replace("-", ""))
                counts[key] += 1
                seen = dates.setdefault(key, [match["time"], match["time"]])
                seen[0], seen[1] = min(seen[0], match["time"]), max(seen[1], match["time"])
    # Masked after counting: two questions differing only in a phone number stay apart, but neither shows it.
    return [Gap(mask_personal_data(question), language, count, dates[(question, language)][0][:10],
                dates[(question, language)][1][:10], question)
            for (question, language), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]


def answers_now(site: Path, gaps: list[Gap]) -> list[str]:
    """What ``site``'s search answers each question with now: a clause ID, or none."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from question_sets import Question  # noqa: PLC0415
    from search_eval import CLAUSE, ask  # noqa: PLC0415

    results = ask(site, [Question(gap.typed, gap.language if gap.language in EDITIONS else DEFAULT_LANGUAGE, "gaps")
                         for gap in gaps])
    now = []
    for result in results:
        verdict = result["verdict"] or {}
        match = CLAUSE.search(verdict.get("clause") or "")
        now.append(match[1] if verdict.get("answer") == "clause" and match else "none")
    return now


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("logs", type=Path, nargs="+", help="the gaps log(s), e.g. /var/log/nginx/handbook-gaps.log")
    parser.add_argument("--site", type=Path, help="a built or published site: say what its search answers each question with now")
    args = parser.parse_args()
    missing = [str(path) for path in args.logs if not path.is_file()]
    if missing:
        print(f"gaps: no such log: {', '.join(missing)} (nginx writes it on the first 没有找到答案)", file=sys.stderr)
        return 2
    # Each edition's own index (split_editions): the search is asked again in the language the question was sent in.
    absent = [edition_index_path(args.site, language) for language in EDITIONS] if args.site else []
    absent = [str(path.relative_to(args.site)) for path in absent if not path.is_file()]
    if absent:
        print(f"gaps: {args.site} holds no {', '.join(absent)}: give a built site (site/) or DEST/live", file=sys.stderr)
        return 2
    if args.site and not shutil.which("node"):
        print("gaps: --site asks the search again in Node.js, which is not installed (Debian: apt install nodejs)",
              file=sys.stderr)
        return 2
    gaps = read_log(args.logs)
    now = answers_now(args.site, gaps) if args.site and gaps else [None] * len(gaps)
    print(f"{sum(gap.count for gap in gaps)} unanswered questions sent, {len(gaps)} different, most asked first"
          + (f"; what {args.site} answers now:" if args.site else ":"))
    for gap, answer in zip(gaps, now):
        dates = gap.first if gap.first == gap.last else f"{gap.first}…{gap.last}"
        print(f"{gap.count:5d}  {gap.language or '?':2}  {gap.question}  ({dates})" + (f"  → {answer}" if answer else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())

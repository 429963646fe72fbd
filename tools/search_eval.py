"""The search worker's verdicts and clause ranks for the question sets, in Node (no browser): for trying a
change to docs/assets/javascripts/handbook-search.js in seconds. The figures that count are `make bench`'s,
typed into the real search box in Chromium.

    .venv/bin/python tools/search_eval.py SITE [--halves tuning] [--dev] [--misses]

SITE is a built site (its search/search_index.json). Prints, per language and half: clause@1 and clause@5 of
the answered questions, the `none` rate of the unanswered ones and the false `none` rate of the answered.
Never pass --halves held_out while tuning: that half is for the final measure only.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from question_sets import ANSWERED, HALVES, UNANSWERED, Question, dev_questions, read_set, tally  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WORKER = REPO / "docs" / "assets" / "javascripts" / "handbook-search.js"
CLAUSE = re.compile(r"#([\u3400-\u9fff]{2,4}-\d{2,3})$")
RUNNER = """
const fs = require("fs")
const worker = require(process.argv[1])
const index = JSON.parse(fs.readFileSync(process.argv[2], "utf-8"))
const queries = JSON.parse(fs.readFileSync(0, "utf-8"))
const answers = []
for (const language of ["zh", "en"]) {
  worker.setup(JSON.parse(JSON.stringify(index)), language)
  for (const [number, query] of queries.entries()) {
    if (query.language !== language) continue
    const result = worker.search(query.question)
    answers[number] = { locations: result.items.flat().map(item => item.location), verdict: result.verdict || null }
  }
}
process.stdout.write(JSON.stringify(answers))
"""


def ask(site: Path, questions: list[Question]) -> list[dict]:
    """Each question's result locations, in order, and the worker's verdict (None for a keyword)."""
    payload = json.dumps([{"question": q.question, "language": q.language} for q in questions], ensure_ascii=False)
    result = subprocess.run(["node", "-e", RUNNER, str(WORKER), str(site / "search" / "search_index.json")],
                            input=payload, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def clause_rank(expected, locations: list[str]) -> int | None:
    clauses = list(dict.fromkeys(m[1] for location in locations if (m := CLAUSE.search(location))))
    return next((rank for rank, clause in enumerate(clauses, start=1) if clause in expected), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--halves", default="tuning", help="comma-separated: tuning, held_out")
    parser.add_argument("--dev", action="store_true", help="the engineer's dev questions instead of the blind sets")
    parser.add_argument("--misses", action="store_true", help="list each question the search gets wrong")
    parser.add_argument("--strengths", action="store_true", help="each question's answer strength (the verdict's measure)")
    args = parser.parse_args()
    halves = tuple(h for h in args.halves.split(",") if h in HALVES)
    questions = dev_questions() if args.dev else read_set(ANSWERED, True, halves) + read_set(UNANSWERED, False, halves)
    if not questions:
        print("no questions (are tests/questions_answered.yml and tests/questions_unanswered.yml there yet?)")
        return 1
    answers = ask(args.site, questions)
    ranks = [clause_rank(q.clauses, a["locations"]) if q.answered else None for q, a in zip(questions, answers)]
    verdicts = [(a["verdict"] or {}).get("answer") for a in answers]
    for (language, half), row in tally(questions, ranks, verdicts).items():
        print(f"{language} {half}: {row.summary()}")
        if args.misses:
            print("".join(f"    {miss}\n" for miss in row.misses), end="")
    if args.strengths:
        for question, answer in zip(questions, answers):
            verdict = answer["verdict"] or {}
            print(f"  {'A' if question.answered else 'U'} {verdict.get('strength', -1):.2f} {question.language} {question.question}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The search worker's verdicts and clause ranks for the question sets, in Node (no browser): for trying a
change to docs/assets/javascripts/handbook-search.js in seconds. The figures that count are `make bench`'s,
typed into the real search box in Chromium.

    .venv/bin/python tools/search_eval.py SITE [--halves tuning] [--dev] [--misses]

SITE is a built site (each edition's search/search_index.json); Node runs the worker (Debian's nodejs, which `make bench`
uses for Pagefind too). Prints, per language and half: clause@1 and clause@5 of
the answered questions, the `none` rate of the unanswered ones and the false `none` rate of the answered.
Never pass --halves held_out while tuning: that half is for the final measure only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from question_sets import ANSWERED, HALVES, UNANSWERED, Question, dev_questions, read_set, tally  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))
from handbook.search import EDITION_PREFIXES, EDITIONS, edition_index_path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
WORKER = Path(os.environ.get("HANDBOOK_WORKER") or REPO / "docs" / "assets" / "javascripts" / "handbook-search.js")
CLAUSE = re.compile(r"#([\u3400-\u9fff]{2,4}-\d{2,3})$")
RUNNER = """
const fs = require("fs")
const worker = require(process.argv[1])
const indexes = JSON.parse(process.argv[2])
const queries = JSON.parse(fs.readFileSync(0, "utf-8"))
const answers = []
Object.assign(worker.TUNING || {}, JSON.parse(process.env.HANDBOOK_TUNING || "{}"))
for (const [language, [path, prefix]] of Object.entries(indexes)) {
  worker.setup(JSON.parse(fs.readFileSync(path, "utf-8")), language)
  for (const [number, query] of queries.entries()) {
    if (query.language !== language) continue
    const result = worker.search(query.question)
    answers[number] = { locations: result.items.flat().map(item => prefix + item.location), verdict: result.verdict || null }
  }
}
process.stdout.write(JSON.stringify(answers))
"""


def ask(site: Path, questions: list[Question]) -> list[dict]:
    """Each question's result locations, in order, and the worker's verdict (None for a keyword)."""
    payload = json.dumps([{"question": q.question, "language": q.language} for q in questions], ensure_ascii=False)
    # Locations as the site links them (an edition's index holds them relative to the edition's root).
    indexes = {language: (str(edition_index_path(site, language)), EDITION_PREFIXES.get(language, "")) for language in EDITIONS}
    result = subprocess.run(["node", "-e", RUNNER, str(WORKER), json.dumps(indexes)],
                            input=payload, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def clause_rank(expected, locations: list[str]) -> int | None:
    clauses = list(dict.fromkeys(m[1] for location in locations if (m := CLAUSE.search(location))))
    return next((rank for rank, clause in enumerate(clauses, start=1) if clause in expected), None)


def current_sets(site: Path, misses: bool) -> int:
    """The sets the search was built on: nothing may fall there (issue 26)."""
    import yaml

    sys.path.insert(0, str(REPO / "tests"))
    from test_search import answers  # noqa: PLC0415

    keywords = yaml.safe_load((REPO / "tests" / "search_queries.yml").read_text(encoding="utf-8"))
    curated = yaml.safe_load((REPO / "tests" / "questions.yml").read_text(encoding="utf-8"))
    asked = [Question(q["query"], "en" if q["query"].isascii() else "zh", "keywords") for q in keywords]
    asked += [Question(q["question"], language, "questions", tuple(q["clauses"])) for language, entries in curated.items()
              for q in entries]
    results = ask(site, asked)
    first = top5 = at1 = at5 = false_none = 0
    for question, result in zip(asked, results):
        if question.half == "keywords":
            query = keywords[asked.index(question)]
            groups = []
            for location in result["locations"]:  # results grouped by page, as Material shows them
                if groups and groups[-1][0].split("#")[0] == location.split("#")[0]:
                    groups[-1].append(location)
                else:
                    groups.append([location])
            hits = [answers(query, group) for group in groups[:5]]
            first += bool(hits and hits[0])
            top5 += any(hits)
            if misses and not (hits and hits[0]):
                print(f"    keyword {question.question} -> {[g[0] for g in groups[:3]]}")
        else:
            rank = clause_rank(question.clauses, result["locations"])
            false_none += (result["verdict"] or {}).get("answer") == "none"
            at1 += rank == 1
            at5 += rank is not None and rank <= 5
            if misses and rank != 1:
                print(f"    question {question.question} -> {list(question.clauses)} at {rank}")
    keyword_count = len(keywords)
    print(f"keywords: hit@1 {first}/{keyword_count} · hit@5 {top5}/{keyword_count}; "
          f"questions.yml: clause@1 {at1}/{len(asked) - keyword_count} · clause@5 {at5}/{len(asked) - keyword_count} · "
          f"false none {false_none}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--halves", default="tuning", help="comma-separated: tuning, held_out")
    parser.add_argument("--dev", action="store_true", help="the engineer's dev questions instead of the blind sets")
    parser.add_argument("--misses", action="store_true", help="list each question the search gets wrong")
    parser.add_argument("--strengths", action="store_true", help="each question's verdict odds and features")
    parser.add_argument("--current", action="store_true",
                        help="the existing sets instead: tests/questions.yml (clause@1) and tests/search_queries.yml (hit@1)")
    args = parser.parse_args()
    halves = tuple(h for h in args.halves.split(",") if h in HALVES)
    if args.current:
        return current_sets(args.site, args.misses)
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
            features = " ".join(f"{name} {value:.2f}" for name, value in (verdict.get("features") or {}).items())
            print(f"  {'A' if question.answered else 'U'} {verdict.get('odds', float('nan')):.2f} {question.language} "
                  f"{question.question}  [{features}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())

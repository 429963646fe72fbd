"""The question sets of issue 26, as the tests, the benchmark and tools/search_eval.py read them.

tests/questions_answered.yml and tests/questions_unanswered.yml: everyday questions written blind (before the
clauses' 常见问法 were read), per language, each split into a ``tuning`` half (the ranking and the answer
verdict may be chosen on it) and a ``held_out`` half (measured, never tuned on). An expected clause ID that
was merged since resolves through sources/clause-registry.yml's ``replaced_by``.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))
from handbook.registry import REGISTRY_FILE, read_registry  # noqa: E402

ANSWERED = REPO / "tests" / "questions_answered.yml"
UNANSWERED = REPO / "tests" / "questions_unanswered.yml"
DEV = REPO / "tests" / "search_dev_questions.yml"
REGISTRY = REPO / REGISTRY_FILE
HALVES = ("tuning", "held_out")


@dataclass(frozen=True)
class Question:
    question: str
    language: str
    half: str  # tuning, held_out (or dev)
    clauses: tuple[str, ...] = ()  # empty: no clause answers it

    @property
    def answered(self) -> bool:
        return bool(self.clauses)


def replacements(registry: Path = REGISTRY) -> dict[str, str]:
    """Old clause ID -> the ID that now holds its rule (the build's own reading of the registry)."""
    return read_registry(registry)[0].replaced()


def resolve(ids, replaced: dict[str, str]) -> tuple[str, ...]:
    """Each ID through the chain of replaced_by, in order, without repeats."""
    resolved = []
    for clause in ids:
        seen = set()
        while clause in replaced and clause not in seen:
            seen.add(clause)
            clause = replaced[clause]
        resolved.append(clause)
    return tuple(dict.fromkeys(resolved))


def read_set(path: Path, answered: bool, halves=HALVES) -> list[Question]:
    """The questions of one file, both languages, the given halves; [] when the file is not there yet."""
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    replaced = replacements()
    questions = []
    for language, parts in data.items():
        for half in halves:
            for entry in (parts or {}).get(half) or []:
                clauses = resolve(entry.get("clauses") or [], replaced) if answered else ()
                questions.append(Question(str(entry["question"]), str(language), half, clauses))
    return questions


def blind_sets() -> list[Question]:
    """Both files, both halves, both languages."""
    return read_set(ANSWERED, True) + read_set(UNANSWERED, False)


def dev_questions() -> list[Question]:
    """The engineer's own dev questions (tests/search_dev_questions.yml): for trying the mechanism, never a measure."""
    data = yaml.safe_load(DEV.read_text(encoding="utf-8"))
    replaced = replacements()
    return [Question(str(entry["question"]), language, "dev", resolve(entry.get("clauses") or [], replaced))
            for kind in ("answered", "unanswered") for language, entries in data[kind].items() for entry in entries]


@dataclass
class Tally:
    """One language's half: answered questions, clause@1, clause@5, false `none`; unanswered, `none`."""
    answered: int = 0
    at_1: int = 0
    at_5: int = 0
    false_none: int = 0
    unanswered: int = 0
    none: int = 0
    misses: list[str] = field(default_factory=list)

    def summary(self) -> str:
        def share(count: int, total: int) -> str:
            return f"{count}/{total} ({100 * count / total:.0f} %)" if total else "–"
        return (f"clause@1 {share(self.at_1, self.answered)} · clause@5 {share(self.at_5, self.answered)} · "
                f"false none {share(self.false_none, self.answered)} · none {share(self.none, self.unanswered)}")


def tally(questions: list[Question], ranks: list[int | None], verdicts: list[str | None]) -> dict[tuple[str, str], Tally]:
    """(language, half) -> its Tally, from each question's answering clause's rank and the search's verdict."""
    table: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for question, rank, verdict in zip(questions, ranks, verdicts):
        row = table[(question.language, question.half)]
        if question.answered:
            row.answered += 1
            row.at_1 += rank == 1
            row.at_5 += rank is not None and rank <= 5
            row.false_none += verdict == "none"
            if rank != 1 or verdict == "none":
                row.misses.append(f"{question.question} -> {verdict}, {list(question.clauses)} at {rank}")
        else:
            row.unanswered += 1
            row.none += verdict == "none"
            if verdict != "none":
                row.misses.append(f"{question.question} -> {verdict}")
    return dict(sorted(table.items()))

"""Fit the search's answer verdict (issue 26) on the tuning halves: a logistic regression over the features the
worker computes for a question (docs/assets/javascripts/handbook-search.js, verdictFeatures), printed as the
worker's VERDICT_MODEL and TUNING.verdictOdds.

    .venv/bin/python tools/fit_verdict.py SITE

SITE is a built site. The questions are the ``tuning`` halves of tests/questions_answered.yml (a clause answers)
and tests/questions_unanswered.yml (none does), never the held-out halves. The odds threshold is the one that
keeps the false `none` verdicts on answered questions at or below --false-none (default 5 %) on the tuning
halves; a 5-fold cross-validation inside the tuning halves (threshold chosen on the training folds) says what to
expect on questions the fit has not seen. Out-of-fold odds pooled over a few shuffles (--repeats) give a
threshold-free comparison: their AUC, and the `none` share at 5 % false `none`; --drop leaves features out, so a
new feature can be judged by what it adds there (issue 26: three tried, none moved the AUC from 0.865; the office
topics outside the handbook took it to 0.89). A question naming such a topic gets `none` by rule in the worker, and
here too: its answered ones count against the false `none` allowance before the model's.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from question_sets import ANSWERED, UNANSWERED, read_set  # noqa: E402
from search_eval import ask  # noqa: E402

RECORDED = "recorded"  # the rule's mark on a row, not a feature of the model


def fit(rows: list[tuple[dict, int]], names: list[str], l2: float, steps: int = 8000, rate: float = 1.0) -> tuple[float, dict]:
    """Logistic regression by gradient descent, the two classes weighted equally, an L2 penalty on the weights."""
    bias, weights = 0.0, dict.fromkeys(names, 0.0)
    positives = sum(label for _, label in rows) or 1
    negatives = len(rows) - positives or 1
    for _ in range(steps):
        grad_b, grad = 0.0, dict.fromkeys(names, 0.0)
        for features, label in rows:
            z = bias + sum(weights[n] * features[n] for n in names)
            error = (1 / (1 + math.exp(-z)) - label) * (0.5 / positives if label else 0.5 / negatives)
            grad_b += error
            for n in names:
                grad[n] += error * features[n]
        bias -= rate * grad_b
        for n in names:
            weights[n] -= rate * (grad[n] + l2 * weights[n])
    return bias, weights


def odds(model: tuple[float, dict], features: dict) -> float:
    """The model's odds that a clause answers; a question recorded under a clause (the worker's RECORDED) is answered
    by rule, above every threshold; one naming an office topic no clause speaks of gets `none` by rule whatever its
    odds (the worker's outsideTopics), below every threshold."""
    if features.get(RECORDED):
        return math.inf
    if features.get("outside"):
        return -math.inf
    bias, weights = model
    return bias + sum(weight * features[name] for name, weight in weights.items())


def threshold(scored: list[tuple[float, int]], false_none: float) -> float:
    """The highest odds threshold that keeps the answered questions below it at or under ``false_none``."""
    answered = sorted(value for value, label in scored if label)
    allowed = math.floor(false_none * len(answered))
    if not answered:
        return 0.0
    # Answered questions the rule gave `none` (at -inf) use up the allowance first; the threshold stays finite.
    finite = [value for value in answered if value > -math.inf]
    return (answered[allowed] if answered[allowed] > -math.inf else finite[0] if finite else 0.0) - 1e-6


def rates(scored: list[tuple[float, int]], cut: float) -> tuple[float, float]:
    answered = [v for v, label in scored if label]
    unanswered = [v for v, label in scored if not label]
    return (sum(v < cut for v in answered) / max(1, len(answered)), sum(v < cut for v in unanswered) / max(1, len(unanswered)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--false-none", type=float, default=0.05)
    parser.add_argument("--l2", type=float, default=0.01)
    parser.add_argument("--repeats", type=int, default=3, help="shuffles for the pooled out-of-fold figures")
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--drop", default="", help="comma-separated features to leave out (to compare)")
    args = parser.parse_args()
    questions = read_set(ANSWERED, True, ("tuning",)) + read_set(UNANSWERED, False, ("tuning",))
    os.environ["HANDBOOK_TUNING"] = json.dumps({"verdictOdds": -1e9})  # every question answered: its features recorded
    answers = ask(args.site, questions)
    rows = [({**a["verdict"]["features"], RECORDED: a["verdict"].get("recorded", False)}, int(q.answered))
            for q, a in zip(questions, answers) if a["verdict"]]
    keywords = sum(1 for a in answers if not a["verdict"])
    names = sorted(set(rows[0][0]) - {RECORDED} - set(filter(None, args.drop.split(","))))
    print(f"{len(rows)} tuning questions with a verdict ({keywords} taken for keywords); features: {', '.join(names)}")

    # Cross-validation inside the tuning halves: what a fit does on questions it has not seen.
    order = list(range(len(rows)))
    random.Random(26).shuffle(order)
    folds = [order[k::5] for k in range(5)]
    false_nones, nones = [], []
    for fold in folds:
        train = [rows[i] for i in order if i not in fold]
        model = fit(train, names, args.l2)
        cut = threshold([(odds(model, f), label) for f, label in train], args.false_none)
        false_none, none = rates([(odds(model, rows[i][0]), rows[i][1]) for i in fold], cut)
        false_nones.append(false_none)
        nones.append(none)
    print(f"5-fold cross-validation: false none {100 * sum(false_nones) / 5:.0f} %, none {100 * sum(nones) / 5:.0f} %")
    # Threshold-free: out-of-fold odds pooled over several shuffles, their AUC and the `none` share of unanswered
    # questions at the odds that keep 5 % of the answered ones below them (less noisy than the folds' own thresholds).
    aucs, pooled_nones = [], []
    for seed in range(args.repeats):
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        scored = [None] * len(rows)
        for k in range(5):
            fold = set(order[k::5])
            model = fit([rows[i] for i in order if i not in fold], names, args.l2, steps=args.steps)
            for i in fold:
                scored[i] = (odds(model, rows[i][0]), rows[i][1])
        positives = [v for v, label in scored if label]
        negatives = [v for v, label in scored if not label]
        aucs.append(sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives) / (len(positives) * len(negatives)))
        pooled_nones.append(rates(scored, threshold(scored, 0.05))[1])
    print(f"pooled out-of-fold over {args.repeats} shuffles: AUC {sum(aucs) / len(aucs):.3f}, "
          f"none {100 * sum(pooled_nones) / len(pooled_nones):.0f} % at 5 % false none")

    model = fit(rows, names, args.l2)
    scored = [(odds(model, f), label) for f, label in rows]
    cut = threshold(scored, args.false_none)
    false_none, none = rates(scored, cut)
    print(f"fitted on all tuning questions: false none {100 * false_none:.0f} %, none {100 * none:.0f} % at odds {cut:.3f}")
    bias, weights = model
    print("const VERDICT_MODEL = { bias: %.3f, weights: { %s } }" % (
        bias, ", ".join(f"{name}: {weight:.3f}" for name, weight in weights.items())))
    print(f"TUNING.verdictOdds: {cut:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

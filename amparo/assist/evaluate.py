"""`amparo guard eval`: precision and recall of the reply guard on labelled replies, per
verdict and per reason: the development set (data/guard_eval.*.jsonl, which the rules
were written against) and the held-out set (data/guard_heldout.jsonl, written separately
and not read while writing the rules). See data/SOURCE.md."""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from amparo.assist.guard import REASONS, guard

DATA = Path(__file__).resolve().parent / "data"
LANGUAGES = ("es", "en", "he")
VERDICTS = ("ok", "warn", "block")


DEVELOPMENT = (
    *(f"guard_eval.{language}.jsonl" for language in LANGUAGES),
    "guard_eval.second.jsonl",
    "guard_eval.third.jsonl",
    "guard_eval.fourth.jsonl",
    "guard_eval.fifth.jsonl",
    "guard_eval.first_test.jsonl",
    "guard_eval.sixth.jsonl",
    "guard_eval.seventh.jsonl",
    "guard_eval.eighth.jsonl",
    "guard_eval.ninth.jsonl",
    "guard_eval.tenth.jsonl",
    "guard_eval.eleventh.jsonl",
    "guard_eval.twelfth.jsonl",
    "guard_eval.thirteenth.jsonl",
    "guard_eval.fourteenth.jsonl",
    "guard_eval.fifteenth.jsonl",
    "guard_eval.sixteenth.jsonl",
    "guard_eval.seventeenth.jsonl",
    "guard_eval.eighteenth.jsonl",
    "guard_eval.nineteenth.jsonl",
    "guard_eval.twentieth.jsonl",
)
HELDOUT = ("guard_heldout.jsonl",)


def items(files: tuple[str, ...] = DEVELOPMENT) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for name in files:
        path = DATA / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


@dataclass
class Scores:
    true: Counter[str] = field(default_factory=Counter)
    predicted: Counter[str] = field(default_factory=Counter)
    hits: Counter[str] = field(default_factory=Counter)

    def add(self, label: str, truth: bool, predicted: bool) -> None:
        self.true[label] += truth
        self.predicted[label] += predicted
        self.hits[label] += truth and predicted

    def precision(self, label: str) -> float:
        return self.hits[label] / self.predicted[label] if self.predicted[label] else 1.0

    def recall(self, label: str) -> float:
        return self.hits[label] / self.true[label] if self.true[label] else 1.0


@dataclass
class Figures:
    verdicts: Scores
    reasons: Scores
    accuracy: float
    count: int
    errors: list[str]


def evaluate(files: tuple[str, ...] = DEVELOPMENT, learned: bool = True) -> Figures:
    return score(items(files), learned)


def score(rows: list[dict[str, object]], learned: bool = True) -> Figures:
    verdicts, reasons = Scores(), Scores()
    errors: list[str] = []
    right = 0
    for row in rows:
        result = guard(
            str(row["text"]),
            customer_language=str(row.get("customer_language") or "") or None,
            distressed=bool(row.get("distressed")),
            learned=learned,
        )
        expected = str(row["verdict"])
        for verdict in VERDICTS:
            verdicts.add(verdict, expected == verdict, result.verdict == verdict)
        got = set(result.reasons)
        wanted = set(row.get("reasons") or [])  # type: ignore[call-overload]
        for reason in REASONS:
            reasons.add(reason, reason in wanted, reason in got)
        right += result.verdict == expected
        if result.verdict != expected or got != wanted:
            errors.append(
                f"{row['id']}: expected {expected} {sorted(wanted)}, got {result.verdict} "
                f"{sorted(got)}: {str(row['text'])[:90]!r}"
            )
    return Figures(verdicts, reasons, right / len(rows) if rows else 0.0, len(rows), errors)


def cross_validate(files: tuple[str, ...] | None = None) -> Figures:
    """Leave one development file out: the classifiers are trained on the other files
    (each written by a separate session) and the guard is scored on the one left out;
    the folds' answers are pooled. The rules were written against every development
    file, so this measures the classifiers honestly and the rules optimistically; it is
    how a change to the classifiers is judged without touching the held-out set."""
    from amparo.assist import learned

    files = DEVELOPMENT if files is None else files
    pooled: list[Figures] = []
    for name in files:
        left_out = items((name,))
        if not left_out:
            continue
        trained = learned.train(items(tuple(other for other in files if other != name)))
        with learned.using(trained):
            pooled.append(score(left_out))
    verdicts, reasons = Scores(), Scores()
    for figures in pooled:
        for mine, theirs in ((verdicts, figures.verdicts), (reasons, figures.reasons)):
            mine.true.update(theirs.true)
            mine.predicted.update(theirs.predicted)
            mine.hits.update(theirs.hits)
    count = sum(f.count for f in pooled)
    right = sum(round(f.accuracy * f.count) for f in pooled)
    errors = [error for f in pooled for error in f.errors]
    return Figures(verdicts, reasons, right / count if count else 0.0, count, errors)


def run_evaluation(
    out: TextIO = sys.stdout, show_errors: bool = False, cross: bool = False
) -> list[Figures]:
    results = []
    sets: tuple[tuple[str, object], ...] = (
        ("development set", DEVELOPMENT),
        ("held-out set", HELDOUT),
    )
    if cross:
        sets = (("development set, one file left out at a time", None),)
    for title, files in sets:
        figures = cross_validate() if files is None else evaluate(files)  # type: ignore[arg-type]
        if not figures.count:
            continue
        results.append(figures)
        out.write(f"{title}: {figures.count} labelled replies (es, en, he)\n")
        out.write(f"  {'verdict':<26} {'precision':>9} {'recall':>7} {'n':>5}\n")
        for verdict in VERDICTS:
            scores = figures.verdicts
            out.write(
                f"  {verdict:<26} {scores.precision(verdict):>9.1%} "
                f"{scores.recall(verdict):>7.1%} {scores.true[verdict]:>5}\n"
            )
        out.write(f"  {'reason':<26} {'precision':>9} {'recall':>7} {'n':>5}\n")
        for reason in REASONS:
            scores = figures.reasons
            out.write(
                f"  {reason:<26} {scores.precision(reason):>9.1%} "
                f"{scores.recall(reason):>7.1%} {scores.true[reason]:>5}\n"
            )
        out.write(f"  verdict accuracy: {figures.accuracy:.1%}\n")
        if show_errors:
            for error in figures.errors:
                out.write(f"  {error}\n")
    return results

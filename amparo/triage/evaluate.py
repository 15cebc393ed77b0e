"""`amparo triage eval`: the figures the triage issue asks for, from data in the repo."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TextIO

from amparo.triage.model import (
    LANGUAGES,
    banking77,
    held_out,
    normalize,
    topic_model,
    train_intent_classifier,
    written_examples,
)


def macro_f1(gold: Sequence[str], predicted: Sequence[str]) -> float:
    labels = sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def banking77_accuracy() -> tuple[float, int]:
    train, test = banking77("train"), banking77("test")
    model = train_intent_classifier([t for t, _ in train], [label for _, label in train])
    predicted = model.predict([normalize(t) for t, _ in test])
    correct = sum(p == label for p, (_, label) in zip(predicted, test, strict=True))
    return correct / len(test), len(test)


def held_out_scores() -> dict[str, tuple[float, float, int]]:
    """Per language: macro-F1 and accuracy of the top topic on the held-out examples.

    A two-topic example counts as right when the top topic is either of its topics.
    """
    model = topic_model()
    scores = {}
    for language in LANGUAGES:
        examples = [e for e in written_examples(language) if held_out(e.text)]
        if not examples:
            continue
        tops = [topics[0][0] for topics in model.topics([e.text for e in examples])]
        gold = [
            top if top in e.topics else e.topics[0] for top, e in zip(tops, examples, strict=True)
        ]
        accuracy = sum(g == t for g, t in zip(gold, tops, strict=True)) / len(gold)
        scores[language] = (macro_f1(gold, tops), accuracy, len(examples))
    return scores


def throughput(texts: Sequence[str], rounds: int = 3) -> tuple[float, float]:
    from amparo.triage.pipeline import triage_many

    model = topic_model()
    model.topics(texts[:10])
    started = time.perf_counter()
    for _ in range(rounds):
        model.topics(texts)
    model_rate = rounds * len(texts) / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(rounds):
        triage_many(texts)
    return model_rate, rounds * len(texts) / (time.perf_counter() - started)


def run_evaluation(out: TextIO) -> None:
    out.write("amparo triage eval\n")
    out.write(
        "  BANKING77, 77 intents, official test split (same features and classifier family):\n"
    )
    accuracy, count = banking77_accuracy()
    out.write(
        f"    accuracy {accuracy:.2%} on {count} queries  (anchors: BERT-Large 93.66 %, TF-IDF + linear ~91 %)\n"
    )
    out.write("  amparo topics, held-out written examples (20 %, fixed by content hash):\n")
    for language, (f1, top1, n) in held_out_scores().items():
        out.write(f"    {language}: macro-F1 {f1:.3f}, top-topic accuracy {top1:.2%}, n={n}\n")
    texts = [e.text for language in LANGUAGES for e in written_examples(language)]
    texts = (texts * (2000 // max(1, len(texts)) + 1))[:2000] if texts else ["hola"] * 2000
    model_rate, full_rate = throughput(texts)
    out.write(
        f"  throughput, one process (one core): topic model {model_rate:,.0f} msgs/s; "
        f"full triage (redaction, language, topics, distress, scam) {full_rate:,.0f} msgs/s\n"
        "  (workers scale by process: two workers on two cores triage about twice as many)\n"
    )

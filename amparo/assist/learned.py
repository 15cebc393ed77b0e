"""A second opinion for the reply guard: one small text classifier per reason, trained on
the labelled development replies shipped in data/ (never on the held-out set).

Phrase rules catch what they were written for and little else: on replies written
separately from them, a rule-only guard found a third of the dismissive ones. Character
and word n-grams carry the tone of a brush-off further ("the terms were clear", "as
explained previously"), so a reply the rules let through is flagged when the classifier
is confident. Rules still come first: they say which words fired; the classifier only adds
what they missed. Models are trained in-process (a second or two) and kept.
"""

from __future__ import annotations

import threading
from typing import Any

# Not unofficial channels: whether a link is the brand's depends on the brand's domains,
# which no classifier trained on other brands' replies can know.
REASONS = ("secret_request", "dismissive", "unfunded_promise")
THRESHOLD = 0.7  # the patterns decide; the classifiers add only what they are sure of
MIN_WORDS = 6
_lock = threading.Lock()


_trained: dict[str, Any] | None = None


def models() -> dict[str, Any]:
    """The classifiers, trained once per process (a second or two); `amparo serve` and
    `amparo worker` train them at start, so no reply waits for it."""
    global _trained
    if _trained is None:
        with _lock:
            if _trained is None:
                _trained = train()
    return _trained


def forget() -> None:
    """Drop the trained classifiers (tests)."""
    global _trained
    with _lock:
        _trained = None


def train() -> dict[str, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    from amparo.assist.evaluate import DEVELOPMENT, items
    from amparo.assist.guard import normalize

    rows = items(DEVELOPMENT)
    texts = [normalize(str(row["text"])) for row in rows]
    trained: dict[str, Any] = {}
    for reason in REASONS:
        labels = [reason in (row.get("reasons") or []) for row in rows]  # type: ignore[operator]
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
        )
        model = make_pipeline(
            features, LogisticRegression(C=10, class_weight="balanced", max_iter=2000)
        )
        model.fit(texts, labels)
        trained[reason] = model
    return trained


def flagged(normalized: str) -> list[str]:
    """The reasons the classifiers are confident about, for text as `normalize` gives.
    At 0.5 they warned about a plain greeting; a reply of a few words says too little
    for n-grams and is left to the patterns."""
    if len(normalized.split()) < MIN_WORDS:
        return []
    return [
        reason
        for reason, model in models().items()
        if model.predict_proba([normalized])[0][1] >= THRESHOLD
    ]

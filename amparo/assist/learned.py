"""A second opinion for the reply guard: one small text classifier per reason, trained on
the labelled development replies shipped in data/ (never on the held-out set).

Phrase rules catch what they were written for and little else: on replies written
separately from them, a rule-only guard found a third of the dismissive ones. Character
and word n-grams carry the tone of a brush-off further ("the terms were clear", "as
explained previously"), so a reply the rules let through is flagged when the classifier
is confident. Rules still come first: they say which words fired; the classifier only adds
what they missed.

The reasons share one set of features (a reply is read once, then weighed per reason).
Trained classifiers are kept in AMPARO_MODEL_DIR under a fingerprint of the training
data and of the code that reads it, so a process loads them in a fraction of a second and
retrains only after the data or the code changed (as the topic model does).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

# Not unofficial channels: whether a link is the brand's depends on the brand's domains,
# which no classifier trained on other brands' replies can know.
REASONS = ("secret_request", "dismissive", "unfunded_promise")
# Chosen by `amparo guard eval --cross`-style folds on the development files the patterns
# were not written against (see docs/assist.md, "How the classifiers are tuned"):
# above THRESHOLDS a classifier adds a reason the patterns missed; below VETO it overrules
# a pattern's finding (a scam warning quoting what fraudsters ask for, a code typed into
# the bank's own site).
THRESHOLDS = {"secret_request": 0.5, "dismissive": 0.6, "unfunded_promise": 0.5}
VETO = {"secret_request": 0.3}  # for brush-offs a veto gained next to nothing
VETO_MIN_WORDS = 12
# A reply of a few words says too little for n-grams: at 0.5 a plain greeting read as a
# brush-off. A secret needs fewer ("need the CVV real quick").
MIN_WORDS = {"secret_request": 3, "dismissive": 6, "unfunded_promise": 6}
VERSION = "2"  # bump when the features or the learner change
_lock = threading.Lock()


@dataclass
class Classifiers:
    features: Any  # a fitted FeatureUnion over normalized text
    models: dict[str, Any]  # reason -> fitted LogisticRegression

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(self.models)

    def probabilities(self, normalized: str) -> dict[str, float]:
        row = self.features.transform([normalized])
        return {
            reason: float(model.predict_proba(row)[0][1]) for reason, model in self.models.items()
        }

    def probability_each(self, texts: list[str], reason: str) -> list[float]:
        """One reason's probability for each text, read in one pass."""
        if not texts:
            return []
        return [
            float(p)
            for p in self.models[reason].predict_proba(self.features.transform(texts))[:, 1]
        ]


def train(rows: Iterable[dict[str, object]]) -> Classifiers:
    """Fit the features and one logistic regression per reason on labelled replies
    (`{"text", "reasons"}`), as `amparo guard eval --cross` does fold by fold."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    from amparo.assist.guard import normalize

    rows = list(rows)
    texts = [normalize(str(row["text"])) for row in rows]
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
    )
    matrix = features.fit_transform(texts)
    models = {}
    for reason in REASONS:
        labels = [reason in (row.get("reasons") or []) for row in rows]  # type: ignore[operator]
        model = LogisticRegression(C=10, class_weight="balanced", max_iter=2000)
        model.fit(matrix, labels)
        models[reason] = model
    return Classifiers(features, models)


def development_rows() -> list[dict[str, object]]:
    from amparo.assist.evaluate import DEVELOPMENT, items

    return items(DEVELOPMENT)


def fingerprint() -> str:
    """What the classifiers depend on: this module, the normalizer in guard.py and the
    development files."""
    from amparo.assist.evaluate import DATA, DEVELOPMENT

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(VERSION.encode())
    for path in (here / "learned.py", here / "guard.py", *(DATA / name for name in DEVELOPMENT)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def model_directory() -> Path | None:
    """AMPARO_MODEL_DIR when Django is configured (the commands and the server); None for
    the pure library, which trains in memory."""
    try:
        from django.conf import settings

        return Path(settings.MODEL_DIR) if settings.configured else None
    except Exception:  # noqa: BLE001 - no Django settings: train in memory
        return None


def load_or_train(directory: Path | None) -> Classifiers:
    if directory is None:
        return train(development_rows())
    import joblib

    path = directory / f"guard-{fingerprint()}.joblib"
    if path.exists():
        try:
            saved = joblib.load(path)
            if isinstance(saved, Classifiers) and set(saved.models) == set(REASONS):
                return saved
        except Exception:  # noqa: BLE001 - a damaged file is retrained, not trusted
            logger.warning("guard classifiers at %s could not be read; retraining", path)
    classifiers = train(development_rows())
    try:
        directory.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        joblib.dump(classifiers, temporary, compress=3)
        temporary.replace(path)  # atomic: a half-written file is never loaded
        for stale in directory.glob("guard-*.joblib"):
            if stale != path:
                stale.unlink(missing_ok=True)  # classifiers of older data or code
    except OSError as error:  # a read-only model directory still gets a working guard
        logger.warning("guard classifiers not saved to %s: %s", directory, error)
    return classifiers


_trained: Classifiers | None = None


def models() -> Classifiers:
    """The classifiers, loaded (or trained) once per process; `amparo serve` and
    `amparo worker` load them at start, so no reply waits for it."""
    global _trained
    if _trained is None:
        with _lock:
            if _trained is None:
                _trained = load_or_train(model_directory())
    return _trained


@contextmanager
def using(classifiers: Classifiers) -> Iterator[None]:
    """Answer with these classifiers for a while (cross-validation folds)."""
    global _trained
    with _lock:
        before, _trained = _trained, classifiers
    try:
        yield
    finally:
        with _lock:
            _trained = before


def forget() -> None:
    """Drop the classifiers held by this process (tests)."""
    global _trained
    with _lock:
        _trained = None


def windows(normalized: str) -> list[str]:
    """Each pair of neighbouring sentences (a request and its secret may sit in two)."""
    from amparo.assist.guard import sentences

    parts = sentences(normalized)
    return [" ".join(parts[i : i + 2]) for i in range(len(parts) - 1)] if len(parts) > 1 else []


def opinion(normalized: str) -> dict[str, float]:
    """The classifiers' probabilities for text as `normalize` gives, for the reasons the
    text is long enough to judge. A secret asked for in one sentence of a long letter is
    diluted by the rest of it; its probability is the whole text's, or, when higher, the
    mean of the whole text's and its likeliest pair of sentences'."""
    words = len(normalized.split())
    if words < min(MIN_WORDS.values()):
        return {}
    classifiers = models()
    found = {
        reason: probability
        for reason, probability in classifiers.probabilities(normalized).items()
        if words >= MIN_WORDS[reason]
    }
    pairs = windows(normalized)
    if "secret_request" in found and len(pairs) > 1:
        likeliest = max(classifiers.probability_each(pairs, "secret_request"))
        found["secret_request"] = max(
            found["secret_request"], (found["secret_request"] + likeliest) / 2
        )
    return found


def near(texts: list[str], reason: str) -> list[float]:
    """A reason's probability for passages of a reply (the sentences around a pattern's
    finding, which the veto weighs instead of the whole reply)."""
    return models().probability_each(texts, reason)

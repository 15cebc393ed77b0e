"""Triage of one message or many: redaction, language, topics, distress, scam."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from amparo.triage.language import detect_language
from amparo.triage.model import topic_model
from amparo.triage.redact import redact
from amparo.triage.signals import Signal, distress, fold, scam

# Longer texts are cut for the model and the cue matchers (the stored text is not).
MAX_TRIAGE_CHARS = 5000


@dataclass
class Triage:
    language: str
    topics: list[tuple[str, float]]
    distress: Signal
    scam: Signal
    redacted: str

    def as_dict(self) -> dict[str, object]:
        return {
            "language": self.language,
            "topics": [{"topic": topic, "score": score} for topic, score in self.topics],
            "distress": self.distress.as_dict(),
            "scam": self.scam.as_dict(),
        }


def triage_many(
    texts: Sequence[str],
    official_domains: frozenset[str] = frozenset(),
    default_language: str = "",
    with_language: bool = True,
) -> list[Triage]:
    """Triage a batch (the topic model is much faster on batches than one by one)."""
    redacted = [redact(text) for text in texts]
    clipped = [text[:MAX_TRIAGE_CHARS] for text in redacted]
    topics = topic_model().topics(clipped) if clipped else []
    folded = [fold(text) for text in clipped]
    return [
        Triage(
            language=detect_language(text, default=default_language) if with_language else "",
            topics=text_topics,
            distress=distress(text, folded=text_folded),
            scam=scam(text, official_domains, folded=text_folded),
            redacted=full,
        )
        for text, full, text_topics, text_folded in zip(
            clipped, redacted, topics, folded, strict=True
        )
    ]

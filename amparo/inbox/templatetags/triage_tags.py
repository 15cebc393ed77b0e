"""Template helpers for triage chips."""

from __future__ import annotations

from django import template

from amparo.triage.labels import TOPIC_LABELS

register = template.Library()


@register.filter
def topic_label(topic: str) -> str:
    return str(TOPIC_LABELS.get(topic, topic))


@register.filter
def cue_list(signal: dict | None) -> str:
    """'cue: matched text; ...' for a chip's title (shown on hover)."""
    if not signal:
        return ""
    return "; ".join(f"{c.get('cue', '')}: {c.get('text', '')}" for c in signal.get("cues", []))


@register.filter
def percent(score: float | None) -> str:
    return f"{round((score or 0) * 100)}%"

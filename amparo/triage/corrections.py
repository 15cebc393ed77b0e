"""Agents' topic corrections, exported for the next training of the topic model.

The model is trained from files only, so that its fingerprint says exactly what it
learned from: `amparo triage train` writes the stored corrections into the model
directory, and the next model learns from them (workers and servers load it when they
restart).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from amparo.triage.model import CORRECTIONS_FILE
from amparo.triage.topics import TOPICS


def export_corrections(directory: Path) -> int:
    """Write one line per corrected text (its latest correction); returns how many."""
    from amparo.inbox.models import TopicCorrection

    latest: dict[str, dict[str, object]] = {}
    rows = TopicCorrection.objects.order_by("created_at", "pk").values_list(
        "text", "language", "corrected"
    )
    for text, language, corrected in rows.iterator(chunk_size=2000):
        topics = [t for t in corrected or [] if t in TOPICS]
        if not text.strip():
            continue
        if topics:
            latest[text] = {"text": text, "topics": topics, "language": language}
        else:
            latest.pop(text, None)  # every topic removed: no label to learn from
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / CORRECTIONS_FILE
    if not latest:
        path.unlink(missing_ok=True)
        return 0
    temporary = path.with_suffix(".tmp")
    with temporary.open("w", encoding="utf-8") as handle:
        for text in sorted(latest):
            handle.write(json.dumps(latest[text], ensure_ascii=False) + "\n")
    os.replace(temporary, path)
    return len(latest)

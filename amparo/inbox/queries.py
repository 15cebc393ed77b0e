"""Read-side helpers shared by the console and the API."""

from __future__ import annotations

import json

from django.db.models import Max, QuerySet

from amparo.inbox.models import Conversation


def with_topic(qs: QuerySet[Conversation], topic: str) -> QuerySet[Conversation]:
    # Topics are a JSON list of strings; matching the quoted string in its JSON text
    # works the same on SQLite and PostgreSQL, which share no JSON containment lookup.
    return qs.filter(topics__icontains=json.dumps(topic))


def inbox_version() -> str:
    """Changes whenever any conversation changes: what the console's polling compares."""
    latest = Conversation.objects.aggregate(latest=Max("updated_at"))["latest"]
    return f"{latest.timestamp():.6f}" if latest else "0"

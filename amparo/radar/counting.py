"""Counting for the radar: processed messages and pushed signals into minute buckets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection

from amparo.radar.models import RadarBucket

ALL = "all"
ALL_CHANNELS = "*"


def unix_minute(moment: datetime) -> int:
    return int(moment.timestamp() // 60)


def message_keys(triage: dict[str, object]) -> list[str]:
    """The series a triaged message counts in: every message, and its main topic."""
    keys = [ALL]
    topics = triage.get("topics") if isinstance(triage, dict) else None
    if isinstance(topics, list) and topics and isinstance(topics[0], dict):
        topic = topics[0].get("topic")
        if isinstance(topic, str) and topic:
            keys.append(f"topic:{topic}")
    return keys


def count_messages(messages: Iterable[object]) -> int:
    """Add processed inbound messages to their buckets; call it in the transaction that
    marks them processed, so each message is counted exactly once."""
    counts: Counter[tuple[int, str, str, int]] = Counter()
    for message in messages:
        if (message.triage or {}).get("csat"):  # type: ignore[attr-defined]
            continue  # an answer to a satisfaction survey is not a complaint
        minute = unix_minute(message.sent_at)  # type: ignore[attr-defined]
        for key in message_keys(message.triage):  # type: ignore[attr-defined]
            counts[(message.brand_id, key, message.channel, minute)] += 1  # type: ignore[attr-defined]
            # Fusion: the same key over every channel. Summed counts are what a surge
            # spread over WhatsApp, X and email at once shows soonest.
            counts[(message.brand_id, key, ALL_CHANNELS, minute)] += 1  # type: ignore[attr-defined]
    add_counts(counts.items())
    return sum(c for k, c in counts.items() if k[2] != ALL_CHANNELS)


def add_counts(items: Iterable[tuple[tuple[int, str, str, int], float]]) -> None:
    """Additive upsert: INSERT … ON CONFLICT DO UPDATE SET count = count + new count
    (SQLite ≥ 3.24 and PostgreSQL say it the same way)."""
    rows = [(brand, key, channel, minute, count) for (brand, key, channel, minute), count in items]
    if not rows:
        return
    sql = upsert_sql("{table}.{count} + excluded.{count}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def upsert_sql(new_count: str) -> str:
    """INSERT … ON CONFLICT DO UPDATE for the bucket table; only names from the model,
    quoted by the database backend, are put into the text, values are parameters."""
    q = connection.ops.quote_name
    names = {
        "table": q(RadarBucket._meta.db_table),
        **{column: q(column) for column in ("brand_id", "key", "channel", "minute", "count")},
    }
    template = (
        "INSERT INTO {table} ({brand_id}, {key}, {channel}, {minute}, {count}) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT ({brand_id}, {key}, {channel}, {minute}) "
        "DO UPDATE SET {count} = " + new_count
    )
    return template.format(**names)


def set_counts(rows: Sequence[tuple[int, str, str, int, float]]) -> None:
    """Upsert that replaces: a signal point sent twice is counted once."""
    if not rows:
        return
    sql = upsert_sql("excluded.{count}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows))

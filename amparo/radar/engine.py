"""The radar in the server: each minute, every series' detector sees the closed minutes.

A worker calls `tick()` every turn. It takes the radar clock (one row, updated only
forward, so two workers never evaluate the same minute), feeds each series the minutes
since it last looked (a minute without messages is a zero), saves the detectors'
states, and turns alerts into suggested incidents with their evidence. Messages that
arrive after their minute was evaluated still count in the buckets (charts) but the
detector has moved on: the radar looks at `GRACE_MINUTES` old minutes to let stragglers in.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, deque
from dataclasses import fields
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.core.models import Component
from amparo.inbox.models import Direction, Message
from amparo.radar.counting import ALL_CHANNELS, unix_minute
from amparo.radar.detector import Alert, Detector, DetectorConfig, SeriesState
from amparo.radar.models import RadarBucket, RadarClock, RadarSeries, SuggestedIncident
from amparo.triage.topics import TOPIC_COMPONENTS

logger = logging.getLogger(__name__)

GRACE_MINUTES = 1
# After a long stop the radar does not replay more than this: older minutes are skipped.
MAX_CATCH_UP_MINUTES = 24 * 60
EVIDENCE_MINUTES = 180
MERGE_WINDOW = timedelta(hours=2)
_WORD = re.compile(r"[^\W\d_]{4,}", re.UNICODE)
STOPWORDS = frozenset(
    "that this with have from your they them what when para pero como esta este tengo "
    "porque donde cuando hola gracias please thanks their there just been also sobre "
    "todo nada solo ahora desde hace hasta muy más mas אני של לא את זה עם על יש".split()
)


def state_to_json(state: SeriesState) -> dict[str, Any]:
    data = {f.name: getattr(state, f.name) for f in fields(state)}
    data["pending"] = [list(item) for item in state.pending]
    return data


def state_from_json(data: dict[str, Any]) -> SeriesState:
    state = SeriesState()
    names = {f.name for f in fields(state)}
    for name, value in data.items():
        if name in names:
            setattr(state, name, value)
    state.pending = deque(tuple(item) for item in data.get("pending", []))  # type: ignore[misc]
    return state


def take_clock(target: int, catch_up_minutes: int = MAX_CATCH_UP_MINUTES) -> int | None:
    """Move the radar clock to `target`; returns where it was, or None if another
    worker already evaluated these minutes. Call inside a transaction."""
    clock = RadarClock.objects.filter(pk=1).first()
    if clock is None:
        try:
            with transaction.atomic():
                RadarClock.objects.create(pk=1, minute=target)
        except IntegrityError:
            return None
        return target - catch_up_minutes  # a first start looks back (a day by default)
    if not RadarClock.objects.filter(pk=1, minute__lt=target).update(minute=target):
        return None
    return clock.minute


def tick(
    now: datetime | None = None,
    config: DetectorConfig | None = None,
    catch_up_minutes: int = MAX_CATCH_UP_MINUTES,
) -> list[SuggestedIncident]:
    """Evaluate every minute up to `now` − grace; returns the suggestions made or grown."""
    config = config or DetectorConfig()
    target = unix_minute(now or timezone.now()) - 1 - GRACE_MINUTES
    with transaction.atomic():
        previous = take_clock(target, catch_up_minutes)
        if previous is None:
            return []
        since = max(previous, target - catch_up_minutes)
        buckets: dict[tuple[int, str, str], dict[int, float]] = {}
        for brand_id, key, channel, minute, count in RadarBucket.objects.filter(
            minute__gt=since, minute__lte=target
        ).values_list("brand_id", "key", "channel", "minute", "count"):
            buckets.setdefault((brand_id, key, channel), {})[minute] = count
        series_list = list(RadarSeries.objects.all())
        known = {(s.brand_id, s.key, s.channel) for s in series_list}
        for brand_id, key, channel in sorted(buckets.keys() - known):
            first = min(buckets[(brand_id, key, channel)])
            series_list.append(
                RadarSeries(brand_id=brand_id, key=key, channel=channel, last_minute=first - 1)
            )
        detector = Detector(config)
        alerts: list[tuple[RadarSeries, Alert]] = []
        for series in series_list:
            alerts += advance(
                detector,
                series,
                buckets.get((series.brand_id, series.key, series.channel), {}),
                since,
                target,
            )
        now_moment = timezone.now()
        for series in series_list:
            series.updated_at = now_moment
        RadarSeries.objects.bulk_create([s for s in series_list if s.pk is None], batch_size=500)
        RadarSeries.objects.bulk_update(
            [s for s in series_list if s.pk is not None],
            ["last_minute", "state", "updated_at"],
            batch_size=500,
        )
        return [suggest(series, alert) for series, alert in alerts]


def advance(
    detector: Detector, series: RadarSeries, counts: dict[int, float], since: int, target: int
) -> list[tuple[RadarSeries, Alert]]:
    name = series.name
    state = state_from_json(series.state) if series.state else SeriesState()
    detector.states[name] = state
    recent: deque[list[float]] = deque(series.state.get("recent", []), maxlen=EVIDENCE_MINUTES)
    start = series.last_minute + 1
    if start <= since:  # the worker was stopped: skip what is too old to replay
        detector.skip_to(name, since + 1)
        start = since + 1
    alerts = []
    for minute in range(start, target + 1):
        count = counts.get(minute, 0.0)
        baseline = detector.baseline(name, minute)
        alert = detector.update(name, minute, count)
        mean, spread = baseline if baseline else (None, None)
        recent.append([minute, count, mean, spread])
        if alert is not None:
            alerts.append((series, alert))
    series.last_minute = max(series.last_minute, target)
    series.state = {**state_to_json(detector.states.pop(name)), "recent": list(recent)}
    return alerts


def components_for(series: RadarSeries) -> list[Component]:
    if series.component_id:
        return [series.component] if series.component else []
    if series.key.startswith("topic:"):
        slugs = TOPIC_COMPONENTS.get(series.key.removeprefix("topic:"), ())
        return list(Component.objects.filter(brand_id=series.brand_id, slug__in=slugs))
    return []


def moment(minute: int) -> datetime:
    return datetime.fromtimestamp(minute * 60, UTC)


def suggest(series: RadarSeries, alert: Alert) -> SuggestedIncident:
    """A new suggestion, or the brand's open one of the last two hours, grown: one
    incident surging in several topics and channels is one suggestion."""
    detected, started = moment(alert.at), moment(alert.start)
    topic = series.key.removeprefix("topic:") if series.key.startswith("topic:") else None
    suggestion = (
        SuggestedIncident.objects.filter(
            brand_id=series.brand_id, status="open", detected_at__gte=detected - MERGE_WINDOW
        )
        .order_by("-detected_at")
        .first()
    )
    evidence = gather_evidence(series, alert)
    if suggestion is None:
        suggestion = SuggestedIncident.objects.create(
            brand_id=series.brand_id,
            key=series.key,
            channels=[series.channel],
            topics=[topic] if topic else [],
            detected_at=detected,
            started_at=started,
            score=alert.score,
            evidence=evidence,
        )
        logger.warning(
            "radar: suggested incident %s for brand %s (%s on %s since %s)",
            suggestion.pk,
            series.brand_id,
            series.key,
            series.channel,
            started.isoformat(),
        )
    else:
        if series.channel not in suggestion.channels:
            suggestion.channels = [*suggestion.channels, series.channel]
        if topic and topic not in suggestion.topics:
            suggestion.topics = [*suggestion.topics, topic]
        suggestion.started_at = min(suggestion.started_at, started)
        if alert.score > suggestion.score or series.key == "all":
            suggestion.evidence = evidence
        suggestion.score = max(suggestion.score, alert.score)
        suggestion.updated_at = timezone.now()
        suggestion.save()
    components = components_for(series)
    if components:
        suggestion.components.add(*components)
    return suggestion


def gather_evidence(series: RadarSeries, alert: Alert) -> dict[str, Any]:
    recent = series.state.get("recent", [])
    messages = Message.objects.filter(
        brand_id=series.brand_id,
        direction=Direction.INBOUND,
        sent_at__gte=moment(alert.start) - timedelta(minutes=1),
        sent_at__lt=moment(alert.at + 1),
    )
    if series.channel not in {"signal", ALL_CHANNELS}:
        messages = messages.filter(channel=series.channel)
    rows = list(messages.order_by("sent_at").values_list("pk", "text", "triage")[:500])
    if series.key.startswith("topic:"):
        topic = series.key.removeprefix("topic:")
        rows = [
            r for r in rows if any(t.get("topic") == topic for t in (r[2] or {}).get("topics", []))
        ]
    terms: Counter[str] = Counter()
    for _, text, _ in rows:
        terms.update({w for w in _WORD.findall(text.lower()) if w not in STOPWORDS})
    return {
        "series": {"key": series.key, "channel": series.channel},
        "minutes": [r[0] for r in recent],
        "counts": [r[1] for r in recent],
        "expected": [r[2] for r in recent],
        "spread": [r[3] for r in recent],
        "alert": {
            "at": alert.at,
            "start": alert.start,
            "observed": alert.observed,
            "expected": alert.expected,
        },
        "terms": terms.most_common(8),
        "messages": [r[0] for r in rows[:5]],
    }

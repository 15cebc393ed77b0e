"""The radar in the server: counting, the minute tick, suggestions, pushed signals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from django.test import Client

from amparo.core.models import Brand, Component
from amparo.inbox.models import Message
from amparo.radar.counting import add_counts, unix_minute
from amparo.radar.detector import DetectorConfig
from amparo.radar.engine import tick
from amparo.radar.models import RadarBucket, RadarClock, RadarSeries, SuggestedIncident

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FAST = DetectorConfig(warmup_minutes=360)


def fill(brand: Brand, key: str, channel: str, start: int, counts: list[int]) -> None:
    add_counts(((brand.pk, key, channel, start + i), float(c)) for i, c in enumerate(counts) if c)


def test_a_processed_message_counts_once_in_all_and_in_its_topic(
    brand: Brand, receive: Callable[..., Message]
) -> None:
    message = receive(text="la app no abre, sale error 503 desde la mañana")

    minute = unix_minute(message.sent_at)
    rows = {(b.key, b.channel): b.count for b in RadarBucket.objects.filter(minute=minute)}
    topic = message.triage["topics"][0]["topic"]
    assert rows == {
        ("all", "whatsapp"): 1.0,
        (f"topic:{topic}", "whatsapp"): 1.0,
        ("all", "*"): 1.0,
        (f"topic:{topic}", "*"): 1.0,
    }


def test_a_surge_after_a_steady_day_becomes_one_suggestion_with_evidence(
    brand: Brand, make_component: Callable[..., Component]
) -> None:
    make_component(brand, slug="mobile-app", name="App")
    end = unix_minute(NOW) - 2
    start = end - 20 * 60
    rng = np.random.default_rng(7)
    counts = rng.poisson(4, size=end - start + 1).tolist()
    for i in range(len(counts) - 30, len(counts)):
        counts[i] = int(rng.poisson(16))
    fill(brand, "topic:app_down", "whatsapp", start, counts)
    fill(brand, "topic:app_down", "x", start, counts)

    made = tick(NOW, FAST)

    assert made, "the surge was not detected"
    suggestion = SuggestedIncident.objects.get()
    assert suggestion.topics == ["app_down"]
    assert set(suggestion.channels) == {"whatsapp", "x"}
    assert [c.slug for c in suggestion.components.all()] == ["mobile-app"]
    surge_start = datetime.fromtimestamp((end - 29) * 60, UTC)
    assert (
        surge_start - timedelta(minutes=15)
        <= suggestion.started_at
        <= surge_start + timedelta(minutes=5)
    )
    assert suggestion.detected_at >= suggestion.started_at
    evidence = suggestion.evidence
    assert len(evidence["minutes"]) == len(evidence["counts"]) == len(evidence["expected"]) == 180
    assert max(evidence["counts"]) >= 10


def test_the_same_minutes_are_never_evaluated_twice(brand: Brand) -> None:
    fill(brand, "all", "whatsapp", unix_minute(NOW) - 60, [3] * 50)

    tick(NOW, FAST)
    state = RadarSeries.objects.get().state
    assert tick(NOW, FAST) == []
    assert RadarSeries.objects.get().state == state
    assert RadarClock.objects.get().minute == unix_minute(NOW) - 2


def test_a_quiet_series_raises_nothing_and_zeros_count(brand: Brand) -> None:
    end = unix_minute(NOW) - 2
    rng = np.random.default_rng(3)
    counts = rng.poisson(2, size=20 * 60).tolist()
    fill(brand, "all", "email", end - len(counts) + 1, counts)

    assert tick(NOW, FAST) == []
    later = NOW + timedelta(minutes=30)
    assert tick(later, FAST) == []  # thirty minutes without a message: zeros, no alarm
    assert RadarSeries.objects.get().last_minute == unix_minute(later) - 2


def test_after_a_long_stop_the_radar_skips_what_is_too_old(brand: Brand) -> None:
    fill(brand, "all", "sms", unix_minute(NOW) - 30, [1] * 10)
    tick(NOW, FAST)

    later = NOW + timedelta(days=3)
    tick(later, FAST)

    assert RadarSeries.objects.get().last_minute == unix_minute(later) - 2


# --- pushed signals ---------------------------------------------------------------


@pytest.fixture
def signals(make_token: Callable[..., str]) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_token(['signals:write'])}"})


def points(*counts: float, at: datetime | None = None) -> list[dict[str, Any]]:
    base = (at or datetime.now(UTC)).replace(second=0, microsecond=0) - timedelta(
        minutes=len(counts)
    )
    return [
        {"at": (base + timedelta(minutes=i)).isoformat(), "count": c} for i, c in enumerate(counts)
    ]


def post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/radar/signals", body, content_type="application/json")


def test_signal_counts_are_stored_and_a_resend_replaces_them(
    brand: Brand, signals: Client, make_component: Callable[..., Component]
) -> None:
    make_component(brand, slug="web-login", name="Login")
    body = {
        "brand": brand.slug,
        "signal": "failed_logins",
        "component": "web-login",
        "points": points(5, 7, 9),
    }

    first = post(signals, body)
    again = post(signals, body)

    assert first.status_code == again.status_code == 202
    assert first.json() == {"stored": 3, "late": 0}
    assert sorted(RadarBucket.objects.values_list("count", flat=True)) == [5.0, 7.0, 9.0]
    series = RadarSeries.objects.get()
    assert (series.key, series.channel, series.component.slug) == (
        "signal:failed_logins",
        "signal",
        "web-login",
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"signal": "Failed Logins"}, "signal"),
        ({"component": "nope"}, "no component"),
        ({"points": []}, "points"),
        ({"points": [{"at": "2026-11-25T10:00:00", "count": 1}]}, "offset"),
        ({"points": [{"at": "2026-11-25T10:00:00Z", "count": -1}]}, "count"),
        ({"points": [{"at": "2026-11-25T10:00:00Z", "count": 1, "extra": 1}]}, "extra"),
        (
            {
                "points": [
                    {"at": "2026-11-25T10:00:10Z", "count": 1},
                    {"at": "2026-11-25T10:00:50Z", "count": 2},
                ]
            },
            "same minute",
        ),
        ({"points": [{"at": "2999-01-01T00:00:00Z", "count": 1}]}, "future"),
        ({"points": points(*[1] * 1441)}, "points"),
    ],
)
def test_bad_signal_payloads_are_refused_and_store_nothing(
    brand: Brand, signals: Client, change: dict[str, Any], message: str
) -> None:
    body = {"brand": brand.slug, "signal": "failed_logins", "points": points(1), **change}

    response = post(signals, body)

    assert response.status_code == 422, response.content
    assert message in response.content.decode()
    assert RadarBucket.objects.count() == 0
    assert RadarSeries.objects.count() == 0


def test_signals_need_their_scope(brand: Brand, api: Client) -> None:
    response = post(api, {"brand": brand.slug, "signal": "x", "points": points(1)})

    assert response.status_code == 403
    assert RadarBucket.objects.count() == 0


def test_an_unknown_brand_is_a_clear_error(db: None, signals: Client) -> None:
    response = post(signals, {"brand": "nope", "signal": "x", "points": points(1)})

    assert response.status_code in {404, 422}
    assert "nope" in response.content.decode()

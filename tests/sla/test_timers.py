"""Business time: adding working minutes and measuring working time, across nights,
weekends, holidays, spans past midnight and daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from amparo.sla.timers import (
    ALWAYS,
    add_business_time,
    business_time_between,
    hours_from,
)

OFFICE = {str(d): [["09:00", "18:00"]] if d < 5 else [] for d in range(7)}
MX = ZoneInfo("America/Mexico_City")  # UTC-6, no daylight saving since 2022
LONDON = ZoneInfo("Europe/London")


def local(zone: ZoneInfo, *args: int) -> datetime:
    return datetime(*args, tzinfo=zone)  # type: ignore[misc]


def test_minutes_inside_the_working_day_are_plain_minutes() -> None:
    hours = hours_from("America/Mexico_City", OFFICE, [])
    start = local(MX, 2026, 12, 7, 10, 0)  # a Monday
    assert add_business_time(start, 60, hours) == local(MX, 2026, 12, 7, 11, 0)


def test_time_runs_over_the_night_to_the_next_morning() -> None:
    hours = hours_from("America/Mexico_City", OFFICE, [])
    start = local(MX, 2026, 12, 7, 17, 30)
    assert add_business_time(start, 60, hours) == local(MX, 2026, 12, 8, 9, 30)


def test_a_message_on_friday_evening_is_due_on_monday() -> None:
    hours = hours_from("America/Mexico_City", OFFICE, [])
    friday = local(MX, 2026, 12, 11, 20, 0)
    assert add_business_time(friday, 30, hours) == local(MX, 2026, 12, 14, 9, 30)


def test_holidays_are_skipped() -> None:
    hours = hours_from("America/Mexico_City", OFFICE, ["2026-12-25"])
    christmas_eve = local(MX, 2026, 12, 24, 17, 0)  # Thursday; Friday 25th is a holiday
    assert add_business_time(christmas_eve, 120, hours) == local(MX, 2026, 12, 28, 10, 0)


def test_a_span_past_midnight_counts_into_the_next_day() -> None:
    nights = {str(d): [["22:00", "06:00"]] for d in range(7)}
    hours = hours_from("America/Mexico_City", nights, [])
    start = local(MX, 2026, 12, 7, 23, 0)
    assert add_business_time(start, 240, hours) == local(MX, 2026, 12, 8, 3, 0)
    # before the night shift starts, the clock waits for it
    assert add_business_time(local(MX, 2026, 12, 7, 12, 0), 30, hours) == local(
        MX, 2026, 12, 7, 22, 30
    )


def test_the_spring_forward_night_has_one_hour_less() -> None:
    # Britain moved its clocks from 01:00 to 02:00 on Sunday 29 March 2026.
    always_open = {str(d): [["00:00", "24:00"]] for d in range(7)}
    hours = hours_from("Europe/London", always_open, [])
    saturday = local(LONDON, 2026, 3, 28, 12, 0)
    sunday = local(LONDON, 2026, 3, 29, 12, 0)
    assert business_time_between(saturday, sunday, hours) == timedelta(hours=23)
    assert add_business_time(saturday, 23 * 60, hours) == sunday


def test_the_office_keeps_its_wall_clock_hours_across_the_change() -> None:
    hours = hours_from("Europe/London", OFFICE, [])
    friday = local(LONDON, 2026, 3, 27, 17, 0)  # GMT
    due = add_business_time(friday, 120, hours)
    assert due == local(LONDON, 2026, 3, 30, 10, 0)  # BST, 10:00 on the wall
    assert due.astimezone(UTC).hour == 9


def test_working_time_between_two_instants() -> None:
    hours = hours_from("America/Mexico_City", OFFICE, [])
    friday = local(MX, 2026, 12, 11, 17, 0)
    monday = local(MX, 2026, 12, 14, 10, 0)
    assert business_time_between(friday, monday, hours) == timedelta(hours=2)
    assert business_time_between(monday, friday, hours) == timedelta(0)


def test_without_hours_the_clock_never_stops() -> None:
    start = datetime(2026, 12, 12, 23, 0, tzinfo=UTC)
    assert add_business_time(start, 90, ALWAYS) == start + timedelta(minutes=90)
    empty = hours_from("UTC", {str(d): [] for d in range(7)}, [])
    assert add_business_time(start, 90, empty) == start + timedelta(minutes=90)


def test_with_no_working_day_in_reach_it_falls_back_to_calendar_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from amparo.sla import timers

    monkeypatch.setattr(timers, "MAX_DAYS", 30)
    days = [(datetime(2026, 1, 1) + timedelta(days=n)).date().isoformat() for n in range(40)]
    hours = hours_from("UTC", OFFICE, days)
    start = datetime(2026, 1, 1, 10, tzinfo=UTC)
    assert add_business_time(start, 60, hours) == start + timedelta(minutes=60)


def test_spans_are_read_in_order_and_overlaps_refused() -> None:
    hours = hours_from("America/Mexico_City", {"0": [["14:00", "18:00"], ["09:00", "12:00"]]}, [])
    monday = local(MX, 2026, 12, 7, 9, 0)
    assert add_business_time(monday, 300, hours) == local(MX, 2026, 12, 7, 16, 0)
    with pytest.raises(ValueError, match="overlap"):
        hours_from("UTC", {"0": [["09:00", "18:00"], ["10:00", "12:00"]]}, [])
    with pytest.raises(ValueError, match="overlap"):
        hours_from("UTC", {"0": [["18:00", "02:00"], ["20:00", "22:00"]]}, [])


@pytest.mark.parametrize(
    ("zone", "week", "holidays", "problem"),
    [
        ("Mars/Olympus", OFFICE, [], "time zone"),
        ("UTC", [], [], "week"),
        ("UTC", {"7": []}, [], "day number"),
        ("UTC", {"0": [["9:00", "18:00"]]}, [], "HH:MM"),
        ("UTC", {"0": [["09:00", "25:00"]]}, [], "HH:MM"),
        ("UTC", {"0": [["09:00"]]}, [], "[start, end]"),
        ("UTC", {"0": [["09:00", "09:00"]]}, [], "empty span"),
        ("UTC", {"0": [["09:00", "18:00"]] * 9}, [], "at most 8"),
        ("UTC", OFFICE, ["25/12/2026"], "YYYY-MM-DD"),
        ("UTC", OFFICE, "2026-12-25", "holidays"),
        ("UTC", {"0": [[9, 18]]}, [], "HH:MM"),
    ],
)
def test_malformed_hours_are_refused_with_what_is_wrong(
    zone: str, week: object, holidays: object, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        hours_from(zone, week, holidays)

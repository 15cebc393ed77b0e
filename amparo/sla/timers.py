"""Business time: adding minutes of a care team's working hours to an instant, and
measuring the working time between two instants.

Hours are wall-clock spans in the brand's time zone (several a day, one may run past
midnight), minus holidays. Arithmetic is done on aware instants in UTC, each span's ends
placed in the zone for its own date, so a daylight-saving change moves the span with the
clocks and an hour that does not exist is not counted. A brand with no hours at all works
around the clock.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_DAYS = 3660  # look this far ahead for working time; beyond, count calendar time
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")


@dataclass(frozen=True)
class Hours:
    zone: ZoneInfo
    week: dict[int, tuple[tuple[time, time], ...]] | None  # None: around the clock
    holidays: frozenset[date] = frozenset()

    @property
    def always(self) -> bool:
        return self.week is None or not any(self.week.values())


ALWAYS = Hours(ZoneInfo("UTC"), None)


def parse_time(text: str) -> time:
    if not isinstance(text, str) or not _HHMM.match(text):
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return time(0) if text == "24:00" else time(int(text[:2]), int(text[3:]))


def hours_from(zone: str, week: object, holidays: object) -> Hours:
    """Hours from stored values; a ValueError names what is wrong."""
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown time zone: {zone!r}") from None
    if not isinstance(week, dict):
        raise ValueError("week: an object from day number (0 is Monday) to spans")
    days: dict[int, tuple[tuple[time, time], ...]] = {}
    for key, spans in week.items():
        if str(key) not in {str(d) for d in range(7)}:
            raise ValueError(f"week: {key!r} is not a day number from 0 (Monday) to 6")
        if not isinstance(spans, list) or len(spans) > 8:
            raise ValueError(f"week {key}: a list of at most 8 [start, end] spans")
        parsed = []
        for span in spans:
            if not isinstance(span, list) or len(span) != 2:
                raise ValueError(f"week {key}: each span is [start, end]")
            start, end = parse_time(span[0]), parse_time(span[1])
            if start == end and span[1] != "24:00":
                raise ValueError(f"week {key}: an empty span {span!r}")
            parsed.append((start, end))
        parsed.sort()
        for (_, end_a), (start_b, _) in zip(parsed, parsed[1:], strict=False):
            if end_a > start_b or end_a <= parsed[0][0]:
                raise ValueError(f"week {key}: spans overlap")
        days[int(key)] = tuple(parsed)
    if not isinstance(holidays, list) or len(holidays) > 1000:
        raise ValueError("holidays: a list of at most 1000 dates (YYYY-MM-DD)")
    try:
        off = frozenset(date.fromisoformat(str(d)) for d in holidays)
    except ValueError:
        raise ValueError("holidays: dates as YYYY-MM-DD") from None
    return Hours(tz, days, off)


def spans(hours: Hours, day: date) -> Iterator[tuple[datetime, datetime]]:
    """The working spans of a local date, as UTC instants."""
    if hours.week is None or day in hours.holidays:
        return
    for start, end in hours.week.get(day.weekday(), ()):
        begin = datetime.combine(day, start, tzinfo=hours.zone)
        finish_day = day if end > start else day + timedelta(days=1)  # past midnight
        finish = datetime.combine(finish_day, end, tzinfo=hours.zone)
        yield begin.astimezone(UTC), finish.astimezone(UTC)


def add_business_time(start: datetime, minutes: float, hours: Hours) -> datetime:
    """The instant at which `minutes` of working time have passed since `start`."""
    if hours.always:
        return start + timedelta(minutes=minutes)
    start = start.astimezone(UTC)
    remaining = timedelta(minutes=minutes)
    day = start.astimezone(hours.zone).date() - timedelta(days=1)  # a span may start yesterday
    for _ in range(MAX_DAYS):
        for begin, finish in spans(hours, day):
            if finish <= start:
                continue
            begin = max(begin, start)
            available = finish - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
        day += timedelta(days=1)
    return start + timedelta(minutes=minutes)


def business_time_between(start: datetime, end: datetime, hours: Hours) -> timedelta:
    """Working time from `start` to `end` (zero if `end` is earlier)."""
    if end <= start:
        return timedelta(0)
    if hours.always:
        return end - start
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    total = timedelta(0)
    day = start.astimezone(hours.zone).date() - timedelta(days=1)
    last = end.astimezone(hours.zone).date()
    while day <= last:
        for begin, finish in spans(hours, day):
            overlap = min(finish, end) - max(begin, start)
            if overlap > timedelta(0):
                total += overlap
        day += timedelta(days=1)
    return total

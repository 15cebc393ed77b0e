"""`amparo radar replay`: alerts from a CSV of counts, and the defined answer to bad input."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.radar.replay import replay_text
from amparo.radar.synthetic import SCENARIOS, generate, to_csv_rows

DAY = 1440
START = datetime(2024, 3, 4, tzinfo=UTC)  # a Monday
START_MINUTE = int(START.timestamp()) // 60
# Day 2, 14:00–14:40: the rate doubles, after the one-day warm-up.
OUTAGE = range(DAY + 14 * 60, DAY + 14 * 60 + 40)
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00Z$")

Row = tuple[str, str, Any]


@pytest.fixture(autouse=True)
def restore_csv_field_limit() -> Iterator[None]:
    # replay() lowers the process-wide csv field limit; other tests must not inherit it.
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


def steady_counts(
    days: int = 3, rate: float = 5.0, seed: int = 0, doubled: range = range(0)
) -> list[int]:
    """Poisson counts per minute at `rate`, twice that during `doubled`."""
    mean = np.full(days * DAY, rate)
    mean[doubled.start : doubled.stop] *= 2
    return [int(c) for c in np.random.default_rng(seed).poisson(mean)]


def iso(minute: int, offset_hours: int = 0) -> str:
    """The minute (since START) as ISO-8601, written in a UTC offset of `offset_hours`."""
    moment = START + timedelta(minutes=minute)
    if offset_hours:
        return moment.astimezone(timezone(timedelta(hours=offset_hours))).isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M:%S")  # no offset: UTC


def make_rows(counts: Sequence[int], series: str = "app", first_minute: int = 0) -> list[Row]:
    return [(iso(first_minute + m), series, c) for m, c in enumerate(counts)]


def csv_lines(rows: Sequence[Row], header: bool = True) -> list[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(("timestamp", "series", "count"))
    writer.writerows(rows)
    return buffer.getvalue().splitlines()


def by_time(*row_lists: list[Row]) -> list[Row]:
    return sorted((row for rows in row_lists for row in rows), key=lambda row: row[0])


def replay_file(path: Path, *options: str) -> tuple[list[dict[str, Any]], str]:
    """Run the command; the alerts it printed and its summary."""
    out, err = io.StringIO(), io.StringIO()
    call_command("radar", "replay", str(path), *options, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def replay_lines(
    tmp_path: Path, lines: Sequence[str], *options: str
) -> tuple[list[dict[str, Any]], str]:
    path = tmp_path / "counts.csv"
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return replay_file(path, *options)


def minute_of(stamp: str) -> int:
    """Minutes since START of an output `...Z` time."""
    moment = datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return int((moment - START).total_seconds()) // 60


# --- detection -----------------------------------------------------------------------


def test_a_synthetic_busy_series_alerts_inside_each_of_its_outages(tmp_path: Path) -> None:
    series = generate(SCENARIOS["busy_double_step"], seed=1, index=0)
    path = tmp_path / "busy.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(to_csv_rows([series]))

    alerts, _ = replay_file(path)

    assert series.start == START and series.outages
    at = [minute_of(a["at"]) for a in alerts]
    start = [minute_of(a["start"]) for a in alerts]
    for outage in series.outages:
        assert any(outage.start <= a < outage.end for a in at), f"missed {outage}"
    for a, s in zip(at, start, strict=True):
        assert any(o.start <= a < o.end for o in series.outages), f"false alarm at minute {a}"
        assert s <= a


def test_a_doubling_for_40_minutes_alerts_inside_it_and_a_steady_series_does_not(
    tmp_path: Path,
) -> None:
    surge = make_rows(steady_counts(doubled=OUTAGE), series="app")
    quiet = make_rows(steady_counts(seed=1), series="quiet")

    alerts, summary = replay_lines(tmp_path, csv_lines(by_time(surge, quiet)))

    assert [a["series"] for a in alerts] == ["app"]
    at, start = minute_of(alerts[0]["at"]), minute_of(alerts[0]["start"])
    assert OUTAGE.start <= at < OUTAGE.stop
    assert OUTAGE.start - 30 <= start <= at
    assert summary.startswith("8,640 rows, 2 series, 1 alerts;")


def test_each_alert_line_has_exactly_series_at_start_and_score(tmp_path: Path) -> None:
    alerts, _ = replay_lines(tmp_path, csv_lines(make_rows(steady_counts(doubled=OUTAGE))))

    assert alerts
    for alert in alerts:
        assert set(alert) == {"series", "at", "start", "score"}
        assert isinstance(alert["score"], float) and alert["score"] >= 1


def test_iso_input_gives_iso_utc_times_whatever_the_input_offset(tmp_path: Path) -> None:
    counts = steady_counts(doubled=OUTAGE)
    in_utc = [(iso(m), "app", c) for m, c in enumerate(counts)]
    in_mexico = [(iso(m, offset_hours=-6), "app", c) for m, c in enumerate(counts)]

    alerts, _ = replay_lines(tmp_path, csv_lines(in_utc))

    assert alerts
    for alert in alerts:
        assert ISO_Z.match(alert["at"]) and ISO_Z.match(alert["start"])
    assert replay_text("\n".join(csv_lines(in_mexico))) == alerts


def test_unix_seconds_input_gives_integer_seconds(tmp_path: Path) -> None:
    counts = steady_counts(doubled=OUTAGE)
    unix = [(str((START_MINUTE + m) * 60), "app", c) for m, c in enumerate(counts)]

    alerts, _ = replay_lines(tmp_path, csv_lines(unix))
    iso_alerts, _ = replay_lines(tmp_path, csv_lines(make_rows(counts)))

    assert alerts
    for alert, iso_alert in zip(alerts, iso_alerts, strict=True):
        assert type(alert["at"]) is int and type(alert["start"]) is int
        assert alert["at"] % 60 == 0 and alert["start"] % 60 == 0
        assert alert["at"] // 60 - START_MINUTE == minute_of(iso_alert["at"])
        assert alert["start"] // 60 - START_MINUTE == minute_of(iso_alert["start"])


@pytest.mark.parametrize("freq,minutes", [("5min", 5), ("15min", 15)])
def test_freq_sums_rows_into_wider_buckets(tmp_path: Path, freq: str, minutes: int) -> None:
    lines = csv_lines(make_rows(steady_counts(doubled=OUTAGE)))

    alerts, _ = replay_lines(tmp_path, lines, "--freq", freq)

    assert len(alerts) == 1
    at, start = minute_of(alerts[0]["at"]), minute_of(alerts[0]["start"])
    assert at % minutes == 0 and start % minutes == 0
    assert OUTAGE.start <= at < OUTAGE.stop
    assert start <= at


def test_the_header_row_is_optional(tmp_path: Path) -> None:
    rows = make_rows(steady_counts(doubled=OUTAGE))

    with_header = replay_lines(tmp_path, csv_lines(rows, header=True))
    without_header = replay_lines(tmp_path, csv_lines(rows, header=False))

    assert with_header == without_header
    assert with_header[0]
    assert with_header[1].startswith("4,320 rows, 1 series, 1 alerts; skipped: 0 malformed")


# --- bad input -------------------------------------------------------------------------


def test_malformed_rows_and_bad_counts_are_skipped_with_line_numbers_and_the_rest_replayed(
    tmp_path: Path,
) -> None:
    lines = csv_lines(make_rows(steady_counts(doubled=OUTAGE)))
    stamp = iso(100)
    bad = {
        "malformed": [
            f"{stamp},app",  # two columns
            f"{stamp},app,3,extra",  # four columns
            "yesterday at noon,app,3",  # not a time
            f"{stamp},app,lots",  # text count
        ],
        "rejected": [
            f"{stamp},app,-1",
            f"{stamp},app,nan",
            f"{stamp},app,inf",
            f"{stamp},app,1e12",
        ],
    }
    # After data row 100 (line 102): the bad rows take lines 103–110.
    at = 102
    damaged = lines[:at] + bad["malformed"] + bad["rejected"] + lines[at:]

    alerts, summary = replay_lines(tmp_path, damaged)

    clean_alerts, _ = replay_lines(tmp_path, lines)
    assert alerts == clean_alerts and alerts
    assert summary.splitlines()[0] == (
        "4,320 rows, 1 series, 1 alerts; skipped: 4 malformed, 4 with a negative or absurd "
        "count, 0 late; 0 repeated rows replaced; 0 gaps in the data skipped"
    )
    problems = summary.splitlines()[1:]
    assert [p.split(":")[0] for p in problems] == [f"line {n}" for n in range(103, 111)]
    assert "expected 3 columns" in problems[0] and "got 4" in problems[1]
    assert "not an ISO-8601 time" in problems[2]
    assert "not a number" in problems[3]
    for problem in problems[4:]:
        assert "count must be between 0 and 1e9" in problem


def test_a_file_with_only_bad_rows_is_an_error(tmp_path: Path) -> None:
    lines = ["timestamp,series,count", "nope,app,1", f"{iso(0)},app,-5", f"{iso(1)},app"]

    with pytest.raises(CommandError, match="no valid row"):
        replay_lines(tmp_path, lines)


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="missing.csv"):
        replay_file(tmp_path / "missing.csv")


def test_a_row_sent_twice_is_counted_once(tmp_path: Path) -> None:
    # Every row of the would-be outage sent twice: summed, it doubles the rate for 40
    # minutes, which is exactly what the detector alerts on.
    rows = make_rows(steady_counts())
    resent = [row for m, row in enumerate(rows) for _ in range(2 if m in OUTAGE else 1)]
    summed = [(t, s, c * 2) if m in OUTAGE else (t, s, c) for m, (t, s, c) in enumerate(rows)]

    alerts, summary = replay_lines(tmp_path, csv_lines(resent))

    assert alerts == []
    assert "40 repeated rows replaced" in summary
    assert replay_lines(tmp_path, csv_lines(summed))[0], "the control must alert"


def test_a_row_for_a_bucket_already_closed_is_skipped_as_late(tmp_path: Path) -> None:
    rows = make_rows(steady_counts())
    straggler = (rows[200][0], "app", 1000)
    late = rows[:205] + [straggler] + rows[205:]  # after minute 204: its line is 207

    alerts, summary = replay_lines(tmp_path, csv_lines(late))

    assert alerts == []
    assert summary.splitlines()[0].startswith("4,320 rows, 1 series, 0 alerts;")
    assert "0 with a negative or absurd count, 1 late;" in summary
    assert "line 207: late row for 'app' skipped" in summary


def test_two_days_without_any_row_are_a_gap_not_two_days_of_zeros(tmp_path: Path) -> None:
    counts = steady_counts(days=5, seed=3)
    hole = range(DAY + 10 * 60, DAY + 10 * 60 + 2 * DAY)  # the clock jumps 2 days forward
    rows = make_rows(counts)
    jumped = [row for m, row in enumerate(rows) if m not in hole]
    zeros = [(t, s, 0) if m in hole else (t, s, c) for m, (t, s, c) in enumerate(rows)]

    alerts, summary = replay_lines(tmp_path, csv_lines(jumped))

    assert alerts == []
    assert "1 gaps in the data skipped" in summary
    # The control: had those days been zeros, the return to normal looks like a surge.
    assert replay_lines(tmp_path, csv_lines(zeros))[0]


def test_a_new_series_mid_file_alerts_on_nothing_during_its_first_day(tmp_path: Path) -> None:
    old = make_rows(steady_counts(seed=4), series="old")
    born = DAY // 2  # day 1, 12:00
    counts = steady_counts(days=2, seed=5)
    # A surge the detector would alert on in a learned series: ten times, two hours in.
    counts[120:180] = [c * 10 for c in counts[120:180]]
    new = make_rows(counts[: 3 * DAY - born], series="new", first_minute=born)

    alerts, summary = replay_lines(tmp_path, csv_lines(by_time(old, new)))

    assert "2 series" in summary
    assert [a for a in alerts if a["series"] == "old"] == []
    assert [a for a in alerts if minute_of(a["at"]) < born + DAY] == []


def test_a_surge_in_a_new_series_first_day_does_not_become_its_normal(tmp_path: Path) -> None:
    counts = steady_counts(days=4, seed=5)
    counts[120:180] = [c * 10 for c in counts[120:180]]

    alerts, _ = replay_lines(tmp_path, csv_lines(make_rows(counts)))

    assert alerts == []


def test_one_row_far_in_the_future_does_not_silence_the_rest_of_the_file(tmp_path: Path) -> None:
    lines = csv_lines(make_rows(steady_counts(doubled=OUTAGE)))
    typo = "2099-03-04T00:00:00Z,other,1"

    alerts, _ = replay_lines(tmp_path, lines[:500] + [typo] + lines[500:])

    assert [a["series"] for a in alerts] == ["app"]


# --- hostile input ---------------------------------------------------------------------


def test_a_series_name_over_500_characters_is_rejected(tmp_path: Path) -> None:
    lines = csv_lines(make_rows(steady_counts(days=1)))
    longest = "n" * 500
    lines += [
        f"{iso(DAY)},{'x' * 501},1",
        f"{iso(DAY)},{'y' * 10_000},1",
        f"{iso(DAY)},{longest},1",
    ]

    alerts, summary = replay_lines(tmp_path, lines)

    assert alerts == []
    assert summary.startswith("1,441 rows, 2 series, 0 alerts; skipped: 2 malformed")
    assert "line 1442: a series name must have 1 to 500 characters" in summary
    assert "line 1443: unreadable CSV" in summary


def test_a_field_beyond_the_csv_limit_is_malformed_and_the_next_row_is_read(tmp_path: Path) -> None:
    lines = csv_lines(make_rows(steady_counts(days=1)))
    huge = f"{iso(DAY)},app,{'9' * 1_000_000}"
    unterminated_huge = f'{iso(DAY)},"app{"z" * 10_000},1'
    lines = lines[:50] + [huge] + lines[50:] + [unterminated_huge]

    alerts, summary = replay_lines(tmp_path, lines)

    assert alerts == []
    assert summary.startswith("1,440 rows, 1 series, 0 alerts; skipped: 2 malformed")
    assert "line 51: unreadable CSV: field larger than field limit" in summary


def test_nul_bidi_and_invalid_utf8_in_names_do_not_crash_and_round_trip(tmp_path: Path) -> None:
    nul, bidi = "app\x00down", "\u202egnp.exe\u202c"
    surge = make_rows(steady_counts(doubled=OUTAGE), series=nul)
    quiet = make_rows(steady_counts(seed=1), series=bidi)
    text = "\n".join(csv_lines(by_time(surge, quiet))) + "\n"
    path = tmp_path / "hostile.csv"
    path.write_bytes(text.encode() + f"{iso(3 * DAY)},bad\xff\xfebytes,1\n".encode("latin-1"))

    alerts, summary = replay_file(path)

    assert [a["series"] for a in alerts] == [nul]
    assert summary.startswith("8,641 rows, 3 series, 1 alerts; skipped: 0 malformed")


def test_an_empty_file_prints_nothing_and_exits_cleanly(tmp_path: Path) -> None:
    for content in ("", "timestamp,series,count\n", "\n\n  \n"):
        path = tmp_path / "empty.csv"
        path.write_text(content, encoding="utf-8")

        alerts, summary = replay_file(path)

        assert alerts == []
        assert summary.startswith("0 rows, 0 series, 0 alerts; skipped: 0 malformed")

"""`amparo radar replay`: the server's online detector over a CSV of counts.

Input rows are `timestamp,series,count` in time order (a header row is optional).
Timestamps are ISO-8601 (a time without offset is UTC) or unix seconds. Rows are summed
into buckets of `--freq`; a series with no row in a bucket had a count of 0 there (the
usual way sparse counts are written). Output: one JSON line per alert,
`{"series", "at", "start", "score"}`, with times in the input's own format.

Defined behaviour for bad input, each counted in the summary on stderr:
* a malformed row (columns, timestamp, count), a negative, non-finite or absurd count
  (above 10⁹): skipped, with its line number (the first few);
* the same series and timestamp twice in one bucket: the later row replaces the earlier
  (a re-sent row is not counted twice);
* a row for a bucket the series has already closed (out of order, a clock jumping
  back): skipped as late;
* no row for any series for longer than `GAP_MINUTES` (a clock jump or a hole in the
  export): every series skips the gap instead of learning hours of zeros;
* a brand-new series: learns for the warm-up period (one day) before it can alert.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from amparo.radar.detector import MAX_COUNT, Alert, Detector, DetectorConfig

FREQUENCIES = {"1min": 1, "5min": 5, "15min": 15}
GAP_MINUTES = 6 * 60
MAX_SERIES_CHARS = 500
MAX_FIELD_CHARS = 4096
SHOWN_PROBLEMS = 10


class ReplayError(Exception):
    pass


@dataclass
class Summary:
    rows: int = 0
    alerts: int = 0
    malformed: int = 0
    rejected_counts: int = 0
    late: int = 0
    replaced: int = 0
    gaps: int = 0
    problems: list[str] = field(default_factory=list)

    def problem(self, line: int, message: str) -> None:
        if len(self.problems) < SHOWN_PROBLEMS:
            self.problems.append(f"line {line}: {message}")

    def text(self, series: int) -> str:
        lines = [
            f"{self.rows:,} rows, {series:,} series, {self.alerts:,} alerts; skipped: "
            f"{self.malformed:,} malformed, {self.rejected_counts:,} with a negative or absurd "
            f"count, {self.late:,} late; {self.replaced:,} repeated rows replaced; "
            f"{self.gaps:,} gaps in the data skipped"
        ]
        lines += self.problems
        return "\n".join(lines)


def parse_time(raw: str) -> tuple[float, bool]:
    """Seconds since the epoch, and whether the input was unix seconds."""
    text = raw.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(seconds) or not 0 <= seconds < 253402300800:
            raise ValueError(f"timestamp out of range: {text[:40]!r}")
        return seconds, True
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ValueError(f"not an ISO-8601 time or unix seconds: {text[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if moment.timestamp() < 0:
        raise ValueError(f"timestamp out of range: {text[:40]!r}")
    return moment.timestamp(), False


def parse_count(raw: str) -> float:
    value = float(raw.strip())
    if not math.isfinite(value) or value < 0 or value > MAX_COUNT:
        raise ArithmeticError(raw.strip()[:40])
    return value


@dataclass
class OpenBucket:
    minute: int
    counts: dict[float, float]  # by raw timestamp: a repeated row replaces, not adds


class Replay:
    def __init__(self, config: DetectorConfig) -> None:
        self.config = config
        self.detector = Detector(config)
        self.open: dict[str, OpenBucket] = {}
        self.closed: dict[str, int] = {}  # series -> last bucket handed to the detector
        self.clock: float | None = None
        self.unix = False
        self.summary = Summary()
        self.jump: tuple[int, list[str]] | None = None

    def feed(self, line: int, row: list[str]) -> Iterator[Alert]:
        if len(row) != 3:
            raise ValueError(f"expected 3 columns (timestamp,series,count), got {len(row)}")
        seconds, unix = parse_time(row[0])
        series = row[1].strip()
        if not series or len(series) > MAX_SERIES_CHARS:
            raise ValueError(f"a series name must have 1 to {MAX_SERIES_CHARS} characters")
        try:
            count = parse_count(row[2])
        except ValueError:
            raise ValueError(f"not a number: {row[2].strip()[:40]!r}") from None
        if self.clock is None:
            self.unix = unix
        elif seconds - self.clock > GAP_MINUTES * 60:
            # A jump is believed when a second row confirms it: one mistyped year must
            # not carry every series into the future.
            if self.jump is None:
                self.jump = (line, row)
                return
            held, self.jump = self.jump, None
            yield from self.skip_gap(parse_time(held[1][0])[0])
            yield from self.feed(*held)
        self.clock = seconds if self.clock is None else max(self.clock, seconds)
        minute = int(seconds // 60)
        bucket = minute - minute % self.config.bucket_minutes
        current = self.open.get(series)
        if (
            current is not None
            and bucket < current.minute
            or (current is None and bucket <= self.closed.get(series, -1))
        ):
            self.summary.late += 1
            self.summary.problem(line, f"late row for {series[:60]!r} skipped")
            return
        if current is not None and bucket > current.minute:
            yield from self.close(series, current)
            current = None
        if current is None:
            current = self.open[series] = OpenBucket(bucket, {})
        if seconds in current.counts:
            self.summary.replaced += 1
        current.counts[seconds] = count
        self.summary.rows += 1

    def close(self, series: str, bucket: OpenBucket) -> Iterator[Alert]:
        del self.open[series]
        self.closed[series] = bucket.minute
        alert = self.detector.update(series, bucket.minute, sum(bucket.counts.values()))
        if alert is not None:
            self.summary.alerts += 1
            yield alert

    def skip_gap(self, seconds: float) -> Iterator[Alert]:
        self.summary.gaps += 1
        for series, bucket in list(self.open.items()):
            yield from self.close(series, bucket)
        minute = int(seconds // 60)
        for series in self.closed:
            self.detector.skip_to(series, minute - minute % self.config.bucket_minutes)

    def finish(self) -> Iterator[Alert]:
        for series, bucket in list(self.open.items()):
            yield from self.close(series, bucket)

    def format_time(self, minute: int) -> int | str:
        if self.unix:
            return minute * 60
        return datetime.fromtimestamp(minute * 60, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    def line(self, alert: Alert) -> str:
        return json.dumps(
            {
                "series": alert.series,
                "at": self.format_time(alert.at),
                "start": self.format_time(alert.start),
                "score": alert.score,
            },
            ensure_ascii=False,
        )


def rows(source: TextIO) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(line number, row or None, error) for each non-empty line."""
    reader = csv.reader(source)
    line = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            yield line, None, f"unreadable CSV: {exc}"
            continue
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        yield line, row, None


def replay(source: TextIO, out: TextIO, config: DetectorConfig) -> Replay:
    run = Replay(config)
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        read_all(run, source, out)
    finally:
        csv.field_size_limit(previous_limit)
    return run


def read_all(run: Replay, source: TextIO, out: TextIO) -> None:
    first = True
    for line, row, error in rows(source):
        if row is not None and first:
            first = False
            if row[0].strip().lower() in {"timestamp", "time", "ts"}:
                continue  # the header
        if error is not None or row is None:
            run.summary.malformed += 1
            run.summary.problem(line, error or "unreadable")
            continue
        try:
            held = run.jump
            for alert in run.feed(line, row):
                out.write(run.line(alert) + "\n")
            if held is not None and run.jump is held:
                # The row after a jump did not confirm it: the jump was a bad row.
                run.jump = None
                run.summary.malformed += 1
                run.summary.problem(held[0], "timestamp far ahead of the rest of the file, skipped")
        except ArithmeticError as exc:
            run.summary.rejected_counts += 1
            run.summary.problem(line, f"count must be between 0 and 1e9, not {exc}")
        except ValueError as exc:
            run.summary.malformed += 1
            run.summary.problem(line, str(exc))
    if run.jump is not None:  # the file ends on a jump: nothing contradicts it
        held, run.jump = run.jump, None
        for alert in run.skip_gap(parse_time(held[1][0])[0]):
            out.write(run.line(alert) + "\n")
        for alert in run.feed(*held):
            out.write(run.line(alert) + "\n")
    for alert in run.finish():
        out.write(run.line(alert) + "\n")


def replay_text(text: str, config: DetectorConfig | None = None) -> list[dict[str, object]]:
    """Replay CSV text and return the alerts (for tests and notebooks)."""
    out = io.StringIO()
    replay(io.StringIO(text), out, config or DetectorConfig())
    return [json.loads(line) for line in out.getvalue().splitlines()]

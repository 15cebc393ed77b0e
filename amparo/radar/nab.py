"""Numenta Anomaly Benchmark (NAB) scoring for detectors that raise alerts at data rows.

NAB (Lavin & Ahmad 2015, "Evaluating Real-time Anomaly Detection Algorithms - the
Numenta Anomaly Benchmark") rewards a detector for flagging each labelled anomaly early,
within a window around it, and charges it for alerts outside the windows. This module
follows NAB v1.1 as the numenta/NAB code computes it, because only then are our figures
comparable with the NAB scoreboard; where the paper and the code read differently, the
code wins. NAB thresholds a stream of anomaly scores; our detectors emit alerts, so an
alert is simply a row that NAB would see above the threshold.

A row is the 0-based index of a data point in one file; a window is an inclusive
``(start, end)`` pair of rows. ``rows_at`` and ``window_rows`` turn datetimes into rows.

- Windows (nab/labeler.py ``applyWindows``/``checkWindows``): the span of every window in
  a file is ``int(0.10 * rows / anomalies)`` rows, centred on its anomaly as
  ``(a - span // 2, a + span // 2)`` and clipped to the data, so 1000 rows with two
  anomalies give windows ``(a - 25, a + 25)``: a span of 50, 51 rows inclusive. Windows
  that overlap (the next starts at or before the previous end) merge into one, as NAB
  merges them; explicit windows are merged the same way before scoring.
- Early detection (nab/sweeper.py ``calcSweepScore``): a detection at ``row`` inside a
  window of ``w = end - start + 1`` rows sits at ``y = -(end - row + 1) / w`` (-1 at the
  start, -1/w at the end) and earns ``A_TP * σ(y) / σ(-1)`` with
  ``σ(y) = 2 / (1 + exp(5y)) - 1``. Dividing by ``σ(-1) ≈ 0.9866`` is v1.1's: a detection
  at the window start earns exactly ``A_TP`` and one at the end ``≈ A_TP * 2.5 / w``.
  NAB v1.0 (the older nab/scorer.py) used ``y = -(end - row) / (w - 1)`` without the
  division, i.e. 0.9866 at the start and 0 at the end. Only the earliest detection in a
  window counts; the later ones are neither rewarded nor charged.
- False positives (nab/sweeper.py): an alert outside every window, after the closest
  preceding window, sits at ``y = (row - end) / (w - 1)`` and costs ``A_FP * σ(y)``
  (negative), with ``σ = -1`` from ``y >= 3`` on; with no preceding window it costs
  ``A_FP``. Every such alert is charged. For a one-row window NAB divides by zero; we
  divide by 1.
- Misses: each window without a detection costs ``A_FN``. ``A_TN`` is kept for parity with
  config/profiles.json; NAB's score does not use it.
- Probation (nab/sweeper.py ``_getProbationaryLength``): NAB leaves the first
  ``min(floor(0.15 * rows), 0.15 * 5000)`` rows of a file unscored and drops the windows
  that start inside them (nab/labeler.py ``checkWindows``). Off by default here
  (``probation_fraction=0.0``); pass ``NAB_PROBATION_FRACTION`` for NAB's corpus rule.
- Normalisation (nab/runner.py ``normalize``): over a corpus,
  ``100 * (S - S_null) / (S_perfect - S_null)`` on the summed raw scores, where the null
  detector never alerts and the perfect one alerts at every window start (so
  ``S_perfect = windows * A_TP``, as NAB computes it).

Counts in ``FileScore`` are events (windows hit, alerts charged, windows missed), not
NAB's per-row tallies, which depend on its score threshold.

Bad input: rows outside the data, windows with ``start > end`` or outside the data, a
negative length, or a timeline that is not strictly increasing raise ``ValueError``;
non-integer rows raise ``TypeError``.
Detections are a set of rows: order and repeats do not matter.
"""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

Window = tuple[int, int]
CorpusFile = tuple[int, Sequence[Window], Iterable[int]]

NAB_WINDOW_FRACTION = 0.10
NAB_PROBATION_FRACTION = 0.15
# NAB caps the probationary period at the fraction of 5000 rows (sweeper.py).
PROBATION_CAP_ROWS = 5000
# sweeper.py's scaledSigmoid: three window lengths past a window, an alert costs the full A_FP.
FAR_PAST_WINDOW = 3.0


@dataclass(frozen=True)
class Profile:
    """Weights of one NAB application profile (config/profiles.json, "CostMatrix")."""

    tp: float
    fp: float
    tn: float
    fn: float

    def __post_init__(self) -> None:
        if self.tp <= 0 or min(self.fp, self.tn, self.fn) < 0:
            raise ValueError("profile weights must be non-negative, and tp positive")


PROFILES: dict[str, Profile] = {
    "standard": Profile(tp=1.0, fp=0.11, tn=1.0, fn=1.0),
    "reward_low_FP_rate": Profile(tp=1.0, fp=0.22, tn=1.0, fn=1.0),
    "reward_low_FN_rate": Profile(tp=1.0, fp=0.11, tn=1.0, fn=2.0),
}
STANDARD = PROFILES["standard"]


@dataclass(frozen=True)
class FileScore:
    """Raw NAB score of one file, with the windows hit (tp) and missed (fn) and the alerts
    charged as false positives (fp)."""

    score: float
    tp: int
    fp: int
    fn: int


@dataclass(frozen=True)
class CorpusScore:
    """Summed raw scores of a corpus, its null and perfect baselines, and the 0-100 score."""

    raw: float
    null: float
    perfect: float
    normalized: float
    files: tuple[FileScore, ...]


def scaled_sigmoid(position: float) -> float:
    """NAB's σ(y) = 2 / (1 + exp(5y)) - 1: 0.9866 at y = -1, 0 at y = 0, -1 from y = 3."""
    if position >= FAR_PAST_WINDOW:
        return -1.0
    return 2.0 / (1.0 + math.exp(5.0 * position)) - 1.0


MAX_TP = scaled_sigmoid(-1.0)


def windows_for(
    length: int, anomalies: Iterable[int], window_fraction: float = NAB_WINDOW_FRACTION
) -> list[Window]:
    """NAB's windows for a file of ``length`` rows with anomalies at the given rows."""
    if not 0 < window_fraction <= 1:
        raise ValueError("window_fraction must be in (0, 1]")
    rows = _checked_rows(length, anomalies, "anomaly")
    if not rows:
        return []
    half = int(window_fraction * length / len(rows)) // 2
    return _merged([(max(row - half, 0), min(row + half, length - 1)) for row in rows])


def score_file(
    length: int,
    windows: Iterable[Window],
    detections: Iterable[int],
    profile: Profile = STANDARD,
    probation_fraction: float = 0.0,
) -> FileScore:
    """Raw NAB score of the alerts a detector raised on one file of ``length`` rows."""
    probation = probation_rows(length, probation_fraction)
    scored = [w for w in _checked_windows(length, windows) if w[0] >= probation]
    alerts = [row for row in _checked_rows(length, detections, "detection") if row >= probation]
    hits, false_alarms = _split_alerts(scored, alerts)
    reward = sum(profile.tp * _detection_reward(scored[i], row) for i, row in hits.items())
    penalty = sum(profile.fp * _false_alarm_cost(previous, row) for previous, row in false_alarms)
    misses = len(scored) - len(hits)
    return FileScore(reward - penalty - misses * profile.fn, len(hits), len(false_alarms), misses)


def score_corpus(
    files: Iterable[CorpusFile], profile: Profile = STANDARD, probation_fraction: float = 0.0
) -> CorpusScore:
    """NAB score of a corpus of ``(length, windows, detections)`` files, normalised on the
    totals as nab/runner.py does (not averaged per file)."""
    results: list[FileScore] = []
    null = perfect = 0.0
    for length, windows, detections in files:
        results.append(score_file(length, windows, detections, profile, probation_fraction))
        null += score_file(length, windows, (), profile, probation_fraction).score
        starts = [start for start, _ in windows]
        perfect += score_file(length, windows, starts, profile, probation_fraction).score
    if perfect == null:
        raise ValueError("a corpus needs at least one scored window to be normalised")
    raw = sum(result.score for result in results)
    normalized = 100.0 * (raw - null) / (perfect - null)
    return CorpusScore(raw, null, perfect, normalized, tuple(results))


def probation_rows(length: int, fraction: float) -> int:
    """Leading rows NAB leaves unscored: min(floor(f * rows), f * 5000) (sweeper.py)."""
    if not 0 <= fraction < 1:
        raise ValueError("probation_fraction must be in [0, 1)")
    # NAB compares row >= f * 5000, so a fractional cap rounds up.
    return min(math.floor(fraction * length), math.ceil(fraction * PROBATION_CAP_ROWS))


def _split_alerts(
    windows: Sequence[Window], alerts: Iterable[int]
) -> tuple[dict[int, int], list[tuple[Window | None, int]]]:
    """The earliest alert in each window (by window index), and the other alerts outside
    every window with the closest window before them."""
    starts = [start for start, _ in windows]
    hits: dict[int, int] = {}
    false_alarms: list[tuple[Window | None, int]] = []
    for row in sorted(alerts):
        i = bisect.bisect_right(starts, row) - 1
        if i >= 0 and row <= windows[i][1]:
            hits.setdefault(i, row)
        else:
            false_alarms.append((windows[i] if i >= 0 else None, row))
    return hits, false_alarms


def _detection_reward(window: Window, row: int) -> float:
    """σ(y) / σ(-1) for a detection inside the window: 1 at its start, ≈ 2.5 / w at its end."""
    start, end = window
    position = -(end - row + 1) / (end - start + 1)
    return scaled_sigmoid(position) / MAX_TP


def _false_alarm_cost(previous: Window | None, row: int) -> float:
    """-σ(y) for an alert after the previous window (1 with no window before it)."""
    if previous is None:
        return 1.0
    start, end = previous
    return -scaled_sigmoid((row - end) / max(end - start, 1))


def _checked_rows(length: int, rows: Iterable[int], what: str) -> list[int]:
    """Distinct rows, sorted, each within a file of ``length`` rows."""
    if length < 0:
        raise ValueError("a file cannot have a negative number of rows")
    distinct = sorted({operator.index(row) for row in rows})
    if distinct and not 0 <= distinct[0] <= distinct[-1] < length:
        raise ValueError(f"{what} row outside the file's {length} rows")
    return distinct


def _checked_windows(length: int, windows: Iterable[Window]) -> list[Window]:
    """Windows within a file of ``length`` rows, sorted and with overlaps merged."""
    pairs = [(operator.index(start), operator.index(end)) for start, end in windows]
    for start, end in pairs:
        if not 0 <= start <= end < length:
            raise ValueError(f"window {(start, end)} is not within the file's {length} rows")
    return _merged(pairs)


def _merged(windows: Iterable[Window]) -> list[Window]:
    """Windows sorted, with every window that starts at or before the previous end merged
    into it (NAB's labeler does the same)."""
    result: list[Window] = []
    for start, end in sorted(windows):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        else:
            result.append((start, end))
    return result


def rows_at(timeline: Sequence[datetime], moments: Iterable[datetime]) -> list[int]:
    """The row of each moment: the last data point at or before it, which is all a
    streaming detector had seen when it raised the alert."""
    _check_timeline(timeline)
    rows = []
    for moment in moments:
        if not timeline or not timeline[0] <= moment <= timeline[-1]:
            raise ValueError(f"{moment.isoformat()} is outside the file's timeline")
        rows.append(bisect.bisect_right(timeline, moment) - 1)
    return rows


def window_rows(
    timeline: Sequence[datetime], windows: Iterable[tuple[datetime, datetime]]
) -> list[Window]:
    """The rows inside each ``(start, end)`` time window, both ends inclusive."""
    _check_timeline(timeline)
    rows = []
    for start, end in windows:
        first = bisect.bisect_left(timeline, start)
        last = bisect.bisect_right(timeline, end) - 1
        if first > last:
            raise ValueError(f"window from {start.isoformat()} holds no data point")
        rows.append((first, last))
    return rows


def _check_timeline(timeline: Sequence[datetime]) -> None:
    if any(earlier >= later for earlier, later in pairwise(timeline)):
        raise ValueError("a file's timestamps must be strictly increasing")

"""Synthetic complaint series with known outages: the radar's benchmark ground truth.

A series counts complaints per minute for one brand × component/topic × channel. Its
expected count is a background (daily contact curve, weekday/weekend/holiday volume, slow
drift, a slow random wobble) multiplied during outages by a surge factor; observed counts
are negative-binomial around it, because real complaint counts are over-dispersed.

Everything is deterministic for (scenario, seed, index) and uses numpy only, so the
detector's evaluation harness and `amparo radar replay` can rebuild the same data.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray

MINUTES_PER_DAY = 1440
# A Monday, so day index % 7 is the weekday (5 = Saturday, 6 = Sunday).
START = datetime(2024, 3, 4, tzinfo=UTC)
RAMPS = ("step", "linear", "exp")
CSV_HEADER = ("timestamp", "series", "count")

# Relative complaints per clock hour (hour centres), in the customers' local clock.
# Shape of a retail/banking contact curve: trough around 04:00, climb from 07:00, a
# late-morning peak, a flat afternoon and an evening peak when people use the app at home.
WEEKDAY_HOURLY = (
    *(0.30, 0.20, 0.14, 0.11, 0.10, 0.14, 0.30, 0.60, 0.95, 1.25, 1.42, 1.48),
    *(1.40, 1.32, 1.30, 1.28, 1.28, 1.30, 1.36, 1.45, 1.48, 1.30, 0.95, 0.58),
)
# Weekends and holidays start later and stay up later.
WEEKEND_HOURLY = (
    *(0.42, 0.30, 0.20, 0.15, 0.12, 0.13, 0.20, 0.35, 0.60, 0.90, 1.15, 1.30),
    *(1.35, 1.32, 1.28, 1.25, 1.25, 1.28, 1.35, 1.42, 1.45, 1.32, 1.05, 0.70),
)
DAILY_CURVE_HARMONICS = 6
SATURDAY_SHARE_OF_WEEKEND_DIP = 0.6
# A public holiday is quieter than an ordinary Sunday (shops and branches closed).
HOLIDAY_VOLUME_OF_SUNDAY = 0.85
WOBBLE_KNOT_MINUTES = 120
# Outages end this long before the series does, so every one is fully observable.
OUTAGE_END_MARGIN_MINUTES = 120


@dataclass(frozen=True)
class Outage:
    """A surge: the mean ramps from 1× to `factor`, holds for `duration`, then drops back."""

    start: int
    duration: int
    factor: float
    ramp: str = "step"
    ramp_minutes: int = 0

    def __post_init__(self) -> None:
        if self.ramp not in RAMPS:
            raise ValueError(f"ramp must be one of {RAMPS}, not {self.ramp!r}")
        if self.ramp == "step" and self.ramp_minutes != 0:
            raise ValueError("a step outage has ramp_minutes=0")
        if self.ramp != "step" and self.ramp_minutes < 1:
            raise ValueError(f"a {self.ramp} outage needs ramp_minutes >= 1")
        if self.start < 0 or self.duration < 1 or not self.factor > 0:
            raise ValueError("an outage needs start >= 0, duration >= 1 and factor > 0")

    @property
    def plateau_start(self) -> int:
        return self.start + self.ramp_minutes

    @property
    def end(self) -> int:
        """First minute after the outage (exclusive)."""
        return self.start + self.ramp_minutes + self.duration

    def multiplier(self, minutes: ArrayLike) -> NDArray[np.float64]:
        """Factor on the background mean at each minute index."""
        elapsed = np.asarray(minutes, dtype=np.float64) - self.start
        result = np.ones_like(elapsed)
        ramping = (elapsed >= 0) & (elapsed < self.ramp_minutes)
        result[ramping] = self._ramp_value(elapsed[ramping])
        result[(elapsed >= self.ramp_minutes) & (elapsed < self.end - self.start)] = self.factor
        return result

    def _ramp_value(self, elapsed: NDArray[np.float64]) -> NDArray[np.float64]:
        # The ramp minutes are the interior points between 1× (the minute before start)
        # and the plateau (the minute after the ramp), so the plateau lasts `duration`.
        progress = (elapsed + 1) / (self.ramp_minutes + 1)
        if self.ramp == "exp":
            return np.asarray(self.factor**progress, dtype=np.float64)
        return 1 + (self.factor - 1) * progress


@dataclass(frozen=True)
class OutagePlan:
    """Rule that places outages at random (deterministic per seed and index)."""

    factor: float
    duration: int
    ramp: str = "step"
    ramp_minutes: int = 0
    min_count: int = 3
    max_count: int = 5
    after_day: int = 14
    min_gap_days: float = 2.0

    def __post_init__(self) -> None:
        self.outage_at(0)  # validates factor, duration and ramp
        if not 0 <= self.min_count <= self.max_count:
            raise ValueError("an outage plan needs 0 <= min_count <= max_count")

    @property
    def length(self) -> int:
        return self.ramp_minutes + self.duration

    def outage_at(self, start: int) -> Outage:
        return Outage(start, self.duration, self.factor, self.ramp, self.ramp_minutes)

    def place(self, days: int, rng: np.random.Generator) -> tuple[Outage, ...]:
        """Uniform over all placements after `after_day` with the required gaps."""
        first = self.after_day * MINUTES_PER_DAY
        last = days * MINUTES_PER_DAY - self.length - OUTAGE_END_MARGIN_MINUTES
        spacing = round(self.min_gap_days * MINUTES_PER_DAY) + self.length
        wanted = int(rng.integers(self.min_count, self.max_count + 1))
        if last < first:
            return ()
        count = min(wanted, (last - first) // spacing + 1)
        slack = last - first - (count - 1) * spacing
        offsets = np.sort(rng.integers(0, slack + 1, size=count))
        return tuple(self.outage_at(first + int(o) + i * spacing) for i, o in enumerate(offsets))


@dataclass(frozen=True)
class Background:
    """The outage-free expected count per minute.

    `level` is the mean over an ordinary week (no drift, no holidays). `weekly` > 0 is a
    weekend dip (Sunday at 1 - weekly of a weekday, Saturday part of the way), < 0 a
    weekend rise. `wobble` is the standard deviation of a slow random log-level (knots
    every two hours), so the baseline is never exactly periodic.
    """

    level: float
    diurnal: float
    weekly: float
    dispersion: float
    drift_per_day: float
    holidays: tuple[int, ...] = ()
    wobble: float = 0.0

    def __post_init__(self) -> None:
        if not self.level > 0 or not self.dispersion > 0:
            raise ValueError("a background needs level > 0 and dispersion > 0")
        if not 0 <= self.diurnal <= 1 or not -1 < self.weekly < 1:
            raise ValueError("a background needs 0 <= diurnal <= 1 and -1 < weekly < 1")
        if self.drift_per_day <= -1 or self.wobble < 0:
            raise ValueError("a background needs drift_per_day > -1 and wobble >= 0")


@dataclass(frozen=True)
class Scenario:
    """A benchmark case: a background plus fixed outages or an `outage_plan`."""

    name: str
    description: str
    background: Background
    outages: tuple[Outage, ...]
    days: int
    outage_plan: OutagePlan | None = None

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError("a scenario needs days >= 1")
        if self.outages and self.outage_plan is not None:
            raise ValueError("give fixed outages or an outage plan, not both")
        if any(o.end > self.days * MINUTES_PER_DAY for o in self.outages):
            raise ValueError("every outage must end inside the scenario")


@dataclass
class SyntheticSeries:
    name: str
    start: datetime
    mean: NDArray[np.float64]
    outage_mean: NDArray[np.float64]
    counts: NDArray[np.int64]
    outages: tuple[Outage, ...]
    dispersion: float
    scenario: str = ""
    index: int = 0

    def outage_mask(self) -> NDArray[np.bool_]:
        """True at every minute inside an outage (ramp and plateau)."""
        mask = np.zeros(len(self.counts), dtype=np.bool_)
        for outage in self.outages:
            mask[outage.start : outage.end] = True
        return mask

    def timestamp(self, minute: int) -> datetime:
        return self.start + timedelta(minutes=minute)


def daily_curve(hourly: Sequence[float]) -> NDArray[np.float64]:
    """Smooth per-minute curve with mean 1 through hourly values (low-order Fourier fit)."""
    coefficients = np.fft.rfft(np.asarray(hourly, dtype=np.float64)) / len(hourly)
    hours = (np.arange(MINUTES_PER_DAY) + 0.5) / 60 - 0.5
    curve = np.full(MINUTES_PER_DAY, coefficients[0].real)
    for k in range(1, DAILY_CURVE_HARMONICS + 1):
        curve += 2 * (coefficients[k] * np.exp(2j * np.pi * k * hours / len(hourly))).real
    return curve / curve.mean()


WEEKDAY_CURVE = daily_curve(WEEKDAY_HOURLY)
WEEKEND_CURVE = daily_curve(WEEKEND_HOURLY)


def day_volumes(background: Background, days: int) -> NDArray[np.float64]:
    """Relative volume of each day; an ordinary week averages 1."""
    saturday = 1 - SATURDAY_SHARE_OF_WEEKEND_DIP * background.weekly
    week = np.array([1, 1, 1, 1, 1, saturday, 1 - background.weekly])
    week /= week.mean()
    volumes = week[np.arange(days) % 7]
    holidays = [d for d in background.holidays if 0 <= d < days]
    volumes[holidays] = week[6] * HOLIDAY_VOLUME_OF_SUNDAY
    return volumes


def weekend_like_days(background: Background, days: int) -> NDArray[np.bool_]:
    day = np.arange(days)
    return (day % 7 >= 5) | np.isin(day, background.holidays)


def diurnal_profile(background: Background, days: int) -> NDArray[np.float64]:
    """Per-minute daily cycle, amplitude scaled by `diurnal`; each day averages 1."""
    curves = np.where(weekend_like_days(background, days)[:, None], WEEKEND_CURVE, WEEKDAY_CURVE)
    return (1 + background.diurnal * (curves - 1)).ravel()


def wobble_profile(wobble: float, n_minutes: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """Slow multiplicative noise: normal log-level knots, cosine-interpolated."""
    knots = rng.standard_normal(n_minutes // WOBBLE_KNOT_MINUTES + 2)
    position = np.arange(n_minutes) / WOBBLE_KNOT_MINUTES
    left = position.astype(np.int64)
    weight = (1 - np.cos(np.pi * (position - left))) / 2
    log_level = knots[left] * (1 - weight) + knots[left + 1] * weight
    return np.exp(wobble * log_level - wobble**2 / 2)


def baseline_mean(
    background: Background, days: int, rng: np.random.Generator
) -> NDArray[np.float64]:
    """Expected complaints per minute without outages."""
    n_minutes = days * MINUTES_PER_DAY
    day_volume = np.repeat(day_volumes(background, days), MINUTES_PER_DAY)
    drift = (1 + background.drift_per_day) ** (np.arange(n_minutes) / MINUTES_PER_DAY)
    wobble = wobble_profile(background.wobble, n_minutes, rng)
    return background.level * diurnal_profile(background, days) * day_volume * drift * wobble


def draw_counts(mean: ArrayLike, dispersion: float, rng: np.random.Generator) -> NDArray[np.int64]:
    """Negative-binomial counts (mean m, size r) as a gamma-Poisson mixture; Poisson if r=inf."""
    expected = np.asarray(mean, dtype=np.float64)
    if not np.all(np.isfinite(expected)) or np.any(expected < 0):
        raise ValueError("expected counts must be finite and >= 0")
    if not dispersion > 0:
        raise ValueError("dispersion must be > 0")
    rate = expected if math.isinf(dispersion) else rng.gamma(dispersion, expected / dispersion)
    return rng.poisson(rate).astype(np.int64)


def series_name(scenario: Scenario, index: int) -> str:
    return f"{scenario.name}/{index}"


def random_streams(scenario: Scenario, seed: int, index: int) -> list[np.random.Generator]:
    """Independent generators for outage placement, wobble and counting noise."""
    # crc32, not hash(): str hashes change per process.
    entropy = [seed, index, zlib.crc32(scenario.name.encode())]
    return [np.random.default_rng(s) for s in np.random.SeedSequence(entropy).spawn(3)]


def generate(scenario: Scenario, seed: int, index: int = 0) -> SyntheticSeries:
    """Series number `index` of `scenario`; the same arguments give the same series."""
    placement_rng, wobble_rng, noise_rng = random_streams(scenario, seed, index)
    outages = scenario.outages
    if scenario.outage_plan is not None:
        outages = scenario.outage_plan.place(scenario.days, placement_rng)
    mean = baseline_mean(scenario.background, scenario.days, wobble_rng)
    outage_mean = mean * surge_multiplier(outages, len(mean))
    return SyntheticSeries(
        name=series_name(scenario, index),
        start=START,
        mean=mean,
        outage_mean=outage_mean,
        counts=draw_counts(outage_mean, scenario.background.dispersion, noise_rng),
        outages=outages,
        dispersion=scenario.background.dispersion,
        scenario=scenario.name,
        index=index,
    )


def generate_many(scenario: Scenario, seed: int, count: int) -> list[SyntheticSeries]:
    return [generate(scenario, seed, index) for index in range(count)]


def surge_multiplier(outages: Iterable[Outage], n_minutes: int) -> NDArray[np.float64]:
    minutes = np.arange(n_minutes)
    result = np.ones(n_minutes)
    for outage in outages:
        result *= outage.multiplier(minutes)
    return result


def to_csv_rows(
    series_list: Iterable[SyntheticSeries], *, skip_zeros: bool = False
) -> Iterator[tuple[str, str, int]]:
    """(ISO-8601 UTC minute, series name, count) rows in time order, then by name."""
    ordered = sorted(series_list, key=lambda s: s.name)
    if not ordered:
        return
    origin = min(s.start for s in ordered)
    offsets = [_minute_offset(origin, s.start) for s in ordered]
    counts = [s.counts.tolist() for s in ordered]
    horizon = max(offset + len(c) for offset, c in zip(offsets, counts, strict=True))
    for minute in range(horizon):
        stamp = (origin + timedelta(minutes=minute)).isoformat()
        for series, offset, series_counts in zip(ordered, offsets, counts, strict=True):
            i = minute - offset
            if 0 <= i < len(series_counts) and (series_counts[i] or not skip_zeros):
                yield stamp, series.name, series_counts[i]


def _minute_offset(origin: datetime, start: datetime) -> int:
    if start.utcoffset() != timedelta(0) or start.second or start.microsecond:
        raise ValueError(f"series start must be a UTC minute, not {start.isoformat()}")
    return int((start - origin).total_seconds()) // 60


def _standard(
    name: str,
    description: str,
    plan: OutagePlan | None,
    *,
    level: float,
    dispersion: float = 10.0,
    days: int = 35,
    drift_per_day: float = 0.0,
    holidays: tuple[int, ...] = (),
) -> Scenario:
    # Shared shape: a clear day/night cycle, a 20% weekend dip and a ±5% slow wobble.
    backdrop = Background(
        level=level,
        diurnal=0.6,
        weekly=0.2,
        dispersion=dispersion,
        drift_per_day=drift_per_day,
        holidays=holidays,
        wobble=0.05,
    )
    return Scenario(name, description, backdrop, (), days, plan)


STANDARD_SCENARIOS = (
    _standard(
        "busy_double_step",
        "The aim: outages that double the baseline for 30 minutes on a busy series "
        "(20/min, over-dispersed), starting abruptly.",
        OutagePlan(factor=2.0, duration=30),
        level=20.0,
    ),
    _standard(
        "busy_double_ramp",
        "As busy_double_step, but the surge builds linearly over 15 minutes before a "
        "30-minute plateau at double.",
        OutagePlan(factor=2.0, duration=30, ramp="linear", ramp_minutes=15),
        level=20.0,
    ),
    _standard(
        "medium_triple",
        "A medium series (2/min) whose outages triple it for 30 minutes.",
        OutagePlan(factor=3.0, duration=30),
        level=2.0,
    ),
    _standard(
        "sparse_median0",
        "A sparse series (0.15/min, most minutes zero, dispersion 2) whose outages "
        "multiply it by 5 for 45 minutes.",
        OutagePlan(factor=5.0, duration=45),
        level=0.15,
        dispersion=2.0,
        days=42,
    ),
    _standard(
        "sparse_double",
        "Hard case: a sparse series (0.3/min) that only doubles for 60 minutes; "
        "low recall is the honest expectation.",
        OutagePlan(factor=2.0, duration=60),
        level=0.3,
        dispersion=2.0,
        days=42,
    ),
    _standard(
        "small_1_5x",
        "A busy series (20/min) with modest outages: 1.5× for 30 minutes.",
        OutagePlan(factor=1.5, duration=30),
        level=20.0,
    ),
    _standard(
        "big_10x",
        "A quiet series (1/min) hit by big outages: exponential climb over 10 minutes "
        "to 10× for 20 minutes.",
        OutagePlan(factor=10.0, duration=20, ramp="exp", ramp_minutes=10),
        level=1.0,
    ),
    _standard(
        "holidays_drift",
        "5/min growing 2% a day, with three quiet public holidays (days 9, 17 and 30); "
        "outages double it for 30 minutes.",
        OutagePlan(factor=2.0, duration=30),
        level=5.0,
        days=42,
        drift_per_day=0.02,
        holidays=(9, 17, 30),
    ),
    _standard(
        "quiet_control",
        "5/min with no outages at all: every alert is a false alarm.",
        None,
        level=5.0,
    ),
)
SCENARIOS: dict[str, Scenario] = {s.name: s for s in STANDARD_SCENARIOS}

"""The outage radar's detector: one pass over counts per bucket, bounded memory per series.

For each series (complaints about one component on one channel, or an external signal
such as failed logins), the detector keeps

* a **baseline**: a level times a seasonal shape, multiplicative Holt–Winters at hourly
  resolution with a daily and a weekly season (hour-of-day for weekdays and weekends, and 168 hour-of-week
  means, interpolated between hour centres). A drift correction follows slow
  changes of level (half-life 2 days). Buckets under suspicion or inside an alert teach the baseline nothing, so a
  past incident does not become the new normal; one unusual hour moves a seasonal
  factor by at most a bounded step, so a holiday does not either;
* an **over-dispersion** estimate: counts are negative binomial, variance μ + μ²/r, with
  1/r estimated from the residuals (it also absorbs the baseline's own error, which
  makes the detector more careful where the baseline is poor);
* a **CUSUM of the likelihood ratio** of NB(ρ·μ, r) against NB(μ, r) (Page 1954;
  Lorden 1971), ρ = 2 by default: the optimal detector for "the rate doubled" and a
  good one for larger surges. It alarms when the statistic reaches h = log(ARL), which
  by Lorden's bound keeps the false alarms to at most one per ARL buckets when the
  model holds; the default ARL is 30 days. One bucket adds at most h/2, so one spike
  (a bot, a duplicated import) cannot raise an alert on its own.

After an alarm the series is *in alert* until the statistic has stayed low for the
cool-down: one incident raises one alert. The estimated start of the change is the
bucket where the statistic last left zero (the CUSUM change-point estimate).

docs/radar.md explains the choices and the figures.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

HOURS_PER_WEEK = 168
# Unix minute 0 (1970-01-01 00:00 UTC) was a Thursday: hour-of-week 0 is Monday 00:00.
EPOCH_HOUR_OF_WEEK = 3 * 24
MAX_COUNT = 1e9


@dataclass(frozen=True)
class DetectorConfig:
    bucket_minutes: int = 1
    # At most one false alarm per this many days per series (sets the threshold).
    false_alarm_days: float = 30.0
    # The surge the detector is tuned for: the rate times this.
    shift: float = 2.0
    # No alerts before this much history (the baseline is still learning).
    warmup_minutes: int = 1440
    # An alert ends once the statistic has stayed below a quarter of the threshold
    # this long; the next alarm is a new incident.
    cooldown_minutes: int = 60
    # A bucket teaches the baseline only when this old and not part of an alarm.
    confirm_minutes: int = 60
    # An alert longer than this is a new normal: the baseline takes the new level.
    max_alert_minutes: int = 24 * 60
    level_half_life_minutes: float = 2880
    # Seasonal factors: weight of a new hour (hour-of-day: each day; hour-of-week: each week).
    daily_weight: float = 0.15
    weekly_weight: float = 0.3
    dispersion_half_life_minutes: float = 3 * 24 * 60
    # Prior 1/r before the data say otherwise, and the bounds of the estimate.
    prior_inverse_dispersion: float = 0.1
    min_inverse_dispersion: float = 0.002
    max_inverse_dispersion: float = 2.0

    @property
    def threshold(self) -> float:
        return math.log(self.arl_buckets)

    @property
    def arl_buckets(self) -> float:
        return self.false_alarm_days * 1440 / self.bucket_minutes

    def buckets(self, minutes: float) -> int:
        return max(1, math.ceil(minutes / self.bucket_minutes))

    def alpha(self, half_life_minutes: float) -> float:
        return 1 - 0.5 ** (self.bucket_minutes / half_life_minutes)


@dataclass(frozen=True)
class Alert:
    series: str
    at: int  # bucket start, unix minutes
    start: int  # estimated start of the change, unix minutes
    score: float  # the CUSUM statistic over the threshold (>= 1)
    expected: float  # baseline count per bucket at the alarm
    observed: float  # count in the alarm's bucket


def hour_of_week(minute: int) -> int:
    return (minute // 60 + EPOCH_HOUR_OF_WEEK) % HOURS_PER_WEEK


def day_slot(hour_of_week: int) -> int:
    """The hour-of-day slot of an hour of the week: weekdays 0–23, weekends 24–47."""
    return hour_of_week % 24 + (24 if hour_of_week >= 5 * 24 else 0)


def nb_log_ratio(count: float, mean: float, shift: float, inverse_dispersion: float) -> float:
    """log P(count | NB(shift·mean, r)) − log P(count | NB(mean, r)), r = 1/inverse_dispersion."""
    if mean <= 0:
        mean = 1e-9
    if inverse_dispersion <= 0:  # Poisson
        return count * math.log(shift) - (shift - 1) * mean
    r = 1 / inverse_dispersion
    return count * math.log(shift * (mean + r) / (shift * mean + r)) + r * math.log(
        (mean + r) / (shift * mean + r)
    )


@dataclass
class SeriesState:
    """Everything the detector keeps for one series: a few hundred floats."""

    bucket: int | None = None  # index of the last bucket seen (unix minutes // bucket size)
    seen: int = 0  # buckets seen
    learned: int = 0  # buckets learned from
    running_mean: float = 0.0
    correction: float = 1.0
    recent_count: float = 0.0
    recent_seasonal: float = 0.0
    # Hour-of-day means for weekdays (0–23) and weekends (24–47).
    daily: list[float] = field(default_factory=lambda: [0.0] * 48)
    daily_seen: list[int] = field(default_factory=lambda: [0] * 48)
    weekly: list[float] = field(default_factory=lambda: [0.0] * HOURS_PER_WEEK)
    weekly_seen: list[int] = field(default_factory=lambda: [0] * HOURS_PER_WEEK)
    # The hour being accumulated for the seasonal update.
    hour: int | None = None
    hour_count: float = 0.0
    hour_buckets: int = 0
    hour_seasonal: float = 0.0
    hours_learned: int = 0
    # Dispersion: running sums of squared excess and of squared means.
    excess: float = 0.0
    mean_squared: float = 0.0
    # CUSUM
    statistic: float = 0.0
    run_start: int | None = None
    alerting: bool = False
    alert_started: int = 0
    quiet: int = 0  # buckets the statistic has stayed low during an alert
    alert_count: float = 0.0
    alert_expected: float = 0.0
    # Buckets waiting to teach the baseline: (minute, count, expected). A bucket is
    # learned only once it is `confirm_minutes` old and no alarm has claimed it.
    pending: deque[tuple[int, float, float, bool]] = field(default_factory=deque)


class Detector:
    """The online detector for any number of series; feed buckets in time order."""

    def __init__(self, config: DetectorConfig | None = None) -> None:
        self.config = config or DetectorConfig()
        c = self.config
        self.threshold = c.threshold
        self.step_cap = self.threshold / 2
        self.level_alpha = c.alpha(c.level_half_life_minutes)
        self.dispersion_alpha = c.alpha(c.dispersion_half_life_minutes)
        self.warmup = c.buckets(c.warmup_minutes)
        self.cooldown = c.buckets(c.cooldown_minutes)
        self.confirm = c.buckets(c.confirm_minutes)
        self.max_alert = c.buckets(c.max_alert_minutes)
        self.states: dict[str, SeriesState] = {}

    # --- the baseline -----------------------------------------------------------

    def seasonal(self, state: SeriesState, minute: int) -> float:
        """The seasonal mean per bucket at this minute, interpolated between hour centres."""
        position = (minute % 60 + self.config.bucket_minutes / 2) / 60 - 0.5
        hour = minute // 60
        if position < 0:
            before, after, weight = hour - 1, hour, position + 1
        else:
            before, after, weight = hour, hour + 1, position
        return (1 - weight) * self.slot_mean(state, before) + weight * self.slot_mean(state, after)

    def slot_mean(self, state: SeriesState, hour: int) -> float:
        """Hour-of-week mean, shrunk towards the hour-of-day mean while the week's slot
        has little evidence (few weeks, or few counts: sparse series lean on the day)."""
        slot = (hour + EPOCH_HOUR_OF_WEEK) % HOURS_PER_WEEK
        day = day_slot(slot)
        if not state.daily_seen[day]:  # a first weekend borrows the weekdays' hour
            day = slot % 24
        daily = state.daily[day] if state.daily_seen[day] else state.running_mean
        seen = state.weekly_seen[slot]
        if not seen:
            return daily
        weekly = state.weekly[slot]
        volume = weekly * 60 / self.config.bucket_minutes
        trust = min(seen, 8) / (min(seen, 8) + 1) * volume / (volume + 20)
        return trust * weekly + (1 - trust) * daily

    def expected(self, state: SeriesState, minute: int) -> float:
        return max(state.correction * self.seasonal(state, minute), 0.0)

    def inverse_dispersion(self, state: SeriesState) -> float:
        c = self.config
        if state.mean_squared <= 0:
            return c.prior_inverse_dispersion
        # Shrink towards the prior while the evidence is thin (few squared means).
        weight = state.mean_squared / (state.mean_squared + 5.0)
        estimate = state.excess / state.mean_squared
        value = weight * estimate + (1 - weight) * c.prior_inverse_dispersion
        return min(max(value, c.min_inverse_dispersion), c.max_inverse_dispersion)

    def learn(
        self, state: SeriesState, minute: int, count: float, mean: float, observed: bool = True
    ) -> None:
        """Update the seasonal means, the level correction and the dispersion."""
        state.learned += 1
        state.running_mean += (count - state.running_mean) / state.learned
        hour = minute // 60
        if state.hour is not None and hour != state.hour:
            self.close_hour(state)
        state.hour = hour
        state.hour_count += count
        state.hour_buckets += 1
        state.hour_seasonal += self.seasonal(state, minute)
        if mean > 0 and observed:  # an expectation put in a count's place says nothing of spread
            keep = 1 - self.dispersion_alpha
            state.excess = keep * state.excess + ((count - mean) ** 2 - mean)
            state.mean_squared = keep * state.mean_squared + mean * mean

    def close_hour(self, state: SeriesState) -> None:
        assert state.hour is not None
        if state.hour_buckets:
            self.correct(state)
            # The hour's mean, with the current correction taken out, so that the
            # seasonal means keep the shape and the correction keeps the level.
            value = state.hour_count / state.hour_buckets / max(state.correction, 1e-6)
            slot = (state.hour + EPOCH_HOUR_OF_WEEK) % HOURS_PER_WEEK
            self.blend(
                state.daily, state.daily_seen, day_slot(slot), value, self.config.daily_weight
            )
            self.blend(state.weekly, state.weekly_seen, slot, value, self.config.weekly_weight)
        state.hour_count = 0.0
        state.hour_buckets = 0
        state.hour_seasonal = 0.0

    def correct(self, state: SeriesState) -> None:
        """The correction: recent counts over recent seasonal means, hour by hour (a ratio
        estimator, half-life 2 days), which follows drifts the weekly means lag behind.
        An hour's count enters clipped to a band around its expectation, wider for small
        counts: a holiday or a flood moves the correction a little, a drift moves it all
        the way. During the first day the correction stays 1: the seasonal means are the
        raw hourly means, what it is later measured against."""
        state.hours_learned += 1
        count = state.hour_count
        if state.learned > self.warmup:
            expected = state.correction * state.hour_seasonal
            band = 1.25 + 2 / math.sqrt(max(expected, 1.0))
            count = min(max(count, expected / band), expected * band)
        keep = 1 - max(1 - (1 - self.level_alpha) ** state.hour_buckets, 1 / state.hours_learned)
        state.recent_count = keep * state.recent_count + count
        state.recent_seasonal = keep * state.recent_seasonal + state.hour_seasonal
        if state.learned > self.warmup and state.recent_seasonal > 1e-9:
            state.correction = min(max(state.recent_count / state.recent_seasonal, 0.2), 5.0)

    @staticmethod
    def blend(
        factors: list[float], seen: list[int], slot: int, value: float, weight: float
    ) -> None:
        if seen[slot] == 0:
            factors[slot] = value
        else:
            if seen[slot] >= 3:  # one unusual hour (a holiday) moves a mean a bounded step
                value = min(max(value, factors[slot] / 1.5), factors[slot] * 1.5)
            # The first values are averaged, then the weight takes over.
            factors[slot] += max(weight, 1 / (seen[slot] + 1)) * (value - factors[slot])
        seen[slot] = min(seen[slot] + 1, 1000)

    # --- detection --------------------------------------------------------------

    def update(self, series: str, minute: int, count: float) -> Alert | None:
        """Feed one bucket (its start in unix minutes). Buckets skipped since the last
        one are zeros; a bucket at or before the last one is ignored (the caller
        reports late data)."""
        state = self.states.get(series)
        if state is None:
            state = self.states[series] = SeriesState()
        bucket = minute // self.config.bucket_minutes
        if state.bucket is not None:
            if bucket <= state.bucket:
                return None
            for gap in range(state.bucket + 1, bucket):
                self.step(series, state, gap, 0.0)
        return self.step(series, state, bucket, count)

    def skip_to(self, series: str, minute: int) -> None:
        """A gap in the data itself (not zero complaints): jump without learning."""
        state = self.states.get(series)
        if state is None:
            return
        bucket = minute // self.config.bucket_minutes
        if state.bucket is None or bucket > state.bucket:
            if state.hour is not None:
                self.close_hour(state)
                state.hour = None
            state.bucket = bucket - 1
            state.statistic = 0.0
            state.run_start = None

    def step(self, series: str, state: SeriesState, bucket: int, count: float) -> Alert | None:
        c = self.config
        minute = bucket * c.bucket_minutes
        state.bucket = bucket
        count = min(max(count, 0.0), MAX_COUNT)
        state.seen += 1
        mean = self.expected(state, minute)
        if state.seen <= self.warmup:
            # Learning, not yet judging; but a series is often born in an incident, so
            # after its first hour a count far above the running mean is clipped.
            if state.learned >= self.confirm:
                ceiling = max(
                    4 * state.running_mean,
                    state.running_mean + 6 * math.sqrt(state.running_mean) + 3,
                )
                count = min(count, ceiling)
            self.learn(state, minute, count, mean)
            return None
        inverse = self.inverse_dispersion(state)
        ratio = nb_log_ratio(count, mean, c.shift, inverse)
        ratio = min(ratio, self.step_cap)
        before = state.statistic
        state.statistic = max(0.0, before + ratio)
        if state.statistic > 0 and before == 0:
            state.run_start = bucket
        elif state.statistic == 0:
            state.run_start = None
        alert = None
        if state.alerting:
            state.alert_count += count
            state.alert_expected += mean
            state.statistic = min(state.statistic, 2 * self.threshold)
            state.quiet = state.quiet + 1 if state.statistic < self.threshold / 4 else 0
            if state.quiet >= self.cooldown:
                state.alerting = False
            elif bucket - state.alert_started >= self.max_alert:
                self.accept_new_level(state)
        elif state.statistic >= self.threshold:
            start = state.run_start if state.run_start is not None else bucket
            alert = Alert(
                series=series,
                at=minute,
                start=start * c.bucket_minutes,
                score=round(state.statistic / self.threshold, 3),
                expected=round(mean, 3),
                observed=count,
            )
            self.claim(state, start * c.bucket_minutes)
            state.alerting = True
            state.alert_started = bucket
            state.quiet = 0
            state.alert_count = count
            state.alert_expected = mean
        self.defer(state, minute, count, mean, inverse)
        return alert

    def defer(
        self, state: SeriesState, minute: int, count: float, mean: float, inverse: float
    ) -> None:
        """Queue the bucket for learning; learn the ones old enough. Inside an alert, and
        for the run of buckets that led to an alarm, the count is replaced by its
        expectation: an incident teaches the baseline nothing."""
        observed = not state.alerting
        if not observed:
            count = mean
        else:
            # Winsorize, so one absurd bucket moves the baseline a bounded step. The bound
            # uses at least the prior dispersion: clipping at the estimate itself would
            # shrink the estimate, which tightens the clip, and so on down to nothing.
            spread = max(inverse, self.config.prior_inverse_dispersion)
            count = min(count, mean + 5 * math.sqrt(mean + mean * mean * spread) + 1)
        state.pending.append((minute, count, mean, observed))
        while len(state.pending) > self.confirm:
            self.learn(state, *state.pending.popleft())

    def claim(self, state: SeriesState, since_minute: int) -> None:
        """An alarm: the pending buckets of its run are the incident's, not the baseline's."""
        state.pending = deque(
            (m, mean, mean, False) if m >= since_minute else (m, count, mean, observed)
            for m, count, mean, observed in state.pending
        )

    def accept_new_level(self, state: SeriesState) -> None:
        if state.alert_expected > 0:
            ratio = state.alert_count / state.alert_expected
            state.correction = min(max(state.correction * ratio, 0.2), 5.0)
            state.recent_count = state.correction * state.recent_seasonal
        state.alerting = False
        state.statistic = 0.0
        state.run_start = None
        state.quiet = 0

    def baseline(self, series: str, minute: int) -> tuple[float, float] | None:
        """Expected count per bucket at this minute and its standard deviation."""
        state = self.states.get(series)
        if state is None or state.seen <= self.warmup:
            return None
        mean = self.expected(state, minute)
        return mean, math.sqrt(mean + mean * mean * self.inverse_dispersion(state))

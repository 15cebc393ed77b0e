"""The synthetic benchmark generator: realistic background, known outages, replay rows."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest

from amparo.radar.synthetic import (
    MINUTES_PER_DAY,
    SCENARIOS,
    Background,
    Outage,
    OutagePlan,
    Scenario,
    draw_counts,
    generate,
    to_csv_rows,
)

PLANNED = [s for s in SCENARIOS.values() if s.outage_plan is not None]


def make_background(**overrides: Any) -> Background:
    fields: dict[str, Any] = {
        "level": 10.0,
        "diurnal": 0.6,
        "weekly": 0.2,
        "dispersion": 10.0,
        "drift_per_day": 0.0,
    }
    return Background(**{**fields, **overrides})


def make_scenario(days: int = 14, outages: tuple[Outage, ...] = (), **overrides: Any) -> Scenario:
    return Scenario("test", "a test scenario", make_background(**overrides), outages, days)


def daily_means(values: np.ndarray) -> np.ndarray:
    return values.reshape(-1, MINUTES_PER_DAY).mean(axis=1)


def hour_of_weekdays(values: np.ndarray, hour: int) -> np.ndarray:
    days = values.reshape(-1, MINUTES_PER_DAY)
    weekdays = days[np.arange(len(days)) % 7 < 5]
    return weekdays[:, hour * 60 : (hour + 1) * 60]


def test_the_same_seed_and_index_give_the_same_series() -> None:
    scenario = SCENARIOS["busy_double_step"]
    first, again = generate(scenario, seed=7, index=3), generate(scenario, seed=7, index=3)
    assert np.array_equal(first.counts, again.counts)
    assert np.array_equal(first.mean, again.mean)
    assert first.outages == again.outages


def test_another_seed_or_index_gives_another_series() -> None:
    scenario = SCENARIOS["busy_double_step"]
    base = generate(scenario, seed=7, index=0)
    for other in (generate(scenario, seed=8, index=0), generate(scenario, seed=7, index=1)):
        assert not np.array_equal(base.counts, other.counts)
        assert base.outages != other.outages


def test_counts_average_to_the_expected_mean() -> None:
    series = generate(SCENARIOS["busy_double_step"], seed=1)
    assert series.counts.dtype == np.int64
    assert series.counts.sum() / series.outage_mean.sum() == pytest.approx(1, abs=0.01)


def test_counts_are_over_dispersed_like_a_negative_binomial_of_size_r() -> None:
    series = generate(make_scenario(days=14, level=20.0, diurnal=0.0, weekly=0.0), seed=2)
    assert np.allclose(series.mean, 20.0)
    assert series.counts.var() == pytest.approx(20 + 20**2 / 10, rel=0.08)


@pytest.mark.parametrize(("mean", "size"), [(0.15, 2.0), (2.0, 10.0), (20.0, 5.0)])
def test_draw_counts_matches_negative_binomial_moments(mean: float, size: float) -> None:
    counts = draw_counts(np.full(200_000, mean), size, np.random.default_rng(3))
    assert counts.mean() == pytest.approx(mean, rel=0.02)
    assert counts.var() == pytest.approx(mean + mean**2 / size, rel=0.04)


def test_infinite_dispersion_is_poisson_and_a_zero_mean_gives_zeros() -> None:
    counts = draw_counts(np.full(200_000, 4.0), float("inf"), np.random.default_rng(4))
    assert counts.var() == pytest.approx(4.0, rel=0.03)
    assert not draw_counts(np.zeros(1000), 2.0, np.random.default_rng(5)).any()
    assert not draw_counts(np.zeros(1000), float("inf"), np.random.default_rng(5)).any()


def test_draw_counts_refuses_negative_means() -> None:
    with pytest.raises(ValueError):
        draw_counts(np.array([1.0, -0.5]), 2.0, np.random.default_rng(0))


def test_level_is_the_mean_of_an_ordinary_week() -> None:
    series = generate(make_scenario(days=14, level=7.5), seed=0)
    assert series.mean.mean() == pytest.approx(7.5, rel=1e-9)


def test_night_is_quieter_than_midday() -> None:
    series = generate(make_scenario(days=14, dispersion=5.0), seed=0)
    assert hour_of_weekdays(series.mean, 4).mean() < 0.6 * hour_of_weekdays(series.mean, 12).mean()
    assert (
        hour_of_weekdays(series.counts, 4).sum() < 0.6 * hour_of_weekdays(series.counts, 12).sum()
    )
    assert int(np.argmin(series.mean[:MINUTES_PER_DAY])) // 60 in (3, 4, 5)


def test_the_day_peaks_late_morning_and_again_in_the_evening() -> None:
    monday = generate(make_scenario(days=1, diurnal=1.0), seed=0).mean
    hourly = monday.reshape(24, 60).mean(axis=1)
    assert hourly[11] > hourly[15] < hourly[20]
    assert hourly[11] > 3 * hourly[4]


def test_weekends_dip_and_a_negative_weekly_makes_them_rise() -> None:
    dip = daily_means(generate(make_scenario(days=7, weekly=0.3), seed=0).mean)
    assert dip[6] < dip[5] < dip[:5].min()
    assert dip[6] / dip[:5].mean() == pytest.approx(0.7, rel=0.01)
    rise = daily_means(generate(make_scenario(days=7, weekly=-0.3), seed=0).mean)
    assert rise[6] > rise[:5].max()


def test_holidays_are_quieter_than_the_same_weekday() -> None:
    series = generate(make_scenario(days=14, holidays=(9,)), seed=0)
    days = daily_means(series.mean)
    assert days[9] < 0.9 * days[2]
    assert days[9] < days[6]
    assert daily_means(series.counts.astype(float))[9] < 0.9 * days[2]


def test_drift_grows_the_level_day_by_day() -> None:
    days = daily_means(generate(make_scenario(days=15, drift_per_day=0.02), seed=0).mean)
    assert days[14] / days[0] == pytest.approx(1.02**14, rel=0.01)


def test_wobble_moves_the_baseline_slowly_and_keeps_its_level() -> None:
    series = generate(make_scenario(days=28, diurnal=0.0, weekly=0.0, wobble=0.05), seed=0)
    ratio = series.mean / 10.0
    assert ratio.mean() == pytest.approx(1, abs=0.01)
    assert 0.02 < ratio.std() < 0.06
    assert np.abs(np.diff(ratio)).max() < 0.01


def test_a_step_outage_jumps_to_its_factor_for_its_duration() -> None:
    outage = Outage(start=100, duration=30, factor=2.0, ramp="step", ramp_minutes=0)
    m = outage.multiplier(np.arange(200))
    assert np.all(m[:100] == 1.0)
    assert np.all(m[100:130] == 2.0)
    assert np.all(m[130:] == 1.0)
    assert outage.end == 130


def test_a_linear_outage_climbs_evenly_then_holds() -> None:
    outage = Outage(start=100, duration=30, factor=2.0, ramp="linear", ramp_minutes=15)
    m = outage.multiplier(np.arange(200))
    ramp = m[100:115]
    assert m[99] == 1.0 and 1.0 < ramp[0] and ramp[-1] < 2.0
    assert np.allclose(np.diff(ramp), 1 / 16)
    assert np.all(m[115:145] == 2.0)
    assert np.all(m[145:] == 1.0)


def test_an_exp_outage_grows_geometrically_then_holds() -> None:
    outage = Outage(start=50, duration=20, factor=10.0, ramp="exp", ramp_minutes=10)
    m = outage.multiplier(np.arange(100))
    ramp = m[50:60]
    assert np.allclose(ramp[1:] / ramp[:-1], 10 ** (1 / 11))
    assert 1.0 < ramp[0] and ramp[-1] < 10.0
    assert np.all(m[60:80] == 10.0)
    assert np.all(m[80:] == 1.0) and np.all(m[:50] == 1.0)


@pytest.mark.parametrize(
    "fields",
    [
        {"ramp": "sigmoid", "ramp_minutes": 5},
        {"ramp": "step", "ramp_minutes": 5},
        {"ramp": "linear", "ramp_minutes": 0},
        {"duration": 0},
        {"factor": 0.0},
        {"start": -1},
    ],
)
def test_an_outage_refuses_an_impossible_shape(fields: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Outage(**{"start": 0, "duration": 30, "factor": 2.0, **fields})


def test_the_outage_mean_is_the_baseline_times_the_surge() -> None:
    outages = (Outage(start=3000, duration=30, factor=3.0),)
    series = generate(make_scenario(days=3, outages=outages), seed=0)
    assert np.allclose(series.outage_mean, series.mean * outages[0].multiplier(np.arange(4320)))
    mask = series.outage_mask()
    assert mask.sum() == 30 and mask[3000] and not mask[3030]
    assert series.counts[mask].sum() > 2 * series.mean[mask].sum()


def test_a_scenario_refuses_outages_past_its_end_or_both_fixed_and_planned() -> None:
    with pytest.raises(ValueError):
        make_scenario(days=1, outages=(Outage(start=1430, duration=30, factor=2.0),))
    with pytest.raises(ValueError):
        replace(
            make_scenario(outages=(Outage(start=0, duration=30, factor=2.0),)),
            outage_plan=OutagePlan(factor=2.0, duration=30),
        )


def test_standard_scenarios_allow_two_weeks_of_warm_up_then_evaluation() -> None:
    assert all(35 <= s.days <= 42 for s in SCENARIOS.values())
    assert SCENARIOS["busy_double_step"].outage_plan == OutagePlan(factor=2.0, duration=30)


@pytest.mark.parametrize("scenario", PLANNED, ids=lambda s: s.name)
def test_standard_outages_come_after_day_14_two_days_apart(scenario: Scenario) -> None:
    for index in range(3):
        outages = generate(scenario, seed=11, index=index).outages
        assert 3 <= len(outages) <= 5
        assert outages[0].start >= 14 * MINUTES_PER_DAY
        assert outages[-1].end <= scenario.days * MINUTES_PER_DAY
        for before, after in zip(outages, outages[1:], strict=False):
            assert after.start - before.end >= 2 * MINUTES_PER_DAY


def test_standard_outages_fall_at_any_time_of_day_including_night() -> None:
    scenario = SCENARIOS["busy_double_step"]
    starts = [o.start for i in range(8) for o in generate(scenario, seed=5, index=i).outages]
    hours = {start % MINUTES_PER_DAY // 60 for start in starts}
    assert hours & {0, 1, 2, 3, 4, 5}
    assert hours & set(range(9, 18))


def test_the_sparse_scenario_has_median_zero() -> None:
    series = generate(SCENARIOS["sparse_median0"], seed=0)
    assert np.median(series.counts) == 0
    assert series.counts.sum() > 0


def test_the_quiet_control_has_no_outages() -> None:
    series = generate(SCENARIOS["quiet_control"], seed=0)
    assert series.outages == ()
    assert np.array_equal(series.mean, series.outage_mean)
    assert not series.outage_mask().any()


def test_csv_rows_are_time_ordered_and_parseable() -> None:
    scenario = replace(make_scenario(days=1), name="b")
    series = [generate(scenario, seed=0, index=1), generate(scenario, seed=0, index=0)]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(to_csv_rows(series))
    rows = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert len(rows) == 2 * MINUTES_PER_DAY
    stamps = [datetime.fromisoformat(stamp) for stamp, _, _ in rows]
    assert stamps == sorted(stamps)
    assert stamps[0] == series[0].start and stamps[0].tzinfo is not None
    assert stamps[0].utcoffset() == timedelta(0) and stamps[0].weekday() == 0
    assert [name for _, name, _ in rows[:2]] == ["b/0", "b/1"]
    assert sum(int(count) for _, name, count in rows if name == "b/1") == series[0].counts.sum()


def test_csv_rows_can_skip_zero_minutes_and_merge_staggered_starts() -> None:
    early = generate(make_scenario(days=1, level=0.2), seed=0)
    late = replace(early, name="late", start=early.start + timedelta(minutes=30))
    rows = list(to_csv_rows([late, early], skip_zeros=True))
    assert all(count > 0 for _, _, count in rows)
    assert sum(count for _, _, count in rows) == 2 * early.counts.sum()
    first_late = next(stamp for stamp, name, _ in rows if name == "late")
    assert datetime.fromisoformat(first_late) >= late.start
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)


def test_csv_rows_refuse_a_start_that_is_not_a_utc_minute() -> None:
    series = generate(make_scenario(days=1), seed=0)
    odd = replace(series, start=datetime(2024, 3, 4, 0, 0, 30, tzinfo=UTC))
    with pytest.raises(ValueError):
        list(to_csv_rows([odd]))

"""NAB scoring on hand-made files whose expected scores are worked out in the comments.

σ(y) = 2 / (1 + exp(5y)) - 1 = -tanh(2.5y); σ(-1) = tanh(2.5) = 0.986614.
Unless a test says otherwise: a file of 1000 rows, one window (100, 149) of w = 50 rows,
the standard profile (A_TP 1, A_FP 0.11, A_FN 1) and no probationary period.
"""

from __future__ import annotations

from dataclasses import astuple
from datetime import UTC, datetime, timedelta

import pytest

from amparo.radar.nab import (
    NAB_PROBATION_FRACTION,
    PROFILES,
    FileScore,
    Profile,
    probation_rows,
    rows_at,
    scaled_sigmoid,
    score_corpus,
    score_file,
    window_rows,
    windows_for,
)

ROWS = 1000
WINDOW = (100, 149)
LOW_FP = PROFILES["reward_low_FP_rate"]
LOW_FN = PROFILES["reward_low_FN_rate"]


def score(*detections: int, windows: list[tuple[int, int]] | None = None) -> FileScore:
    return score_file(ROWS, [WINDOW] if windows is None else windows, detections)


def test_the_sigmoid_matches_the_values_nab_documents() -> None:
    # nab/sweeper.py's docstring: 0.98661 at -1, 0.84828 at -0.5, 0 at 0, -0.98661 at 1.
    assert scaled_sigmoid(-1.0) == pytest.approx(0.98661, abs=1e-5)
    assert scaled_sigmoid(-0.5) == pytest.approx(0.84828, abs=1e-5)
    assert scaled_sigmoid(0.0) == 0.0
    assert scaled_sigmoid(1.0) == pytest.approx(-0.98661, abs=1e-5)
    assert scaled_sigmoid(3.0) == -1.0


def test_the_profiles_carry_nab_weights() -> None:
    assert PROFILES["standard"] == Profile(tp=1.0, fp=0.11, tn=1.0, fn=1.0)
    assert LOW_FP == Profile(tp=1.0, fp=0.22, tn=1.0, fn=1.0)
    assert LOW_FN == Profile(tp=1.0, fp=0.11, tn=1.0, fn=2.0)


def test_a_profile_refuses_negative_weights() -> None:
    with pytest.raises(ValueError):
        Profile(tp=1.0, fp=-0.11, tn=1.0, fn=1.0)


def test_two_anomalies_in_1000_rows_get_windows_spanning_50_rows() -> None:
    # int(0.10 * 1000 / 2) = 50 → (a - 25, a + 25), 51 rows inclusive as in NAB's labeler.
    assert windows_for(1000, [300, 700]) == [(275, 325), (675, 725)]


def test_windows_are_clipped_to_the_data() -> None:
    # int(0.10 * 100 / 1) = 10 → a ± 5.
    assert windows_for(100, [2]) == [(0, 7)]
    assert windows_for(100, [97]) == [(92, 99)]


def test_overlapping_windows_merge_into_one() -> None:
    # (275, 325) and (285, 335) overlap; NAB's labeler merges them.
    assert windows_for(1000, [310, 300]) == [(275, 335)]


def test_windows_for_takes_the_fraction_and_refuses_a_silly_one() -> None:
    # int(0.20 * 1000 / 2) = 100 → a ± 50.
    assert windows_for(1000, [300, 700], window_fraction=0.20) == [(250, 350), (650, 750)]
    with pytest.raises(ValueError):
        windows_for(1000, [300], window_fraction=0.0)


def test_windows_for_refuses_an_anomaly_outside_the_data() -> None:
    with pytest.raises(ValueError):
        windows_for(1000, [1000])


def test_a_detection_at_the_window_start_earns_the_full_tp_weight() -> None:
    # y = -(149 - 100 + 1) / 50 = -1; NAB v1.1 divides σ(-1) = 0.9866 by itself → 1.0.
    assert astuple(score(100)) == pytest.approx((1.0, 1, 0, 0))


def test_a_detection_halfway_earns_less() -> None:
    # y = -(149 - 125 + 1) / 50 = -0.5 → σ = tanh(1.25) = 0.848284; / 0.986614 = 0.859793.
    assert score(125).score == pytest.approx(0.859793, abs=1e-6)


def test_a_detection_at_the_window_end_earns_almost_nothing() -> None:
    # y = -1 / 50 → σ = tanh(0.05) = 0.049958; / 0.986614 = 0.050636 (NAB v1.0 gave 0).
    assert score(149).score == pytest.approx(0.050636, abs=1e-6)


def test_only_the_earliest_detection_in_a_window_counts() -> None:
    # The later ones are neither rewarded again nor charged as false positives.
    assert astuple(score(149, 100, 120)) == pytest.approx((1.0, 1, 0, 0))


def test_a_missed_window_costs_the_fn_weight() -> None:
    assert score() == FileScore(score=-1.0, tp=0, fp=0, fn=1)
    assert score_file(ROWS, [WINDOW], [], LOW_FN).score == -2.0


def test_a_false_positive_right_after_a_window_costs_little() -> None:
    # y = (150 - 149) / (50 - 1) → σ = -tanh(2.5 / 49) = -0.050976; × 0.11 = -0.005607.
    assert score(150).score == pytest.approx(-1.0 - 0.005607, abs=1e-6)


def test_a_false_positive_far_after_a_window_costs_the_fp_weight() -> None:
    # y = (296 - 149) / 49 = 3 → σ = -1; from there on every alert costs 0.11.
    assert astuple(score(296)) == pytest.approx((-1.11, 0, 1, 1))
    assert score(900).score == pytest.approx(-1.11)


def test_a_false_positive_with_no_window_before_it_costs_the_fp_weight() -> None:
    assert astuple(score(10)) == pytest.approx((-1.11, 0, 1, 1))
    assert score_file(ROWS, [], [10]).score == pytest.approx(-0.11)


def test_a_false_positive_is_measured_from_the_closest_window_before_it() -> None:
    # 299 is 150 rows past (100, 149) → -0.11; 350 is one row past (300, 349) → -0.005607.
    windows = [WINDOW, (300, 349)]
    assert score(299, windows=windows).score == pytest.approx(-2.11)
    assert score(350, windows=windows).score == pytest.approx(-2.005607, abs=1e-6)


def test_every_false_positive_is_charged() -> None:
    # Detection at the start (1.0) and three alerts before the window (3 × -0.11).
    assert astuple(score(1, 2, 3, 100)) == pytest.approx((0.67, 1, 3, 0))


def test_a_false_positive_after_a_one_row_window_is_measured_in_rows() -> None:
    # NAB divides by w - 1 = 0 here; we divide by 1: y = 1 → 0.11 × σ(1) = -0.108528.
    assert score(101, windows=[(100, 100)]).score == pytest.approx(-1.108528, abs=1e-6)


def test_detections_are_a_set_of_rows() -> None:
    # Order and repeats do not change anything: one FP at 10 and a hit at the start.
    assert score(100, 10, 10, 100) == score(10, 100)
    assert score(10, 10).fp == 1


def test_explicit_overlapping_windows_merge_into_one() -> None:
    merged = [WINDOW, (140, 199)]
    assert astuple(score(100, windows=merged)) == pytest.approx((1.0, 1, 0, 0))
    assert score(windows=merged).fn == 1


def test_touching_windows_stay_apart() -> None:
    # NAB merges only when the next window starts at or before the previous end.
    assert score(windows=[WINDOW, (150, 199)]).fn == 2


@pytest.mark.parametrize("row", [-1, ROWS])
def test_a_detection_outside_the_data_is_refused(row: int) -> None:
    with pytest.raises(ValueError):
        score(row)


@pytest.mark.parametrize("window", [(-1, 10), (990, 1000), (149, 100)])
def test_a_window_outside_the_data_or_backwards_is_refused(window: tuple[int, int]) -> None:
    with pytest.raises(ValueError):
        score(windows=[window])


def test_a_fractional_row_is_refused() -> None:
    with pytest.raises(TypeError):
        score_file(ROWS, [WINDOW], [100.5])  # type: ignore[list-item]


def test_an_empty_file_scores_zero_and_holds_no_detection() -> None:
    assert score_file(0, [], []) == FileScore(score=0.0, tp=0, fp=0, fn=0)
    assert windows_for(0, []) == []
    with pytest.raises(ValueError):
        score_file(0, [], [0])
    with pytest.raises(ValueError):
        score_file(-1, [], [])


def test_probation_follows_nab_and_is_capped_at_750_rows() -> None:
    # min(floor(0.15 × rows), 0.15 × 5000)
    assert probation_rows(1000, NAB_PROBATION_FRACTION) == 150
    assert probation_rows(10_000, NAB_PROBATION_FRACTION) == 750
    assert probation_rows(1000, 0.0) == 0


def test_probation_ignores_early_alerts_and_windows_starting_in_it() -> None:
    # Rows 0-149 are unscored: the alert at 10 and the window (100, 149) drop out;
    # the hit at 500 earns 1.0.
    windows = [WINDOW, (500, 549)]
    result = score_file(ROWS, windows, [10, 500], probation_fraction=NAB_PROBATION_FRACTION)
    assert astuple(result) == pytest.approx((1.0, 1, 0, 0))


def test_the_perfect_detector_normalises_to_100_and_the_null_one_to_0() -> None:
    windows = windows_for(ROWS, [300, 700])
    starts = [start for start, _ in windows]
    for profile in PROFILES.values():
        assert score_corpus([(ROWS, windows, starts)], profile).normalized == pytest.approx(100)
        assert score_corpus([(ROWS, windows, [])], profile).normalized == 0.0


def test_normalisation_works_on_the_corpus_totals() -> None:
    # File A: hit at the start, 1.0. File B: three windows missed, -3.
    # raw = -2, null = -1 - 3 = -4, perfect = 1 + 3 = 4 → 100 × 2 / 8 = 25
    # (averaging the files' own normalised scores, 100 and 0, would give 50).
    corpus = [(ROWS, [WINDOW], [100]), (ROWS, [WINDOW, (400, 449), (700, 749)], [])]
    result = score_corpus(corpus)
    assert (result.raw, result.null, result.perfect) == pytest.approx((-2.0, -4.0, 4.0))
    assert result.normalized == pytest.approx(25.0)
    assert [file.tp for file in result.files] == [1, 0]


def test_a_mixed_corpus_normalises_by_hand() -> None:
    # File A: hit at the start, 1.0. File B: missed window and an alert before it, -1.11.
    # raw = -0.11, null = -2, perfect = 2 → 100 × 1.89 / 4 = 47.25.
    corpus = [(ROWS, [WINDOW], [100]), (ROWS, [(500, 549)], [10])]
    assert score_corpus(corpus).normalized == pytest.approx(47.25)


def test_a_corpus_without_windows_cannot_be_normalised() -> None:
    with pytest.raises(ValueError):
        score_corpus([(ROWS, [], [10])])


def test_the_low_fp_profile_charges_false_positives_twice() -> None:
    # Hit at the start and two alerts before the window: 1 - 2 × 0.11 vs 1 - 2 × 0.22.
    assert score_file(ROWS, [WINDOW], [1, 2, 100]).score == pytest.approx(0.78)
    assert score_file(ROWS, [WINDOW], [1, 2, 100], LOW_FP).score == pytest.approx(0.56)


def test_the_profiles_rank_a_quiet_and_a_noisy_detector_as_expected() -> None:
    # Windows (100, 149) and (500, 549); quiet hits the first only, noisy hits both and
    # raises ten alerts at rows 0-9 (each -A_FP).
    #   standard: quiet raw 0 → 100 × 2 / 4 = 50;  noisy raw 0.9 → 100 × 2.9 / 4 = 72.5
    #   low FP:   quiet raw 0 → 50;                noisy raw -0.2 → 100 × 1.8 / 4 = 45
    #   low FN:   quiet raw -1 → 100 × 3 / 6 = 50; noisy raw 0.9 → 100 × 4.9 / 6 = 81.67
    windows = [WINDOW, (500, 549)]
    quiet = [(ROWS, windows, [100])]
    noisy = [(ROWS, windows, [*range(10), 100, 500])]
    expected = {
        "standard": (50, 72.5),
        "reward_low_FP_rate": (50, 45),
        "reward_low_FN_rate": (50, 81.667),
    }
    for name, (quiet_score, noisy_score) in expected.items():
        assert score_corpus(quiet, PROFILES[name]).normalized == pytest.approx(quiet_score)
        assert score_corpus(noisy, PROFILES[name]).normalized == pytest.approx(
            noisy_score, abs=1e-3
        )


def minutes(start: datetime, count: int) -> list[datetime]:
    return [start + timedelta(minutes=i) for i in range(count)]


def test_datetimes_map_to_rows() -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    timeline = minutes(start, ROWS)
    anomalies = rows_at(timeline, [start + timedelta(minutes=300), start + timedelta(minutes=700)])
    assert windows_for(len(timeline), anomalies) == [(275, 325), (675, 725)]
    # An alert between two data points belongs to the last point the detector had seen.
    assert rows_at(timeline, [start + timedelta(minutes=275, seconds=30)]) == [275]
    window = (start + timedelta(minutes=99, seconds=30), start + timedelta(minutes=149))
    assert window_rows(timeline, [window]) == [WINDOW]


def test_datetimes_outside_the_timeline_or_between_rows_are_refused() -> None:
    start = datetime(2024, 3, 1, tzinfo=UTC)
    timeline = minutes(start, 10)
    with pytest.raises(ValueError):
        rows_at(timeline, [start - timedelta(seconds=1)])
    with pytest.raises(ValueError):
        rows_at([], [start])
    with pytest.raises(ValueError):
        window_rows(timeline, [(start + timedelta(seconds=10), start + timedelta(seconds=20))])
    with pytest.raises(ValueError):
        rows_at(list(reversed(timeline)), [start])

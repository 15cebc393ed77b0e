"""The radar's synthetic benchmark: `amparo radar eval`.

Per scenario (amparo/radar/synthetic.py): series with realistic background and injected
outages run through the same online detector as the server. Printed per scenario:
recall, false alarms per 30 days per series, median and p90 detection delay, the
theoretical lower bound on the delay at the same false-alarm rate, and NAB scores.

The bound: for a change from P0 to P1 known in advance, no detector with at most one
false alarm per ARL buckets can have a worst-case mean delay below about
log(ARL) / KL(P1‖P0) buckets (Lorden 1971; Lai 1998). With a ramp, KL changes bucket by
bucket, so per outage the bound is the first n with Σ_{i<n} KL_i ≥ log(ARL), using the
true means and dispersion the generator drew from. Our detector knows neither the size
of the surge nor the baseline: the ratio to the bound is what estimation costs.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TextIO

import numpy as np

from amparo.radar import nab
from amparo.radar.detector import Detector, DetectorConfig
from amparo.radar.synthetic import SCENARIOS, SyntheticSeries, generate

FALSE_ALARM_DAYS = 30


@dataclass
class ScenarioResult:
    name: str
    series: int = 0
    outages: int = 0
    detected: int = 0
    false_alarms: int = 0
    live_days: float = 0.0
    delays: list[int] = field(default_factory=list)
    bounds: list[int] = field(default_factory=list)
    nab_files: list[tuple[int, list[tuple[int, int]], list[int]]] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.detected / self.outages if self.outages else None

    @property
    def false_alarms_per_30_days(self) -> float:
        return self.false_alarms / self.live_days * FALSE_ALARM_DAYS if self.live_days else 0.0

    def delay(self, quantile: float) -> float | None:
        return percentile(self.delays, quantile)

    def bound(self, quantile: float) -> float | None:
        return percentile(self.bounds, quantile)

    def nab_score(self, profile: str) -> float | None:
        if not any(windows for _, windows, _ in self.nab_files):
            return None
        return nab.score_corpus(self.nab_files, nab.PROFILES[profile]).normalized


def percentile(values: list[int], quantile: float) -> float | None:
    if not values:
        return None
    return float(np.percentile(values, quantile * 100, method="lower"))


def nb_kl(post: float, pre: float, dispersion: float) -> float:
    """KL(NB(post, r) ‖ NB(pre, r)) per bucket; Poisson when r is infinite."""
    if post <= 0 or pre <= 0 or post == pre:
        return 0.0
    if math.isinf(dispersion):
        return post * math.log(post / pre) - post + pre
    r = dispersion
    return post * math.log(post * (pre + r) / (pre * (post + r))) + r * math.log(
        (pre + r) / (post + r)
    )


def delay_bound(series: SyntheticSeries, start: int, end: int, log_arl: float) -> int | None:
    """Buckets the best detector needs after `start` (None: not within the outage)."""
    total = 0.0
    for minute in range(start, end):
        total += nb_kl(
            float(series.outage_mean[minute]), float(series.mean[minute]), series.dispersion
        )
        if total >= log_arl:
            return minute - start + 1
    return None


def run_series(detector: Detector, series: SyntheticSeries) -> list[int]:
    """Alarm minutes (relative to the series start)."""
    origin = int(series.start.timestamp()) // 60
    alarms = []
    update = detector.update
    name = series.name
    for offset, count in enumerate(series.counts.tolist()):
        alert = update(name, origin + offset, count)
        if alert is not None:
            alarms.append(alert.at - origin)
    return alarms


@dataclass
class SeriesOutcome:
    scenario: str
    live_days: float
    outages: int
    detected: int
    false_alarms: int
    delays: list[int]
    bounds: list[int]
    nab_file: tuple[int, list[tuple[int, int]], list[int]]


def evaluate_series(name: str, seed: int, index: int, config: DetectorConfig) -> SeriesOutcome:
    series = generate(SCENARIOS[name], seed, index)
    alarms = run_series(Detector(config), series)
    log_arl = math.log(config.arl_buckets)
    detected, delays, bounds, matched = 0, [], [], set()
    for outage in series.outages:
        hits = [a for a in alarms if outage.start <= a < outage.end]
        if hits:
            detected += 1
            delays.append(hits[0] - outage.start + 1)
            bound = delay_bound(series, outage.start, outage.end, log_arl)
            if bound is not None:
                bounds.append(bound)
        matched.update(hits)
    # Every alarm outside all outages is a false alarm (alarms inside one after its
    # first are rare thanks to the cool-down, and not counted either way).
    false_alarms = sum(1 for a in alarms if a not in matched)
    length = len(series.counts)
    return SeriesOutcome(
        name,
        (length - config.warmup_minutes) / 1440,
        len(series.outages),
        detected,
        false_alarms,
        delays,
        bounds,
        (length, nab.windows_for(length, [o.start for o in series.outages]), alarms),
    )


def evaluate(
    names: Iterable[str],
    count: int,
    seed: int,
    config: DetectorConfig | None = None,
    progress: bool = False,
    workers: int | None = None,
) -> list[ScenarioResult]:
    """Every scenario's `count` series, on all cores, with a progress bar if asked."""
    from concurrent.futures import ProcessPoolExecutor

    from tqdm import tqdm

    config = config or DetectorConfig()
    names = list(names)
    results = {name: ScenarioResult(name) for name in names}
    jobs = [(name, seed, index, config) for name in names for index in range(count)]
    with ProcessPoolExecutor(max_workers=workers or min(os.cpu_count() or 1, 4)) as pool:
        outcomes = pool.map(evaluate_series, *zip(*jobs, strict=True))
        for outcome in tqdm(
            outcomes, total=len(jobs), desc="series", disable=not progress, file=sys.stderr
        ):
            result = results[outcome.scenario]
            result.series += 1
            result.live_days += outcome.live_days
            result.outages += outcome.outages
            result.detected += outcome.detected
            result.false_alarms += outcome.false_alarms
            result.delays += outcome.delays
            result.bounds += outcome.bounds
            result.nab_files.append(outcome.nab_file)
    return [results[name] for name in names]


def fmt(value: float | None, pattern: str) -> str:
    return "—" if value is None else format(value, pattern)


def report(results: list[ScenarioResult], out: TextIO) -> None:
    out.write(
        f"{'scenario':<18} {'recall':>7} {'FA/30d':>7} {'delay p50':>9} {'p90':>5} "
        f"{'bound p50':>9} {'ratio':>6} {'NAB std':>8} {'lowFP':>6} {'lowFN':>6}\n"
    )
    for r in results:
        delay, bound = r.delay(0.5), r.bound(0.5)
        ratio = delay / bound if delay and bound else None
        out.write(
            f"{r.name:<18} {fmt(r.recall and r.recall * 100, '6.1f') + '%' if r.recall is not None else '      —':>7} "
            f"{r.false_alarms_per_30_days:7.2f} {fmt(delay, '9.0f')} {fmt(r.delay(0.9), '5.0f')} "
            f"{fmt(bound, '9.0f')} {fmt(ratio, '6.2f')} {fmt(r.nab_score('standard'), '8.1f')} "
            f"{fmt(r.nab_score('reward_low_FP_rate'), '6.1f')} "
            f"{fmt(r.nab_score('reward_low_FN_rate'), '6.1f')}\n"
        )
    out.write(
        "recall: outages alarmed before they ended; FA/30d: alarms outside outages per "
        "series per 30 days after warm-up;\ndelay in minutes from the outage's start; bound: "
        "log(ARL)/KL per outage (Lorden) at the same false-alarm rate; NAB: normalized "
        "scores (100 perfect, 0 null).\n"
    )


def main(argv: list[str] | None = None, out: TextIO = sys.stdout) -> None:  # pragma: no cover
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    args = parser.parse_args(argv)
    report(evaluate(args.scenario or list(SCENARIOS), args.series, args.seed, progress=True), out)


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["ScenarioResult", "delay_bound", "evaluate", "evaluate_series", "nb_kl", "report"]

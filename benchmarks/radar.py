"""Radar benchmark: the detector's throughput on one core, and `amparo radar replay`.

    .venv/bin/python benchmarks/radar.py [--series 10000] [--minutes 60] [--templates 40]
        [--server-minutes 5] [--replay-series 100] [--replay-days 7] [--no-replay]

1. Detector: N series × M minutes fed through `Detector.update` in time order, minute
   by minute and every series each minute, as the server's tick does. Counts are
   negative binomial (r = 10) at levels from 0.05 to 50 per minute; 1 % of the series
   double halfway through, so the alarm path runs too. The series are past their
   learning day, with the default `DetectorConfig` (one-day warm-up): feeding a day to
   10,000 series would take minutes, so `--templates` series are each fed 26 hours at
   their level, and every benchmark series starts from a copy of one template's state.
   Only the M measured minutes are timed. The process is pinned to one CPU.
   Also timed: the same updates plus what the server adds around them per series and
   minute (`baseline` for the evidence, and the state's JSON round trip, without the
   database), since that is the real per-tick cost.
2. Replay: `python -m amparo radar replay FILE.csv` in a subprocess, end to end
   (interpreter and Django start-up included), on a generated CSV of K synthetic series
   (all scenarios in turn) × D days, every minute written, zeros included.

Real time at 1-minute resolution means N series·minutes every 60 s: N/60 per second.
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
# The server's state (de)serializers live beside its models, so Django is set up, with
# a throwaway data directory (the replay subprocess uses it too).
WORKDIR = Path(tempfile.mkdtemp(prefix="amparo-bench-radar-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
os.environ["AMPARO_DATA_DIR"] = str(WORKDIR)
sys.path.insert(0, str(ROOT))

import django  # noqa: E402

django.setup()

from amparo.radar.detector import Detector, DetectorConfig, SeriesState  # noqa: E402
from amparo.radar.engine import (  # noqa: E402
    EVIDENCE_MINUTES,
    state_from_json,
    state_to_json,
)
from amparo.radar.synthetic import SCENARIOS, Scenario, generate, to_csv_rows  # noqa: E402

DISPERSION = 10.0
SURGING_SHARE = 0.01
START_MINUTE = int(datetime(2024, 3, 4, tzinfo=UTC).timestamp()) // 60


def nb_counts(levels: np.ndarray, minutes: int, rng: np.random.Generator) -> np.ndarray:
    """(minutes, series) negative-binomial counts around `levels` (a gamma-Poisson mix)."""
    mean = np.broadcast_to(levels, (minutes, len(levels)))
    return rng.poisson(rng.gamma(DISPERSION, mean / DISPERSION)).astype(np.float64)


def template_levels(templates: int) -> np.ndarray:
    return np.geomspace(0.05, 50.0, templates)


def warm_templates(templates: int, rng: np.random.Generator) -> list[SeriesState]:
    """Each template series fed a day and two hours: past warm-up, learning queue full."""
    config = DetectorConfig()
    minutes = config.warmup_minutes + 2 * config.confirm_minutes
    detector = Detector(config)
    counts = nb_counts(template_levels(templates), minutes, rng).tolist()
    for offset, row in enumerate(tqdm(counts, desc="warm-up", unit="min", file=sys.stderr)):
        for t, count in enumerate(row):
            detector.update(f"template/{t}", START_MINUTE + offset, count)
    return [detector.states[f"template/{t}"] for t in range(templates)]


def cloned_detector(
    series: int, templates: list[SeriesState]
) -> tuple[Detector, list[str], np.ndarray]:
    detector = Detector(DetectorConfig())
    names = [f"brand-{i % 50}/topic:{i // 50}/whatsapp" for i in range(series)]
    for i, name in enumerate(tqdm(names, desc="copy states", unit="series", file=sys.stderr)):
        detector.states[name] = copy.deepcopy(templates[i % len(templates)])
    levels = template_levels(len(templates))[np.arange(series) % len(templates)]
    return detector, names, levels


def measured_counts(
    levels: np.ndarray, minutes: int, rng: np.random.Generator
) -> list[list[float]]:
    counts = nb_counts(levels, minutes, rng)
    surging = rng.random(len(levels)) < SURGING_SHARE
    counts[minutes // 2 :, surging] = nb_counts(levels[surging] * 2, minutes - minutes // 2, rng)
    return counts.tolist()


def run_updates(
    detector: Detector, names: list[str], counts: list[list[float]], first: int
) -> tuple[float, int]:
    """Seconds and alerts for feeding every series each minute through `update`."""
    update = detector.update
    alerts = 0
    started = time.perf_counter()
    for offset, row in enumerate(tqdm(counts, desc="update", unit="min", file=sys.stderr)):
        minute = first + offset
        for name, count in zip(names, row, strict=True):
            if update(name, minute, count) is not None:
                alerts += 1
    return time.perf_counter() - started, alerts


def run_server_path(
    detector: Detector, names: list[str], counts: list[list[float]], first: int
) -> tuple[float, int]:
    """As `run_updates`, with the server's per-series work (`engine.advance`): load the
    state and the evidence list from JSON, read the baseline, update, save both back.
    No database. Returns seconds and the mean stored state's size in bytes."""
    evidence = [[first - EVIDENCE_MINUTES + i, 1.0, 1.0, 1.0] for i in range(EVIDENCE_MINUTES)]
    stored = {
        name: json.dumps({**state_to_json(detector.states.pop(name)), "recent": evidence})
        for name in names
    }
    state_bytes = sum(len(text) for text in stored.values()) // len(stored)
    started = time.perf_counter()
    for offset, row in enumerate(tqdm(counts, desc="server path", unit="min", file=sys.stderr)):
        minute = first + offset
        for name, count in zip(names, row, strict=True):
            data = json.loads(stored[name])
            detector.states[name] = state_from_json(data)
            recent = deque(data["recent"], maxlen=EVIDENCE_MINUTES)
            baseline = detector.baseline(name, minute)
            detector.update(name, minute, count)
            mean, spread = baseline if baseline else (None, None)
            recent.append([minute, count, mean, spread])
            state = state_to_json(detector.states.pop(name))
            stored[name] = json.dumps({**state, "recent": list(recent)})
    return time.perf_counter() - started, state_bytes


def realtime_line(label: str, rate: float, series: int) -> str:
    needed = series / 60
    verdict = "yes" if rate >= needed else "NO"
    return (
        f"  {label:<34} {rate:>12,.0f} series·min/s   real time for {series:,} series "
        f"at 1 min (≥ {needed:,.0f}/s): {verdict}, headroom ×{rate / needed:,.1f}"
    )


def bench_detector(args: argparse.Namespace) -> list[str]:
    rng = np.random.default_rng(args.seed)
    print(f"\n== detector: {args.series:,} series × {args.minutes} minutes ==", flush=True)
    templates = warm_templates(args.templates, rng)
    detector, names, levels = cloned_detector(args.series, templates)
    counts = measured_counts(levels, args.minutes + args.server_minutes, rng)
    first = START_MINUTE + DetectorConfig().warmup_minutes + 2 * DetectorConfig().confirm_minutes
    seconds, alerts = run_updates(detector, names, counts[: args.minutes], first)
    updates = args.series * args.minutes
    rate = updates / seconds
    lines = [
        f"detector ({args.series:,} series × {args.minutes} min after a one-day warm-up, "
        f"{alerts} alerts, one core):",
        f"  update: {updates:,} in {seconds:.2f} s, {seconds / updates * 1e6:.1f} µs each",
        realtime_line("Detector.update", rate, args.series),
    ]
    server_seconds, state_bytes = run_server_path(
        detector, names, counts[args.minutes :], first + args.minutes
    )
    server_updates = args.series * args.server_minutes
    lines += [
        f"  server path over {args.server_minutes} min (+ baseline, state and evidence JSON "
        f"round trip, {state_bytes:,} B/series, no database): "
        f"{server_seconds / server_updates * 1e6:.0f} µs each",
        realtime_line("update + state round trip", server_updates / server_seconds, args.series),
    ]
    return lines


def short_scenario(scenario: Scenario, days: int) -> Scenario:
    """The scenario over `days`, its outages placed after day 2 (not day 14)."""
    plan = scenario.outage_plan
    if plan is not None:
        plan = replace(plan, after_day=min(2, days - 1), min_gap_days=1.0)
    return replace(scenario, days=days, outage_plan=plan)


def write_replay_csv(path: Path, series: int, days: int) -> int:
    scenarios = [short_scenario(s, days) for s in SCENARIOS.values()]
    generated = [
        generate(scenarios[i % len(scenarios)], seed=1, index=i)
        for i in tqdm(range(series), desc="generate", unit="series", file=sys.stderr)
    ]
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("timestamp", "series", "count"))
        total = series * days * 1440
        for row in tqdm(
            to_csv_rows(generated),
            total=total,
            desc="write CSV",
            unit="row",
            unit_scale=True,
            file=sys.stderr,
        ):
            writer.writerow(row)
            rows += 1
    return rows


def bench_replay(args: argparse.Namespace) -> list[str]:
    print(f"\n== replay: {args.replay_series} series × {args.replay_days} days ==", flush=True)
    path = WORKDIR / "counts.csv"
    rows = write_replay_csv(path, args.replay_series, args.replay_days)
    env = {**os.environ, "AMPARO_ENV": "development"}
    print(f"  … amparo radar replay ({rows:,} rows)", flush=True)
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "amparo", "radar", "replay", str(path)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"amparo radar replay failed:\n{result.stderr}")
    simulated = args.replay_days * 86400
    return [
        f"replay ({args.replay_series} series × {args.replay_days} days, "
        f"{path.stat().st_size / 1e6:,.0f} MB CSV, end to end):",
        f"  {rows:,} rows in {seconds:.1f} s: {rows / seconds:,.0f} rows/s "
        f"(= series·min/s), {simulated / seconds:,.0f}× faster than the data's own time",
        f"  summary: {result.stderr.strip().splitlines()[0]}",
    ]


def pin_to_one_cpu() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return f"pinned to CPU {cpu}"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--minutes", type=int, default=60)
    parser.add_argument("--templates", type=int, default=40, help="series warmed up for real")
    parser.add_argument(
        "--server-minutes",
        type=int,
        default=5,
        help="minutes timed with the server's state round trip (about 40× slower)",
    )
    parser.add_argument("--replay-series", type=int, default=100)
    parser.add_argument("--replay-days", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-replay", action="store_true")
    args = parser.parse_args()
    counts = (args.series, args.minutes, args.server_minutes, args.templates)
    if min(*counts, args.replay_series, args.replay_days) < 1:
        parser.error("every count must be at least 1")
    pinned = pin_to_one_cpu()
    try:
        lines = bench_detector(args)
        if not args.no_replay:
            lines += bench_replay(args)
    finally:
        shutil.rmtree(WORKDIR, ignore_errors=True)
    print(f"\nresults (Python {sys.version.split()[0]}, {os.cpu_count()} cores, {pinned})")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

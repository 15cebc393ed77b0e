from __future__ import annotations

import io
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.radar.detector import DetectorConfig
from amparo.radar.replay import FREQUENCIES, replay


class Command(BaseCommand):
    help = (
        "The outage radar. `amparo radar replay FILE.csv [--freq 1min|5min|15min]` runs the "
        "server's detector over timestamp,series,count rows and writes one JSON line per "
        "alert; `amparo radar eval` prints the synthetic benchmark."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("replay", help="Replay a CSV of counts through the detector.")
        run.add_argument("file", help="CSV file, or '-' for stdin")
        run.add_argument("--freq", choices=sorted(FREQUENCIES), default="1min")
        run.add_argument(
            "--false-alarm-days",
            type=float,
            default=DetectorConfig.false_alarm_days,
            help="At most one false alarm per this many days per series (default 30).",
        )
        run.add_argument(
            "--shift",
            type=float,
            default=DetectorConfig.shift,
            help="The surge the detector is tuned for, as a ratio (default 2: doubling).",
        )
        evaluate = sub.add_parser("eval", help="Print the synthetic benchmark.")
        evaluate.add_argument("--series", type=int, default=20, help="Series per scenario.")
        evaluate.add_argument("--seed", type=int, default=1)
        evaluate.add_argument("--scenario", action="append")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "eval":
            self.evaluate(options)
            return
        if options["false_alarm_days"] <= 0 or options["shift"] <= 1:
            raise CommandError("--false-alarm-days must be > 0 and --shift > 1")
        config = DetectorConfig(
            bucket_minutes=FREQUENCIES[options["freq"]],
            false_alarm_days=options["false_alarm_days"],
            shift=options["shift"],
        )
        if options["file"] == "-":
            source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
        else:
            try:
                source = open(options["file"], encoding="utf-8", errors="replace", newline="")  # noqa: SIM115
            except OSError as exc:
                raise CommandError(f"{options['file']}: {exc.strerror}") from None
        with source:
            run = replay(source, self.stdout, config)
        self.stderr.write(run.summary.text(len(run.closed)))
        if run.summary.rows == 0 and (run.summary.malformed or run.summary.rejected_counts):
            raise CommandError("no valid row: nothing was replayed")

    def evaluate(self, options: dict[str, Any]) -> None:
        from amparo.radar.evaluate import evaluate, report
        from amparo.radar.synthetic import SCENARIOS

        names = options["scenario"] or list(SCENARIOS)
        unknown = sorted(set(names) - set(SCENARIOS))
        if unknown:
            raise CommandError(f"unknown scenario {unknown[0]!r}; known: {', '.join(SCENARIOS)}")
        if options["series"] < 1:
            raise CommandError("--series must be at least 1")
        report(evaluate(names, options["series"], options["seed"], progress=True), self.stdout)

from __future__ import annotations

import io
import json
import sys
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.core.management.inputs import open_input
from amparo.lookalike.detector import MAX_NAME_CHARS, Registry

MAX_LINE_BYTES = 64 * 1024
MAX_OFFICIAL_LINES = 100_000


class Command(BaseCommand):
    help = (
        "Impersonation watch. `amparo lookalike check --official FILE [CANDIDATES|-]`: "
        "the official file has one `platform:handle` or domain per line; candidates one per "
        'line; writes JSON lines {"candidate", "lookalike", "score", "imitates", "reasons"}. '
        "`amparo lookalike eval` prints the benchmark."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="Check candidates against official names.")
        check.add_argument("--official", required=True, help="platform:handle or domain per line")
        check.add_argument("candidates", nargs="?", default="-", help="file, or '-' for stdin")
        evaluate = sub.add_parser("eval", help="Print the lookalike benchmark.")
        evaluate.add_argument("--seed", type=int, default=1)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "eval":
            from amparo.lookalike.evaluate import run_evaluation

            run_evaluation(self.stdout, seed=options["seed"])
            return
        with open_input(options["official"]) as handle:
            lines = list(self.lines(handle, "official"))
        if len(lines) > MAX_OFFICIAL_LINES:
            raise CommandError(f"the official file has more than {MAX_OFFICIAL_LINES:,} lines")
        registry = Registry.parse(lines)
        if not registry.officials:
            raise CommandError("the official file names no account or domain")
        source = (
            sys.stdin.buffer if options["candidates"] == "-" else open_input(options["candidates"])
        )
        skipped = 0
        with source:
            for raw in self.lines(source, "candidates"):
                candidate = raw.strip()
                if not candidate:
                    continue
                if len(candidate) > MAX_NAME_CHARS * 4:
                    skipped += 1
                    candidate = candidate[: MAX_NAME_CHARS * 4]
                verdict = registry.check(candidate).as_dict()
                self.stdout.write(json.dumps(verdict, ensure_ascii=False))
        if skipped:
            self.stderr.write(
                f"{skipped} candidates longer than {MAX_NAME_CHARS * 4} characters were cut"
            )

    @staticmethod
    def lines(handle: IO[bytes], what: str) -> Any:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", errors="replace", newline=None)
        while True:
            line = text.readline(MAX_LINE_BYTES)
            if not line:
                return
            if len(line) >= MAX_LINE_BYTES and not line.endswith("\n"):
                # A line too long to be a name: read past its end, keep its start.
                while True:
                    rest = text.readline(MAX_LINE_BYTES)
                    if not rest or rest.endswith("\n"):
                        break
            # A NUL is not removed (that would turn Amazon\0Help into the official
            # AmazonHelp): it becomes U+FFFD, which the detector sees as a disguise.
            yield line.replace("\x00", "\ufffd")

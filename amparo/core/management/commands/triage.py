from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.core.management.inputs import open_input
from amparo.core.models import Brand

BATCH = 256
MAX_LINE_BYTES = 1_000_000


class Command(BaseCommand):
    help = (
        'Triage messages: `amparo triage [FILE|-]` reads JSON lines {"id", "text"} and '
        "writes one JSON line each. `amparo triage eval` prints the model's figures; "
        "`amparo triage train` exports agents' topic corrections and trains (or loads) the topic model."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file",
            nargs="?",
            default="-",
            help="JSON lines to triage ('-' for stdin), or 'eval', or 'train'",
        )
        parser.add_argument(
            "--official-domain",
            action="append",
            default=[],
            help="An official web domain (links elsewhere are scam cues); "
            "default: every brand's official domains.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "eval":
            from amparo.triage.evaluate import run_evaluation

            run_evaluation(self.stdout)
            return
        if options["file"] == "train":
            from django.conf import settings

            from amparo.triage.corrections import export_corrections
            from amparo.triage.model import topic_model

            count = export_corrections(Path(settings.MODEL_DIR))
            self.stdout.write(f"{count} agents' corrections in the training data")
            topic_model()
            self.stdout.write("topic model ready (restart workers and servers to load it)")
            return
        domains = frozenset(d.lower() for d in options["official_domain"]) or official_domains()
        source = sys.stdin.buffer if options["file"] == "-" else open_input(options["file"])
        with source:
            self.triage_stream(source, domains)

    def triage_stream(self, source: IO[bytes], domains: frozenset[str]) -> None:
        from amparo.triage.pipeline import triage_many

        for batch in batches(source):
            good = [(n, item) for n, item in batch if "error" not in item]
            results = iter(triage_many([item["text"] for _, item in good], domains))
            for number, item in batch:
                if "error" in item:
                    self.stderr.write(f"line {number}: {item['error']}")
                    out = {"id": item.get("id"), "error": item["error"]}
                else:
                    result = next(results)
                    out = {"id": item.get("id"), **result.as_dict(), "redacted": result.redacted}
                self.stdout.write(json.dumps(out, ensure_ascii=False))


def official_domains() -> frozenset[str]:
    domains: set[str] = set()
    for brand in Brand.objects.all():
        domains.update(d.lower() for d in brand.official_domains)
    return frozenset(domains)


def parse(line: bytes) -> dict[str, Any]:
    if len(line) > MAX_LINE_BYTES:
        return {"error": f"line longer than {MAX_LINE_BYTES} bytes"}
    try:
        item = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {"error": f"not a JSON object ({type(exc).__name__})"}
    if not isinstance(item, dict):
        return {"error": "not a JSON object"}
    if not isinstance(item.get("text"), str):
        return {"id": item.get("id"), "error": "text: a string is required"}
    return item


def batches(source: IO[bytes]) -> Iterator[list[tuple[int, dict[str, Any]]]]:
    batch: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(source, start=1):
        if line.strip():
            batch.append((number, parse(line.strip())))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch

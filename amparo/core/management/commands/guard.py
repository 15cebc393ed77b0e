from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.core.management.inputs import open_input

MAX_LINE_BYTES = 1_000_000
MAX_TEXT_CHARS = 8000  # amparo.assist.guard.MAX_CHARS
LANGUAGE_CODES = 8


class Command(BaseCommand):
    help = (
        'Reply guard: `amparo guard [FILE|-]` reads JSON lines {"id", "text", '
        '"customer_language"?, "distressed"?} and writes {"id", "verdict", "reasons"} '
        "for each (verdict ok, warn or block). `amparo guard eval` prints precision and "
        "recall on the labelled replies in the repository."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "file", nargs="?", default="-", help="JSON lines ('-' for stdin), or 'eval'"
        )
        parser.add_argument(
            "--official-domain",
            action="append",
            default=[],
            help="A web domain of the brand: links to any other domain (except public "
            "bodies' and charities') are then an unofficial channel. Without it, only "
            "shorteners and phishing-like domains are.",
        )
        parser.add_argument(
            "--official-handle",
            action="append",
            default=[],
            help="A social-media account of the brand (@name): any other account given "
            "as somewhere to go is an unofficial channel.",
        )
        parser.add_argument(
            "--errors", action="store_true", help="with eval: list the replies it gets wrong"
        )
        parser.add_argument(
            "--cross",
            action="store_true",
            help="with eval: train the classifiers without one development file at a time "
            "and score the guard on that file (judges a change without the held-out set)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["file"] == "eval":
            from amparo.assist.evaluate import run_evaluation

            run_evaluation(self.stdout, show_errors=options["errors"], cross=options["cross"])
            return
        source = sys.stdin.buffer if options["file"] == "-" else open_input(options["file"])
        domains = [d.strip().lower() for d in options["official_domain"] if d.strip()]
        handles = [h.strip().lstrip("@").lower() for h in options["official_handle"] if h.strip()]
        with source:
            self.guard_stream(source, domains, handles)

    def guard_stream(self, source: IO[bytes], domains: list[str], handles: list[str]) -> None:
        from amparo.assist.guard import guard

        seen: set[str] = set()
        for number, item in read(source):
            if "error" in item:
                self.stderr.write(f"line {number}: {item['error']}")
                self.stdout.write(
                    json.dumps({"id": item.get("id"), "error": item["error"]}, ensure_ascii=False)
                )
                continue
            key = json.dumps(item.get("id"), sort_keys=True)
            if item.get("id") is not None and key in seen:
                self.stderr.write(f"line {number}: id {item['id']!r} repeated (answered again)")
            seen.add(key)
            result = guard(
                item["text"],
                customer_language=item.get("customer_language") or None,
                distressed=bool(item.get("distressed")),
                official_domains=domains,
                official_handles=handles,
            )
            out = {"id": item.get("id"), **result.as_dict()}
            self.stdout.write(json.dumps(out, ensure_ascii=False))


def parse(line: bytes) -> dict[str, Any]:
    if len(line) > MAX_LINE_BYTES:
        return {"error": f"line longer than {MAX_LINE_BYTES} bytes"}
    try:
        item = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {"error": f"not a JSON object ({type(exc).__name__})"}
    if not isinstance(item, dict):
        return {"error": "not a JSON object"}
    ident = item.get("id")
    if not isinstance(item.get("text"), str):
        return {"id": ident, "error": "text: a string is required"}
    if len(item["text"]) > MAX_TEXT_CHARS:
        # The guard reads this much; a longer reply is refused, not half read.
        return {"id": ident, "error": f"text: longer than {MAX_TEXT_CHARS:,} characters"}
    language = item.get("customer_language")
    if language is not None and (not isinstance(language, str) or len(language) > LANGUAGE_CODES):
        return {"id": ident, "error": "customer_language: a language code such as es, en, he"}
    distressed = item.get("distressed")
    if distressed is not None and not isinstance(distressed, bool):
        return {"id": ident, "error": "distressed: true or false"}
    return item


def read(source: IO[bytes]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Numbered lines; a line longer than MAX_LINE_BYTES is read past (in pieces, so
    it never sits in memory whole) and answered with an error."""
    number = 0
    while True:
        line = source.readline(MAX_LINE_BYTES + 1)
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
            while True:
                rest = source.readline(MAX_LINE_BYTES)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, {"error": f"line longer than {MAX_LINE_BYTES} bytes"}
            continue
        if line.strip():
            yield number, parse(line.strip())

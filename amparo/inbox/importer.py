"""Bulk import of normalized inbound messages (`amparo ingest FILE.jsonl`).

Two passes: every line is validated first, and if any is rejected nothing is
imported (unless the caller asks to skip rejects); then lines are stored in batches,
each batch in one transaction with its processing task. Import is idempotent: a
message already stored (same channel and channel message id) is counted as a
duplicate, so an import cut off half-way is finished by running it again.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.conf import settings
from pydantic import ValidationError

from amparo.core.models import Brand
from amparo.inbox.actions import do_accept_inbound_batch
from amparo.inbox.schemas import InboundMessageIn

MAX_REPORTED_REJECTS = 1000


@dataclass
class Reject:
    line: int
    reason: str


@dataclass
class ImportReport:
    lines: int = 0
    valid: int = 0
    created: int = 0
    duplicates: int = 0
    rejects: list[Reject] = field(default_factory=list)
    rejected: int = 0
    imported: bool = False


def parse_line(line: bytes, known_brands: set[str]) -> InboundMessageIn:
    if len(line) > settings.MAX_BODY_BYTES:
        raise ValueError(f"line longer than {settings.MAX_BODY_BYTES} bytes")
    try:
        raw = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 (byte {exc.start + 1}: {exc.reason})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise ValueError("a line must hold one JSON object")
    try:
        message = InboundMessageIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "message"
        raise ValueError(f"{where}: {first['msg']}") from None
    if message.brand not in known_brands:
        raise ValueError(f"brand: there is no brand with the slug {message.brand!r}")
    return message


def numbered(lines: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped:
            yield number, stripped


def validate(lines: Iterable[bytes], report: ImportReport) -> None:
    known = set(Brand.objects.values_list("slug", flat=True))
    for number, raw in numbered(lines):
        report.lines = number
        try:
            parse_line(raw, known)
        except ValueError as exc:
            report.rejected += 1
            if len(report.rejects) < MAX_REPORTED_REJECTS:
                report.rejects.append(Reject(number, str(exc)))
            continue
        report.valid += 1


def store(
    lines: Iterable[bytes],
    report: ImportReport,
    batch_size: int,
    progress: Callable[[int], None] = lambda n: None,
) -> None:
    known = set(Brand.objects.values_list("slug", flat=True))
    batch: list[InboundMessageIn] = []
    for _number, raw in numbered(lines):
        try:
            batch.append(parse_line(raw, known))
        except ValueError:
            continue
        if len(batch) >= batch_size:
            flush(batch, report, progress)
    flush(batch, report, progress)
    report.imported = True


def flush(
    batch: list[InboundMessageIn], report: ImportReport, progress: Callable[[int], None]
) -> None:
    if not batch:
        return
    result = do_accept_inbound_batch(batch)
    report.created += result.created
    report.duplicates += result.duplicates
    progress(len(batch))
    batch.clear()

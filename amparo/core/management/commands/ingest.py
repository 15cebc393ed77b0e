from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from amparo.inbox.importer import ImportReport, store, validate


class Command(BaseCommand):
    help = (
        "Import normalized inbound messages from a JSON-lines file ('-' for stdin). "
        "Every line is checked first; if any is rejected, nothing is imported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON lines, one normalized message per line, or '-'")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid lines even when some are rejected.",
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 1 <= options["batch_size"] <= 10_000:
            raise CommandError("--batch-size must be between 1 and 10000")
        spooled = options["file"] == "-"
        path = self.readable_path(options["file"])
        try:
            self.import_file(path, options)
        finally:
            if spooled:
                path.unlink(missing_ok=True)  # the copy holds customers' messages

    def import_file(self, path: Path, options: dict[str, Any]) -> None:
        report = ImportReport()
        with path.open("rb") as handle:
            validate(handle, report)
        for reject in report.rejects:
            self.stderr.write(f"line {reject.line}: {reject.reason}")
        if report.rejected > len(report.rejects):
            self.stderr.write(
                f"... and {report.rejected - len(report.rejects)} more rejected lines"
            )
        if report.rejected and not options["skip_invalid"]:
            raise CommandError(
                f"{report.rejected} of {report.valid + report.rejected} lines rejected; nothing "
                "imported (fix them, or pass --skip-invalid to import the valid lines)"
            )
        bar = tqdm(total=report.valid, unit="msg", disable=options["no_progress"], file=sys.stderr)
        with path.open("rb") as handle:
            store(handle, report, options["batch_size"], progress=bar.update)
        bar.close()
        self.stdout.write(
            f"imported {report.created}, duplicates {report.duplicates}, rejected {report.rejected}"
        )

    def readable_path(self, name: str) -> Path:
        if name != "-":
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: no such file")
            return path
        # stdin is read twice (check, then import): keep a private copy.
        spool = tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False)  # noqa: SIM115
        os.chmod(spool.name, 0o600)
        with spool:
            shutil.copyfileobj(sys.stdin.buffer, spool)
        return Path(spool.name)

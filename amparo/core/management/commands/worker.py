from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.core.worker import Runner


class Command(BaseCommand):
    help = "Run the background worker: processes inbound messages and sends replies."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Drain the queue, run recovery once, then exit."
        )
        parser.add_argument(
            "--recover-after",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Treat messages unprocessed this long as stranded "
            "(default: AMPARO_RECOVER_AFTER_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.assist.learned import models

        models()  # trained before the first message is processed, outside any transaction
        runner = Runner(once=options["once"], recover_after=options["recover_after"])
        runner.install_signals()
        runner.run()

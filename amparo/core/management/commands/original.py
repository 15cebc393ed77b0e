from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.core.audit import CLI
from amparo.inbox.originals import OriginalNotKept, purge_expired, show_original


class Command(BaseCommand):
    help = (
        "Original (unredacted) message texts, kept only when AMPARO_KEEP_ORIGINAL_DAYS > 0: "
        "newkey prints a new encryption key; show prints one original (audited, needs "
        "--reason); purge deletes the expired ones now (the worker does it hourly)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("newkey", help="Print a new key for AMPARO_ORIGINAL_KEYS.")
        show = sub.add_parser("show", help="Print the original text of one message.")
        show.add_argument("message_id", type=int)
        show.add_argument("--reason", required=True, help="Why it is read (audited).")
        sub.add_parser("purge", help="Delete expired originals now.")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "newkey":
            from cryptography.fernet import Fernet

            self.stdout.write(Fernet.generate_key().decode("ascii"))
        elif action == "show":
            try:
                text = show_original(options["message_id"], CLI, options["reason"])
            except (OriginalNotKept, ValueError) as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(text)
        else:
            self.stdout.write(f"{purge_expired()} expired originals deleted")

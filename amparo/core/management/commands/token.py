from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.api.models import ApiToken, Scope
from amparo.api.tokens import TokenError, do_create_token, do_revoke_token
from amparo.core.audit import CLI


class Command(BaseCommand):
    help = "Manage API tokens: create (shown once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--name", required=True)
        create.add_argument(
            "--scope",
            action="append",
            required=True,
            choices=Scope.values,
            help="Repeat for several scopes.",
        )
        sub.add_parser("list", help="List tokens (never their secrets).")
        revoke = sub.add_parser("revoke", help="Revoke a token by name.")
        revoke.add_argument("name")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            try:
                issued = do_create_token(options["name"], options["scope"], CLI)
            except TokenError as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write(issued.secret)
            self.stderr.write("Store this token now: it cannot be shown again.")
        elif action == "list":
            for token in ApiToken.objects.all():
                state = "revoked" if token.revoked_at else "active"
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(
                    f"{token.name}\t{','.join(token.scopes)}\t{state}\tlast used {used}"
                )
        else:
            token = ApiToken.objects.filter(name=options["name"], revoked_at__isnull=True).first()
            if token is None:
                raise CommandError(f"no active token named {options['name']!r}")
            do_revoke_token(token, CLI)
            self.stdout.write(f"revoked {token.name}")

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email

from amparo.core.actions import do_create_agent
from amparo.core.audit import CLI
from amparo.core.models import Agent, Role


class Command(BaseCommand):
    help = "Manage agents: `amparo agent create --email E --role R`, `amparo agent list`."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create an agent; prints a generated password.")
        create.add_argument("--email", required=True)
        create.add_argument("--role", choices=Role.values, default=Role.AGENT)
        create.add_argument("--name", default="")
        create.add_argument("--language", choices=["es", "en", "he"], default="es")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Read the password from stdin instead of generating one.",
        )
        sub.add_parser("list", help="List agents.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "list":
            for agent in Agent.objects.all():
                state = "active" if agent.is_active else "inactive"
                self.stdout.write(f"{agent.email}\t{agent.role}\t{agent.language}\t{state}")
            return
        email = options["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"--email: {email!r} is not an email address") from None
        if Agent.objects.filter(email=email).exists():
            raise CommandError(f"an agent with the email {email} already exists")
        generated = not options["password_stdin"]
        password = secrets.token_urlsafe(12) if generated else self.read_password()
        do_create_agent(
            email,
            password,
            options["role"],
            CLI,
            display_name=options["name"],
            language=options["language"],
        )
        self.stdout.write(f"created {options['role']} {email}")
        if generated:
            self.stdout.write(f"password: {password}")

    def read_password(self) -> str:
        import sys

        password = sys.stdin.readline().rstrip("\n")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return password

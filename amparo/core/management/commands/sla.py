from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from amparo.core.audit import CLI, record, snapshot
from amparo.core.models import Brand
from amparo.inbox.models import Priority

PRIORITIES = {"urgent": Priority.URGENT, "high": Priority.HIGH, "normal": Priority.NORMAL, "low": Priority.LOW, "any": None}  # fmt: skip
MAX_MINUTES = 60 * 24 * 365


class Command(BaseCommand):
    help = (
        "Service levels. `amparo sla show`; `amparo sla hours BRAND --timezone TZ --week "
        "JSON [--holidays D,D]`; `amparo sla policy BRAND|all --priority P --first M --next M "
        "--resolution M [--calendar]`; `amparo sla check` records missed timers now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="Business hours and targets of every brand.")
        sub.add_parser("check", help="Record and audit the timers missed, now.")
        hours = sub.add_parser("hours", help="Set a brand's business hours.")
        hours.add_argument("brand")
        hours.add_argument("--timezone", required=True, help="IANA name: Europe/London")
        hours.add_argument(
            "--week",
            required=True,
            help='JSON: {"0": [["09:00", "18:00"]], ..., "6": []} (0 is Monday)',
        )
        hours.add_argument("--holidays", default="", help="YYYY-MM-DD,YYYY-MM-DD")
        policy = sub.add_parser("policy", help="Set response and resolution targets.")
        policy.add_argument("brand", help="a brand's slug, or 'all'")
        policy.add_argument("--priority", choices=sorted(PRIORITIES), default="any")
        for name in ("first", "next", "resolution"):
            policy.add_argument(f"--{name}", type=int, required=True, help="minutes")
        policy.add_argument(
            "--calendar", action="store_true", help="count calendar time, not business hours"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.sla.engine import check_breaches

        action = options["action"]
        if action == "check":
            self.stdout.write(f"{check_breaches()} timers newly missed")
        elif action == "show":
            self.show()
        elif action == "hours":
            self.set_hours(options)
        else:
            self.set_policy(options)

    def brand(self, slug: str) -> Brand:
        brand = Brand.objects.filter(slug=slug).first()
        if brand is None:
            raise CommandError(f"no brand {slug!r}")
        return brand

    def set_hours(self, options: dict[str, Any]) -> None:
        from amparo.sla.models import BusinessHours
        from amparo.sla.timers import hours_from

        brand = self.brand(options["brand"])
        try:
            week = json.loads(options["week"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--week: not JSON ({exc.msg})") from None
        holidays = [d.strip() for d in options["holidays"].split(",") if d.strip()]
        try:
            hours_from(options["timezone"], week, holidays)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        fields = ["timezone", "week", "holidays"]
        with transaction.atomic():
            row, created = BusinessHours.objects.get_or_create(brand=brand)
            before = None if created else snapshot(row, fields)
            row.timezone, row.week, row.holidays = options["timezone"], week, holidays
            row.save()
            record(CLI, "sla.hours", row, before, snapshot(row, fields))
        self.stdout.write(f"business hours of {brand.slug} set ({row.timezone})")

    def set_policy(self, options: dict[str, Any]) -> None:
        from amparo.sla.models import SlaPolicy

        brand = None if options["brand"] == "all" else self.brand(options["brand"])
        minutes = [options["first"], options["next"], options["resolution"]]
        if any(m < 1 or m > MAX_MINUTES for m in minutes):
            raise CommandError(f"targets are minutes from 1 to {MAX_MINUTES:,}")
        fields = [
            "first_response_minutes",
            "next_response_minutes",
            "resolution_minutes",
            "business_time",
        ]
        with transaction.atomic():
            policy, created = SlaPolicy.objects.get_or_create(
                brand=brand,
                priority=PRIORITIES[options["priority"]],
                defaults=dict(zip(fields, [*minutes, not options["calendar"]], strict=True)),
            )
            before = None if created else snapshot(policy, fields)
            for field, value in zip(fields, [*minutes, not options["calendar"]], strict=True):
                setattr(policy, field, value)
            policy.save()
            record(CLI, "sla.policy", policy, before, snapshot(policy, fields))
        self.stdout.write(f"targets set for {options['brand']} / {options['priority']}")

    def show(self) -> None:
        from amparo.sla.engine import DEFAULTS
        from amparo.sla.models import BusinessHours, SlaPolicy

        names = {v: k for k, v in PRIORITIES.items()}
        for brand in Brand.objects.order_by("slug"):
            hours = BusinessHours.objects.filter(brand=brand).first()
            where = (
                f"{hours.timezone} {json.dumps(hours.week)} holidays {len(hours.holidays)}"
                if hours
                else "around the clock"
            )
            self.stdout.write(f"{brand.slug}: {where}")
        for policy in SlaPolicy.objects.select_related("brand").order_by("brand_id", "priority"):
            brand_name = policy.brand.slug if policy.brand else "all"
            self.stdout.write(
                f"{brand_name} / {names.get(policy.priority, 'any')}: first "
                f"{policy.first_response_minutes} min, next {policy.next_response_minutes} "
                f"min, resolution {policy.resolution_minutes} min"
                f"{'' if policy.business_time else ' (calendar time)'}"
            )
        for priority, targets in DEFAULTS.items():
            self.stdout.write(
                f"default / {names[priority]}: first {targets.first_response} min, next "
                f"{targets.next_response} min, resolution {targets.resolution} min"
            )

"""Service levels: each brand's business hours, its response and resolution targets per
priority, and each conversation's timers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.models import Brand
from amparo.inbox.models import Conversation, Priority


def office_week() -> dict[str, list[list[str]]]:
    """Monday to Friday, 9:00 to 18:00 (Monday is "0")."""
    return {str(day): [["09:00", "18:00"]] if day < 5 else [] for day in range(7)}


class BusinessHours(models.Model):
    """When a brand's care team works. A brand without a row works around the clock."""

    brand = models.OneToOneField(Brand, on_delete=models.CASCADE, related_name="business_hours")
    timezone = models.CharField(max_length=64, default="America/Mexico_City")
    # {"0": [["09:00", "18:00"]], ..., "6": []}: Monday is "0"; several spans a day allowed
    week = models.JSONField(default=office_week)
    holidays = models.JSONField(default=list, blank=True)  # ["2026-12-25", ...]

    def __str__(self) -> str:
        return f"{self.brand} ({self.timezone})"


class SlaPolicy(models.Model):
    """Targets in minutes; per brand (blank: every brand) and priority (blank: any)."""

    brand = models.ForeignKey(
        Brand, null=True, blank=True, on_delete=models.CASCADE, related_name="sla_policies"
    )
    priority = models.IntegerField(choices=Priority.choices, null=True, blank=True)
    first_response_minutes = models.PositiveIntegerField()
    next_response_minutes = models.PositiveIntegerField()
    resolution_minutes = models.PositiveIntegerField()
    business_time = models.BooleanField(
        default=True, help_text=_("Count only the brand's business hours")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "priority"], name="sla_policy_once_per_brand_and_priority"
            )
        ]

    def __str__(self) -> str:
        return f"{self.brand or 'all brands'} / {self.priority}"


class ConversationSla(models.Model):
    """A conversation's timers. `waiting_since`: the customer's oldest message we have
    not answered; `breaches`: each timer missed, once, as {"timer", "due", "at"}."""

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="sla", primary_key=True
    )
    first_response_due = models.DateTimeField(null=True, blank=True)
    first_responded_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    next_response_due = models.DateTimeField(null=True, blank=True, db_index=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    breaches = models.JSONField(default=list, blank=True)
    # What the breach check has already recorded, so that it only reads rows with news.
    first_response_breached = models.BooleanField(default=False)
    resolution_breached = models.BooleanField(default=False)
    next_response_breached_due = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # resolved; a new message reopens

    def __str__(self) -> str:
        return f"SLA of conversation {self.conversation_id}"

"""The vulnerability register (FCA FG21/1), the signposting library, canned replies and
satisfaction surveys."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.models import Agent, Brand, Customer
from amparo.inbox.models import Conversation, Message


class Driver(models.TextChoices):
    """The FCA's four drivers of vulnerability (FG21/1, paragraph 2.7); the same kinds
    triage gives its distress cues (amparo/triage/signals.py)."""

    HEALTH = "health", _("Health")
    LIFE_EVENT = "life_event", _("Life event")
    RESILIENCE = "resilience", _("Resilience")
    CAPABILITY = "capability", _("Capability")


class RecordStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    # Never stored by a worker: an active record whose review date has passed reads as
    # expired (see `VulnerabilityRecord.status_on`).
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class VulnerabilityRecord(models.Model):
    """What a customer told us about their circumstances and what they need from us.

    `details` is special-category data (health, bereavement): it is kept only with the
    customer's explicit consent, redacted, shown to few, and never copied into the audit
    trail. A customer has at most one record that is not withdrawn.
    """

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="vulnerability_records"
    )
    # Customers are shared by the group's brands; blank means the record applies to all.
    brand = models.ForeignKey(
        Brand, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drivers = models.JSONField(default=list)
    needs = models.CharField(max_length=300, blank=True)
    details = models.TextField(blank=True)
    # TEXAS (Money Advice Trust): Thank, Explain, eXplicit consent, Ask, Signpost.
    thanked = models.BooleanField(default=False)
    explained = models.BooleanField(default=False)
    consent_given = models.BooleanField(default=False)
    asked = models.BooleanField(default=False)
    signposted = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    review_at = models.DateField()
    status = models.CharField(
        max_length=10, choices=RecordStatus.choices, default=RecordStatus.ACTIVE
    )
    priority_routing = models.BooleanField(default=True)
    pause_collections = models.BooleanField(default=True)
    extra_care = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["review_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=~Q(status="withdrawn"),
                name="vulnerability_one_open_record_per_customer",
            )
        ]
        indexes = [models.Index(fields=["status", "review_at"])]

    def __str__(self) -> str:
        return f"vulnerability record {self.pk} of customer {self.customer_id}"

    def status_on(self, today: date) -> str:
        """The status a reader sees on `today`: past its review date a record is expired."""
        if self.status == RecordStatus.ACTIVE and self.review_at < today:
            return RecordStatus.EXPIRED
        return self.status


class SignpostKind(models.TextChoices):
    DEBT = "debt", _("Debt advice")
    FOOD = "food", _("Food")
    MONEY_ADVICE = "money_advice", _("Money advice")
    COMPLAINT = "complaint", _("Complaints")
    FRAUD = "fraud", _("Fraud and scams")
    HEALTH = "health", _("Health and crisis support")
    BEREAVEMENT = "bereavement", _("Bereavement")
    GENERAL = "general", _("General help")


class Signpost(models.Model):
    """An outside organisation an agent can point a customer to, in one language."""

    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    language = models.CharField(max_length=8)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=300, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    kinds = models.JSONField(default=list)
    referral_route = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=100)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["country", "language", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "language", "name"], name="signpost_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.country}/{self.language}: {self.name}"


class CannedReply(models.Model):
    """A reply agents start from, in one language, for one brand or all of them.

    Saved only when the reply guard reads it as "ok" (amparo.assist.canned): a template
    that asks for a PIN would put the same mistake in every agent's hands.
    """

    # Blank means every brand of the group.
    brand = models.ForeignKey(
        Brand, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=120)
    text = models.TextField()
    # Topics (amparo/triage/labels.py) it is meant for; empty for any conversation.
    topics = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["language", "title", "id"]
        constraints = [
            # NULLs are distinct in a unique index: the all-brands replies need their own.
            models.UniqueConstraint(
                fields=["brand", "language", "title"],
                condition=Q(brand__isnull=False),
                name="canned_reply_unique_title_per_brand",
            ),
            models.UniqueConstraint(
                fields=["language", "title"],
                condition=Q(brand__isnull=True),
                name="canned_reply_unique_title_all_brands",
            ),
        ]
        indexes = [models.Index(fields=["language", "active"])]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class CsatSurvey(models.Model):
    """The satisfaction question sent when an agent resolves a conversation, and the
    customer's score when their next message answers it (amparo.assist.csat)."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="csat_surveys"
    )
    # The survey as sent, and the customer's message that answered it.
    message = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who resolved the conversation: the report is per agent.
    resolved_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8)
    sent_at = models.DateTimeField(default=timezone.now, db_index=True)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="csat_score_from_1_to_5",
            )
        ]
        indexes = [models.Index(fields=["conversation", "sent_at"])]

    def __str__(self) -> str:
        return f"survey {self.pk} of conversation {self.conversation_id}"

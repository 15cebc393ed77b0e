"""The vulnerability register (FCA FG21/1): writes, each audited, and the questions the
rest of amparo asks of it.

FG21/1 asks firms to record a customer's vulnerability so they need not repeat it, to
act on it (routing, pausing collections, adjusting how we talk), and to keep the record
only as long as it is true: every record has a review date, and a record past it reads
as expired without any worker having to run. The customer's own words about their
health or a bereavement are kept only with their explicit consent (TEXAS, and UK GDPR
article 9), redacted, shown on a need-to-know basis (`amparo.assist.access`), and never
copied into the audit trail: the trail says that details changed, not what they say.

Records are created only by people. Triage may suggest one (`suggest_record`), but a
machine guessing someone is vulnerable and labelling them for good is exactly what the
FCA warns against.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.assist.models import Driver, RecordStatus, VulnerabilityRecord
from amparo.assist.signposts import distress_cues, kinds_for_distress
from amparo.assist.text import clean_line, clean_paragraph
from amparo.core.audit import Actor, record, snapshot
from amparo.core.models import Brand, Customer
from amparo.inbox.actions import do_set_priority
from amparo.inbox.models import Conversation, ConversationStatus, Direction, Message, Priority
from amparo.triage.redact import redact

REVIEW_DAYS = 90
MAX_REVIEW_DAYS = 366
DUE_SOON_DAYS = 14
MAX_NEEDS = 300
MAX_DETAILS = 2000
SUGGEST_SCORE = 0.5
RECORD_PRIORITY = Priority.HIGH
AUDIT_FIELDS = [
    "customer",
    "brand",
    "drivers",
    "needs",
    "thanked",
    "explained",
    "consent_given",
    "asked",
    "signposted",
    "review_at",
    "status",
    "priority_routing",
    "pause_collections",
    "extra_care",
]
OPEN_CONVERSATIONS = [ConversationStatus.OPEN, ConversationStatus.PENDING]


class InvalidRecord(ValueError):
    """A record the register cannot hold; `field` names the field, the message says why."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class DuplicateRecord(ValueError):
    """The customer already has a record that is not withdrawn: update that one."""


class StaleRecord(ValueError):
    """Someone changed the record since the form was opened."""


@dataclass(frozen=True)
class RecordData:
    """What an agent records. `details` None leaves the stored details as they are (an
    agent who may not read them can still change the rest)."""

    drivers: list[str]
    review_at: date
    needs: str = ""
    details: str | None = None
    brand: Brand | None = None
    thanked: bool = False
    explained: bool = False
    consent_given: bool = False
    asked: bool = False
    signposted: bool = False
    priority_routing: bool = True
    pause_collections: bool = True
    extra_care: bool = True


def today() -> date:
    return timezone.localdate()


def default_review_date(on: date | None = None) -> date:
    return (on or today()) + timedelta(days=REVIEW_DAYS)


# --- checks -----------------------------------------------------------------------------


def clean_record(data: RecordData, on: date | None = None) -> RecordData:
    """The record as stored; raises InvalidRecord naming the field."""
    details = None if data.details is None else clean_details(data.details)
    if details and not data.consent_given:
        raise InvalidRecord(
            "details",
            _("Details can be recorded only with the customer's explicit consent."),
        )
    return replace(
        data,
        drivers=clean_drivers(data.drivers),
        needs=clean_needs(data.needs),
        details=details,
        review_at=clean_review_date(data.review_at, on or today()),
    )


def clean_drivers(values: list[str]) -> list[str]:
    drivers = set(values)
    if not drivers:
        raise InvalidRecord("drivers", _("Choose at least one driver of vulnerability."))
    if not drivers <= set(Driver.values):
        raise InvalidRecord("drivers", _("Unknown driver of vulnerability."))
    return [driver for driver in Driver.values if driver in drivers]


def clean_needs(raw: str) -> str:
    needs = redact(clean_line(raw))
    if len(needs) > MAX_NEEDS:
        raise InvalidRecord("needs", _("The needs have at most 300 characters."))
    return needs


def clean_details(raw: str) -> str:
    details = redact(clean_paragraph(raw))
    if len(details) > MAX_DETAILS:
        raise InvalidRecord("details", _("The details have at most 2000 characters."))
    return details


def clean_review_date(review_at: date, on: date) -> date:
    if review_at <= on:
        raise InvalidRecord("review_at", _("The review date must be in the future."))
    if review_at > on + timedelta(days=MAX_REVIEW_DAYS):
        raise InvalidRecord("review_at", _("The review date is at most a year away."))
    return review_at


# --- writes -----------------------------------------------------------------------------


def do_create_record(customer: Customer, data: RecordData, actor: Actor) -> VulnerabilityRecord:
    """Record a customer's vulnerability; raises InvalidRecord or DuplicateRecord."""
    clean = clean_record(data)
    now = timezone.now()
    try:
        with transaction.atomic():
            # Locking the customer queues two agents recording the same person at once.
            locked = Customer.objects.select_for_update().get(pk=customer.pk)
            if open_records(locked).exists():
                raise DuplicateRecord(str(locked.pk))
            created = VulnerabilityRecord(customer=locked, created_by=actor.agent, created_at=now)
            fill(created, clean, now, actor)
            created.save()
            record(actor, "vulnerability.create", created, None, audit_snapshot(created))
            raise_priority(created, actor)
    except IntegrityError as error:
        raise DuplicateRecord(str(customer.pk)) from error
    return created


def do_update_record(
    record_: VulnerabilityRecord, data: RecordData, actor: Actor, version: str | None = None
) -> VulnerabilityRecord:
    """Change an open record (renewing an expired one with a new review date); raises
    InvalidRecord, or StaleRecord when `version` is given and someone saved since."""
    clean = clean_record(data)
    now = timezone.now()
    with transaction.atomic():
        locked = VulnerabilityRecord.objects.select_for_update().get(pk=record_.pk)
        if locked.status == RecordStatus.WITHDRAWN:
            raise StaleRecord(str(locked.pk))
        if version is not None and version != record_version(locked):
            raise StaleRecord(str(locked.pk))
        before = audit_snapshot(locked)
        details_before = locked.details
        fill(locked, clean, now, actor)
        locked.save()
        after = {**audit_snapshot(locked), "details_changed": locked.details != details_before}
        record(actor, "vulnerability.update", locked, before, after)
        raise_priority(locked, actor)
    return locked


def fill(target: VulnerabilityRecord, data: RecordData, now: Any, actor: Actor) -> None:
    for name in ("drivers", "needs", "brand", "review_at", "thanked", "explained", "asked"):
        setattr(target, name, getattr(data, name))
    for name in ("signposted", "priority_routing", "pause_collections", "extra_care"):
        setattr(target, name, getattr(data, name))
    if data.details is not None:
        target.details = data.details
    if data.consent_given and not target.consent_given:
        target.consent_at = now
    if not data.consent_given:
        # Consent is what allowed us to keep the customer's words: without it they go.
        target.details = ""
        target.consent_at = None
    target.consent_given = data.consent_given
    target.status = RecordStatus.ACTIVE
    target.updated_by = actor.agent
    target.updated_at = now


def do_withdraw_record(record_: VulnerabilityRecord, actor: Actor) -> VulnerabilityRecord | None:
    """Withdraw a record (the customer asked, or it is no longer true); its details are
    erased. None when it was already withdrawn. Conversations keep their priority: an
    agent lowers it if they see fit."""
    now = timezone.now()
    with transaction.atomic():
        locked = VulnerabilityRecord.objects.select_for_update().get(pk=record_.pk)
        if locked.status == RecordStatus.WITHDRAWN:
            return None
        before = audit_snapshot(locked)
        erased = bool(locked.details)
        locked.status = RecordStatus.WITHDRAWN
        locked.details = ""
        locked.withdrawn_at = now
        locked.updated_by = actor.agent
        locked.updated_at = now
        locked.save()
        after = {**audit_snapshot(locked), "details_erased": erased}
        record(actor, "vulnerability.withdraw", locked, before, after)
    return locked


def audit_snapshot(target: VulnerabilityRecord) -> dict[str, Any]:
    """The record for the audit trail: whether there are details, never what they say."""
    return {**snapshot(target, AUDIT_FIELDS), "details_recorded": bool(target.details)}


def record_version(target: VulnerabilityRecord) -> str:
    return f"{target.updated_at.timestamp():.6f}"


# --- the priority effect ----------------------------------------------------------------


def raise_priority(target: VulnerabilityRecord, actor: Actor) -> list[Conversation]:
    """The customer's open conversations that the record covers go to the priority
    queue (at least high), each change audited by the inbox itself."""
    if not target.priority_routing or target.status_on(today()) != RecordStatus.ACTIVE:
        return []
    conversations = Conversation.objects.filter(
        customer_id=target.customer_id,
        status__in=OPEN_CONVERSATIONS,
        priority__lt=RECORD_PRIORITY,
    )
    if target.brand_id is not None:
        conversations = conversations.filter(brand_id=target.brand_id)
    return [do_set_priority(c, RECORD_PRIORITY, actor) for c in conversations.order_by("pk")]


def do_apply_record_priority(conversation: Conversation, actor: Actor) -> Conversation:
    """Raise one conversation to the record's priority; for a conversation that starts
    after the record (the inbox calls this when it threads a new conversation)."""
    if effective_priority(conversation) > conversation.priority:
        return do_set_priority(conversation, RECORD_PRIORITY, actor)
    return conversation


def effective_priority(conversation: Conversation) -> int:
    """The conversation's priority with the record's routing applied."""
    found = active_record(conversation.customer, conversation.brand)
    if found is not None and found.priority_routing:
        return max(conversation.priority, RECORD_PRIORITY)
    return conversation.priority


# --- questions other parts ask ----------------------------------------------------------


def open_records(customer: Customer) -> QuerySet[VulnerabilityRecord]:
    return VulnerabilityRecord.objects.filter(customer=customer).exclude(
        status=RecordStatus.WITHDRAWN
    )


def open_record(customer: Customer) -> VulnerabilityRecord | None:
    """The customer's record that is not withdrawn, expired or not."""
    return open_records(customer).select_related("brand", "created_by", "updated_by").first()


def active_record(
    customer: Customer, brand: Brand | None = None, on: date | None = None
) -> VulnerabilityRecord | None:
    """The customer's active record before its review date, for this brand when given
    (a record without a brand covers all the group's brands)."""
    records = VulnerabilityRecord.objects.filter(
        customer=customer, status=RecordStatus.ACTIVE, review_at__gte=on or today()
    )
    if brand is not None:
        records = records.filter(Q(brand__isnull=True) | Q(brand=brand))
    return records.first()


def opening_priority(customer: Customer, brand_id: int) -> int:
    """The priority a new conversation starts at: the queue a record asks for, or
    normal (the inbox asks this when it opens a conversation)."""
    found = active_record(customer, Brand(pk=brand_id))
    return RECORD_PRIORITY if found is not None and found.priority_routing else Priority.NORMAL


def needs_extra_care(customer: Customer, brand: Brand | None = None) -> bool:
    found = active_record(customer, brand)
    return found is not None and found.extra_care


def collections_paused(customer: Customer, brand: Brand | None = None) -> bool:
    """For the contact guard: collections do not contact this customer."""
    found = active_record(customer, brand)
    return found is not None and found.pause_collections


def records_due_for_review(
    on: date | None = None, within_days: int = DUE_SOON_DAYS
) -> QuerySet[VulnerabilityRecord]:
    """Open records whose review date has passed or comes within `within_days`, the
    most overdue first."""
    horizon = (on or today()) + timedelta(days=within_days)
    return (
        VulnerabilityRecord.objects.filter(status=RecordStatus.ACTIVE, review_at__lte=horizon)
        .select_related("customer", "brand", "created_by")
        .order_by("review_at", "pk")
    )


def suggest_record(message: Message) -> dict[str, Any] | None:
    """What triage's distress signal on an inbound message suggests recording: the
    drivers and cue names when the score is at least 0.5, else None. It only suggests:
    an agent asks the customer and decides."""
    if message.direction != Direction.INBOUND:
        return None
    distress = message.triage.get("distress") if isinstance(message.triage, dict) else None
    score = distress.get("score") if isinstance(distress, dict) else None
    if isinstance(score, bool) or not isinstance(score, int | float):
        return None
    if not score >= SUGGEST_SCORE:  # also refuses NaN
        return None
    cues = distress_cues(distress)
    drivers = [d for d in Driver.values if any(c.get("kind") == d for c in cues)]
    if not drivers:
        return None
    names = [c["cue"] for c in cues if isinstance(c.get("cue"), str) and len(c["cue"]) <= 40]
    return {
        "message": message.pk,
        "score": min(float(score), 1.0),
        "drivers": drivers,
        "cues": list(dict.fromkeys(names)),
        "signpost_kinds": kinds_for_distress(distress),
    }

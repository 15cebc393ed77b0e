"""Timers for each conversation: first response, next response, resolution.

* A conversation's first inbound message starts the **first response** timer and the
  **resolution** timer.
* Every customer message that arrives while nothing of theirs is waiting starts the
  **next response** timer (the first response timer, until there has been one).
* A reply by an agent or an API client stops the waiting; amparo's own notices do not.
* Targets come from the brand's `SlaPolicy` for the conversation's priority at that
  moment (a brand-wide row, then an all-brands row, then `DEFAULTS`), in the brand's
  business hours unless the policy says calendar time.
* Once a minute the worker records each missed timer once (`ConversationSla.breaches`)
  and audits it (`sla.breached`); resolved conversations do not breach.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from amparo.core.audit import SYSTEM, record
from amparo.inbox.models import Conversation, ConversationStatus, Message, Priority
from amparo.sla.models import BusinessHours, ConversationSla, SlaPolicy
from amparo.sla.timers import ALWAYS, Hours, add_business_time, hours_from

WARNING_FRACTION = 0.8  # a timer past this share of its target is shown as a warning
BREACH_BATCH = 500


@dataclass(frozen=True)
class Targets:
    first_response: int  # minutes
    next_response: int
    resolution: int
    business_time: bool = True


# Minutes of business time, by priority: vulnerable and distressed customers (high,
# urgent) are answered first.
DEFAULTS = {
    Priority.URGENT: Targets(15, 30, 240),
    Priority.HIGH: Targets(30, 60, 540),
    Priority.NORMAL: Targets(60, 240, 1620),
    Priority.LOW: Targets(240, 480, 2700),
}


class Rules:
    """Policies and hours, read once for a batch of conversations."""

    def __init__(self, brand_ids: Iterable[int]) -> None:
        brand_ids = set(brand_ids)
        self.policies = {
            (p.brand_id, p.priority): p
            for p in SlaPolicy.objects.filter(Q(brand_id__in=brand_ids) | Q(brand__isnull=True))
        }
        self.hours: dict[int, Hours] = {}
        for row in BusinessHours.objects.filter(brand_id__in=brand_ids):
            try:
                self.hours[row.brand_id] = hours_from(row.timezone, row.week, row.holidays)
            except ValueError:
                self.hours[row.brand_id] = ALWAYS  # refused on save; never stop processing

    def targets(self, brand_id: int, priority: int) -> Targets:
        for key in ((brand_id, priority), (brand_id, None), (None, priority), (None, None)):
            policy = self.policies.get(key)
            if policy is not None:
                return Targets(
                    policy.first_response_minutes,
                    policy.next_response_minutes,
                    policy.resolution_minutes,
                    policy.business_time,
                )
        return DEFAULTS.get(priority, DEFAULTS[Priority.NORMAL])

    def due(self, brand_id: int, start: datetime, minutes: int, business: bool) -> datetime:
        hours = self.hours.get(brand_id, ALWAYS) if business else ALWAYS
        return add_business_time(start, minutes, hours)


FIELDS = [
    "first_response_due",
    "first_responded_at",
    "waiting_since",
    "next_response_due",
    "resolution_due",
    "resolution_breached",
    "closed_at",
]


def track_inbound(messages: list[Message]) -> None:
    """Called in the processing transaction, after the messages are threaded."""
    conversations = {m.conversation_id: m.conversation for m in messages if m.conversation}
    if not conversations:
        return
    timers = {s.pk: s for s in ConversationSla.objects.filter(pk__in=conversations)}
    rules = Rules({c.brand_id for c in conversations.values() if c is not None})
    new: dict[int, ConversationSla] = {}
    changed: dict[int, ConversationSla] = {}
    for message in sorted(messages, key=lambda m: (m.received_at, m.pk)):
        conversation = message.conversation
        if conversation is None or conversation.status == ConversationStatus.RESOLVED:
            continue  # e.g. an answer to a satisfaction survey, which does not reopen it
        at = message.received_at
        targets = rules.targets(conversation.brand_id, conversation.priority)
        timer = timers.get(conversation.pk)
        if timer is None:
            timer = ConversationSla(
                conversation=conversation,
                first_response_due=rules.due(
                    conversation.brand_id, at, targets.first_response, targets.business_time
                ),
                resolution_due=rules.due(
                    conversation.brand_id, at, targets.resolution, targets.business_time
                ),
            )
            timers[conversation.pk] = new[conversation.pk] = timer
        if timer.closed_at is not None:
            # Reopened by a new message: a new resolution timer from now.
            timer.closed_at = None
            timer.resolution_breached = False
            timer.resolution_due = rules.due(
                conversation.brand_id, at, targets.resolution, targets.business_time
            )
            timer.waiting_since = None
            if timer.pk not in new:
                changed[timer.pk] = timer
        if timer.waiting_since is None:
            timer.waiting_since = at
            timer.next_response_due = (
                rules.due(conversation.brand_id, at, targets.next_response, targets.business_time)
                if timer.first_responded_at is not None
                else timer.first_response_due
            )
            if timer.pk not in new:
                changed[timer.pk] = timer
    ConversationSla.objects.bulk_create(new.values())
    if changed:
        ConversationSla.objects.bulk_update(changed.values(), FIELDS)


def track_reply(conversation: Conversation, at: datetime) -> None:
    """An agent or API client answered: nothing of the customer's waits any more. A
    reply that comes after its due time is a breach, recorded here if the worker's
    check has not seen it yet."""
    with transaction.atomic():
        timer = ConversationSla.objects.select_for_update().filter(pk=conversation.pk).first()
        if timer is None:
            return
        late = [(name, due) for name, due in pending(timer) if name != "resolution" and due < at]
        record_breaches(timer, late, at)
        if timer.first_responded_at is None:
            timer.first_responded_at = at
        timer.waiting_since = None
        timer.next_response_due = None
        timer.save(update_fields=[*FIELDS, *BREACH_FIELDS])


def track_resolved(conversation: Conversation, at: datetime) -> None:
    """Resolved: the resolution timer is met and nothing waits; a new message reopens."""
    ConversationSla.objects.filter(pk=conversation.pk).update(
        closed_at=at, waiting_since=None, next_response_due=None
    )


BREACH_FIELDS = [
    "breaches",
    "first_response_breached",
    "resolution_breached",
    "next_response_breached_due",
]


def pending(timer: ConversationSla) -> list[tuple[str, datetime]]:
    """The timers still running that have not been recorded as missed."""
    found = []
    if (
        timer.first_responded_at is None
        and timer.first_response_due
        and not timer.first_response_breached
    ):
        found.append(("first_response", timer.first_response_due))
    elif (
        timer.first_responded_at is not None
        and timer.next_response_due
        and timer.next_response_due != timer.next_response_breached_due
    ):
        found.append(("next_response", timer.next_response_due))
    if timer.resolution_due and timer.closed_at is None and not timer.resolution_breached:
        found.append(("resolution", timer.resolution_due))
    return found


def record_breaches(
    timer: ConversationSla, missed: list[tuple[str, datetime]], now: datetime
) -> int:
    """Mark and audit missed timers on a row the caller holds locked; not saved here."""
    for name, due in missed:
        timer.breaches = [
            *timer.breaches,
            {"timer": name, "due": due.isoformat(), "at": now.isoformat()},
        ]
        if name == "first_response":
            timer.first_response_breached = True
        elif name == "resolution":
            timer.resolution_breached = True
        else:
            timer.next_response_breached_due = due
        record(SYSTEM, "sla.breached", timer.conversation, None, timer.breaches[-1])
    return len(missed)


def check_breaches(now: datetime | None = None) -> int:
    """Record and audit each missed timer once; returns how many were new. Only rows
    with a timer missed and not yet recorded are read, so none is starved."""
    now = now or timezone.now()
    candidates = (
        ConversationSla.objects.exclude(conversation__status=ConversationStatus.RESOLVED)
        .filter(
            Q(
                first_responded_at__isnull=True,
                first_response_due__lt=now,
                first_response_breached=False,
            )
            | (
                Q(first_responded_at__isnull=False, next_response_due__lt=now)
                & (
                    Q(next_response_breached_due__isnull=True)
                    | ~Q(next_response_breached_due=F("next_response_due"))
                )
            )
            | Q(resolution_due__lt=now, closed_at__isnull=True, resolution_breached=False)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for pk in list(candidates[:BREACH_BATCH]):
        with transaction.atomic():
            # Locked and read again: two checks at once record a breach once.
            timer = (
                ConversationSla.objects.select_for_update(of=("self",))
                .select_related("conversation")
                .get(pk=pk)
            )
            missed = [(name, due) for name, due in pending(timer) if due < now]
            if not missed:
                continue
            count += record_breaches(timer, missed, now)
            timer.save(update_fields=BREACH_FIELDS)
            # The inbox re-renders what changed: the chip turns red.
            Conversation.objects.filter(pk=pk).update(updated_at=now)
    return count


def timers_for(conversation: Conversation, now: datetime | None = None) -> list[dict[str, object]]:
    """The conversation's timers as the console shows them: name, due, state (met,
    ok, warning, breached) and minutes left (negative when late)."""
    now = now or timezone.now()
    timer = ConversationSla.objects.filter(pk=conversation.pk).first()
    if timer is None:
        return []
    zone = local_zone(conversation.brand_id)
    resolved = conversation.status == ConversationStatus.RESOLVED
    rows = []
    first_met = timer.first_responded_at is not None
    rows.append(
        row("first_response", conversation.created_at, timer.first_response_due, now, first_met)
    )
    if first_met and timer.next_response_due is not None:
        rows.append(
            row("next_response", timer.waiting_since, timer.next_response_due, now, resolved)
        )
    rows.append(row("resolution", conversation.created_at, timer.resolution_due, now, resolved))
    for item in rows:
        if item["due"] is not None:
            local = item["due"].astimezone(zone)  # type: ignore[attr-defined]
            item["due_local"] = f"{local:%d/%m %H:%M} {zone.key}"
    return [r for r in rows if r["due"] is not None]


def local_zone(brand_id: int) -> ZoneInfo:
    """The brand's time zone (its business hours'), or UTC."""
    name = (
        BusinessHours.objects.filter(brand_id=brand_id).values_list("timezone", flat=True).first()
    )
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def row(
    name: str, start: datetime | None, due: datetime | None, now: datetime, met: bool
) -> dict[str, object]:
    if due is None:
        return {"name": name, "due": None}
    left = (due - now).total_seconds() / 60
    span = (due - start).total_seconds() / 60 if start and due > start else 0
    if met:
        state = "met"
    elif left < 0:
        state = "breached"
    elif span and (span - left) / span >= WARNING_FRACTION:
        state = "warning"
    else:
        state = "ok"
    return {
        "name": name,
        "due": due,
        "state": state,
        "minutes_left": max(round(left), 0),
        "minutes_late": max(round(-left), 0),
    }

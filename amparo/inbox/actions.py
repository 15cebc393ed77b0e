"""Every write to conversations and messages goes through these functions.

Inbound flow: `do_accept_inbound` (or `do_accept_inbound_batch`) commits the message
and its processing task in one transaction, so the 2xx answer means the message is
durable; `process_received` then resolves the customer, threads the message into a
conversation and detects its language. Processing is idempotent: it only touches
messages still in the `received` state, inside a write transaction, so a task that
runs twice, or a recovery sweep that overlaps a worker, changes nothing twice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from amparo.core.audit import SYSTEM, Actor, record, snapshot
from amparo.core.models import Agent, Brand, Channel, ChannelIdentity, Customer
from amparo.inbox.models import (
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    MessageState,
    Priority,
)
from amparo.inbox.originals import keep_originals
from amparo.inbox.schemas import InboundMessageIn, clean_text
from amparo.lookalike.watch import watch
from amparo.radar.counting import count_messages
from amparo.sla.engine import track_inbound, track_reply, track_resolved
from amparo.triage.language import detect_language
from amparo.triage.pipeline import Triage, triage_many
from amparo.triage.redact import redact, redact_json

logger = logging.getLogger(__name__)
PROCESS_CHUNK = 200
MAX_TOPICS = 5
# Distress scores (see amparo/triage/signals.py) that raise a conversation's priority.
DISTRESS_HIGH = 0.5
DISTRESS_URGENT = 0.85
SCAM_TAG = 0.5


class UnknownBrand(Exception):
    def __init__(self, slug: str) -> None:
        super().__init__(f"There is no brand with the slug {slug!r}.")
        self.slug = slug


@dataclass
class Accepted:
    message: Message
    created: bool


# --- accepting inbound messages ---------------------------------------------------


def brands_by_slug(slugs: Iterable[str]) -> dict[str, Brand]:
    return {brand.slug: brand for brand in Brand.objects.filter(slug__in=set(slugs))}


def build_inbound(data: InboundMessageIn, brand: Brand, now: datetime) -> Message:
    payload = data.raw if data.raw is not None else data.model_dump(mode="json", by_alias=True)
    return Message(
        channel=data.channel,
        channel_message_id=data.channel_message_id,
        brand=brand,
        direction=Direction.INBOUND,
        state=MessageState.RECEIVED,
        sender=data.sender.model_dump(mode="json", exclude_none=True),
        text=redact(data.text),
        attachments=redact_json(
            [a.model_dump(mode="json", exclude_none=True) for a in data.attachments]
        ),
        raw=redact_json(payload),
        thread_id=data.thread_id or "",
        public=data.public,
        sent_at=data.sent_at_or(now),
        received_at=now,
    )


def do_accept_inbound(data: InboundMessageIn) -> Accepted:
    """Store one inbound message durably and queue its processing; idempotent on its id."""
    brand = brand_by_slug(data.brand)
    message = build_inbound(data, brand, timezone.now())
    try:
        # Insert first and let the unique constraint find duplicates: one round trip
        # for the common case, and no race between a look-up and the insert.
        with transaction.atomic():
            message.save(force_insert=True)
            keep_originals([(message, data.text)])
            enqueue_processing([message.pk])
    except IntegrityError:
        existing = find_message(*data.key)
        if existing is None:
            raise
        return Accepted(existing, created=False)
    return Accepted(message, created=True)


def brand_by_slug(slug: str) -> Brand:
    brand = Brand.objects.filter(slug=slug).order_by().first()
    if brand is None:
        raise UnknownBrand(slug)
    return brand


def find_message(channel: str, channel_message_id: str) -> Message | None:
    return Message.objects.filter(channel=channel, channel_message_id=channel_message_id).first()


@dataclass
class BatchResult:
    created: int = 0
    duplicates: int = 0
    message_ids: list[int] = field(default_factory=list)
    # channel, channel message id -> stored message id, for every message of the batch
    ids_by_key: dict[tuple[str, str], int] = field(default_factory=dict)
    duplicate_indexes: list[int] = field(default_factory=list)


def do_accept_inbound_batch(items: Sequence[InboundMessageIn]) -> BatchResult:
    """Store a batch in one transaction (all or nothing) and queue one processing task.

    Messages already stored (same channel and channel message id), in the database
    or earlier in the same batch, are counted as duplicates and not stored again.
    """
    brands = brands_by_slug(item.brand for item in items)
    missing = {item.brand for item in items} - brands.keys()
    if missing:
        raise UnknownBrand(sorted(missing)[0])
    result = BatchResult()
    now = timezone.now()
    with transaction.atomic():
        known = existing_keys([item.key for item in items])
        fresh: list[Message] = []
        originals: list[str] = []
        for index, item in enumerate(items):
            if item.key in known:
                result.duplicates += 1
                result.duplicate_indexes.append(index)
                continue
            known.add(item.key)
            fresh.append(build_inbound(item, brands[item.brand], now))
            originals.append(item.text)
        Message.objects.bulk_create(fresh, batch_size=500)
        result.created = len(fresh)
        result.message_ids = ids_of_received(fresh)
        keep_originals(zip(fresh, originals, strict=True))
        if result.message_ids:
            enqueue_processing(result.message_ids)
    return result


def ids_by_key(keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    by_channel: dict[str, list[str]] = {}
    for channel, message_id in keys:
        by_channel.setdefault(channel, []).append(message_id)
    for channel, message_ids in by_channel.items():
        for start in range(0, len(message_ids), 500):
            rows = Message.objects.filter(
                channel=channel, channel_message_id__in=message_ids[start : start + 500]
            ).values_list("channel_message_id", "pk")
            found.update({(channel, cmid): pk for cmid, pk in rows})
    return found


def existing_keys(keys: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
    return set(ids_by_key(keys))


def ids_of_received(messages: list[Message]) -> list[int]:
    if all(message.pk for message in messages):
        return [message.pk for message in messages]
    return list(ids_by_key([(m.channel, m.channel_message_id) for m in messages]).values())


def enqueue_processing(message_ids: list[int]) -> None:
    from amparo.inbox.tasks import process_inbound

    process_inbound.enqueue(message_ids=message_ids)


# --- processing ---------------------------------------------------------------------


ConversationKey = tuple[int, int, str, str]  # brand, customer, channel, thread


@dataclass
class Resolution:
    """What one processing chunk has looked up, so a chunk asks the database once for
    the identities and conversations its messages already have."""

    identities: dict[tuple[str, str], ChannelIdentity] = field(default_factory=dict)
    customers: dict[int, Customer] = field(default_factory=dict)
    conversations: dict[ConversationKey, Conversation] = field(default_factory=dict)
    # Customers whose conversations (on the chunk's brands and channels) are loaded.
    preloaded: set[int] = field(default_factory=set)
    brands: set[int] = field(default_factory=set)
    channels: set[str] = field(default_factory=set)
    changed_customers: set[int] = field(default_factory=set)
    # Candidates for senders seen for the first time, by customer number, phone, email.
    by_ref: dict[str, Customer] = field(default_factory=dict)
    by_phone: dict[str, Customer] = field(default_factory=dict)
    by_email: dict[str, Customer] = field(default_factory=dict)


def process_received(message_ids: Sequence[int]) -> int:
    """Process the given inbound messages that are still `received`; returns how many."""
    done = 0
    ids = sorted(set(message_ids))
    for start in range(0, len(ids), PROCESS_CHUNK):
        done += process_chunk(ids[start : start + PROCESS_CHUNK])
    return done


def process_chunk(ids: list[int]) -> int:
    try:
        return _process_chunk_once(ids)
    except IntegrityError:
        # Two workers created the same customer identity at once (PostgreSQL only;
        # SQLite serializes writers). The other one committed: a second pass finds it.
        return _process_chunk_once(ids)


def _process_chunk_once(ids: list[int]) -> int:
    now = timezone.now()
    # Triage is the costly part: do it before taking the write lock.
    triaged = triage_received(ids)
    with transaction.atomic():
        messages = list(
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, state=MessageState.RECEIVED, direction=Direction.INBOUND)
            .select_related("brand")
            .order_by("sent_at", "pk")
        )
        if not messages:
            return 0
        seen = preload(messages)
        for message in messages:
            thread_message(message, seen, now)
            if message.pk in triaged:
                apply_triage(message, triaged[message.pk])
        after_processing(messages)
        save_processed(messages, seen)
        track_inbound(messages)
        count_messages(messages)
        watch(messages)
    return len(messages)


def triage_received(ids: list[int]) -> dict[int, Triage]:
    rows = list(
        Message.objects.filter(
            pk__in=ids, state=MessageState.RECEIVED, direction=Direction.INBOUND
        ).values_list("pk", "brand_id", "text")
    )
    domains = {
        brand.pk: frozenset(d.lower() for d in brand.official_domains)
        for brand in Brand.objects.filter(pk__in={brand_id for _, brand_id, _ in rows})
    }
    results: dict[int, Triage] = {}
    for brand_id, brand_domains in domains.items():
        mine = [(pk, text) for pk, b, text in rows if b == brand_id and text]
        found = triage_many([text for _, text in mine], brand_domains, with_language=False)
        results.update({pk: result for (pk, _), result in zip(mine, found, strict=True)})
    return results


def apply_triage(message: Message, result: Triage) -> None:
    """The message keeps its triage; its conversation gathers topics, priority, tags."""
    message.triage = result.as_dict()
    conversation = message.conversation
    assert conversation is not None
    named = [topic for topic, _ in result.topics if topic != "other"]
    conversation.topics = list(dict.fromkeys([*named, *conversation.topics]))[:MAX_TOPICS]
    if result.distress.score >= DISTRESS_URGENT or any(
        c["cue"] == "self_harm" for c in result.distress.cues
    ):
        conversation.priority = max(conversation.priority, Priority.URGENT)
    elif result.distress.score >= DISTRESS_HIGH:
        conversation.priority = max(conversation.priority, Priority.HIGH)
    tags = list(conversation.tags)
    if result.distress.score >= DISTRESS_HIGH:
        tags.append("distress")
    if result.scam.score >= SCAM_TAG:
        tags.append("scam_signal")
    conversation.tags = list(dict.fromkeys(tags))


def preload(messages: list[Message]) -> Resolution:
    seen = Resolution(brands={m.brand_id for m in messages}, channels={m.channel for m in messages})
    by_channel: dict[str, set[str]] = {}
    for message in messages:
        by_channel.setdefault(message.channel, set()).add(message.sender["external_id"])
    for channel, external_ids in by_channel.items():
        for identity in ChannelIdentity.objects.filter(
            channel=channel, external_id__in=external_ids
        ).select_related("customer"):
            seen.identities[(identity.channel, identity.external_id)] = identity
            seen.customers.setdefault(identity.customer_id, identity.customer)
    preload_candidates(messages, seen)
    preload_conversations(seen, set(seen.customers))
    return seen


def preload_conversations(seen: Resolution, customer_ids: set[int]) -> None:
    customer_ids -= seen.preloaded
    if not customer_ids:
        return
    # Only the brands and channels of this chunk's messages: the only keys it looks up.
    for conversation in Conversation.objects.filter(
        customer_id__in=customer_ids, brand_id__in=seen.brands, channel__in=seen.channels
    ).order_by("pk"):
        key = (
            conversation.brand_id,
            conversation.customer_id,
            conversation.channel,
            conversation.thread_id,
        )
        seen.conversations[key] = conversation  # ordered by pk: the latest wins
    seen.preloaded |= customer_ids


def thread_message(message: Message, seen: Resolution, now: datetime) -> None:
    customer = resolve_customer(message.channel, message.sender, seen, now)
    default = customer.language or message.brand.default_language
    language = detect_language(message.text, default=default) or default
    if language != customer.language:
        customer.language = language
        customer.updated_at = now
        seen.changed_customers.add(customer.pk)
    conversation = conversation_for(message, customer, seen, now)
    conversation.language = language
    conversation.last_message_at = max(conversation.last_message_at, message.sent_at)
    conversation.updated_at = now
    if conversation.status != ConversationStatus.OPEN:
        conversation.status = ConversationStatus.OPEN
        conversation.resolved_at = None
    message.customer = customer
    message.conversation = conversation
    message.language = language
    message.state = MessageState.PROCESSED
    message.processed_at = now


def save_processed(messages: list[Message], seen: Resolution) -> None:
    """Write a chunk's results with one prepared statement per table.

    Django's bulk_update builds a CASE expression per field and row, which cost more
    than all the rest of processing together; executemany is a plain batch of UPDATEs.
    """
    dt = connection.ops.adapt_datetimefield_value
    js = connection.ops.adapt_json_value
    execute_updates(
        Message,
        ["customer_id", "conversation_id", "language", "state", "processed_at", "triage"],
        [
            (
                m.customer_id,
                m.conversation_id,
                m.language,
                m.state,
                dt(m.processed_at),
                js(m.triage, None),
                m.pk,
            )
            for m in messages
        ],
    )
    touched = {m.conversation_id: m.conversation for m in messages}
    execute_updates(
        Conversation,
        [
            "status",
            "language",
            "last_message_at",
            "updated_at",
            "resolved_at",
            "priority",
            "topics",
            "tags",
        ],
        [
            (
                c.status,
                c.language,
                dt(c.last_message_at),
                dt(c.updated_at),
                dt(c.resolved_at),
                c.priority,
                js(c.topics, None),
                js(c.tags, None),
                c.pk,
            )
            for c in touched.values()
            if c is not None
        ],
    )
    execute_updates(
        Customer,
        ["language", "updated_at"],
        [
            (seen.customers[pk].language, dt(seen.customers[pk].updated_at), pk)
            for pk in seen.changed_customers
        ],
    )


def execute_updates(model: type[models.Model], columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def normalize_phone(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return f"+{digits}" if 7 <= len(digits) <= 15 else ""


def resolve_customer(channel: str, sender: dict, seen: Resolution, now: datetime) -> Customer:
    """The customer behind a channel identity: known identity, then customer number,
    then phone or email, then a new customer."""
    key = (channel, sender["external_id"])
    identity = seen.identities.get(key)
    if identity is None:
        customer = match_customer(channel, sender, seen)
        if customer is None:
            customer = new_customer(channel, sender, now, seen)
            seen.preloaded.add(customer.pk)  # new: it has no conversations yet
        identity = ChannelIdentity.objects.create(
            customer=customer,
            channel=channel,
            external_id=sender["external_id"],
            display_name=sender.get("display_name", ""),
            handle=sender.get("handle") or "",
            created_at=now,
        )
        seen.identities[key] = identity
        seen.customers.setdefault(customer.pk, customer)
    return seen.customers[identity.customer_id]


def contact_points(channel: str, sender: dict) -> tuple[str, str]:
    phone = normalize_phone(sender.get("phone") or "")
    email = (sender.get("email") or "").strip().lower()
    if channel in {Channel.WHATSAPP, Channel.SMS, Channel.PHONE} and not phone:
        phone = normalize_phone(sender["external_id"])
    if channel == Channel.EMAIL and not email and "@" in sender["external_id"]:
        email = sender["external_id"].strip().lower()
    return phone, email


def match_customer(channel: str, sender: dict, seen: Resolution) -> Customer | None:
    ref = sender.get("customer_ref")
    phone, email = contact_points(channel, sender)
    return (
        (ref and seen.by_ref.get(ref))
        or (phone and seen.by_phone.get(phone))
        or (email and seen.by_email.get(email))
        or None
    )


def preload_candidates(messages: list[Message], seen: Resolution) -> None:
    """Customers that senders without a known identity may be: one query per key."""
    refs, phones, emails = set(), set(), set()
    for message in messages:
        if (message.channel, message.sender["external_id"]) in seen.identities:
            continue
        if message.sender.get("customer_ref"):
            refs.add(message.sender["customer_ref"])
        phone, email = contact_points(message.channel, message.sender)
        phones.add(phone)
        emails.add(email)
    phones.discard("")
    emails.discard("")
    for field_name, values in (("customer_ref", refs), ("phone", phones), ("email", emails)):
        if values:
            for customer in Customer.objects.filter(**{f"{field_name}__in": values}).order_by(
                "-pk"
            ):
                remember_customer(seen, customer)  # by descending pk: the oldest wins


def remember_customer(seen: Resolution, customer: Customer) -> None:
    if customer.customer_ref:
        seen.by_ref[customer.customer_ref] = customer
    if customer.phone:
        seen.by_phone[customer.phone] = customer
    if customer.email:
        seen.by_email[customer.email] = customer


def new_customer(channel: str, sender: dict, now: datetime, seen: Resolution) -> Customer:
    phone, email = contact_points(channel, sender)
    customer = Customer.objects.create(
        display_name=sender.get("display_name") or sender.get("handle") or "",
        customer_ref=sender.get("customer_ref") or None,
        phone=phone,
        email=email,
        created_at=now,
        updated_at=now,
    )
    for key, index in (
        (customer.customer_ref, seen.by_ref),
        (phone, seen.by_phone),
        (email, seen.by_email),
    ):
        if key:
            index.setdefault(key, customer)
    return customer


def conversation_for(
    message: Message, customer: Customer, seen: Resolution, now: datetime
) -> Conversation:
    """The conversation a message belongs to: the customer's latest one on this brand,
    channel and thread, unless it was resolved longer ago than the reopen window."""
    preload_conversations(seen, {customer.pk})
    key = (message.brand_id, customer.pk, message.channel, message.thread_id)
    latest = seen.conversations.get(key)
    reopen_after = now - timedelta(hours=settings.REOPEN_WINDOW_HOURS)
    if latest is None or (
        latest.status == ConversationStatus.RESOLVED
        and latest.resolved_at is not None
        and latest.resolved_at < reopen_after
    ):
        from amparo.assist.register import opening_priority  # assist reads the inbox

        latest = Conversation.objects.create(
            brand_id=message.brand_id,
            customer=customer,
            # A vulnerability record with priority routing puts it in the priority queue.
            priority=opening_priority(customer, message.brand_id),
            channel=message.channel,
            thread_id=message.thread_id,
            public=message.public,
            created_at=now,
            updated_at=now,
            last_message_at=message.sent_at,
        )
        seen.conversations[key] = latest
    return latest


def waiting_inbound_ids(limit: int, older_than: timedelta | None = None) -> list[int]:
    """Inbound messages still `received`, oldest first; with `older_than`, only those
    waiting at least that long (stranded by a worker that died)."""
    qs = Message.objects.filter(state=MessageState.RECEIVED, direction=Direction.INBOUND)
    if older_than is not None:
        qs = qs.filter(received_at__lte=timezone.now() - older_than)
    return list(qs.order_by("received_at").values_list("pk", flat=True)[:limit])


# --- agents' actions on conversations -----------------------------------------------

CONVERSATION_FIELDS = ["status", "assignee", "priority", "resolved_at", "topics"]


def do_reply(
    conversation: Conversation,
    text: str,
    actor: Actor,
    override_reason: str = "",
    acknowledged: Collection[str] = (),
) -> Message:
    """Queue a reply for the channel's transport (sent by a worker), once the reply
    guard has read it (amparo/assist/reply.py): a block raises `ReplyRefused`, and so
    does a warning unless `override_reason` says why it should go anyway and
    `acknowledged` names every reason warned about: a reason covers what the agent was
    shown, not a warning the text earned after it was edited."""
    from amparo.assist.reply import MAX_OVERRIDE_REASON, ReplyRefused, check_reply
    from amparo.inbox.tasks import deliver_outbound

    cleaned = clean_text(text).strip()
    result = check_reply(conversation, cleaned)
    override = redact(clean_text(override_reason).strip())[:MAX_OVERRIDE_REASON]
    automatic = actor.label == SYSTEM.label
    unseen = set(result.reasons) - set(acknowledged)
    if result.blocked or (result.verdict == "warn" and not automatic and (not override or unseen)):
        if result.blocked:
            # Audited even though nothing is sent: asking a customer for a PIN is
            # something a supervisor should see.
            record(actor, "reply.blocked", conversation, None, {"reasons": result.reasons})
        raise ReplyRefused(result, not result.blocked, conversation.language)
    guard_note: dict[str, object] = {"verdict": result.verdict, "reasons": result.reasons}
    if result.verdict == "warn" and override:
        guard_note["override"] = override
    now = timezone.now()
    with transaction.atomic():
        before = snapshot(conversation, CONVERSATION_FIELDS)
        message = Message.objects.create(
            channel=conversation.channel,
            channel_message_id=f"amparo-{uuid.uuid4().hex}",
            brand_id=conversation.brand_id,
            conversation=conversation,
            customer_id=conversation.customer_id,
            direction=Direction.OUTBOUND,
            state=MessageState.QUEUED,
            author=actor.agent,
            sender={"actor": actor.label},
            text=redact(cleaned),
            triage={"guard": guard_note},
            thread_id=conversation.thread_id,
            public=conversation.public,
            language=conversation.language,
            sent_at=now,
            received_at=now,
        )
        # Waiting on the customer now; their next message opens it again. An automatic
        # notice answers nothing: the conversation stays in the queue.
        if conversation.status == ConversationStatus.OPEN and not automatic:
            conversation.status = ConversationStatus.PENDING
        conversation.updated_at = now
        conversation.save(update_fields=["status", "updated_at"])
        record(
            actor,
            "conversation.reply",
            conversation,
            before,
            {**snapshot(conversation, CONVERSATION_FIELDS), "message": message.pk},
        )
        if not automatic:
            track_reply(conversation, now)  # service levels: the customer was answered
        if result.verdict == "warn":
            record(
                actor,
                "reply.guard_override" if override else "reply.guard_warned",
                message,
                None,
                guard_note,
            )
        deliver_outbound.enqueue(message_id=message.pk)
    return message


def do_assign(conversation: Conversation, assignee: Agent | None, actor: Actor) -> Conversation:
    return _change(conversation, actor, "conversation.assign", assignee=assignee)


def do_set_status(conversation: Conversation, status: str, actor: Actor) -> Conversation:
    resolved_at = timezone.now() if status == ConversationStatus.RESOLVED else None
    action = (
        "conversation.resolve" if status == ConversationStatus.RESOLVED else "conversation.status"
    )
    changed = _change(conversation, actor, action, status=status, resolved_at=resolved_at)
    if status == ConversationStatus.RESOLVED and resolved_at is not None:
        track_resolved(changed, resolved_at)  # service levels: resolution met
    if status == ConversationStatus.RESOLVED:
        from amparo.assist.csat import do_send_survey  # assist reads the inbox

        # How did we do? (amparo/assist/csat.py decides whether to ask.)
        do_send_survey(changed, actor)
    return changed


def do_set_priority(conversation: Conversation, priority: int, actor: Actor) -> Conversation:
    return _change(conversation, actor, "conversation.priority", priority=priority)


def _change(
    conversation: Conversation, actor: Actor, action: str, **changes: object
) -> Conversation:
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        before = snapshot(locked, CONVERSATION_FIELDS)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*changes.keys(), "updated_at"])
        record(actor, action, locked, before, snapshot(locked, CONVERSATION_FIELDS))
    return locked


# --- outbound delivery ------------------------------------------------------------------


def deliver(message_id: int) -> str:
    """Send one queued outbound message through its channel's transport, once."""
    from amparo.channels.transports import transport_for

    claimed = Message.objects.filter(
        pk=message_id, direction=Direction.OUTBOUND, state=MessageState.QUEUED
    ).update(state=MessageState.SENDING)
    if not claimed:
        return "skipped"
    message = Message.objects.select_related("conversation").get(pk=message_id)
    try:
        provider_id = transport_for(message.channel).send(message)
    except Exception as exc:  # any transport failure is recorded on the message
        logger.warning("delivery of message %s failed: %s", message_id, type(exc).__name__)
        finish_delivery(message, state=MessageState.FAILED, error=redact(str(exc))[:500])
        return "failed"
    finish_delivery(
        message,
        state=MessageState.SENT,
        processed_at=timezone.now(),
        raw={"provider_message_id": provider_id},
    )
    return "sent"


def finish_delivery(message: Message, **changes: object) -> None:
    with transaction.atomic():
        Message.objects.filter(pk=message.pk).update(**changes)
        # The console shows delivery state: moving the version makes it refresh.
        Conversation.objects.filter(pk=message.conversation_id).update(updated_at=timezone.now())


def stranded_outbound_ids(older_than: timedelta) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Message.objects.filter(
            state=MessageState.QUEUED, direction=Direction.OUTBOUND, received_at__lte=cutoff
        ).values_list("pk", flat=True)[:1000]
    )


def fail_interrupted_sends(older_than: timedelta) -> int:
    """A send cut off by a crash may or may not have reached the customer: never resend
    it blindly; mark it failed so an agent sees it and decides."""
    cutoff = timezone.now() - older_than
    return Message.objects.filter(
        state=MessageState.SENDING, direction=Direction.OUTBOUND, received_at__lte=cutoff
    ).update(state=MessageState.FAILED, error="interrupted while sending; not resent")


def do_correct_topics(conversation: Conversation, topics: list[str], actor: Actor) -> Conversation:
    """An agent sets a conversation's topics; the correction is kept for retraining."""
    from amparo.inbox.models import TopicCorrection

    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        latest = (
            locked.messages.filter(direction=Direction.INBOUND).order_by("-sent_at", "-pk").first()
        )
        TopicCorrection.objects.create(
            conversation=locked,
            message=latest,
            agent=actor.agent,
            text=latest.text if latest else "",
            language=latest.language if latest else locked.language,
            predicted=list(locked.topics),
            corrected=topics,
        )
        return _change(locked, actor, "conversation.topics", topics=topics)


# --- what other parts do with processed inbound messages --------------------------------


def after_processing(messages: list[Message]) -> None:
    """Called once a chunk's messages are threaded and triaged, before they are saved:
    a customer's answer to a satisfaction survey is recorded, and the conversation it
    answers keeps its status instead of reopening (amparo/assist/csat.py)."""
    from amparo.assist.csat import record_csat_answers  # assist reads the inbox

    record_csat_answers(messages)

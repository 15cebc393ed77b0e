"""Canned replies: wording agents start from, per language and brand.

Supervisors and administrators keep the library (every change audited); every agent
picks from it above the reply box, among the active replies in the customer's language
for the conversation's brand, those written for the conversation's topics first.

A canned reply is saved only when the reply guard reads it as "ok": a template that asks
for a PIN, or brushes a customer off, would hand the same mistake to every agent, and
the guard at sending time would refuse it to each of them in turn. `{customer_name}` and
`{agent_name}` are filled in when an agent inserts one; no other placeholder is taken
(the text is never passed to `str.format`, which would read attributes it names).

The seed list (data/canned.json) is loaded by a migration.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.assist.guard import guard
from amparo.assist.models import CannedReply
from amparo.assist.panel import customer_language
from amparo.assist.reply import ADVICE
from amparo.assist.text import clean_line, clean_paragraph, has_hidden_characters
from amparo.core.audit import Actor, record, snapshot
from amparo.core.models import Agent, Brand
from amparo.inbox.models import Conversation
from amparo.triage.labels import TOPIC_LABELS

logger = logging.getLogger(__name__)

SEED_FILE = Path(__file__).with_name("data") / "canned.json"
MAX_TITLE = 120
MAX_TEXT = 2000
MAX_NAME = 80
PLACEHOLDERS = ("customer_name", "agent_name")
# Anything in braces reads as a placeholder; only the two above are filled.
PLACEHOLDER = re.compile(r"\{([^{}\n]{0,60})\}")
# An empty name takes the comma or space before it along: "Hola {customer_name}, soy"
# becomes "Hola, soy", not "Hola , soy".
EMPTY_NAME = {name: re.compile(r"(?:,[ \t]*|[ \t]+)?\{" + name + r"\}") for name in PLACEHOLDERS}
TOPICS = [topic for topic in TOPIC_LABELS if topic != "other"]
CANNED_FIELDS = ["brand", "language", "title", "text", "topics", "active"]


class InvalidCanned(ValueError):
    """A field the library cannot hold; `field` names it, the message says why."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class GuardRefused(InvalidCanned):
    """The reply guard did not read the text as "ok"; `reasons` are the guard's."""

    def __init__(self, verdict: str, reasons: list[str]) -> None:
        super().__init__("text", _("The reply guard refused this text."))
        self.verdict = verdict
        self.reasons = reasons


class DuplicateCanned(ValueError):
    """The library already has a reply of this title for this language and brand."""


@dataclass(frozen=True)
class CannedData:
    language: str
    title: str
    text: str
    brand: Brand | None = None
    topics: list[str] = field(default_factory=list)
    active: bool = True


# --- checks at the edge -----------------------------------------------------------------


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def clean_canned(data: CannedData) -> CannedData:
    """The reply as stored; raises InvalidCanned naming the field, or GuardRefused."""
    clean = replace(
        data,
        language=clean_language(data.language),
        title=clean_title(data.title),
        text=clean_text(data.text),
        topics=clean_topics(data.topics),
        active=bool(data.active),
    )
    check_guard(clean.text, clean.language)
    return clean


def clean_language(raw: str) -> str:
    if raw not in language_codes():
        raise InvalidCanned("language", _("Choose one of the console's languages."))
    return raw


def clean_title(raw: str) -> str:
    if has_hidden_characters(raw):
        raise InvalidCanned("title", _("A title has no invisible or control characters."))
    title = clean_line(raw)
    if not title:
        raise InvalidCanned("title", _("Enter a title."))
    if len(title) > MAX_TITLE:
        raise InvalidCanned("title", _("A title has at most 120 characters."))
    return title


def clean_text(raw: str) -> str:
    text = clean_paragraph(raw)
    if not text:
        raise InvalidCanned("text", _("Enter the text of the reply."))
    if len(text) > MAX_TEXT:
        raise InvalidCanned("text", _("A canned reply has at most 2000 characters."))
    unknown = [name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS]
    if unknown:
        raise InvalidCanned(
            "text", _("Only {customer_name} and {agent_name} can be filled in; remove the rest.")
        )
    return text


def clean_topics(values: Iterable[str]) -> list[str]:
    topics = list(dict.fromkeys(values))
    if any(topic not in TOPICS for topic in topics):
        raise InvalidCanned("topics", _("Unknown topic."))
    return [topic for topic in TOPICS if topic in topics]


def check_guard(text: str, language: str) -> None:
    """Raises GuardRefused unless the reply guard reads the text as "ok" in `language`."""
    result = guard(text, customer_language=language)
    if result.verdict != "ok":
        raise GuardRefused(result.verdict, result.reasons)


def guard_advice(reasons: list[str]) -> list[str]:
    return [str(ADVICE[reason]) for reason in reasons]


# --- writes -----------------------------------------------------------------------------


def do_create_canned(data: CannedData, actor: Actor) -> CannedReply:
    """Add a reply; raises InvalidCanned, GuardRefused or DuplicateCanned."""
    clean = clean_canned(data)
    now = timezone.now()
    try:
        with transaction.atomic():
            if listed(clean).exists():
                raise DuplicateCanned(clean.title)
            canned = CannedReply.objects.create(
                **asdict_shallow(clean),
                created_by=actor.agent,
                updated_by=actor.agent,
                created_at=now,
                updated_at=now,
            )
            record(actor, "canned.create", canned, None, snapshot(canned, CANNED_FIELDS))
    except IntegrityError as error:
        raise DuplicateCanned(clean.title) from error
    return canned


def do_update_canned(canned: CannedReply, data: CannedData, actor: Actor) -> CannedReply:
    """Change a reply; raises InvalidCanned, GuardRefused or DuplicateCanned."""
    clean = clean_canned(data)
    try:
        with transaction.atomic():
            locked = CannedReply.objects.select_for_update().get(pk=canned.pk)
            if listed(clean).exclude(pk=locked.pk).exists():
                raise DuplicateCanned(clean.title)
            before = snapshot(locked, CANNED_FIELDS)
            for name, value in asdict_shallow(clean).items():
                setattr(locked, name, value)
            locked.updated_by = actor.agent
            locked.updated_at = timezone.now()
            locked.save()
            record(actor, "canned.update", locked, before, snapshot(locked, CANNED_FIELDS))
    except IntegrityError as error:
        raise DuplicateCanned(clean.title) from error
    return locked


def do_set_canned_active(canned: CannedReply, active: bool, actor: Actor) -> CannedReply | None:
    """Offer or withdraw a reply; None when it already was (nothing is audited). A reply
    offered again is read by the guard again: its rules may have grown since."""
    with transaction.atomic():
        locked = CannedReply.objects.select_for_update().get(pk=canned.pk)
        if locked.active == active:
            return None
        if active:
            check_guard(locked.text, locked.language)
        before = snapshot(locked, ["active"])
        locked.active = active
        locked.updated_by = actor.agent
        locked.updated_at = timezone.now()
        locked.save(update_fields=["active", "updated_by", "updated_at"])
        action = "canned.activate" if active else "canned.deactivate"
        record(actor, action, locked, before, snapshot(locked, ["active"]))
    return locked


def asdict_shallow(data: CannedData) -> dict[str, Any]:
    # dataclasses.asdict would deep-copy the brand, a model instance.
    return {name: getattr(data, name) for name in CANNED_FIELDS}


def listed(data: CannedData) -> QuerySet[CannedReply]:
    same = CannedReply.objects.filter(language=data.language, title__iexact=data.title)
    if data.brand is None:
        return same.filter(brand__isnull=True)
    return same.filter(brand=data.brand)


# --- what an agent picks from -----------------------------------------------------------


def offered(conversation: Conversation) -> list[CannedReply]:
    """The active replies in the customer's language for the conversation's brand (or
    all brands), those written for one of its topics first."""
    replies = CannedReply.objects.filter(
        active=True, language=customer_language(conversation)
    ).filter(Q(brand__isnull=True) | Q(brand_id=conversation.brand_id))
    ordered = list(replies.order_by("title", "pk"))
    return sorted(ordered, key=lambda reply: not fits_topics(reply, conversation))


def fits_topics(reply: CannedReply, conversation: Conversation) -> bool:
    topics = reply.topics if isinstance(reply.topics, list) else []
    mine = conversation.topics if isinstance(conversation.topics, list) else []
    return bool(set(topics) & set(mine))


def fill_placeholders(text: str, conversation: Conversation, agent: Agent) -> str:
    """The text with {customer_name} and {agent_name} filled in one pass (a name that
    itself reads "{agent_name}" stays as typed); an unknown name leaves its placeholder
    out rather than sending "{customer_name}" to a customer."""
    values = {
        "customer_name": clean_line(conversation.customer.display_name)[:MAX_NAME],
        "agent_name": clean_line(agent.display_name)[:MAX_NAME],
    }
    for name, value in values.items():
        if not value:
            text = EMPTY_NAME[name].sub("", text)
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def chosen_id(raw: str) -> int | None:
    """The reply id in ?canned=, when it is one."""
    if not (raw.isascii() and raw.isdigit() and len(raw) < 19):
        return None
    return int(raw)


def canned_context(conversation: Conversation, agent: Agent, chosen: str = "") -> dict[str, Any]:
    """{"canned": {...}}: the replies the picker offers, grouped, and the text of the one
    chosen with ?canned=<id> (the page pre-fills the reply box with it, no JavaScript
    needed); a reply not offered here is never filled in."""
    replies = offered(conversation)
    wanted = chosen_id(chosen)
    picked = next((reply for reply in replies if reply.pk == wanted), None)
    return {
        "canned": {
            "suggested": [reply for reply in replies if fits_topics(reply, conversation)],
            "others": [reply for reply in replies if not fits_topics(reply, conversation)],
            "chosen": picked.pk if picked else None,
            "text": fill_placeholders(picked.text, conversation, agent) if picked else "",
            "language": customer_language(conversation),
        }
    }


# --- the seed list ----------------------------------------------------------------------


def seed_entries() -> list[dict[str, Any]]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))["canned"]


def load_seed_canned(model: Any = CannedReply) -> int:
    """Add the shipped replies the library lacks (by language and title, for all
    brands); replies an administrator edited or deactivated stay as they are. A seed the
    guard no longer passes is left out and logged, never loaded. `model` is the
    migration's historical model when a migration calls it."""
    added = 0
    for entry in seed_entries():
        try:
            clean = clean_canned(CannedData(**entry))
        except InvalidCanned as error:
            logger.warning("canned reply %r not loaded: %s", entry.get("title"), error)
            continue
        key = {"language": clean.language, "title": clean.title, "brand": None}
        defaults = {"text": clean.text, "topics": clean.topics, "active": True}
        _row, created = model.objects.get_or_create(**key, defaults=defaults)
        added += int(created)
    return added

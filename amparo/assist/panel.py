"""What the conversation page shows of the register and the signposting library.

The inbox's conversation view adds `assist_context(conversation, agent)` to its context
and includes "assist/_conversation_panel.html" in its sidebar. Reading only: nothing
here writes.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from amparo.assist.access import can_see_details, visible_fields
from amparo.assist.labels import cue_label
from amparo.assist.models import Driver, RecordStatus, VulnerabilityRecord
from amparo.assist.register import open_record, suggest_record, today
from amparo.assist.signposts import kinds_for_distress, kinds_for_drivers, suggest_signposts
from amparo.core.models import Agent
from amparo.inbox.models import Conversation, Direction, Message

MAX_SIGNPOSTS = 6
SCAM_SCORE = 0.5


def assist_context(conversation: Conversation, agent: Agent) -> dict[str, Any]:
    """{"assist": {...}}: the customer's record as this agent may see it, a suggestion
    to record one when the latest inbound message shows distress, and signposts."""
    latest = latest_inbound(conversation)
    found = open_record(conversation.customer)
    if found is not None and not covers(found, conversation):
        found = None
    suggestion = suggest_record(latest) if latest is not None and found is None else None
    page = reverse("customer-vulnerability", args=[conversation.customer_id])
    return {
        "assist": {
            "record": record_view(found, agent) if found is not None else None,
            "suggestion": suggestion_view(suggestion) if suggestion else None,
            "signposts": panel_signposts(conversation, latest, found),
            "signpost_language": customer_language(conversation),
            "record_url": page,
            "suggest_url": f"{page}?message={latest.pk}" if suggestion and latest else page,
        }
    }


def latest_inbound(conversation: Conversation) -> Message | None:
    inbound = conversation.messages.filter(direction=Direction.INBOUND)
    return inbound.order_by("-sent_at", "-pk").first()


def covers(found: VulnerabilityRecord, conversation: Conversation) -> bool:
    return found.brand_id is None or found.brand_id == conversation.brand_id


def record_view(found: VulnerabilityRecord, agent: Agent) -> dict[str, Any] | None:
    """The record reduced to what this agent may read (`visible_fields`)."""
    fields = visible_fields(found, agent)
    if not fields:
        return None
    view: dict[str, Any] = {name: getattr(found, name) for name in fields}
    view["pk"] = found.pk
    view["status"] = found.status_on(today())
    view["expired"] = view["status"] == RecordStatus.EXPIRED
    view["driver_labels"] = driver_labels(found.drivers)
    view["shows_details"] = can_see_details(found, agent)
    return view


def driver_labels(drivers: Any) -> list[str]:
    listed = drivers if isinstance(drivers, list) else []
    return [str(Driver(d).label) for d in Driver.values if d in listed]


def suggestion_view(suggestion: dict[str, Any]) -> dict[str, Any]:
    return {
        **suggestion,
        "driver_labels": driver_labels(suggestion["drivers"]),
        "cue_labels": [cue_label(name) for name in suggestion["cues"]],
    }


def customer_language(conversation: Conversation) -> str:
    return conversation.language or conversation.brand.default_language


def panel_signposts(
    conversation: Conversation, latest: Message | None, found: VulnerabilityRecord | None
) -> list[Any]:
    """Signposts of the brand's country in the customer's language that fit the latest
    message's distress, the record's drivers, or a scam report; none without a reason."""
    kinds = signpost_kinds(latest, found)
    if not kinds:
        return []
    country = conversation.brand.country
    return suggest_signposts(country, customer_language(conversation), kinds)[:MAX_SIGNPOSTS]


def signpost_kinds(latest: Message | None, found: VulnerabilityRecord | None) -> list[str]:
    triage = latest.triage if latest is not None and isinstance(latest.triage, dict) else {}
    kinds = []
    suggestion = suggest_record(latest) if latest is not None else None
    if suggestion:
        kinds.extend(kinds_for_distress(triage.get("distress")))
    if found is not None and found.status_on(today()) == RecordStatus.ACTIVE:
        kinds.extend(kinds_for_drivers(found.drivers))
    scam = triage.get("scam")
    score = scam.get("score") if isinstance(scam, dict) else None
    if isinstance(score, int | float) and not isinstance(score, bool) and score >= SCAM_SCORE:
        kinds.append("fraud")
    return list(dict.fromkeys(kinds))

"""Changes to the radar's suggestions, each audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from amparo.core.audit import Actor, record, snapshot
from amparo.radar.models import SuggestedIncident, SuggestionStatus

DECISION_FIELDS = ["status", "decided_by", "decided_at"]
DECISION_ACTIONS = {
    SuggestionStatus.DECLARED: "suggestion.declared",
    SuggestionStatus.DISMISSED: "suggestion.dismissed",
}


def do_decide_suggestion(
    suggestion: SuggestedIncident, status: SuggestionStatus, actor: Actor
) -> SuggestedIncident | None:
    """Declare or dismiss an open suggestion, audited; None when it was already decided
    (two supervisors deciding at once: the second changes nothing)."""
    with transaction.atomic():
        locked = SuggestedIncident.objects.select_for_update().get(pk=suggestion.pk)
        if locked.status != SuggestionStatus.OPEN:
            return None
        before = snapshot(locked, DECISION_FIELDS)
        now = timezone.now()
        locked.status, locked.decided_by, locked.decided_at = status, actor.agent, now
        locked.updated_at = now
        locked.save(update_fields=[*DECISION_FIELDS, "updated_at"])
        record(actor, DECISION_ACTIONS[status], locked, before, snapshot(locked, DECISION_FIELDS))
    return locked

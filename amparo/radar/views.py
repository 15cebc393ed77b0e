"""The radar in the console: the incidents it suggests, their evidence, the decision.

Every agent may read the suggestions; supervisors and administrators decide them.
Declaring only records the decision for now: opening an incident from it (and the
status page that follows) is a later step, and the page says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages as flash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.core.access import role_required
from amparo.core.audit import Actor
from amparo.core.models import Agent, Channel, Role
from amparo.inbox.models import Message
from amparo.radar.actions import do_decide_suggestion
from amparo.radar.models import SuggestedIncident, SuggestionStatus
from amparo.radar.svg import ChartText, evidence_chart, number
from amparo.triage.labels import TOPIC_LABELS

OPEN_LIMIT = 100
DECIDED_LIMIT = 30
MAX_TERMS = 12
MAX_SAMPLE_MESSAGES = 20


# --- reading ----------------------------------------------------------------------------


@require_GET
@role_required(Role.AGENT)
def suggestion_list(request: HttpRequest) -> HttpResponse:
    suggestions = SuggestedIncident.objects.select_related("brand", "decided_by")
    open_rows = suggestions.filter(status=SuggestionStatus.OPEN).order_by("-detected_at", "-pk")
    decided_rows = suggestions.exclude(status=SuggestionStatus.OPEN).order_by(
        "-decided_at", "-detected_at", "-pk"
    )
    sections = [
        {
            "slug": "open",
            "title": _("Open suggestions"),
            "rows": labelled(open_rows[:OPEN_LIMIT]),
            "empty": _("No open suggestions."),
        },
        {
            "slug": "decided",
            "title": _("Recently decided"),
            "rows": labelled(decided_rows[:DECIDED_LIMIT]),
            "empty": _("No decided suggestions yet."),
        },
    ]
    context = {"sections": sections}
    return render(request, "radar/suggestions.html", context)


def labelled(suggestions: Iterable[SuggestedIncident]) -> list[dict[str, Any]]:
    return [
        {
            "suggestion": s,
            "what": describe(s),
            "channels": [channel_label(c) for c in strings(s.channels)],
        }
        for s in suggestions
    ]


def describe(suggestion: SuggestedIncident) -> str:
    """What surged, in words: its topics, else what its series counts."""
    topics = topic_labels(suggestion.topics)
    return ", ".join(topics) if topics else describe_key(suggestion.key)


def topic_labels(topics: Any) -> list[str]:
    return [str(TOPIC_LABELS.get(t, t)) for t in strings(topics)]


def get_suggestion_for_agent(agent: Agent, suggestion_id: int) -> SuggestedIncident:
    """Every active agent sees every suggestion (teams come later); missing is 404."""
    suggestion = (
        SuggestedIncident.objects.select_related("brand", "decided_by")
        .filter(pk=suggestion_id)
        .first()
    )
    if suggestion is None or not agent.is_active:
        raise Http404
    return suggestion


@require_GET
@role_required(Role.AGENT)
def suggestion_detail(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    suggestion = get_suggestion_for_agent(agent, suggestion_id)
    evidence = suggestion.evidence if isinstance(suggestion.evidence, dict) else {}
    language = translation.get_language() or "en"
    context = {
        "suggestion": suggestion,
        "what": describe(suggestion),
        "components": [c.name_in(language) for c in suggestion.components.order_by("position")],
        "topics": topic_labels(suggestion.topics),
        "channels": [channel_label(c) for c in strings(suggestion.channels)],
        "alert": alert_figures(evidence),
        "chart": evidence_chart(evidence, chart_text()),
        "terms": top_terms(evidence),
        "samples": sample_messages(evidence),
        "can_decide": agent.has_role(Role.SUPERVISOR),
    }
    return render(request, "radar/suggestion.html", context)


def chart_text() -> ChartText:
    return ChartText(
        title=_("Messages per minute against the expected band"),
        empty=_("No counts to chart."),
        counts=_("Messages per minute"),
        band=_("Expected range"),
        start=_("Estimated start"),
        detected=_("Detection"),
    )


def describe_key(key: str) -> str:
    if key == "all":
        return _("All messages")
    if key.startswith("topic:"):
        topic = key.removeprefix("topic:")
        return str(TOPIC_LABELS.get(topic, topic))
    if key.startswith("signal:"):
        return _("Signal: %(name)s") % {"name": key.removeprefix("signal:")}
    return key


def channel_label(channel: str) -> str:
    if channel == "signal":
        return _("External signal")
    return str(Channel(channel).label) if channel in Channel.values else channel


def strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def alert_figures(evidence: dict[str, Any]) -> dict[str, float | None]:
    alert = evidence.get("alert")
    alert = alert if isinstance(alert, dict) else {}
    return {"observed": number(alert.get("observed")), "expected": number(alert.get("expected"))}


def top_terms(evidence: dict[str, Any]) -> list[tuple[str, int]]:
    """The evidence's most frequent words, as (term, messages); malformed pairs are dropped."""
    terms = evidence.get("terms")
    pairs = []
    for pair in terms if isinstance(terms, list) else []:
        if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str):
            count = pair[1]
            if isinstance(count, int) and not isinstance(count, bool):
                pairs.append((pair[0][:80], count))
    return pairs[:MAX_TERMS]


def sample_messages(evidence: dict[str, Any]) -> list[Message]:
    """The evidence's sample messages that still exist and sit in a conversation."""
    ids = evidence.get("messages")
    wanted = (
        [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
        if isinstance(ids, list)
        else []
    )
    return list(
        Message.objects.filter(pk__in=wanted[:MAX_SAMPLE_MESSAGES], conversation__isnull=False)
        .only("pk", "conversation_id", "channel", "text", "language", "sent_at")
        .order_by("sent_at", "pk")
    )


# --- deciding ---------------------------------------------------------------------------


@require_POST
@role_required(Role.SUPERVISOR)
def suggestion_declare(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    return decide(request, suggestion_id, SuggestionStatus.DECLARED)


@require_POST
@role_required(Role.SUPERVISOR)
def suggestion_dismiss(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    return decide(request, suggestion_id, SuggestionStatus.DISMISSED)


def decide(request: HttpRequest, suggestion_id: int, status: SuggestionStatus) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    suggestion = get_suggestion_for_agent(agent, suggestion_id)
    if do_decide_suggestion(suggestion, status, Actor.of_agent(agent)) is None:
        flash.error(request, _("This suggestion was already decided; nothing changed."))
    elif status == SuggestionStatus.DECLARED:
        flash.success(
            request,
            _(
                "Declared. Only the decision is recorded: no incident was opened and "
                "the status page is unchanged."
            ),
        )
    else:
        flash.success(request, _("Dismissed."))
    return redirect("radar-suggestion", suggestion_id=suggestion.pk)

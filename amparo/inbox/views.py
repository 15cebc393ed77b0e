"""The agents' console: inbox, conversation, reply, assign, resolve.

The inbox refreshes itself by polling a version (see docs/console.md for why polling
and not server-sent events): the page asks every few seconds for the rows since the
version it shows; an unchanged inbox answers 204 and htmx swaps nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages as flash
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from amparo.assist.canned import canned_context
from amparo.assist.panel import assist_context
from amparo.assist.reply import ReplyRefused, advice
from amparo.core.access import can_assign, forbidden, role_required
from amparo.core.audit import Actor
from amparo.core.models import Agent, Brand, Channel, Role
from amparo.inbox import actions
from amparo.inbox.models import Conversation, ConversationStatus, Message
from amparo.inbox.queries import inbox_version, with_topic
from amparo.sla.engine import timers_for
from amparo.triage.labels import TOPIC_LABELS

PAGE_SIZE = 100
RTL_LANGUAGES = {"he", "ar", "fa", "ur"}


class InboxFilters(forms.Form):
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("Any status")), *ConversationStatus.choices], required=False
    )
    channel = forms.ChoiceField(
        choices=[("", gettext_lazy("Any channel")), *Channel.choices], required=False
    )
    brand = forms.ChoiceField(choices=[], required=False)
    topic = forms.ChoiceField(
        choices=[("", gettext_lazy("Any topic")), *TOPIC_LABELS.items()], required=False
    )
    mine = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("Any brand"))] + [
            (b.slug, b.name) for b in Brand.objects.all()
        ]


def filtered_conversations(agent: Agent, filters: InboxFilters) -> QuerySet[Conversation]:
    last_text = Message.objects.filter(conversation=OuterRef("pk")).order_by("-sent_at", "-pk")
    qs = (
        Conversation.objects.select_related("brand", "customer", "assignee")
        .annotate(last_text=Subquery(last_text.values("text")[:1]), due=F("sla__next_response_due"))
        # The priority queue first (urgent, high: distressed and vulnerable customers),
        # then whoever's reply is due soonest (amparo/sla), then the latest.
        .order_by("-priority", F("due").asc(nulls_last=True), "-last_message_at", "-pk")
    )
    if not filters.is_valid():
        return qs.none()  # an unknown filter value matches nothing, never everything
    data = filters.cleaned_data
    if data.get("status"):
        qs = qs.filter(status=data["status"])
    if data.get("channel"):
        qs = qs.filter(channel=data["channel"])
    if data.get("brand"):
        qs = qs.filter(brand__slug=data["brand"])
    if data.get("topic"):
        qs = with_topic(qs, data["topic"])
    if data.get("mine"):
        qs = qs.filter(assignee=agent)
    return qs


def inbox_context(request: HttpRequest) -> dict[str, Any]:
    filters = InboxFilters(request.GET or {"status": ConversationStatus.OPEN})
    query = request.GET.copy()
    query.pop("since", None)
    return {
        "filters": filters,
        "conversations": filtered_conversations(request.user, filters)[:PAGE_SIZE],  # type: ignore[arg-type]
        "version": inbox_version(),
        "query": query.urlencode() or f"status={ConversationStatus.OPEN}",
        "poll_seconds": settings.INBOX_POLL_SECONDS,
    }


@require_GET
@role_required(Role.AGENT)
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "inbox/inbox.html", inbox_context(request))


@require_GET
@role_required(Role.AGENT)
def inbox_rows(request: HttpRequest) -> HttpResponse:
    if request.GET.get("since") == inbox_version():
        return HttpResponse(status=204)
    return render(request, "inbox/_rows.html", inbox_context(request))


def get_conversation_for_agent(agent: Agent, conversation_id: int) -> Conversation:
    """Every active agent sees every conversation (teams come later); missing is 404."""
    conversation = (
        Conversation.objects.select_related("brand", "customer", "assignee")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None or not agent.is_active:
        raise Http404
    return conversation


class ReplyForm(forms.Form):
    text = forms.CharField(max_length=4096, widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    # Filled only to send a reply the guard warned about (audited).
    override_reason = forms.CharField(max_length=500, required=False)
    # The warnings the guard's panel showed, which a reason to send anyway covers.
    acknowledged = forms.CharField(max_length=500, required=False)


class TopicsForm(forms.Form):
    topics = forms.MultipleChoiceField(choices=list(TOPIC_LABELS.items()), required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(queryset=Agent.objects.filter(is_active=True), required=False)


def conversation_context(request: HttpRequest, conversation: Conversation) -> dict[str, Any]:
    thread = conversation.messages.select_related("author").order_by("sent_at", "pk")
    history = (
        Conversation.objects.filter(customer=conversation.customer)
        .exclude(pk=conversation.pk)
        .select_related("brand")
        .annotate(
            last_text=Subquery(
                Message.objects.filter(conversation=OuterRef("pk"))
                .order_by("-sent_at", "-pk")
                .values("text")[:1]
            )
        )
        .order_by("-last_message_at")[:20]
    )
    agent: Agent = request.user  # type: ignore[assignment]
    return {
        "conversation": conversation,
        "thread": thread,
        "history": history,
        "identities": conversation.customer.identities.all(),
        "reply_form": ReplyForm(),
        "assign_form": AssignForm(initial={"assignee": conversation.assignee}),
        "agents": Agent.objects.filter(is_active=True)
        if agent.has_role(Role.SUPERVISOR)
        else [agent],
        "version": conversation_version(conversation),
        # The thread and the reply box follow the customer's language: a Hebrew
        # conversation is laid out right-to-left whatever the console's language.
        "direction": "rtl" if conversation.language in RTL_LANGUAGES else "ltr",
        "poll_seconds": settings.INBOX_POLL_SECONDS,
        "statuses": ConversationStatus,
        "topic_labels": TOPIC_LABELS,
        # vulnerability record, suggestion to record one, signposts (amparo/assist)
        **assist_context(conversation, agent),
        **canned_context(conversation, agent, request.GET.get("canned", "")),  # amparo/assist
        "sla_timers": timers_for(conversation),
    }


def conversation_version(conversation: Conversation) -> str:
    return f"{conversation.updated_at.timestamp():.6f}"


@require_GET
@role_required(Role.AGENT)
def conversation_detail(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = get_conversation_for_agent(request.user, conversation_id)  # type: ignore[arg-type]
    return render(request, "inbox/conversation.html", conversation_context(request, conversation))


@require_GET
@role_required(Role.AGENT)
def conversation_thread(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = get_conversation_for_agent(request.user, conversation_id)  # type: ignore[arg-type]
    if request.GET.get("since") == conversation_version(conversation):
        return HttpResponse(status=204)
    return render(request, "inbox/_thread.html", conversation_context(request, conversation))


@require_POST
@role_required(Role.AGENT)
def conversation_reply(request: HttpRequest, conversation_id: int) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    conversation = get_conversation_for_agent(agent, conversation_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        context = conversation_context(request, conversation)
        context["reply_form"] = form
        return render(request, "inbox/conversation.html", context, status=400)
    try:
        actions.do_reply(
            conversation,
            form.cleaned_data["text"],
            Actor.of_agent(agent),
            override_reason=form.cleaned_data["override_reason"],
            acknowledged=form.cleaned_data["acknowledged"].split(),
        )
    except ReplyRefused as refused:
        context = conversation_context(request, conversation)
        context["reply_form"] = form
        context["guard"] = {
            "verdict": refused.result.verdict,
            "overridable": refused.overridable,
            "reasons": " ".join(refused.result.reasons),
            "advice": advice(refused.result, conversation.language or ""),
        }
        return render(request, "inbox/conversation.html", context, status=400)
    flash.success(request, _("Reply queued for sending."))
    return redirect("conversation", conversation_id=conversation.pk)


@require_POST
@role_required(Role.AGENT)
def conversation_assign(request: HttpRequest, conversation_id: int) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    conversation = get_conversation_for_agent(agent, conversation_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Choose an active agent."))
        return redirect("conversation", conversation_id=conversation.pk)
    assignee = form.cleaned_data["assignee"]
    if not can_assign(agent, conversation.assignee, assignee):
        return forbidden(request)
    actions.do_assign(conversation, assignee, Actor.of_agent(agent))
    return redirect("conversation", conversation_id=conversation.pk)


@require_POST
@role_required(Role.AGENT)
def conversation_status(request: HttpRequest, conversation_id: int) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    conversation = get_conversation_for_agent(agent, conversation_id)
    status = request.POST.get("status", "")
    if status not in ConversationStatus.values:
        flash.error(request, _("Unknown status."))
        return redirect("conversation", conversation_id=conversation.pk)
    actions.do_set_status(conversation, status, Actor.of_agent(agent))
    if status == ConversationStatus.RESOLVED:
        flash.success(request, _("Conversation resolved."))
    return redirect("conversation", conversation_id=conversation.pk)


@require_POST
@role_required(Role.AGENT)
def conversation_topics(request: HttpRequest, conversation_id: int) -> HttpResponse:
    agent: Agent = request.user  # type: ignore[assignment]
    conversation = get_conversation_for_agent(agent, conversation_id)
    form = TopicsForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Unknown topic."))
        return redirect("conversation", conversation_id=conversation.pk)
    actions.do_correct_topics(conversation, form.cleaned_data["topics"], Actor.of_agent(agent))
    flash.success(request, _("Topics saved; the correction will teach the model."))
    return redirect("conversation", conversation_id=conversation.pk)

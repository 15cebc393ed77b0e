"""REST API, version 1. Views parse and check access, then call the domain's actions."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import RequestDataTooBig
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict, StrictStr, field_validator

from amparo.api.models import ApiToken, Scope
from amparo.api.tokens import authenticate_token
from amparo.assist.models import RecordStatus
from amparo.assist.register import active_record, open_records, today
from amparo.assist.reply import ReplyRefused, advice
from amparo.core.actions import do_set_component_status
from amparo.core.audit import Actor
from amparo.core.middleware import too_large
from amparo.core.models import Agent, Brand, Channel, Component, ComponentStatus, Customer
from amparo.inbox import actions
from amparo.inbox.models import Conversation, ConversationStatus, Message
from amparo.inbox.queries import with_topic
from amparo.inbox.schemas import InboundMessageIn, clean_text

logger = logging.getLogger(__name__)
MAX_BATCH = 500


class TokenAuth(HttpBearer):
    """Bearer token auth that never logs what it was given (ninja's own logs it in DEBUG)."""

    def __call__(self, request: HttpRequest) -> ApiToken | None:
        value = request.headers.get("Authorization", "")
        scheme, _, raw = value.partition(" ")
        if scheme.lower() != "bearer" or not raw:
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return authenticate_token(token)


api = NinjaAPI(
    title="amparo API",
    version="1",
    description=(
        "amparo's REST API. Authenticate with `Authorization: Bearer amp_...` "
        "(create a token with `amparo token create --name N --scope S`). "
        'Errors are always `{"error": {"code": ..., "message": ...}}`.'
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=TokenAuth(),
)


def error(request: HttpRequest, status: int, code: str, message: str, **extra: Any) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message, **extra}
    return api.create_response(request, {"error": body}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "field": ".".join(
                str(p)
                for p in item.get("loc", ())
                if p not in {"body", "data", "payload", "filters"}
            ),
            "problem": item.get("msg", ""),
        }
        for item in exc.errors
    ]
    first = details[0] if details else {"field": "", "problem": "invalid input"}
    message = f"{first['field'] or 'body'}: {first['problem']}"
    return error(request, 422, "invalid", message, details=details[:20])


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = error(request, 401, "unauthorized", "A valid API token is required.")
    response["WWW-Authenticate"] = 'Bearer realm="amparo"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, RequestDataTooBig):
        return too_large()
    if exc.status_code == 400:
        return error(request, 400, "malformed", "The request body is not valid JSON.")
    codes = {403: "forbidden", 404: "not_found", 409: "conflict", 405: "method_not_allowed"}
    return error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error(request, 404, "not_found", "Not found.")


@api.exception_handler(actions.UnknownBrand)
def on_unknown_brand(request: HttpRequest, exc: actions.UnknownBrand) -> HttpResponse:
    return error(request, 422, "unknown_brand", str(exc))


@api.exception_handler(ReplyRefused)
def on_reply_refused(request: HttpRequest, exc: ReplyRefused) -> HttpResponse:
    """422 `reply_blocked` (cannot be sent) or 409 `reply_needs_override` (send again
    with `override_reason`), with the reasons and what to change."""
    language = exc.language
    if exc.overridable:
        return error(
            request,
            409,
            "reply_needs_override",
            "The reply guard warned about this reply; send it again with override_reason "
            "and acknowledged_reasons (these reasons) to send it as it is.",
            reasons=exc.result.reasons,
            advice=advice(exc.result, language),
        )
    return error(
        request,
        422,
        "reply_blocked",
        "The reply guard blocked this reply; it cannot be sent.",
        reasons=exc.result.reasons,
        advice=advice(exc.result, language),
    )


@api.exception_handler(Exception)
def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return error(request, 500, "internal", "Internal error; it has been logged.")


def require(request: HttpRequest, scope: Scope) -> Actor:
    token: ApiToken = request.auth  # type: ignore[attr-defined]
    if scope not in token.scopes:
        raise HttpError(403, f"This token lacks the scope {scope.value!r}.")
    return Actor(label=f"token:{token.name}")


# --- schemas ------------------------------------------------------------------------


class Out(Schema):
    pass


class AcceptedOut(Out):
    id: int
    channel: str
    channel_message_id: str
    state: str
    duplicate: bool


class MessageOut(Out):
    id: int
    channel: str
    channel_message_id: str
    direction: str
    state: str
    brand: str
    conversation_id: int | None
    customer_id: int | None
    text: str
    attachments: list[dict[str, Any]]
    language: str
    thread_id: str
    public: bool
    sent_at: datetime
    received_at: datetime
    processed_at: datetime | None
    author: str | None
    error: str

    @staticmethod
    def of(message: Message) -> dict[str, Any]:
        return {
            "id": message.pk,
            "channel": message.channel,
            "channel_message_id": message.channel_message_id,
            "direction": message.direction,
            "state": message.state,
            "brand": message.brand.slug,
            "conversation_id": message.conversation_id,
            "customer_id": message.customer_id,
            "text": message.text,
            "attachments": message.attachments,
            "language": message.language,
            "thread_id": message.thread_id,
            "public": message.public,
            "sent_at": message.sent_at,
            "received_at": message.received_at,
            "processed_at": message.processed_at,
            "author": message.author.email if message.author else None,
            "error": message.error,
        }


class ConversationOut(Out):
    id: int
    brand: str
    customer_id: int
    customer_name: str
    channel: str
    thread_id: str
    public: bool
    status: str
    priority: int
    assignee: str | None
    language: str
    topics: list[Any]
    tags: list[str]
    created_at: datetime
    updated_at: datetime
    last_message_at: datetime
    resolved_at: datetime | None

    @staticmethod
    def of(conversation: Conversation) -> dict[str, Any]:
        return {
            "id": conversation.pk,
            "brand": conversation.brand.slug,
            "customer_id": conversation.customer_id,
            "customer_name": conversation.customer.display_name,
            "channel": conversation.channel,
            "thread_id": conversation.thread_id,
            "public": conversation.public,
            "status": conversation.status,
            "priority": conversation.priority,
            "assignee": conversation.assignee.email if conversation.assignee else None,
            "language": conversation.language,
            "topics": conversation.topics,
            "tags": conversation.tags,
            "created_at": conversation.created_at,
            "updated_at": conversation.updated_at,
            "last_message_at": conversation.last_message_at,
            "resolved_at": conversation.resolved_at,
        }


class ConversationDetailOut(ConversationOut):
    messages: list[MessageOut]


class Page(Out):
    items: list[Any]
    next_before: int | None = Field(None, description="Pass as `before` for the next page.")


class ConversationPage(Page):
    items: list[ConversationOut]


class MessagePage(Page):
    items: list[MessageOut]


class IdentityOut(Out):
    channel: str
    external_id: str
    display_name: str
    handle: str


class CustomerOut(Out):
    id: int
    display_name: str
    customer_ref: str | None
    phone: str
    email: str
    language: str
    identities: list[IdentityOut]
    conversation_ids: list[int]


class BrandOut(Out):
    id: int
    slug: str
    name: str
    country: str
    default_language: str


class ComponentOut(Out):
    id: int
    brand: str
    slug: str
    name: str
    names: dict[str, str]
    status: str
    updated_at: datetime


class InputSchema(Schema):
    model_config = ConfigDict(extra="forbid")


class ReplyIn(InputSchema):
    text: Annotated[StrictStr, Field(min_length=1, max_length=4096)]
    override_reason: Annotated[StrictStr, Field(max_length=500)] = Field(
        "",
        description="Why a reply the guard warned about should be sent anyway (audited). "
        "Blocks cannot be overridden.",
    )
    acknowledged_reasons: Annotated[
        list[Annotated[StrictStr, Field(max_length=40)]], Field(max_length=20)
    ] = Field(
        default_factory=list,
        description="The `reasons` of the 409 answer that `override_reason` answers. A "
        "warning not in this list (the text was changed since) is answered with 409 again.",
    )

    @field_validator("text")
    @classmethod
    def _visible_text(cls, value: str) -> str:
        cleaned = clean_text(value).strip()
        if not cleaned:
            raise ValueError("a reply needs visible text")
        return cleaned


class AssignIn(InputSchema):
    assignee: Annotated[StrictStr, Field(max_length=254)] | None = Field(
        None, description="The agent's email; null to unassign."
    )


class StatusIn(InputSchema):
    status: Literal["open", "pending", "resolved"]


class ComponentStatusIn(InputSchema):
    status: Literal[tuple(ComponentStatus.values)]  # type: ignore[valid-type]


class ConversationFilters(Schema):
    status: Literal["open", "pending", "resolved"] | None = None
    channel: Literal[tuple(Channel.values)] | None = None  # type: ignore[valid-type]
    brand: str | None = Field(None, max_length=60)
    topic: str | None = Field(None, max_length=60)
    assignee: str | None = Field(None, max_length=254, description="Agent email, or `none`.")
    customer_id: int | None = None
    language: str | None = Field(None, max_length=8)
    before: int | None = Field(None, description="Only conversations with a smaller id.")
    limit: int = Field(50, ge=1, le=200)


# --- messages -----------------------------------------------------------------------


@api.post(
    "/messages",
    response={202: AcceptedOut, 200: AcceptedOut},
    tags=["messages"],
    summary="Submit one normalized inbound message",
    description=(
        "Answers 202 once the message is committed (durable) and its processing is "
        "queued; the same `channel` + `channel_message_id` again answers 200 with the "
        "stored message and stores nothing."
    ),
)
def post_message(request: HttpRequest, payload: InboundMessageIn) -> tuple[int, dict[str, Any]]:
    require(request, Scope.MESSAGES_WRITE)
    accepted = actions.do_accept_inbound(payload)
    message = accepted.message
    body = {
        "id": message.pk,
        "channel": message.channel,
        "channel_message_id": message.channel_message_id,
        "state": message.state,
        "duplicate": not accepted.created,
    }
    return (202 if accepted.created else 200), body


class BatchIn(InputSchema):
    messages: Annotated[list[InboundMessageIn], Field(min_length=1, max_length=MAX_BATCH)]


class BatchItemOut(Out):
    id: int
    channel: str
    channel_message_id: str
    duplicate: bool


class BatchOut(Out):
    created: int
    duplicates: int
    items: list[BatchItemOut]


@api.post(
    "/messages/batch",
    response={202: BatchOut},
    tags=["messages"],
    summary=f"Submit up to {MAX_BATCH} normalized inbound messages at once",
    description=(
        "All or nothing: if any message is invalid (422, `details` name its index) or "
        "names an unknown brand, nothing is stored. Otherwise every new message is "
        "committed with its processing before the 202; messages already stored, or "
        "repeated in the batch, come back with `duplicate: true`."
    ),
)
def post_messages_batch(request: HttpRequest, payload: BatchIn) -> tuple[int, dict[str, Any]]:
    require(request, Scope.MESSAGES_WRITE)
    result = actions.do_accept_inbound_batch(payload.messages)
    stored = actions.ids_by_key([m.key for m in payload.messages])
    duplicates = set(result.duplicate_indexes)
    items = [
        {
            "id": stored[m.key],
            "channel": m.channel,
            "channel_message_id": m.channel_message_id,
            "duplicate": index in duplicates,
        }
        for index, m in enumerate(payload.messages)
    ]
    return 202, {"created": result.created, "duplicates": result.duplicates, "items": items}


@api.get("/messages/{message_id}", response=MessageOut, tags=["messages"])
def get_message(request: HttpRequest, message_id: int) -> dict[str, Any]:
    require(request, Scope.CONVERSATIONS_READ)
    message = Message.objects.select_related("brand", "author").filter(pk=message_id).first()
    if message is None:
        raise Http404
    return MessageOut.of(message)


# --- conversations ------------------------------------------------------------------


def conversations(filters: ConversationFilters) -> QuerySet[Conversation]:
    qs = Conversation.objects.select_related("brand", "customer", "assignee").order_by("-pk")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.brand:
        qs = qs.filter(brand__slug=filters.brand)
    if filters.topic:
        qs = with_topic(qs, filters.topic)
    if filters.assignee:
        qs = (
            qs.filter(assignee__isnull=True)
            if filters.assignee == "none"
            else qs.filter(assignee__email=filters.assignee.lower())
        )
    if filters.customer_id:
        qs = qs.filter(customer_id=filters.customer_id)
    if filters.language:
        qs = qs.filter(language=filters.language)
    if filters.before:
        qs = qs.filter(pk__lt=filters.before)
    return qs


@api.get("/conversations", response=ConversationPage, tags=["conversations"])
def list_conversations(request: HttpRequest, filters: Query[ConversationFilters]) -> dict[str, Any]:
    require(request, Scope.CONVERSATIONS_READ)
    rows = list(conversations(filters)[: filters.limit + 1])
    more = len(rows) > filters.limit
    rows = rows[: filters.limit]
    return {
        "items": [ConversationOut.of(c) for c in rows],
        "next_before": rows[-1].pk if more else None,
    }


def get_conversation_or_404(conversation_id: int) -> Conversation:
    conversation = (
        Conversation.objects.select_related("brand", "customer", "assignee")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise Http404
    return conversation


@api.get("/conversations/{conversation_id}", response=ConversationDetailOut, tags=["conversations"])
def get_conversation(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    require(request, Scope.CONVERSATIONS_READ)
    conversation = get_conversation_or_404(conversation_id)
    messages = conversation.messages.select_related("brand", "author").order_by("sent_at", "pk")[
        :500
    ]
    return {**ConversationOut.of(conversation), "messages": [MessageOut.of(m) for m in messages]}


@api.get("/conversations/{conversation_id}/messages", response=MessagePage, tags=["conversations"])
def list_conversation_messages(
    request: HttpRequest,
    conversation_id: int,
    before: int | None = None,
    limit: Annotated[int, Field(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    require(request, Scope.CONVERSATIONS_READ)
    conversation = get_conversation_or_404(conversation_id)
    qs = conversation.messages.select_related("brand", "author").order_by("-pk")
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [MessageOut.of(m) for m in rows], "next_before": rows[-1].pk if more else None}


@api.post(
    "/conversations/{conversation_id}/reply",
    response={202: MessageOut},
    tags=["conversations"],
    summary="Queue a reply to the customer on the conversation's channel",
)
def reply(
    request: HttpRequest, conversation_id: int, payload: ReplyIn
) -> tuple[int, dict[str, Any]]:
    actor = require(request, Scope.CONVERSATIONS_WRITE)
    conversation = get_conversation_or_404(conversation_id)
    message = actions.do_reply(
        conversation,
        payload.text,
        actor,
        override_reason=payload.override_reason,
        acknowledged=payload.acknowledged_reasons,
    )
    message.brand = conversation.brand
    return 202, MessageOut.of(message)


@api.post(
    "/conversations/{conversation_id}/assign", response=ConversationOut, tags=["conversations"]
)
def assign(request: HttpRequest, conversation_id: int, payload: AssignIn) -> dict[str, Any]:
    actor = require(request, Scope.CONVERSATIONS_WRITE)
    conversation = get_conversation_or_404(conversation_id)
    assignee = None
    if payload.assignee:
        assignee = Agent.objects.filter(email=payload.assignee.lower(), is_active=True).first()
        if assignee is None:
            raise HttpError(404, "There is no active agent with that email.")
    updated = actions.do_assign(conversation, assignee, actor)
    return ConversationOut.of(get_conversation_or_404(updated.pk))


@api.post(
    "/conversations/{conversation_id}/resolve", response=ConversationOut, tags=["conversations"]
)
def resolve(request: HttpRequest, conversation_id: int) -> dict[str, Any]:
    actor = require(request, Scope.CONVERSATIONS_WRITE)
    conversation = get_conversation_or_404(conversation_id)
    actions.do_set_status(conversation, ConversationStatus.RESOLVED, actor)
    return ConversationOut.of(get_conversation_or_404(conversation.pk))


@api.post(
    "/conversations/{conversation_id}/status", response=ConversationOut, tags=["conversations"]
)
def set_status(request: HttpRequest, conversation_id: int, payload: StatusIn) -> dict[str, Any]:
    actor = require(request, Scope.CONVERSATIONS_WRITE)
    conversation = get_conversation_or_404(conversation_id)
    actions.do_set_status(conversation, payload.status, actor)
    return ConversationOut.of(get_conversation_or_404(conversation.pk))


# --- customers, brands, components --------------------------------------------------


def customer_out(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.pk,
        "display_name": customer.display_name,
        "customer_ref": customer.customer_ref,
        "phone": customer.phone,
        "email": customer.email,
        "language": customer.language,
        "identities": [
            {
                "channel": i.channel,
                "external_id": i.external_id,
                "display_name": i.display_name,
                "handle": i.handle,
            }
            for i in customer.identities.all()
        ],
        "conversation_ids": [c.pk for c in customer.conversations.all()],
    }


@api.get("/customers", response=list[CustomerOut], tags=["customers"])
def list_customers(
    request: HttpRequest,
    q: Annotated[str, Field(max_length=120)] = "",
    limit: Annotated[int, Field(ge=1, le=200)] = 50,
) -> list[dict[str, Any]]:
    require(request, Scope.CONVERSATIONS_READ)
    qs = Customer.objects.prefetch_related("identities", "conversations").order_by("-pk")
    if q:
        qs = qs.filter(
            Q(display_name__icontains=q)
            | Q(customer_ref=q)
            | Q(phone=q)
            | Q(email=q.lower())
            | Q(identities__handle__iexact=q)
            | Q(identities__external_id=q)
        ).distinct()
    return [customer_out(c) for c in qs[:limit]]


@api.get("/customers/{customer_id}", response=CustomerOut, tags=["customers"])
def get_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    require(request, Scope.CONVERSATIONS_READ)
    customer = (
        Customer.objects.prefetch_related("identities", "conversations")
        .filter(pk=customer_id)
        .first()
    )
    if customer is None:
        raise Http404
    return customer_out(customer)


class VulnerabilityOut(Out):
    customer: int
    active: bool = Field(description="A record is in force today and asks for care.")
    pause_collections: bool = Field(description="Do not contact for collections.")
    priority_routing: bool = Field(description="Route the customer to the priority queue.")
    extra_care: bool = Field(description="Adjust how we talk to the customer.")
    review_at: date | None = Field(
        description="The day the record in force is next reviewed (it asks for care up to "
        "and including that day); null when no record is in force."
    )
    status: Literal["active", "expired", "none"] = Field(
        description="`active`: a record is in force. `expired`: the customer's record is past "
        "its review date and asks for nothing until it is reviewed. `none`: no record "
        "(never recorded, or withdrawn)."
    )


def vulnerability_out(customer: Customer, brand: Brand | None) -> dict[str, Any]:
    """The customer's record in force today as `brand` reads it (any brand when None):
    its effects, never its contents."""
    on = today()
    found = active_record(customer, brand, on)
    if found is not None:
        status = RecordStatus.ACTIVE.value
    else:
        # Not in force: an open record of the brand can only be past its review date.
        lapsed = open_records(customer)
        if brand is not None:
            lapsed = lapsed.filter(Q(brand__isnull=True) | Q(brand=brand))
        expired = any(r.status_on(on) == RecordStatus.EXPIRED for r in lapsed)
        status = RecordStatus.EXPIRED.value if expired else "none"
    return {
        "customer": customer.pk,
        "active": found is not None,
        "pause_collections": found is not None and found.pause_collections,
        "priority_routing": found is not None and found.priority_routing,
        "extra_care": found is not None and found.extra_care,
        "review_at": found.review_at if found is not None else None,
        "status": status,
    }


@api.get(
    "/customers/{customer_id}/vulnerability",
    response=VulnerabilityOut,
    tags=["customers"],
    summary="Whether the customer's vulnerability record asks for care today (flags only)",
)
def get_customer_vulnerability(
    request: HttpRequest,
    customer_id: int,
    brand: Annotated[str, Field(max_length=60)] = "",
) -> dict[str, Any]:
    """What the vulnerability register asks of systems that contact the customer, such as
    collections dialers: whether a record is in force today and its effects
    (`pause_collections`, `priority_routing`, `extra_care`) with its review date.

    Flags only. The record's `details` (the customer's own words about their health or a
    bereavement), its `needs` and its `drivers` are special-category data (UK GDPR article
    9), shown only to agents by role in the console (`amparo.assist.access`); this endpoint
    never returns them, nor who recorded them or when.

    A record in force is active and before or on its review date: past it the record reads
    as `expired` and asks for nothing; a withdrawn record asks for nothing and reads as
    `none`. A customer has at most one record that is not withdrawn; it may be limited to
    one brand of the group, or cover all of them. With `brand` (a slug), the answer is the
    one the register gives that brand: a record for that brand or for every brand counts,
    a record limited to another brand does not. Without `brand`, the customer's record
    counts whichever brand it is limited to (the cautious answer).
    """
    require(request, Scope.VULNERABILITY_READ)
    customer = Customer.objects.filter(pk=customer_id).first()
    if customer is None:
        raise Http404
    return vulnerability_out(customer, actions.brand_by_slug(brand) if brand else None)


@api.get("/brands", response=list[BrandOut], tags=["brands"])
def list_brands(request: HttpRequest) -> list[Brand]:
    require(request, Scope.CONVERSATIONS_READ)
    return list(Brand.objects.all())


def component_out(component: Component) -> dict[str, Any]:
    return {
        "id": component.pk,
        "brand": component.brand.slug,
        "slug": component.slug,
        "name": component.name,
        "names": component.names,
        "status": component.status,
        "updated_at": component.updated_at,
    }


@api.get("/components", response=list[ComponentOut], tags=["components"])
def list_components(
    request: HttpRequest, brand: Annotated[str, Field(max_length=60)] = ""
) -> list[dict[str, Any]]:
    require(request, Scope.CONVERSATIONS_READ)
    qs = Component.objects.select_related("brand")
    if brand:
        qs = qs.filter(brand__slug=brand)
    return [component_out(c) for c in qs]


@api.post("/components/{component_id}/status", response=ComponentOut, tags=["components"])
def set_component_status(
    request: HttpRequest, component_id: int, payload: ComponentStatusIn
) -> dict[str, Any]:
    actor = require(request, Scope.COMPONENTS_WRITE)
    component = Component.objects.select_related("brand").filter(pk=component_id).first()
    if component is None:
        raise Http404
    return component_out(do_set_component_status(component, payload.status, actor))


# --- outage radar -------------------------------------------------------------------

MAX_SIGNAL_POINTS = 1440


class SignalPointIn(InputSchema):
    at: datetime = Field(description="The minute counted (seconds are dropped); with offset.")
    count: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]


class SignalsIn(InputSchema):
    brand: Annotated[StrictStr, Field(min_length=1, max_length=60)]
    signal: Annotated[
        StrictStr, Field(pattern=r"^[a-z0-9][a-z0-9_.-]{0,59}$", description="e.g. failed_logins")
    ]
    component: Annotated[StrictStr, Field(max_length=60)] | None = Field(
        None, description="The component the signal belongs to (its slug), if any."
    )
    points: Annotated[list[SignalPointIn], Field(min_length=1, max_length=MAX_SIGNAL_POINTS)]


class SignalsOut(Schema):
    stored: int
    late: int


@api.post(
    "/radar/signals",
    response={202: SignalsOut},
    tags=["radar"],
    summary="Push an external signal's counts per minute",
    description=(
        "Call-centre volume, failed logins, gateway errors, probe failures: counts per "
        "minute join the radar's series for the brand (and component). A minute sent again "
        "replaces its count (retries are safe); two points for one minute in one request "
        "are refused. `late` counts points for minutes the radar has already evaluated: "
        "they are stored for the charts, but the detector has moved on."
    ),
)
def post_signals(request: HttpRequest, payload: SignalsIn) -> tuple[int, dict[str, Any]]:
    from django.db import transaction
    from django.utils import timezone

    from amparo.radar.counting import set_counts, unix_minute
    from amparo.radar.models import RadarSeries

    require(request, Scope.SIGNALS_WRITE)
    brand = actions.brand_by_slug(payload.brand)
    component = None
    if payload.component is not None:
        component = Component.objects.filter(brand=brand, slug=payload.component).first()
        if component is None:
            raise HttpError(422, f"Brand {brand.slug!r} has no component {payload.component!r}.")
    minutes = [unix_minute(point.at) for point in payload.points]
    if any(point.at.tzinfo is None for point in payload.points):
        raise HttpError(422, "Every `at` needs a UTC offset (for example 2026-11-25T10:00:00Z).")
    if len(set(minutes)) != len(minutes):
        raise HttpError(422, "Two points name the same minute.")
    if max(minutes) > unix_minute(timezone.now()) + 5:
        raise HttpError(422, "Points more than 5 minutes in the future are refused.")
    key = f"signal:{payload.signal}"
    with transaction.atomic():
        series, _ = RadarSeries.objects.get_or_create(
            brand=brand,
            key=key,
            channel="signal",
            defaults={"component": component, "last_minute": min(minutes) - 1},
        )
        if component is not None and series.component_id != component.pk:
            series.component = component
            series.save(update_fields=["component"])
        set_counts(
            [
                (brand.pk, key, "signal", minute, point.count)
                for minute, point in zip(minutes, payload.points, strict=True)
            ]
        )
    late = sum(1 for minute in minutes if minute <= series.last_minute)
    return 202, {"stored": len(minutes), "late": late}


class SuggestionOut(Schema):
    id: int
    brand: str
    key: str
    topics: list[str]
    channels: list[str]
    components: list[str]
    detected_at: datetime
    started_at: datetime
    score: float
    status: str
    terms: list[tuple[str, int]]


@api.get("/radar/suggestions", response=list[SuggestionOut], tags=["radar"])
def list_suggestions(
    request: HttpRequest, status: Literal["open", "declared", "dismissed"] | None = None
) -> list[dict[str, Any]]:
    from amparo.radar.models import SuggestedIncident

    require(request, Scope.CONVERSATIONS_READ)
    rows = SuggestedIncident.objects.select_related("brand").prefetch_related("components")
    if status:
        rows = rows.filter(status=status)
    return [
        {
            "id": s.pk,
            "brand": s.brand.slug,
            "key": s.key,
            "topics": s.topics,
            "channels": s.channels,
            "components": [c.slug for c in s.components.all()],
            "detected_at": s.detected_at,
            "started_at": s.started_at,
            "score": s.score,
            "status": s.status,
            "terms": [tuple(t) for t in s.evidence.get("terms", [])],
        }
        for s in rows[:200]
    ]

"""Reading and acting on conversations, customers, brands and components over the API."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from amparo.core.models import Agent, AuditEvent, Brand, Component, Customer
from amparo.inbox import actions
from amparo.inbox.models import Conversation, Message

Receive = Callable[..., Message]


def post(client: Client, url: str, body: Any = None) -> Any:
    if body is None:
        return client.post(url)
    return client.post(url, data=json.dumps(body), content_type="application/json")


def client_with(
    make_token: Callable[..., str], scopes: list[str], name: str | None = None
) -> Client:
    return Client(headers={"Authorization": f"Bearer {make_token(scopes, name=name)}"})


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def sender(external_id: str, **extra: str) -> dict[str, str]:
    return {"from": {"external_id": external_id, **extra}}


def assert_error(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str)


@pytest.fixture
def conversation(brand: Brand, receive: Receive) -> Conversation:
    message = receive(**sender("+5215550100002", display_name="Lupita"))
    return Conversation.objects.get(pk=message.conversation_id)


# --- listing and filtering ------------------------------------------------------------


def test_it_lists_conversations_newest_first(api: Client, brand: Brand, receive: Receive) -> None:
    first = receive(**sender("+5215550100002")).conversation_id
    second = receive(**sender("+5215550100003")).conversation_id

    assert ids(api.get("/api/v1/conversations")) == [second, first]


def test_it_filters_conversations_by_status(api: Client, brand: Brand, receive: Receive) -> None:
    open_one = receive(**sender("+5215550100002")).conversation_id
    resolved_one = receive(**sender("+5215550100003")).conversation_id
    Conversation.objects.filter(pk=resolved_one).update(status="resolved")

    assert ids(api.get("/api/v1/conversations", {"status": "open"})) == [open_one]
    assert ids(api.get("/api/v1/conversations", {"status": "resolved"})) == [resolved_one]
    assert ids(api.get("/api/v1/conversations", {"status": "pending"})) == []


def test_it_filters_conversations_by_channel(api: Client, brand: Brand, receive: Receive) -> None:
    on_whatsapp = receive(**sender("+5215550100002")).conversation_id
    by_email = receive(channel="email", **sender("lupita@example.com")).conversation_id

    assert ids(api.get("/api/v1/conversations", {"channel": "email"})) == [by_email]
    assert ids(api.get("/api/v1/conversations", {"channel": "whatsapp"})) == [on_whatsapp]


def test_it_refuses_an_unknown_channel_filter(api: Client, brand: Brand) -> None:
    assert_error(api.get("/api/v1/conversations", {"channel": "fax"}), 422, "invalid")


def test_it_filters_conversations_by_brand(
    api: Client, brand: Brand, make_brand: Callable[..., Brand], receive: Receive
) -> None:
    make_brand(slug="banco-altamar", name="Banco Altamar")
    store = receive(**sender("+5215550100002")).conversation_id
    bank = receive(brand="banco-altamar", **sender("+5215550100002")).conversation_id

    assert ids(api.get("/api/v1/conversations", {"brand": "banco-altamar"})) == [bank]
    assert ids(api.get("/api/v1/conversations", {"brand": "altamar-tiendas"})) == [store]
    assert ids(api.get("/api/v1/conversations", {"brand": "nobody"})) == []


def test_it_filters_conversations_by_language(api: Client, brand: Brand, receive: Receive) -> None:
    spanish = receive(
        text="hola, no puedo pagar mi abono desde la aplicación, me marca error",
        **sender("+5215550100002"),
    ).conversation_id
    english = receive(
        text="hello, I cannot pay my installment from the app, it shows an error",
        **sender("+5215550100003"),
    ).conversation_id

    assert ids(api.get("/api/v1/conversations", {"language": "en"})) == [english]
    assert ids(api.get("/api/v1/conversations", {"language": "es"})) == [spanish]


def test_it_filters_conversations_by_assignee(
    api: Client, brand: Brand, receive: Receive, alice: Agent
) -> None:
    assigned = receive(**sender("+5215550100002")).conversation_id
    unassigned = receive(**sender("+5215550100003")).conversation_id
    Conversation.objects.filter(pk=assigned).update(assignee=alice)

    assert ids(api.get("/api/v1/conversations", {"assignee": "none"})) == [unassigned]
    assert ids(api.get("/api/v1/conversations", {"assignee": "alice@altamar.example"})) == [
        assigned
    ]
    assert ids(api.get("/api/v1/conversations", {"assignee": "ALICE@altamar.example"})) == [
        assigned
    ]
    assert ids(api.get("/api/v1/conversations", {"assignee": "bob@altamar.example"})) == []


def test_it_filters_conversations_by_customer(api: Client, brand: Brand, receive: Receive) -> None:
    mine = receive(**sender("+5215550100002"))
    receive(**sender("+5215550100003"))

    found = ids(api.get("/api/v1/conversations", {"customer_id": mine.customer_id}))

    assert found == [mine.conversation_id]


def test_it_pages_through_conversations_with_next_before(
    api: Client, brand: Brand, receive: Receive
) -> None:
    created = [receive(**sender(f"+52155501000{n:02d}")).conversation_id for n in (2, 3, 4, 5, 6)]
    newest_first = sorted(created, reverse=True)

    page1 = api.get("/api/v1/conversations", {"limit": 2}).json()
    page2 = api.get("/api/v1/conversations", {"limit": 2, "before": page1["next_before"]}).json()
    page3 = api.get("/api/v1/conversations", {"limit": 2, "before": page2["next_before"]}).json()

    assert [c["id"] for c in page1["items"]] == newest_first[:2]
    assert page1["next_before"] == newest_first[1]
    assert [c["id"] for c in page2["items"]] == newest_first[2:4]
    assert [c["id"] for c in page3["items"]] == newest_first[4:]
    assert page3["next_before"] is None


def test_the_last_full_page_has_no_next_before(api: Client, brand: Brand, receive: Receive) -> None:
    receive(**sender("+5215550100002"))
    receive(**sender("+5215550100003"))

    page = api.get("/api/v1/conversations", {"limit": 2}).json()

    assert len(page["items"]) == 2
    assert page["next_before"] is None


@pytest.mark.parametrize("limit", [0, -1, 201, 1000])
def test_it_refuses_a_limit_out_of_range(api: Client, brand: Brand, limit: int) -> None:
    assert_error(api.get("/api/v1/conversations", {"limit": limit}), 422, "invalid")
    assert_error(api.get("/api/v1/customers", {"limit": limit}), 422, "invalid")


def test_it_pages_through_a_conversations_messages_newest_first(
    api: Client, brand: Brand, receive: Receive
) -> None:
    received = [receive(text=f"mensaje {n}", **sender("+5215550100002")) for n in range(3)]
    conversation_id = received[0].conversation_id
    url = f"/api/v1/conversations/{conversation_id}/messages"

    page1 = api.get(url, {"limit": 2}).json()
    page2 = api.get(url, {"limit": 2, "before": page1["next_before"]}).json()

    assert [m["id"] for m in page1["items"]] == [received[2].pk, received[1].pk]
    assert [m["id"] for m in page2["items"]] == [received[0].pk]
    assert page2["next_before"] is None
    assert_error(api.get(url, {"limit": 0}), 422, "invalid")
    assert_error(api.get(url, {"limit": 501}), 422, "invalid")


# --- one conversation -------------------------------------------------------------------


def test_it_gets_a_conversation_with_its_messages(
    api: Client, brand: Brand, receive: Receive
) -> None:
    first = receive(
        text="hola, buenas tardes", sent_at="2024-05-01T10:00:00Z", **sender("+5215550100002")
    )
    second = receive(
        text="sigo sin poder pagar", sent_at="2024-05-01T10:05:00Z", **sender("+5215550100002")
    )
    assert first.conversation_id == second.conversation_id

    response = api.get(f"/api/v1/conversations/{first.conversation_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == first.conversation_id
    assert body["brand"] == "altamar-tiendas"
    assert body["channel"] == "whatsapp"
    assert body["status"] == "open"
    assert body["customer_id"] == first.customer_id
    assert [m["id"] for m in body["messages"]] == [first.pk, second.pk]
    assert [m["text"] for m in body["messages"]] == ["hola, buenas tardes", "sigo sin poder pagar"]
    assert all(m["direction"] == "in" and m["state"] == "processed" for m in body["messages"])


def test_it_gets_one_message(api: Client, brand: Brand, receive: Receive) -> None:
    message = receive(**sender("+5215550100002"))

    body = api.get(f"/api/v1/messages/{message.pk}").json()

    assert body["id"] == message.pk
    assert body["conversation_id"] == message.conversation_id
    assert body["state"] == "processed"


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/conversations/999999", None),
        ("get", "/api/v1/conversations/999999/messages", None),
        ("get", "/api/v1/messages/999999", None),
        ("get", "/api/v1/customers/999999", None),
        ("post", "/api/v1/conversations/999999/reply", {"text": "hola"}),
        ("post", "/api/v1/conversations/999999/assign", {"assignee": None}),
        ("post", "/api/v1/conversations/999999/resolve", None),
        ("post", "/api/v1/conversations/999999/status", {"status": "open"}),
        ("post", "/api/v1/components/999999/status", {"status": "degraded"}),
    ],
)
def test_it_answers_404_json_for_a_missing_id(
    api: Client, brand: Brand, method: str, url: str, body: Any
) -> None:
    response = api.get(url) if method == "get" else post(api, url, body)

    assert_error(response, 404, "not_found")
    assert response["Content-Type"].startswith("application/json")


# BUG (amparo/urls.py + amparo/api/v1.py): a path under /api/v1/ that matches no route
# falls through to Django's HTML 404 page instead of the documented JSON error.
def test_an_unknown_api_path_answers_404_json(api: Client) -> None:
    response = api.get("/api/v1/no-such-endpoint")

    assert response["Content-Type"].startswith("application/json")
    assert_error(response, 404, "not_found")


# --- replying ----------------------------------------------------------------------------


def test_a_reply_is_queued_and_the_conversation_waits_on_the_customer(
    make_token: Callable[..., str], conversation: Conversation
) -> None:
    client = client_with(make_token, ["conversations:read", "conversations:write"], name="crm")

    response = post(
        client, f"/api/v1/conversations/{conversation.pk}/reply", {"text": "Con gusto le ayudo"}
    )

    assert response.status_code == 202
    body = response.json()
    assert body["direction"] == "out"
    assert body["state"] == "queued"
    assert body["conversation_id"] == conversation.pk
    assert body["text"] == "Con gusto le ayudo"
    reply = Message.objects.get(pk=body["id"])
    assert reply.state == "queued"
    assert reply.customer_id == conversation.customer_id
    conversation.refresh_from_db()
    assert conversation.status == "pending"
    event = AuditEvent.objects.get(action="conversation.reply")
    assert event.object_type == "inbox.conversation"
    assert event.object_id == str(conversation.pk)
    assert event.actor_label == "token:crm"
    assert event.after["message"] == reply.pk
    assert event.before["status"] == "open"
    assert event.after["status"] == "pending"


def test_a_reply_redacts_a_card_number(api: Client, conversation: Conversation) -> None:
    response = post(
        api,
        f"/api/v1/conversations/{conversation.pk}/reply",
        {"text": "su tarjeta 4111 1111 1111 1111"},
    )

    assert Message.objects.get(pk=response.json()["id"]).text == "su tarjeta [card]"


@pytest.mark.parametrize("body", [{"text": ""}, {"text": 5}, {}, {"text": "hola", "cc": "x"}])
def test_it_refuses_an_invalid_reply(api: Client, conversation: Conversation, body: Any) -> None:
    response = post(api, f"/api/v1/conversations/{conversation.pk}/reply", body)

    assert_error(response, 422, "invalid")
    assert Message.objects.filter(direction="out").count() == 0


# BUG (amparo/inbox/actions.py do_reply, amparo/api/v1.py ReplyIn): inbound text has NUL
# and control characters stripped (PostgreSQL refuses NUL: schemas.clean_text), but a
# reply's text is stored as given: {"text": "hola\x00 mundo\x1b"} is stored with the NUL
# on SQLite and fails with a 500 on PostgreSQL.
def test_a_reply_never_stores_nul_or_control_characters(
    api: Client, conversation: Conversation
) -> None:
    response = post(
        api, f"/api/v1/conversations/{conversation.pk}/reply", {"text": "hola\x00 mundo\x1b"}
    )

    assert response.status_code in {202, 422}
    for text in Message.objects.filter(direction="out").values_list("text", flat=True):
        assert "\x00" not in text
        assert "\x1b" not in text


# BUG (amparo/api/v1.py ReplyIn): min_length=1 counts spaces, so a reply of only
# whitespace ("   ") is queued and sent to the customer.
def test_a_blank_reply_is_refused(api: Client, conversation: Conversation) -> None:
    response = post(api, f"/api/v1/conversations/{conversation.pk}/reply", {"text": "  \n "})

    assert_error(response, 422, "invalid")
    assert Message.objects.filter(direction="out").count() == 0


def test_a_queued_reply_is_sent_once(api: Client, conversation: Conversation) -> None:
    response = post(api, f"/api/v1/conversations/{conversation.pk}/reply", {"text": "Listo"})
    reply_id = response.json()["id"]
    tasks_before = DBTaskResult.objects.count()

    assert actions.deliver(reply_id) == "sent"
    assert actions.deliver(reply_id) == "skipped"

    reply = Message.objects.get(pk=reply_id)
    assert reply.state == "sent"
    assert reply.processed_at is not None
    assert reply.raw == {"provider_message_id": f"log-{reply_id}"}
    assert DBTaskResult.objects.count() == tasks_before


def test_a_reply_queues_its_delivery_task(api: Client, conversation: Conversation) -> None:
    before = DBTaskResult.objects.count()

    post(api, f"/api/v1/conversations/{conversation.pk}/reply", {"text": "Listo"})

    assert DBTaskResult.objects.count() == before + 1


# --- assigning ---------------------------------------------------------------------------


def test_it_assigns_a_conversation_by_email(
    api: Client, conversation: Conversation, alice: Agent
) -> None:
    response = post(
        api,
        f"/api/v1/conversations/{conversation.pk}/assign",
        {"assignee": "Alice@Altamar.example"},
    )

    assert response.status_code == 200
    assert response.json()["assignee"] == "alice@altamar.example"
    conversation.refresh_from_db()
    assert conversation.assignee_id == alice.pk
    event = AuditEvent.objects.get(action="conversation.assign")
    assert event.object_id == str(conversation.pk)
    assert event.after["assignee"] == alice.pk


def test_it_unassigns_a_conversation_with_null(
    api: Client, conversation: Conversation, alice: Agent
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(assignee=alice)

    response = post(api, f"/api/v1/conversations/{conversation.pk}/assign", {"assignee": None})

    assert response.status_code == 200
    assert response.json()["assignee"] is None
    conversation.refresh_from_db()
    assert conversation.assignee_id is None


@pytest.mark.parametrize("email", ["nobody@altamar.example", "retired@altamar.example"])
def test_it_answers_404_for_an_unknown_or_inactive_assignee(
    api: Client,
    conversation: Conversation,
    alice: Agent,
    make_agent: Callable[..., Agent],
    email: str,
) -> None:
    make_agent(email="retired@altamar.example", is_active=False)
    Conversation.objects.filter(pk=conversation.pk).update(assignee=alice)

    response = post(api, f"/api/v1/conversations/{conversation.pk}/assign", {"assignee": email})

    assert_error(response, 404, "not_found")
    conversation.refresh_from_db()
    assert conversation.assignee_id == alice.pk
    assert not AuditEvent.objects.filter(action="conversation.assign").exists()


# --- status ------------------------------------------------------------------------------


def test_it_resolves_a_conversation(api: Client, conversation: Conversation) -> None:
    response = post(api, f"/api/v1/conversations/{conversation.pk}/resolve")

    assert response.status_code == 200
    assert response.json()["status"] == "resolved"
    assert response.json()["resolved_at"] is not None
    conversation.refresh_from_db()
    assert conversation.status == "resolved"
    assert conversation.resolved_at is not None
    event = AuditEvent.objects.get(action="conversation.resolve")
    assert event.object_id == str(conversation.pk)
    assert event.before["status"] == "open"
    assert event.after["status"] == "resolved"


def test_setting_a_resolved_conversation_open_clears_resolved_at(
    api: Client, conversation: Conversation
) -> None:
    post(api, f"/api/v1/conversations/{conversation.pk}/resolve")

    response = post(api, f"/api/v1/conversations/{conversation.pk}/status", {"status": "open"})

    assert response.status_code == 200
    assert response.json()["status"] == "open"
    assert response.json()["resolved_at"] is None
    assert AuditEvent.objects.filter(action="conversation.status").count() == 1


@pytest.mark.parametrize("status", ["closed", "RESOLVED", "", None, 1])
def test_it_refuses_an_invalid_status(api: Client, conversation: Conversation, status: Any) -> None:
    response = post(api, f"/api/v1/conversations/{conversation.pk}/status", {"status": status})

    assert_error(response, 422, "invalid")
    conversation.refresh_from_db()
    assert conversation.status == "open"


# --- scopes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("reply", {"text": "hola"}),
        ("assign", {"assignee": "alice@altamar.example"}),
        ("resolve", None),
        ("status", {"status": "pending"}),
    ],
)
def test_a_read_only_token_cannot_change_a_conversation(
    make_token: Callable[..., str],
    conversation: Conversation,
    alice: Agent,
    path: str,
    body: Any,
) -> None:
    reader = client_with(make_token, ["conversations:read"])
    events_before = AuditEvent.objects.count()
    tasks_before = DBTaskResult.objects.count()

    response = post(reader, f"/api/v1/conversations/{conversation.pk}/{path}", body)

    assert_error(response, 403, "forbidden")
    assert "conversations:write" in response.json()["error"]["message"]
    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert conversation.assignee_id is None
    assert conversation.resolved_at is None
    assert Message.objects.filter(direction="out").count() == 0
    assert AuditEvent.objects.count() == events_before
    assert DBTaskResult.objects.count() == tasks_before


def test_a_read_only_token_can_read(
    make_token: Callable[..., str], conversation: Conversation
) -> None:
    reader = client_with(make_token, ["conversations:read"])

    assert ids(reader.get("/api/v1/conversations")) == [conversation.pk]
    assert reader.get(f"/api/v1/conversations/{conversation.pk}").status_code == 200


def test_a_write_only_ingest_token_cannot_read(
    make_token: Callable[..., str], conversation: Conversation
) -> None:
    ingest = client_with(make_token, ["messages:write"])

    assert_error(ingest.get("/api/v1/conversations"), 403, "forbidden")
    assert_error(ingest.get(f"/api/v1/conversations/{conversation.pk}"), 403, "forbidden")
    assert_error(ingest.get("/api/v1/customers"), 403, "forbidden")


# --- customers -----------------------------------------------------------------------------


def test_it_lists_and_searches_customers(api: Client, brand: Brand, receive: Receive) -> None:
    lupita = receive(**sender("+5215550100002", display_name="Lupita Hernández")).customer_id
    jorge = receive(
        channel="x", **sender("1234567", display_name="Jorge", handle="jorge_mx")
    ).customer_id
    ana = receive(
        channel="email", **sender("Ana.Lopez@Example.com", display_name="Ana")
    ).customer_id

    def found(q: str) -> list[int]:
        response = api.get("/api/v1/customers", {"q": q})
        assert response.status_code == 200
        return [c["id"] for c in response.json()]

    assert found("") == [ana, jorge, lupita]
    assert found("lupita") == [lupita]
    assert found("+5215550100002") == [lupita]
    assert found("JORGE_MX") == [jorge]
    assert found("1234567") == [jorge]
    assert found("ana.lopez@example.com") == [ana]
    assert found("nadie") == []


def test_it_gets_a_customer_with_identities_and_conversations(
    api: Client, brand: Brand, receive: Receive
) -> None:
    on_whatsapp = receive(**sender("+5215550100002", display_name="Lupita", customer_ref="C-100"))
    on_sms = receive(channel="sms", **sender("+5215550100002"))
    assert on_sms.customer_id == on_whatsapp.customer_id

    response = api.get(f"/api/v1/customers/{on_whatsapp.customer_id}")

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == on_whatsapp.customer_id
    assert body["display_name"] == "Lupita"
    assert body["customer_ref"] == "C-100"
    assert body["phone"] == "+5215550100002"
    assert sorted((i["channel"], i["external_id"]) for i in body["identities"]) == [
        ("sms", "+5215550100002"),
        ("whatsapp", "+5215550100002"),
    ]
    assert sorted(body["conversation_ids"]) == sorted(
        [on_whatsapp.conversation_id, on_sms.conversation_id]
    )
    assert Customer.objects.count() == 1


# --- brands and components ----------------------------------------------------------------


def test_it_lists_brands(api: Client, brand: Brand, make_brand: Callable[..., Brand]) -> None:
    make_brand(slug="banco-altamar", name="Banco Altamar", country="MX", default_language="es")

    response = api.get("/api/v1/brands")

    assert response.status_code == 200
    assert [b["slug"] for b in response.json()] == ["altamar-tiendas", "banco-altamar"]
    assert set(response.json()[0]) == {"id", "slug", "name", "country", "default_language"}


def test_it_lists_components_by_brand(
    api: Client,
    brand: Brand,
    make_brand: Callable[..., Brand],
    make_component: Callable[..., Component],
) -> None:
    bank = make_brand(slug="banco-altamar")
    app = make_component(brand, slug="app", name="App", names={"es": "Aplicación"})
    spei = make_component(bank, slug="spei", name="SPEI")

    everything = api.get("/api/v1/components").json()
    for_store = api.get("/api/v1/components", {"brand": "altamar-tiendas"}).json()

    assert sorted(c["id"] for c in everything) == sorted([app.pk, spei.pk])
    assert [c["id"] for c in for_store] == [app.pk]
    assert for_store[0]["names"] == {"es": "Aplicación"}
    assert for_store[0]["status"] == "operational"


def test_changing_a_component_status_needs_components_write(
    make_token: Callable[..., str], brand: Brand, make_component: Callable[..., Component]
) -> None:
    component = make_component(brand, slug="app")
    without = client_with(make_token, ["conversations:read", "conversations:write"])
    with_scope = client_with(make_token, ["components:write"], name="status-bot")
    url = f"/api/v1/components/{component.pk}/status"

    refused = post(without, url, {"status": "major_outage"})
    component.refresh_from_db()
    assert_error(refused, 403, "forbidden")
    assert component.status == "operational"
    assert not AuditEvent.objects.filter(action="component.status").exists()

    accepted = post(with_scope, url, {"status": "major_outage"})
    component.refresh_from_db()
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "major_outage"
    assert component.status == "major_outage"
    event = AuditEvent.objects.get(action="component.status")
    assert event.object_type == "core.component"
    assert event.object_id == str(component.pk)
    assert event.actor_label == "token:status-bot"
    assert event.before == {"status": "operational"}
    assert event.after == {"status": "major_outage"}


def test_it_refuses_an_unknown_component_status(
    api: Client, brand: Brand, make_component: Callable[..., Component]
) -> None:
    component = make_component(brand)

    response = post(api, f"/api/v1/components/{component.pk}/status", {"status": "on_fire"})

    assert_error(response, 422, "invalid")
    component.refresh_from_db()
    assert component.status == "operational"

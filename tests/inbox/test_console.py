"""The agents' console in the browser's place: login, inbox, conversation, reply, assign, resolve."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amparo.core.models import Agent, AuditEvent, Brand
from amparo.inbox.models import Conversation, Message
from amparo.inbox.queries import inbox_version

Receive = Callable[..., Message]
LoggedIn = Callable[[Agent], Client]

# The password tests/conftest.py gives every agent it makes.
PASSWORD = "correct-horse-battery-staple"
HOSTILE_TEXT = "<script>alert(1)</script> '; DROP TABLE inbox_message; -- \" OR 1=1"
HOSTILE_NAME = "<img src=x onerror=alert(2)>"


def sender(external_id: str, **extra: str) -> dict[str, Any]:
    return {"from": {"external_id": external_id, **extra}}


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def listed(response: Any) -> set[int]:
    """The conversation ids in an inbox page or rows fragment."""
    return {int(pk) for pk in re.findall(r'data-conversation="(\d+)"', html(response))}


def data_version(page: str) -> str:
    match = re.search(r'<div id="inbox-rows"[^>]*\bdata-version="([^"]*)"', page)
    assert match, "the inbox has no #inbox-rows with a data-version"
    return match.group(1)


def conversation_of(message: Message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)


@pytest.fixture
def conversation(brand: Brand, receive: Receive) -> Conversation:
    return conversation_of(receive(**sender("+5215550100002", display_name="Lupita")))


# --- login ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/inbox", "/conversations/1"])
def test_an_anonymous_visitor_is_redirected_to_the_login_page(db: None, path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_logging_in_with_the_right_password_lands_on_the_inbox_in_the_agents_language(
    make_agent: Callable[..., Agent],
) -> None:
    agent = make_agent(email="noa@altamar.example", language="he")
    client = Client()

    response = client.post("/login", {"username": "noa@altamar.example", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/inbox"
    assert client.cookies["amparo_language"].value == "he"
    assert str(agent.pk) == client.session["_auth_user_id"]
    assert '<html lang="he" dir="rtl">' in html(client.get("/inbox"))


def test_logging_in_with_a_wrong_password_shows_an_error_and_opens_no_session(alice: Agent) -> None:
    client = Client()

    response = client.post("/login", {"username": alice.email, "password": "not-the-password!"})

    assert response.status_code == 200
    assert "Wrong email or password." in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/inbox").status_code == 302


# --- the inbox ------------------------------------------------------------------------


@pytest.fixture
def inbox_set(
    brand: Brand, make_brand: Callable[..., Brand], receive: Receive, alice: Agent, bob: Agent
) -> dict[str, int]:
    """One conversation per filter, each from its own customer."""
    other = make_brand(slug="banco-altamar", name="Banco Altamar")
    made = {
        "plain": receive(**sender("+5215550100010")),
        "resolved": receive(**sender("+5215550100011")),
        "sms": receive(channel="sms", **sender("+5215550100012")),
        "other_brand": receive(brand=other.slug, **sender("+5215550100013")),
        "topic": receive(**sender("+5215550100014")),
        "alices": receive(**sender("+5215550100015")),
        "bobs": receive(**sender("+5215550100016")),
    }
    ids = {name: message.conversation_id for name, message in made.items()}
    Conversation.objects.filter(pk=ids["resolved"]).update(status="resolved")
    Conversation.objects.filter(pk=ids["topic"]).update(topics=["app_down"])
    Conversation.objects.filter(pk=ids["alices"]).update(assignee=alice)
    Conversation.objects.filter(pk=ids["bobs"]).update(assignee=bob)
    return ids


def test_the_inbox_lists_open_conversations_by_default(
    logged_in: LoggedIn, alice: Agent, inbox_set: dict[str, int]
) -> None:
    shown = listed(logged_in(alice).get("/inbox"))

    assert shown == {pk for name, pk in inbox_set.items() if name != "resolved"}


def test_the_inbox_filters_by_status(
    logged_in: LoggedIn, alice: Agent, inbox_set: dict[str, int]
) -> None:
    client = logged_in(alice)

    assert listed(client.get("/inbox", {"status": "resolved"})) == {inbox_set["resolved"]}
    assert listed(client.get("/inbox", {"status": "pending"})) == set()


def test_the_inbox_filters_by_channel(
    logged_in: LoggedIn, alice: Agent, inbox_set: dict[str, int]
) -> None:
    assert listed(logged_in(alice).get("/inbox", {"channel": "sms"})) == {inbox_set["sms"]}


def test_the_inbox_filters_by_brand(
    logged_in: LoggedIn, alice: Agent, inbox_set: dict[str, int]
) -> None:
    shown = listed(logged_in(alice).get("/inbox", {"brand": "banco-altamar"}))

    assert shown == {inbox_set["other_brand"]}


def test_the_inbox_filters_by_whole_topic(
    logged_in: LoggedIn, alice: Agent, inbox_set: dict[str, int]
) -> None:
    client = logged_in(alice)

    assert listed(client.get("/inbox", {"topic": "app_down"})) == {inbox_set["topic"]}
    assert listed(client.get("/inbox", {"topic": "app"})) == set()


def test_the_inbox_filters_to_the_agents_own_conversations(
    logged_in: LoggedIn, alice: Agent, inbox_set: dict[str, int]
) -> None:
    assert listed(logged_in(alice).get("/inbox", {"mine": "on"})) == {inbox_set["alices"]}


def test_customer_text_is_rendered_escaped_in_the_inbox_and_the_conversation(
    brand: Brand, receive: Receive, logged_in: LoggedIn, alice: Agent
) -> None:
    message = receive(text=HOSTILE_TEXT, **sender("+5215550100020", display_name=HOSTILE_NAME))
    client = logged_in(alice)

    pages = [
        html(client.get("/inbox")),
        html(client.get(f"/conversations/{message.conversation_id}")),
    ]

    for page in pages:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "&#x27;; DROP TABLE inbox_message; --" in page
        assert "&lt;img src=x onerror=alert(2)&gt;" in page
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
    assert Message.objects.filter(pk=message.pk, text=HOSTILE_TEXT).exists()


def test_the_inbox_rows_answer_204_while_nothing_changed(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent
) -> None:
    client = logged_in(alice)
    version = data_version(html(client.get("/inbox")))

    assert version == inbox_version()
    assert client.get("/inbox/rows", {"status": "open", "since": version}).status_code == 204


def test_the_inbox_rows_answer_with_the_new_row_after_a_new_message(
    conversation: Conversation, receive: Receive, logged_in: LoggedIn, alice: Agent
) -> None:
    client = logged_in(alice)
    version = data_version(html(client.get("/inbox")))

    newcomer = receive(**sender("+5215550100021")).conversation_id
    response = client.get("/inbox/rows", {"status": "open", "since": version})

    assert response.status_code == 200
    assert listed(response) == {conversation.pk, newcomer}
    assert data_version(response.content.decode()) == inbox_version() != version


# --- the conversation -------------------------------------------------------------------


def test_the_conversation_shows_its_thread_and_the_customers_other_channels(
    brand: Brand, receive: Receive, logged_in: LoggedIn, alice: Agent
) -> None:
    on_whatsapp = receive(text="la app no abre", **sender("+5215550100030"))
    by_sms = receive(channel="sms", text="les escribo por sms tambien", **sender("+5215550100030"))
    stranger = receive(**sender("+5215550100031"))
    assert on_whatsapp.customer_id == by_sms.customer_id

    page = html(logged_in(alice).get(f"/conversations/{on_whatsapp.conversation_id}"))

    assert f'data-message="{on_whatsapp.pk}"' in page
    assert "la app no abre" in page
    assert f'href="/conversations/{by_sms.conversation_id}"' in page
    assert "les escribo por sms tambien" in page
    assert f'href="/conversations/{stranger.conversation_id}"' not in page


def test_a_reply_queues_an_outbound_message_by_its_author_and_audits_it(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent
) -> None:
    response = logged_in(alice).post(
        f"/conversations/{conversation.pk}/reply", {"text": "Ya lo revisamos, gracias"}
    )

    assert response.status_code == 302
    reply = Message.objects.get(conversation=conversation, direction="out")
    assert reply.state == "queued"
    assert reply.author == alice
    assert reply.text == "Ya lo revisamos, gracias"
    event = AuditEvent.objects.get(action="conversation.reply")
    assert event.actor == alice
    assert event.object_id == str(conversation.pk)
    assert event.after["message"] == reply.pk


@pytest.mark.parametrize("text", ["", "   \n  "])
def test_an_empty_reply_answers_400_and_creates_nothing(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent, text: str
) -> None:
    response = logged_in(alice).post(f"/conversations/{conversation.pk}/reply", {"text": text})

    assert response.status_code == 400
    assert not Message.objects.filter(direction="out").exists()
    assert not AuditEvent.objects.filter(action="conversation.reply").exists()


@pytest.mark.parametrize("action", ["reply", "assign", "status"])
def test_a_get_on_a_post_only_url_answers_405(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent, action: str
) -> None:
    assert logged_in(alice).get(f"/conversations/{conversation.pk}/{action}").status_code == 405


def test_a_post_without_a_csrf_token_is_refused(conversation: Conversation, alice: Agent) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = f"/conversations/{conversation.pk}/reply"

    refused = client.post(url, {"text": "sin token"})

    assert refused.status_code == 403
    assert not Message.objects.filter(direction="out").exists()
    # The same post with the page's token goes through: the refusal was about CSRF.
    client.get(f"/conversations/{conversation.pk}")
    token = client.cookies["csrftoken"].value
    accepted = client.post(url, {"text": "con token", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert Message.objects.filter(direction="out", text="con token").exists()


# --- assignment -------------------------------------------------------------------------


def assign(client: Client, conversation: Conversation, assignee: Agent | None) -> Any:
    return client.post(
        f"/conversations/{conversation.pk}/assign",
        {"assignee": assignee.pk if assignee else ""},
    )


def test_an_agent_may_assign_a_conversation_to_herself(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent
) -> None:
    assert assign(logged_in(alice), conversation, alice).status_code == 302

    conversation.refresh_from_db()
    assert conversation.assignee == alice
    event = AuditEvent.objects.get(action="conversation.assign")
    assert event.before["assignee"] is None
    assert event.after["assignee"] == alice.pk


def test_an_agent_may_not_assign_a_conversation_to_a_teammate(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent, bob: Agent
) -> None:
    assert assign(logged_in(alice), conversation, bob).status_code == 403

    conversation.refresh_from_db()
    assert conversation.assignee is None
    assert not AuditEvent.objects.filter(action="conversation.assign").exists()


def test_an_agent_may_not_take_a_conversation_assigned_to_a_teammate(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent, bob: Agent
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(assignee=bob)
    client = logged_in(alice)

    assert assign(client, conversation, alice).status_code == 403
    assert assign(client, conversation, None).status_code == 403

    conversation.refresh_from_db()
    assert conversation.assignee == bob


def test_a_supervisor_may_assign_anyone(
    conversation: Conversation, logged_in: LoggedIn, sue: Agent, alice: Agent, bob: Agent
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(assignee=bob)
    client = logged_in(sue)

    assert assign(client, conversation, alice).status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee == alice

    assert assign(client, conversation, None).status_code == 302
    conversation.refresh_from_db()
    assert conversation.assignee is None


# --- status -----------------------------------------------------------------------------


def test_resolving_sets_the_status_and_time_and_audits_before_and_after(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent
) -> None:
    response = logged_in(alice).post(
        f"/conversations/{conversation.pk}/status", {"status": "resolved"}
    )

    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "resolved"
    assert conversation.resolved_at is not None
    event = AuditEvent.objects.get(action="conversation.resolve")
    assert event.actor == alice
    assert event.before["status"] == "open"
    assert event.before["resolved_at"] is None
    assert event.after["status"] == "resolved"
    assert event.after["resolved_at"] is not None


@pytest.mark.parametrize("status", ["closed", "", "RESOLVED"])
def test_an_unknown_status_is_refused_without_change(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent, status: str
) -> None:
    logged_in(alice).post(f"/conversations/{conversation.pk}/status", {"status": status})

    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("method", "suffix"), [("get", ""), ("get", "/thread"), ("post", "/reply"), ("post", "/status")]
)
def test_a_missing_conversation_answers_404(
    logged_in: LoggedIn, alice: Agent, method: str, suffix: str
) -> None:
    client = logged_in(alice)

    response = getattr(client, method)(
        f"/conversations/999999{suffix}", {"text": "x", "status": "resolved"}
    )

    assert response.status_code == 404


# --- languages and direction ------------------------------------------------------------


def test_the_hebrew_console_is_laid_out_right_to_left_and_translated(
    logged_in: LoggedIn, alice: Agent
) -> None:
    client = logged_in(alice)
    client.cookies["amparo_language"] = "he"

    page = html(client.get("/inbox"))

    assert '<html lang="he" dir="rtl">' in page
    assert "תיבת דואר נכנס" in page


def test_a_hebrew_conversation_is_right_to_left_even_in_the_spanish_console(
    brand: Brand, receive: Receive, logged_in: LoggedIn, alice: Agent
) -> None:
    message = receive(
        text="האפליקציה לא עובדת מהבוקר, אני לא מצליח לשלם", **sender("+972541234567")
    )
    assert message.language == "he"
    client = logged_in(alice)
    client.cookies["amparo_language"] = "es"

    page = html(client.get(f"/conversations/{message.conversation_id}"))

    assert '<html lang="es" dir="ltr">' in page
    assert re.search(r'<section class="conversation" lang="he" dir="rtl">', page)


def test_a_spanish_conversation_is_left_to_right_even_in_the_hebrew_console(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent
) -> None:
    client = logged_in(alice)
    client.cookies["amparo_language"] = "he"

    page = html(client.get(f"/conversations/{conversation.pk}"))

    assert '<html lang="he" dir="rtl">' in page
    assert '<section class="conversation" lang="es" dir="ltr">' in page


# --- security headers -------------------------------------------------------------------

EXTERNAL_REFERENCE = re.compile(r"""\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def test_console_pages_carry_a_strict_csp_and_load_nothing_from_another_host(
    conversation: Conversation, logged_in: LoggedIn, alice: Agent
) -> None:
    responses = [Client().get("/login")]
    client = logged_in(alice)
    responses += [client.get("/inbox"), client.get(f"/conversations/{conversation.pk}")]

    for response in responses:
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        assert "script-src 'self'" in policy
        page = html(response)
        assert not EXTERNAL_REFERENCE.search(page), EXTERNAL_REFERENCE.search(page)

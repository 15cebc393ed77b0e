"""Canned replies: the library supervisors keep (guarded, audited), and the picker every
agent uses above the reply box (language, brand, topics, placeholders, no JavaScript)."""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amparo.assist.canned import (
    CannedData,
    do_create_canned,
    fill_placeholders,
    seed_entries,
)
from amparo.assist.guard import guard
from amparo.assist.models import CannedReply
from amparo.core.audit import Actor
from amparo.core.models import Agent, AuditEvent, Brand, Customer
from amparo.inbox.models import Conversation, Message

LoggedIn = Callable[[Agent], Client]
Receive = Callable[..., Message]
MakeCanned = Callable[..., CannedReply]

GREETING = "Hola {customer_name}, soy {agent_name}. ¿En qué le puedo ayudar?"
ASKS_FOR_PIN = "Para revisar su cuenta, mándeme su NIP por favor."
DISMISSIVE = "Calm down, it's our policy and there's nothing I can do."


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    # A request in another language leaves it active in the test's thread.
    with translation.override("en"):
        yield


@pytest.fixture
def conversation(brand: Brand, receive: Receive) -> Conversation:
    message = receive(
        text="no puedo pagar mi abono desde la app",
        **{"from": {"external_id": "+5215550100077", "display_name": "Lupita"}},
    )
    return Conversation.objects.get(pk=message.conversation_id)


@pytest.fixture
def make_canned(sue: Agent) -> MakeCanned:
    def make(**overrides: Any) -> CannedReply:
        fields: dict[str, Any] = {"language": "es", "title": "Saludo breve", "text": GREETING}
        return do_create_canned(CannedData(**{**fields, **overrides}), Actor.of_agent(sue))

    return make


def page_of(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def form(**overrides: Any) -> dict[str, Any]:
    fields = {"language": "es", "brand": "", "title": "Saludo breve", "text": GREETING}
    return {**fields, "active": "on", **overrides}


def picker_options(page: str) -> list[str]:
    picker = re.search(r'<select name="canned".*?</select>', page, re.S)
    assert picker, "the conversation page has no canned-reply picker"
    titles = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', picker.group())
    return [html_lib.unescape(title) for title in titles]


def textarea(page: str) -> str:
    match = re.search(r'<textarea name="text" id="id_text"[^>]*>(.*?)</textarea>', page, re.S)
    assert match, "the conversation page has no reply box"
    return html_lib.unescape(match.group(1))


def audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- the seed list ----------------------------------------------------------------------


@pytest.mark.parametrize("entry", seed_entries(), ids=lambda e: f"{e['language']}-{e['title']}")
def test_every_shipped_canned_reply_passes_the_guard_in_its_language(entry: dict) -> None:
    result = guard(entry["text"], customer_language=entry["language"])

    assert (result.verdict, result.reasons) == ("ok", [])


def test_the_migration_loads_four_shipped_replies_per_language(db: None) -> None:
    shipped = CannedReply.objects.filter(brand__isnull=True, active=True)

    for language in ("es", "en", "he"):
        assert shipped.filter(language=language).count() == 4
    assert shipped.filter(language="en", title="We will never ask for your codes").exists()
    assert ["fees_interest", "hardship"] in [r.topics for r in shipped.filter(language="he")]


# --- keeping the library ----------------------------------------------------------------


def test_a_supervisor_adds_a_canned_reply_and_it_is_audited(
    logged_in: LoggedIn, sue: Agent
) -> None:
    response = logged_in(sue).post("/console/canned/new", form(topics=["payment_failed"]))

    assert response.status_code == 302
    assert response["Location"] == "/console/canned"
    canned = CannedReply.objects.get(title="Saludo breve")
    assert (canned.language, canned.brand, canned.text) == ("es", None, GREETING)
    assert canned.topics == ["payment_failed"] and canned.active
    assert canned.created_by == sue
    [event] = audit("canned.create")
    assert event.actor == sue and event.after["title"] == "Saludo breve"
    assert "Saludo breve" in page_of(logged_in(sue).get("/console/canned"))


def test_an_administrator_keeps_the_library_too(
    logged_in: LoggedIn, ada: Agent, brand: Brand
) -> None:
    response = logged_in(ada).post("/console/canned/new", form(brand=str(brand.pk)))

    assert response.status_code == 302
    assert CannedReply.objects.get(title="Saludo breve").brand == brand


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/console/canned"),
        ("get", "/console/canned/new"),
        ("post", "/console/canned/new"),
        ("get", "/console/canned/{pk}/edit"),
        ("post", "/console/canned/{pk}/edit"),
        ("post", "/console/canned/{pk}/deactivate"),
        ("post", "/console/canned/{pk}/activate"),
    ],
)
def test_an_agent_may_not_keep_the_library(
    logged_in: LoggedIn, alice: Agent, make_canned: MakeCanned, method: str, path: str
) -> None:
    canned = make_canned()
    client = logged_in(alice)

    response = getattr(client, method)(path.format(pk=canned.pk), form(title="Cambiado"))

    assert response.status_code == 403
    canned.refresh_from_db()
    assert canned.title == "Saludo breve" and canned.active
    assert not CannedReply.objects.filter(title="Cambiado").exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(db: None) -> None:
    response = Client().get("/console/canned")

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_a_canned_reply_asking_for_a_pin_is_refused_with_the_guards_reasons(
    logged_in: LoggedIn, sue: Agent
) -> None:
    response = logged_in(sue).post("/console/canned/new", form(text=ASKS_FOR_PIN))

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="canned-guard"' in page and 'data-reason="secret_request"' in page
    assert "Never ask for a PIN" in page
    assert "mándeme su NIP" in page  # kept in the form to be corrected
    assert not CannedReply.objects.filter(title="Saludo breve").exists()
    assert audit("canned.create") == []


def test_a_canned_reply_the_guard_warns_about_is_refused_too(
    logged_in: LoggedIn, sue: Agent
) -> None:
    response = logged_in(sue).post(
        "/console/canned/new", form(language="en", title="Policy", text=DISMISSIVE)
    )

    assert response.status_code == 400
    assert 'data-reason="dismissive"' in response.content.decode()
    assert not CannedReply.objects.filter(title="Policy").exists()


def test_a_canned_reply_in_another_language_than_its_own_is_refused(
    logged_in: LoggedIn, sue: Agent
) -> None:
    text = "Hi {customer_name}, thank you for writing to us. How can we help you today?"

    response = logged_in(sue).post("/console/canned/new", form(language="es", text=text))

    assert response.status_code == 400
    assert 'data-reason="wrong_language"' in response.content.decode()


def test_an_edit_the_guard_refuses_leaves_the_reply_as_it_was(
    logged_in: LoggedIn, sue: Agent, make_canned: MakeCanned
) -> None:
    canned = make_canned()

    response = logged_in(sue).post(f"/console/canned/{canned.pk}/edit", form(text=ASKS_FOR_PIN))

    assert response.status_code == 400
    canned.refresh_from_db()
    assert canned.text == GREETING
    assert audit("canned.update") == []


def test_a_supervisor_edits_a_reply_and_the_change_is_audited(
    logged_in: LoggedIn, sue: Agent, make_canned: MakeCanned
) -> None:
    canned = make_canned()
    text = "Buenos días {customer_name}, le atiende {agent_name}. ¿Cómo le ayudo?"

    response = logged_in(sue).post(
        f"/console/canned/{canned.pk}/edit", form(title="Saludo de la mañana", text=text)
    )

    assert response.status_code == 302
    canned.refresh_from_db()
    assert (canned.title, canned.text, canned.updated_by) == ("Saludo de la mañana", text, sue)
    [event] = audit("canned.update")
    assert event.before["title"] == "Saludo breve"
    assert event.after["title"] == "Saludo de la mañana"


def test_the_edit_page_of_a_missing_reply_is_not_found(logged_in: LoggedIn, sue: Agent) -> None:
    assert logged_in(sue).get("/console/canned/999999/edit").status_code == 404


def test_a_deactivated_reply_is_hidden_from_agents_and_can_come_back(
    logged_in: LoggedIn,
    sue: Agent,
    alice: Agent,
    make_canned: MakeCanned,
    conversation: Conversation,
) -> None:
    canned = make_canned(title="Saludo oculto")
    client = logged_in(sue)

    assert client.post(f"/console/canned/{canned.pk}/deactivate").status_code == 302
    assert client.post(f"/console/canned/{canned.pk}/deactivate").status_code == 302  # no-op
    canned.refresh_from_db()
    assert not canned.active
    assert [e.after for e in audit("canned.deactivate")] == [{"active": False}]
    page = page_of(logged_in(alice).get(f"/conversations/{conversation.pk}"))
    assert "Saludo oculto" not in picker_options(page)

    client = logged_in(sue)
    assert client.post(f"/console/canned/{canned.pk}/activate").status_code == 302
    canned.refresh_from_db()
    assert canned.active
    page = page_of(logged_in(alice).get(f"/conversations/{conversation.pk}"))
    assert "Saludo oculto" in picker_options(page)


def test_a_reply_the_guard_now_refuses_is_not_offered_again(
    logged_in: LoggedIn, sue: Agent, db: None
) -> None:
    # Saved before the guard learned to refuse it (written straight to the table).
    old = CannedReply.objects.create(
        language="es", title="Antigua", text=ASKS_FOR_PIN, active=False
    )

    response = logged_in(sue).post(f"/console/canned/{old.pk}/activate", follow=True)

    assert "refuses this text now" in page_of(response)
    old.refresh_from_db()
    assert not old.active
    assert audit("canned.activate") == []


# --- what the form refuses --------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "x" * 121}, "title", "A title has at most 120 characters."),
        ({"title": "   "}, "title", "This field is required."),
        (
            {"title": "Saludo\u202eoculto"},
            "title",
            "A title has no invisible or control characters.",
        ),
        ({"title": "Saludo\x07"}, "title", "A title has no invisible or control characters."),
        ({"text": "Hola. " * 400}, "text", "A canned reply has at most 2000 characters."),
        ({"text": ""}, "text", "This field is required."),
        ({"text": "Hola {account_number}"}, "text", "Only {customer_name} and {agent_name}"),
        ({"text": "Hola {0.__class__.__init__}"}, "text", "Only {customer_name} and {agent_name}"),
        ({"language": "fr"}, "language", "Select a valid choice."),
        ({"language": ["es", "en"]}, "language", ""),
        ({"brand": "999999"}, "brand", "Select a valid choice."),
        ({"brand": "abc"}, "brand", "Select a valid choice."),
        ({"topics": ["payment_failed", "drop table"]}, "topics", "Select a valid choice."),
        ({"topics": ["other"]}, "topics", "Select a valid choice."),
    ],
)
def test_malformed_input_is_refused_with_a_stable_error_and_nothing_is_written(
    logged_in: LoggedIn, sue: Agent, overrides: dict, field: str, message: str
) -> None:
    before = CannedReply.objects.count()

    response = logged_in(sue).post("/console/canned/new", form(**overrides))

    assert response.status_code == 400
    page = response.content.decode()
    assert "Traceback" not in page
    assert html_lib.escape(message) in page or message in html_lib.unescape(page)
    assert 'class="errorlist' in page
    assert CannedReply.objects.count() == before
    assert audit("canned.create") == []


def test_a_duplicate_title_for_the_same_language_and_brand_is_refused(
    logged_in: LoggedIn, sue: Agent, make_canned: MakeCanned, brand: Brand
) -> None:
    make_canned(title="Saludo breve")
    client = logged_in(sue)

    response = client.post("/console/canned/new", form(title="SALUDO  breve"))

    assert response.status_code == 400
    assert "already a canned reply with this title" in response.content.decode()
    assert CannedReply.objects.filter(title__iexact="saludo breve").count() == 1
    # The same title in another language, or for one brand only, is another reply.
    english = "Hi {customer_name}, this is {agent_name}. How can I help you today?"
    assert (
        client.post(
            "/console/canned/new", form(language="en", title="Saludo breve", text=english)
        ).status_code
        == 302
    )
    assert client.post("/console/canned/new", form(brand=str(brand.pk))).status_code == 302
    assert client.post("/console/canned/new", form(brand=str(brand.pk))).status_code == 400


def test_renaming_a_reply_onto_another_ones_title_is_refused(
    logged_in: LoggedIn, sue: Agent, make_canned: MakeCanned
) -> None:
    make_canned(title="Saludo breve")
    other = make_canned(title="Otro saludo")

    response = logged_in(sue).post(f"/console/canned/{other.pk}/edit", form(title="saludo breve"))

    assert response.status_code == 400
    other.refresh_from_db()
    assert other.title == "Otro saludo"


def test_hostile_text_is_stored_as_typed_and_shown_escaped(
    logged_in: LoggedIn, sue: Agent, alice: Agent, conversation: Conversation
) -> None:
    title = "<script>alert(1)</script>"
    text = 'Hola {customer_name} <img src=x onerror="alert(2)">, ¿en qué le ayudo hoy?'
    assert (
        logged_in(sue).post("/console/canned/new", form(title=title, text=text)).status_code == 302
    )
    canned = CannedReply.objects.get(title=title)

    listing = page_of(logged_in(sue).get("/console/canned"))
    page = page_of(logged_in(alice).get(f"/conversations/{conversation.pk}?canned={canned.pk}"))

    for shown in (listing, page):
        assert "<script>alert(1)" not in shown and "<img src=x" not in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing
    assert title in picker_options(page)
    assert textarea(page) == 'Hola Lupita <img src=x onerror="alert(2)">, ¿en qué le ayudo hoy?'


# --- the picker -------------------------------------------------------------------------


def test_the_picker_offers_the_customers_language_and_the_conversations_brand_only(
    logged_in: LoggedIn,
    alice: Agent,
    make_canned: MakeCanned,
    make_brand: Callable[..., Brand],
    conversation: Conversation,
) -> None:
    other_brand = make_brand()
    english = "Hi {customer_name}, this is {agent_name}. How can I help you today?"
    make_canned(title="Para todas las marcas")
    make_canned(title="Solo para Altamar", brand=conversation.brand)
    make_canned(title="Solo para otra marca", brand=other_brand)
    make_canned(title="In English", language="en", text=english)
    hidden = make_canned(title="Retirada")
    CannedReply.objects.filter(pk=hidden.pk).update(active=False)

    options = picker_options(page_of(logged_in(alice).get(f"/conversations/{conversation.pk}")))

    assert {"Para todas las marcas", "Solo para Altamar", "Saludo"} <= set(options)
    assert not {"Solo para otra marca", "In English", "Greeting", "Retirada", "ברכה"} & set(options)


def test_the_picker_follows_a_hebrew_conversation(
    logged_in: LoggedIn, alice: Agent, brand: Brand, receive: Receive
) -> None:
    message = receive(
        text="הכרטיס שלי נדחה בחנות הבוקר",
        **{"from": {"external_id": "+972500000001", "display_name": "נועה"}},
    )
    canned = CannedReply.objects.get(language="he", title="ברכה")

    page = page_of(
        logged_in(alice).get(f"/conversations/{message.conversation_id}?canned={canned.pk}")
    )

    assert set(picker_options(page)) >= {"ברכה", "תמיכה בקשיים כלכליים"}
    assert "Saludo" not in picker_options(page)
    assert textarea(page).startswith("שלום נועה, כאן Alice.")


def test_replies_for_the_conversations_topics_come_first(
    logged_in: LoggedIn, alice: Agent, make_canned: MakeCanned, conversation: Conversation
) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(topics=["payment_failed"])
    make_canned(title="Aaa general")
    make_canned(title="Zzz pago fallido", topics=["payment_failed"])

    page = page_of(logged_in(alice).get(f"/conversations/{conversation.pk}"))
    options = picker_options(page)

    assert options.index("Zzz pago fallido") < options.index("Aaa general")
    assert "For the topics of this conversation" in page


def test_choosing_a_reply_without_javascript_fills_the_reply_box_with_the_names(
    logged_in: LoggedIn, alice: Agent, make_canned: MakeCanned, conversation: Conversation
) -> None:
    canned = make_canned()
    client = logged_in(alice)

    page = page_of(client.get(f"/conversations/{conversation.pk}"))
    assert re.search(r'<form class="canned-picker[^"]*" method="get"', page)
    assert '<select name="canned"' in page and '<button type="submit">Use</button>' in page
    assert textarea(page) == ""

    page = page_of(client.get(f"/conversations/{conversation.pk}?canned={canned.pk}"))
    assert textarea(page) == "Hola Lupita, soy Alice. ¿En qué le puedo ayudar?"
    assert f'<option value="{canned.pk}" lang="es" dir="auto" selected>' in page


def test_an_agent_sends_a_filled_canned_reply_like_any_other(
    logged_in: LoggedIn, alice: Agent, make_canned: MakeCanned, conversation: Conversation
) -> None:
    canned = make_canned()
    client = logged_in(alice)
    filled = textarea(page_of(client.get(f"/conversations/{conversation.pk}?canned={canned.pk}")))

    response = client.post(f"/conversations/{conversation.pk}/reply", {"text": filled})

    assert response.status_code == 302
    sent = Message.objects.get(conversation=conversation, direction="out")
    assert sent.text == "Hola Lupita, soy Alice. ¿En qué le puedo ayudar?"


@pytest.mark.parametrize("raw", ["abc", "-1", "1e3", "0", "9" * 30, "١", " 1", "1;drop"])
def test_a_malformed_canned_parameter_leaves_the_reply_box_empty(
    logged_in: LoggedIn, alice: Agent, conversation: Conversation, raw: str
) -> None:
    page = page_of(logged_in(alice).get(f"/conversations/{conversation.pk}", {"canned": raw}))

    assert textarea(page) == ""


def test_a_reply_not_offered_in_this_conversation_is_never_filled_in(
    logged_in: LoggedIn,
    alice: Agent,
    make_canned: MakeCanned,
    make_brand: Callable[..., Brand],
    conversation: Conversation,
) -> None:
    english = CannedReply.objects.get(language="en", title="Greeting")
    elsewhere = make_canned(title="Otra marca", brand=make_brand())
    hidden = make_canned(title="Retirada")
    CannedReply.objects.filter(pk=hidden.pk).update(active=False)
    client = logged_in(alice)

    for canned in (english, elsewhere, hidden):
        page = page_of(client.get(f"/conversations/{conversation.pk}?canned={canned.pk}"))
        assert textarea(page) == ""


# --- placeholders -----------------------------------------------------------------------


def conversation_with(customer_name: str, brand: Brand) -> Conversation:
    customer = Customer.objects.create(display_name=customer_name)
    return Conversation(brand=brand, customer=customer, channel="whatsapp", language="es")


@pytest.mark.parametrize(
    ("customer_name", "agent_name", "expected"),
    [
        ("Lupita", "Ana", "Hola Lupita, soy Ana. ¿En qué le puedo ayudar?"),
        ("", "Ana", "Hola, soy Ana. ¿En qué le puedo ayudar?"),
        ("Lupita", "", "Hola Lupita, soy. ¿En qué le puedo ayudar?"),
        (
            "  Lupita\n\u202eHernández ",
            "Ana",
            "Hola Lupita Hernández, soy Ana. ¿En qué le puedo ayudar?",
        ),
        ("{agent_name}", "Ana", "Hola {agent_name}, soy Ana. ¿En qué le puedo ayudar?"),
        ("{0.__class__}", "Ana", "Hola {0.__class__}, soy Ana. ¿En qué le puedo ayudar?"),
    ],
)
def test_placeholders_are_filled_once_and_empty_names_leave_no_gap(
    brand: Brand,
    make_agent: Callable[..., Agent],
    customer_name: str,
    agent_name: str,
    expected: str,
) -> None:
    agent = make_agent(display_name=agent_name)
    conversation = conversation_with(customer_name, brand)

    assert fill_placeholders(GREETING, conversation, agent) == expected


def test_a_name_after_a_comma_goes_with_its_comma_when_unknown(brand: Brand, alice: Agent) -> None:
    text = "Lamento mucho lo que está pasando, {customer_name}. Le escribo hoy."

    filled = fill_placeholders(text, conversation_with("", brand), alice)

    assert filled == "Lamento mucho lo que está pasando. Le escribo hoy."

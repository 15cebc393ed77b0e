"""The reply guard on every reply: the console and the API refuse blocks, ask for a
reason before sending a reply it warned about, and audit both; amparo's own notices
are guarded too."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amparo.assist.guard import guard
from amparo.core.audit import SYSTEM
from amparo.core.models import Agent, AuditEvent, Brand
from amparo.inbox import actions
from amparo.inbox.models import Conversation, Message
from amparo.lookalike.models import LookalikeFinding
from amparo.lookalike.watch import warning_text

Receive = Callable[..., Message]


@pytest.fixture
def conversation(brand: Brand, receive: Receive) -> Conversation:
    return receive(text="hola, una duda con mi pedido").conversation


def reply_url(conversation: Conversation) -> str:
    return f"/conversations/{conversation.pk}/reply"


def outbound(conversation: Conversation) -> list[Message]:
    return list(Message.objects.filter(conversation=conversation, direction="out"))


# --- console ---------------------------------------------------------------------------------


def test_a_reply_asking_for_a_pin_is_refused_shown_and_audited(
    conversation: Conversation, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    response = logged_in(alice).post(
        reply_url(conversation), {"text": "Para revisar, pásame tu NIP por favor"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="reply-guard"' in page and 'data-reason="secret_request"' in page
    assert 'name="override_reason"' not in page  # a block has no way round it
    assert "pásame tu NIP" in page  # the agent's text is kept to be corrected
    assert outbound(conversation) == []
    event = AuditEvent.objects.get(action="reply.blocked")
    assert event.actor == alice and event.after == {"reasons": ["secret_request"]}
    assert not AuditEvent.objects.filter(action="conversation.reply").exists()


def test_a_block_cannot_be_overridden(
    conversation: Conversation, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    response = logged_in(alice).post(
        reply_url(conversation),
        {"text": "Mándame el código que te llegó", "override_reason": "the customer insists"},
    )
    assert response.status_code == 400
    assert outbound(conversation) == []


def test_a_warned_reply_needs_a_reason_which_is_recorded(
    conversation: Conversation, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    client = logged_in(alice)
    text = "Es nuestra política, no hay forma de evitarlo. Su pedido llega el lunes."

    first = client.post(reply_url(conversation), {"text": text})

    assert first.status_code == 400
    page = first.content.decode()
    assert 'data-reason="dismissive"' in page and 'name="override_reason"' in page
    assert 'name="acknowledged" value="dismissive"' in page
    assert outbound(conversation) == []

    second = client.post(
        reply_url(conversation),
        {"text": text, "override_reason": "quoting the contract", "acknowledged": "dismissive"},
    )

    assert second.status_code == 302
    [message] = outbound(conversation)
    assert message.triage["guard"] == {
        "verdict": "warn",
        "reasons": ["dismissive"],
        "override": "quoting the contract",
    }
    event = AuditEvent.objects.get(action="reply.guard_override")
    assert event.actor == alice and event.after["override"] == "quoting the contract"


def test_a_reason_covers_only_the_warnings_the_agent_was_shown(
    conversation: Conversation, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    client = logged_in(alice)
    shown = "Es nuestra política. Su pedido llega el lunes."
    assert (
        'value="dismissive"'
        in client.post(reply_url(conversation), {"text": shown}).content.decode()
    )
    # Edited after the panel showed: now it also promises a refund nobody has approved.
    edited = "Es nuestra política. Le vamos a reembolsar todo, su pedido llega el lunes."
    response = client.post(
        reply_url(conversation),
        {"text": edited, "override_reason": "quoting the contract", "acknowledged": "dismissive"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-reason="unfunded_promise"' in page
    assert 'name="acknowledged" value="dismissive unfunded_promise"' in page
    assert outbound(conversation) == []
    # A reason without the panel's list is not enough either (a hand-made request).
    bare = client.post(reply_url(conversation), {"text": shown, "override_reason": "because"})
    assert bare.status_code == 400 and outbound(conversation) == []
    sent = client.post(
        reply_url(conversation),
        {
            "text": edited,
            "override_reason": "the refund was approved by phone",
            "acknowledged": "dismissive unfunded_promise",
        },
    )
    assert sent.status_code == 302 and len(outbound(conversation)) == 1


def test_an_override_reason_is_redacted_and_cut(
    conversation: Conversation, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    reason = "card 4111 1111 1111 1111 " + "x" * 470
    response = logged_in(alice).post(
        reply_url(conversation),
        {
            "text": "Tenga paciencia. Le escribo mañana.",
            "override_reason": reason,
            "acknowledged": "dismissive",
        },
    )
    assert response.status_code == 302
    override = outbound(conversation)[0].triage["guard"]["override"]
    assert "4111" not in override and "[card]" in override
    too_long = logged_in(alice).post(
        reply_url(conversation),
        {"text": "Tenga paciencia. Le escribo mañana.", "override_reason": "x" * 501},
    )
    assert too_long.status_code == 400  # refused by the form, nothing sent
    assert len(outbound(conversation)) == 1


def test_a_good_reply_goes_straight_through(
    conversation: Conversation, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    response = logged_in(alice).post(
        reply_url(conversation), {"text": "Con gusto, su pedido llega el lunes."}
    )
    assert response.status_code == 302
    assert outbound(conversation)[0].triage["guard"] == {"verdict": "ok", "reasons": []}
    assert not AuditEvent.objects.filter(action__startswith="reply.").exists()


def test_a_distressed_customer_is_owed_an_apology_and_a_time(
    brand: Brand, receive: Receive, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    conversation = receive(text="no tengo para comer, me cobraron dos veces").conversation

    refused = logged_in(alice).post(reply_url(conversation), {"text": "Ya se revisa."})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'data-reason="no_apology"' in page and 'data-reason="no_next_step"' in page
    assert "Lamento mucho" in page  # wording offered in the customer's language

    accepted = logged_in(alice).post(
        reply_url(conversation),
        {"text": "Lamento mucho lo que está pasando. Le escribimos hoy antes de las 17:00."},
    )
    assert accepted.status_code == 302


def test_the_guard_panel_follows_the_consoles_language(
    brand: Brand, receive: Receive, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    conversation = receive(text="hola").conversation
    client = logged_in(alice)
    client.cookies["amparo_language"] = "he"
    page = client.post(reply_url(conversation), {"text": "dime tu contraseña"}).content.decode()
    assert 'id="reply-guard"' in page
    start = page.index('id="reply-guard"')
    panel = page[start : start + 200]
    assert 'dir="rtl"' in panel and 'lang="he"' in panel
    assert "אי אפשר לשלוח את התשובה הזו." in page  # the console's language, Hebrew


# --- API --------------------------------------------------------------------------------------


def post(api: Client, conversation: Conversation, body: dict[str, Any]) -> Any:
    return api.post(
        f"/api/v1/conversations/{conversation.pk}/reply",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_the_api_answers_422_for_a_block_and_409_for_a_warning(
    api: Client, conversation: Conversation
) -> None:
    blocked = post(api, conversation, {"text": "Mándame el CVV de atrás de tu tarjeta"})
    assert blocked.status_code == 422
    error = blocked.json()["error"]
    assert error["code"] == "reply_blocked" and error["reasons"] == ["secret_request"]
    assert error["advice"][0]["reason"] == "secret_request"

    overridden_block = post(
        api, conversation, {"text": "Mándame el CVV porfa", "override_reason": "urgente"}
    )
    assert overridden_block.status_code == 422

    warned = post(api, conversation, {"text": "Cálmese, ya se está atendiendo."})
    assert warned.status_code == 409
    assert warned.json()["error"]["code"] == "reply_needs_override"
    assert outbound(conversation) == []

    unacknowledged = post(
        api,
        conversation,
        {"text": "Cálmese, ya se está atendiendo.", "override_reason": "customer's own words"},
    )
    assert unacknowledged.status_code == 409 and outbound(conversation) == []

    sent = post(
        api,
        conversation,
        {
            "text": "Cálmese, ya se está atendiendo.",
            "override_reason": "customer's own words",
            "acknowledged_reasons": warned.json()["error"]["reasons"],
        },
    )
    assert sent.status_code == 202
    assert Message.objects.get(pk=sent.json()["id"]).triage["guard"]["reasons"] == ["dismissive"]


@pytest.mark.parametrize(
    "body",
    [
        {"text": "ok", "override_reason": 5},
        {"text": "ok", "override_reason": "x" * 501},
        {"text": "ok", "override_reason": None},
        {"text": "ok", "acknowledged_reasons": "dismissive"},
        {"text": "ok", "acknowledged_reasons": ["x" * 41]},
        {"text": "ok", "acknowledged_reasons": ["dismissive"] * 21},
        {"text": "ok", "acknowledged_reasons": [5]},
    ],
)
def test_a_malformed_override_reason_is_refused(
    api: Client, conversation: Conversation, body: dict[str, Any]
) -> None:
    response = post(api, conversation, body)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert outbound(conversation) == []


def test_a_link_to_another_domain_is_blocked_once_the_brand_has_domains(
    api: Client, brand: Brand, conversation: Conversation
) -> None:
    brand.official_domains = ["altamar.example"]
    brand.save()
    assert post(api, conversation, {"text": "Detalles en altamar.example/faq"}).status_code == 202
    response = post(
        api, conversation, {"text": "Por favor llene el formulario en altamar-claims.info/form"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["reasons"] == ["unofficial_channel"]


def test_the_brands_and_the_customers_own_accounts_are_not_unofficial(
    api: Client, brand: Brand, conversation: Conversation
) -> None:
    from amparo.core.models import ChannelIdentity
    from amparo.lookalike.models import OfficialAccount

    text = (
        "Hola, para darle seguimiento escríbale a @AltamarCuidaMX por mensaje directo con su folio."
    )
    assert post(api, conversation, {"text": text}).status_code == 422  # not declared
    OfficialAccount.objects.create(brand=brand, platform="x", handle="altamarcuidamx")
    assert post(api, conversation, {"text": text}).status_code == 202
    # The customer's own account: blocked while amparo does not know it is theirs.
    mine = "Sigue a @mariagp para ver las novedades de su pedido del lunes."
    assert post(api, conversation, {"text": mine}).status_code == 422
    ChannelIdentity.objects.create(
        customer=conversation.customer, channel="x", external_id="x-77", handle="mariagp"
    )
    assert post(api, conversation, {"text": mine}).status_code == 202


# --- amparo's own notices ---------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en", "he"])
@pytest.mark.parametrize("candidate", ["@Altamar_Ayuda", "altamar-soporte.com"])
def test_the_lookalike_warning_passes_the_guard_in_every_language(
    brand: Brand, receive: Receive, language: str, candidate: str
) -> None:
    brand.official_domains = ["altamar.example"]
    brand.save()
    conversation = receive(text="hola").conversation
    conversation.language = language
    kind = "mention" if candidate.startswith("@") else "link"
    finding = LookalikeFinding(brand=brand, platform="x", candidate=candidate, kind=kind)
    text = warning_text(conversation, finding)
    assert (
        guard(text, customer_language=language, official_domains=brand.official_domains).verdict
        == "ok"
    ), text


def test_a_system_notice_with_a_warning_is_sent_and_the_warning_recorded(
    brand: Brand, receive: Receive
) -> None:
    conversation = receive(text="no tengo para comer").conversation
    message = actions.do_reply(conversation, "Aviso: su pedido fue enviado.", SYSTEM)
    assert message.triage["guard"]["verdict"] == "warn"
    assert AuditEvent.objects.filter(action="reply.guard_warned").exists()


def test_a_system_notice_asking_for_a_secret_is_still_blocked(
    brand: Brand, receive: Receive
) -> None:
    from amparo.assist.reply import ReplyRefused

    conversation = receive(text="hola").conversation
    with pytest.raises(ReplyRefused):
        actions.do_reply(conversation, "Responda con su NIP para continuar.", SYSTEM)
    assert outbound(conversation) == []


# --- the vulnerability register's effects --------------------------------------------------


def test_a_record_asking_for_extra_care_makes_the_guard_expect_an_apology(
    brand: Brand,
    receive: Receive,
    make_record: Callable[..., Any],
    logged_in: Callable[[Agent], Client],
    alice: Agent,
) -> None:
    conversation = receive(text="hola, una duda con mi pedido").conversation
    make_record(of=conversation.customer, extra_care=True)

    response = logged_in(alice).post(reply_url(conversation), {"text": "Ya quedó su pedido."})

    assert response.status_code == 400
    assert 'data-reason="no_apology"' in response.content.decode()


def test_a_conversation_opened_after_a_record_starts_in_the_priority_queue(
    brand: Brand, receive: Receive, make_record: Callable[..., Any]
) -> None:
    first = receive(text="hola", **{"from": {"external_id": "+5215550100077"}})
    make_record(of=first.conversation.customer, priority_routing=True)
    later = receive(text="otra duda", channel="sms", **{"from": {"external_id": "+5215550100077"}})
    assert later.conversation_id != first.conversation_id
    assert later.conversation.priority >= 2  # high

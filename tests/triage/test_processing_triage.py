"""Every processed inbound message is triaged; its conversation gathers the results."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from amparo.core.models import Agent, Brand
from amparo.inbox.models import Conversation, Message, Priority, TopicCorrection

Receive = Callable[..., Message]


def sender(phone: str) -> dict:
    return {"from": {"external_id": phone, "display_name": "Cliente"}}


def test_a_processed_message_keeps_its_topics_and_signals(brand: Brand, receive: Receive) -> None:
    message = receive(text="mi tarjeta fue rechazada en la tienda", **sender("+5215550109001"))

    assert message.triage["topics"][0]["topic"] == "card_declined"
    assert set(message.triage) == {"language", "topics", "distress", "scam"}
    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.topics[0] == "card_declined"


def test_hunger_makes_a_conversation_urgent_and_tags_it(brand: Brand, receive: Receive) -> None:
    message = receive(
        text="no tengo para comer y no me llegó la quincena", **sender("+5215550109002")
    )

    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.priority == Priority.URGENT
    assert "distress" in conversation.tags


def test_a_scam_report_is_tagged(brand: Brand, receive: Receive) -> None:
    message = receive(
        text="una cuenta de soporte me pidió mi NIP por DM", **sender("+5215550109003")
    )

    assert "scam_signal" in Conversation.objects.get(pk=message.conversation_id).tags


def test_an_ordinary_message_keeps_normal_priority(brand: Brand, receive: Receive) -> None:
    message = receive(text="¿a qué hora abren la sucursal?", **sender("+5215550109004"))

    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.priority == Priority.NORMAL
    assert conversation.tags == []


def test_an_agents_topic_correction_is_kept_for_retraining(
    brand: Brand, receive: Receive, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    message = receive(text="no me llega mi pedido", **sender("+5215550109005"))

    response = logged_in(alice).post(
        f"/conversations/{message.conversation_id}/topics",
        {"topics": ["order_delivery", "complaint_service"]},
    )

    assert response.status_code == 302
    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.topics == ["order_delivery", "complaint_service"]
    correction = TopicCorrection.objects.get()
    assert correction.corrected == ["order_delivery", "complaint_service"]
    assert correction.text == "no me llega mi pedido"
    assert correction.agent == alice


def test_an_unknown_topic_is_refused_and_nothing_changes(
    brand: Brand, receive: Receive, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    message = receive(text="no me llega mi pedido", **sender("+5215550109006"))
    before = Conversation.objects.get(pk=message.conversation_id).topics

    logged_in(alice).post(
        f"/conversations/{message.conversation_id}/topics", {"topics": ["made_up"]}
    )

    assert Conversation.objects.get(pk=message.conversation_id).topics == before
    assert TopicCorrection.objects.count() == 0

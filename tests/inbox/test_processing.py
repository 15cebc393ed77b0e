"""Processing received messages: customers, identities, conversations and language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from amparo.core.audit import CLI
from amparo.core.models import Brand, ChannelIdentity, Customer
from amparo.core.worker import recover
from amparo.inbox.actions import do_accept_inbound, do_reply, process_received
from amparo.inbox.models import Conversation, Message
from amparo.inbox.schemas import InboundMessageIn

Receive = Callable[..., Message]
Payload = Callable[..., dict[str, Any]]


def sender(external_id: str, **extra: str) -> dict[str, Any]:
    return {"from": {"external_id": external_id, **extra}}


def accept(payload: Payload, **overrides: Any) -> Message:
    """Store a message as the API would, without processing it."""
    return do_accept_inbound(InboundMessageIn.model_validate(payload(**overrides))).message


def conversation_of(message: Message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)


# --- customers and identities ------------------------------------------------------------


def test_a_first_message_creates_a_customer_an_identity_and_a_conversation(
    brand: Brand, receive: Receive
) -> None:
    message = receive(**sender("+52 1 555 010 0002", display_name="Lupita Hernández"))

    assert message.state == "processed"
    assert message.processed_at is not None
    customer = Customer.objects.get()
    assert message.customer_id == customer.pk
    assert customer.display_name == "Lupita Hernández"
    assert customer.phone == "+5215550100002"
    identity = ChannelIdentity.objects.get()
    assert (identity.channel, identity.external_id, identity.customer_id) == (
        "whatsapp",
        "+52 1 555 010 0002",
        customer.pk,
    )
    conversation = conversation_of(message)
    assert conversation.customer_id == customer.pk
    assert conversation.brand_id == brand.pk
    assert conversation.channel == "whatsapp"
    assert conversation.status == "open"
    assert conversation.public is False
    assert conversation.last_message_at == message.sent_at


def test_a_second_message_from_the_same_number_joins_the_open_conversation(
    brand: Brand, receive: Receive
) -> None:
    first = receive(**sender("+5215550100002"))
    second = receive(text="¿me pueden ayudar?", **sender("+5215550100002"))

    assert second.conversation_id == first.conversation_id
    assert second.customer_id == first.customer_id
    assert Conversation.objects.count() == 1
    assert Customer.objects.count() == 1
    assert ChannelIdentity.objects.count() == 1


def test_two_messages_of_a_new_customer_in_one_batch_make_one_customer_and_conversation(
    brand: Brand, payload: Payload
) -> None:
    first = accept(payload, **sender("+5215550100002"))
    second = accept(payload, **sender("+5215550100002"))

    assert process_received([first.pk, second.pk]) == 2

    assert Customer.objects.count() == 1
    assert Conversation.objects.count() == 1
    assert ChannelIdentity.objects.count() == 1
    assert set(Message.objects.values_list("conversation_id", flat=True)) == {
        Conversation.objects.get().pk
    }


def test_the_same_phone_on_sms_is_the_same_customer_in_another_conversation(
    brand: Brand, receive: Receive
) -> None:
    on_whatsapp = receive(**sender("+5215550100002"))
    on_sms = receive(channel="sms", **sender("5215550100002"))

    assert on_sms.customer_id == on_whatsapp.customer_id
    assert on_sms.conversation_id != on_whatsapp.conversation_id
    assert Customer.objects.count() == 1
    assert sorted(ChannelIdentity.objects.values_list("channel", flat=True)) == ["sms", "whatsapp"]


def test_different_numbers_are_different_customers(brand: Brand, receive: Receive) -> None:
    one = receive(**sender("+5215550100002"))
    other = receive(**sender("+5215550100003"))

    assert one.customer_id != other.customer_id
    assert one.conversation_id != other.conversation_id


# Regression: phone numbers that pass the Luhn check were once redacted to "+[card]" in
# the sender, so two such customers shared the identity ("whatsapp", "+[card]").
def test_two_numbers_that_pass_the_luhn_check_are_still_two_customers(
    brand: Brand, receive: Receive
) -> None:
    one = receive(**sender("+5215550100001", display_name="Lupita"))
    other = receive(**sender("+5215550100019", display_name="Jorge"))

    assert one.customer_id != other.customer_id
    assert Customer.objects.get(pk=one.customer_id).phone == "+5215550100001"


def test_a_customer_ref_links_an_email_and_an_x_account(brand: Brand, receive: Receive) -> None:
    by_email = receive(channel="email", **sender("lupita@example.com", customer_ref="ALT-0042"))
    on_x = receive(channel="x", **sender("98765432", handle="lupita_hdz", customer_ref="ALT-0042"))

    assert on_x.customer_id == by_email.customer_id
    customer = Customer.objects.get()
    assert customer.customer_ref == "ALT-0042"
    assert customer.email == "lupita@example.com"
    assert sorted(customer.identities.values_list("channel", "external_id")) == [
        ("email", "lupita@example.com"),
        ("x", "98765432"),
    ]


def test_an_email_with_a_known_phone_joins_that_customer(brand: Brand, receive: Receive) -> None:
    on_whatsapp = receive(**sender("+5215550100002"))
    by_email = receive(channel="email", **sender("lupita@example.com", phone="+52 1 555 010 0002"))

    assert by_email.customer_id == on_whatsapp.customer_id


def test_public_thread_messages_from_two_customers_make_two_public_conversations(
    brand: Brand, receive: Receive
) -> None:
    first = receive(channel="x", thread_id="post-1700", public=True, **sender("1001", handle="ana"))
    second = receive(
        channel="x", thread_id="post-1700", public=True, **sender("1002", handle="beto")
    )

    assert first.customer_id != second.customer_id
    assert first.conversation_id != second.conversation_id
    conversations = Conversation.objects.filter(
        pk__in=[first.conversation_id, second.conversation_id]
    )
    assert [(c.thread_id, c.public) for c in conversations] == [("post-1700", True)] * 2


def test_another_thread_of_the_same_customer_is_another_conversation(
    brand: Brand, receive: Receive
) -> None:
    first = receive(channel="x", thread_id="post-1", public=True, **sender("1001"))
    second = receive(channel="x", thread_id="post-2", public=True, **sender("1001"))

    assert first.customer_id == second.customer_id
    assert first.conversation_id != second.conversation_id


def test_a_message_to_another_brand_is_another_conversation(
    brand: Brand, make_brand: Callable[..., Brand], receive: Receive
) -> None:
    make_brand(slug="banco-altamar")
    store = receive(**sender("+5215550100002"))
    bank = receive(brand="banco-altamar", **sender("+5215550100002"))

    assert store.customer_id == bank.customer_id
    assert store.conversation_id != bank.conversation_id


# --- conversation status -------------------------------------------------------------------


def test_a_reply_makes_it_pending_and_the_customers_next_message_opens_it(
    brand: Brand, receive: Receive
) -> None:
    first = receive(**sender("+5215550100002"))
    conversation = conversation_of(first)

    do_reply(conversation, "¿Qué error le aparece?", CLI)
    conversation.refresh_from_db()
    assert conversation.status == "pending"

    answer = receive(text="dice error 500", **sender("+5215550100002"))
    conversation.refresh_from_db()
    assert answer.conversation_id == conversation.pk
    assert conversation.status == "open"


def resolve_hours_ago(conversation: Conversation, hours: float) -> None:
    resolved_at = timezone.now() - timedelta(hours=hours)
    Conversation.objects.filter(pk=conversation.pk).update(
        status="resolved", resolved_at=resolved_at
    )


@override_settings(REOPEN_WINDOW_HOURS=72)
def test_a_conversation_resolved_recently_is_reopened(brand: Brand, receive: Receive) -> None:
    first = receive(**sender("+5215550100002"))
    conversation = conversation_of(first)
    resolve_hours_ago(conversation, 71)

    again = receive(text="otra vez falla", **sender("+5215550100002"))

    assert again.conversation_id == conversation.pk
    conversation.refresh_from_db()
    assert conversation.status == "open"
    assert conversation.resolved_at is None
    assert Conversation.objects.count() == 1


@override_settings(REOPEN_WINDOW_HOURS=72)
def test_a_conversation_resolved_longer_ago_than_the_window_gets_a_new_one(
    brand: Brand, receive: Receive
) -> None:
    first = receive(**sender("+5215550100002"))
    old = conversation_of(first)
    resolve_hours_ago(old, 73)

    again = receive(text="tengo otro problema", **sender("+5215550100002"))

    assert again.conversation_id != old.pk
    assert again.customer_id == first.customer_id
    old.refresh_from_db()
    assert old.status == "resolved"
    new = conversation_of(again)
    assert new.status == "open"
    assert new.resolved_at is None


@override_settings(REOPEN_WINDOW_HOURS=1)
def test_the_reopen_window_comes_from_the_settings(brand: Brand, receive: Receive) -> None:
    first = receive(**sender("+5215550100002"))
    resolve_hours_ago(conversation_of(first), 2)

    again = receive(**sender("+5215550100002"))

    assert again.conversation_id != first.conversation_id


# --- idempotence and recovery ----------------------------------------------------------------


def test_processing_the_same_ids_twice_changes_nothing_the_second_time(
    brand: Brand, payload: Payload
) -> None:
    ids = [
        accept(payload, **sender("+5215550100002")).pk,
        accept(payload, **sender("+5215550100003")).pk,
        accept(payload, channel="sms", **sender("+5215550100002")).pk,
    ]
    assert process_received(ids) == 3
    before = list(
        Message.objects.order_by("pk").values_list(
            "pk", "state", "conversation_id", "customer_id", "processed_at"
        )
    )
    conversations = list(
        Conversation.objects.order_by("pk").values_list("pk", "updated_at", "status")
    )

    assert process_received(ids) == 0
    assert process_received(ids + ids) == 0

    assert (
        list(
            Message.objects.order_by("pk").values_list(
                "pk", "state", "conversation_id", "customer_id", "processed_at"
            )
        )
        == before
    )
    assert (
        list(Conversation.objects.order_by("pk").values_list("pk", "updated_at", "status"))
        == conversations
    )
    assert Customer.objects.count() == 2
    assert ChannelIdentity.objects.count() == 3


def test_processing_ignores_unknown_ids_and_outbound_messages(
    brand: Brand, receive: Receive
) -> None:
    first = receive(**sender("+5215550100002"))
    reply = do_reply(conversation_of(first), "hola", CLI)

    assert process_received([reply.pk, 999_999]) == 0
    reply.refresh_from_db()
    assert reply.state == "queued"


def test_stranded_received_messages_are_found_and_processed_by_recovery(
    brand: Brand, payload: Payload
) -> None:
    stranded = [accept(payload, **sender(f"+52155501000{n}")).pk for n in (12, 13, 14)]

    assert recover(timedelta(hours=1))["inbound"] == 0
    assert set(Message.objects.values_list("state", flat=True)) == {"received"}

    result = recover(timedelta(0))

    assert result["inbound"] == 3
    assert set(Message.objects.filter(pk__in=stranded).values_list("state", flat=True)) == {
        "processed"
    }
    assert Conversation.objects.count() == 3
    assert recover(timedelta(0))["inbound"] == 0


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("hola, no puedo pagar mi abono desde la aplicación, me marca un error", "es"),
        ("hello, I cannot pay my installment from the app, it keeps showing an error", "en"),
        ("שלום, האפליקציה לא עובדת ואני לא מצליח לשלם", "he"),
        ("האפליקציה לא עובדת, login error", "he"),
    ],
)
def test_the_language_of_a_message_is_detected(
    brand: Brand, receive: Receive, text: str, language: str
) -> None:
    message = receive(text=text, **sender("+5215550100002"))

    assert message.language == language
    assert conversation_of(message).language == language
    assert Customer.objects.get(pk=message.customer_id).language == language


def test_a_message_without_letters_takes_the_brands_language(
    make_brand: Callable[..., Brand], receive: Receive
) -> None:
    make_brand(slug="altamar-tiendas", default_language="en")

    message = receive(text="12345 !!", **sender("+5215550100002"))

    assert message.language == "en"

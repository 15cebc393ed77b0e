"""The impersonation watch in live traffic: findings, alerts, tags and warnings."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from amparo.core.models import AuditEvent, Brand
from amparo.inbox.models import Conversation, Direction, Message
from amparo.lookalike.models import LookalikeFinding, OfficialAccount

Receive = Callable[..., Message]


@pytest.fixture
def registry(brand: Brand) -> Brand:
    OfficialAccount.objects.create(brand=brand, platform="x", handle="AltamarAyuda")
    OfficialAccount.objects.create(brand=brand, platform="instagram", handle="altamar.tiendas")
    brand.official_domains = ["altamar.example"]
    brand.save()
    return brand


def public_post(author: str, handle: str, text: str, thread: str, **sender: Any) -> dict[str, Any]:
    return {
        "channel": "x",
        "from": {"external_id": author, "handle": handle, "display_name": handle, **sender},
        "text": text,
        "thread_id": thread,
        "public": True,
    }


def outbound(conversation: Conversation) -> list[Message]:
    return list(conversation.messages.filter(direction=Direction.OUTBOUND))


def test_a_fake_support_account_in_a_customers_thread_is_found_and_the_customer_warned(
    registry: Brand, receive: Receive
) -> None:
    customer = receive(**public_post("1001", "lupita_hdz", "@AltamarAyuda no puedo pagar!!", "t1"))
    fake = receive(
        **public_post(
            "666",
            "AltamarAyuda_MX",
            "Hola, mándanos tu código por DM para ayudarte",
            "t1",
            followers=3,
            account_created_at="2026-11-23T10:00:00Z",
        )
    )

    finding = LookalikeFinding.objects.get(kind="author")
    assert finding.candidate == "AltamarAyuda_MX"
    assert finding.imitates == "x:AltamarAyuda"
    assert "country_suffix" in finding.reasons
    assert finding.author["followers"] == 3
    assert finding.message_id == fake.pk
    warned = Conversation.objects.get(pk=customer.conversation_id)
    [warning] = outbound(warned)
    assert "AltamarAyuda_MX" in warning.text and "@AltamarAyuda" in warning.text
    assert "lookalike_warned" in warned.tags
    assert "lookalike" in Conversation.objects.get(pk=fake.conversation_id).tags
    assert AuditEvent.objects.filter(action="lookalike.detected").count() >= 1


def test_the_official_account_itself_raises_nothing(registry: Brand, receive: Receive) -> None:
    receive(**public_post("1002", "lupita2", "ayuda", "t2"))
    receive(**public_post("42", "AltamarAyuda", "Hola, te escribimos por DM", "t2"))

    assert LookalikeFinding.objects.count() == 0


def test_a_customer_is_warned_once_per_lookalike(registry: Brand, receive: Receive) -> None:
    customer = receive(**public_post("1003", "cliente3", "no me llega mi pedido", "t3"))
    for n in range(3):
        receive(**public_post("667", "AItamarAyuda", f"escríbenos al DM {n}", "t3"))

    finding = LookalikeFinding.objects.get(kind="author")
    assert finding.seen == 3
    assert "confusable" in finding.reasons or "homoglyph" in finding.reasons
    assert len(outbound(Conversation.objects.get(pk=customer.conversation_id))) == 1
    assert finding.warnings_sent == 1


def test_a_lookalike_link_or_mention_in_a_private_message_warns_its_sender(
    registry: Brand, receive: Receive
) -> None:
    message = receive(
        text="me escribió @AltamarAyuda_Oficial y me mandó a https://altamar-soporte.example/login",
        **{"from": {"external_id": "+5215550100009"}},
    )

    kinds = {f.kind: f for f in LookalikeFinding.objects.all()}
    assert kinds["mention"].candidate == "AltamarAyuda_Oficial"
    assert kinds["link"].candidate == "altamar-soporte.example"
    assert kinds["link"].imitates == "altamar.example"
    warnings = outbound(Conversation.objects.get(pk=message.conversation_id))
    assert len(warnings) == 2


def test_the_official_domain_and_ordinary_links_are_left_alone(
    registry: Brand, receive: Receive
) -> None:
    receive(
        text="entré a https://www.altamar.example/pagos y a https://wikipedia.org, nada",
        **{"from": {"external_id": "+5215550100010"}},
    )

    assert LookalikeFinding.objects.count() == 0


def test_without_a_registry_nothing_is_checked(brand: Brand, receive: Receive) -> None:
    receive(**public_post("1004", "AltamarAyuda_MX", "hola", "t4"))

    assert LookalikeFinding.objects.count() == 0


def test_warnings_can_be_turned_off(registry: Brand, receive: Receive, settings: Any) -> None:
    settings.LOOKALIKE_WARN = False
    customer = receive(**public_post("1005", "cliente5", "ayuda", "t5"))
    receive(**public_post("668", "Altamar_Ayuda", "mándanos tu NIP", "t5"))

    assert LookalikeFinding.objects.count() == 1
    assert outbound(Conversation.objects.get(pk=customer.conversation_id)) == []


def test_the_warning_speaks_the_customers_language(registry: Brand, receive: Receive) -> None:
    customer = receive(**public_post("1006", "dani_cohen", "האפליקציה לא עובדת מהבוקר", "t6"))
    receive(**public_post("669", "AltamarAyudaa", "שלח לנו את הקוד בפרטי", "t6"))

    [warning] = outbound(Conversation.objects.get(pk=customer.conversation_id))
    assert "AltamarAyudaa" in warning.text
    assert any("\u0590" <= ch <= "\u05ff" for ch in warning.text)


def test_hostile_author_names_do_not_break_processing(registry: Brand, receive: Receive) -> None:
    for n, handle in enumerate(["\u202eAltamarAyuda", "A" * 120, "🔥" * 50, "Altamar\u200bAyuda"]):
        message = receive(**public_post(f"77{n}", handle, "hola", f"t7{n}"))
        assert message.state == "processed"
    assert LookalikeFinding.objects.filter(candidate__contains="Altamar").count() >= 2

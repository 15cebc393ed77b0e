"""The demo: Grupo Altamar's brands and three days of customers' messages, ready to explore."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.test import override_settings

from amparo.core.demo import ADMIN_EMAIL, ensure_demo_admin, load_demo
from amparo.core.models import Agent, Brand, Component
from amparo.inbox.models import Conversation, Message

# Digit runs a card number could hide in: groups of digits with one space or dash between.
DIGIT_RUN = re.compile(r"(?<![\w+])\d+(?:[ -]\d+)*")
CARD_LENGTHS = {
    "4": 16,
    "51": 16,
    "52": 16,
    "53": 16,
    "54": 16,
    "55": 16,
    "34": 15,
    "37": 15,
    "6011": 16,
}


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char) * (2 if index % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def looks_like_card(digits: str) -> bool:
    return any(
        digits.startswith(prefix) and len(digits) == length
        for prefix, length in CARD_LENGTHS.items()
    ) and luhn(digits)


def card_numbers_in(text: str) -> list[str]:
    """Card numbers as people type them: whole groups of a digit run, also next to other
    numbers ("4111 1111 1111 1111 12/27"); a phone number's "+" rules its run out."""
    found = []
    for run in DIGIT_RUN.findall(text):
        groups = re.split(r"[ -]", run)
        for start in range(len(groups)):
            for end in range(start + 1, len(groups) + 1):
                candidate = "".join(groups[start:end])
                if looks_like_card(candidate):
                    found.append(candidate)
    return found


@pytest.fixture
def demo(db: None) -> int:
    return load_demo()


def test_the_demo_loads_two_brands_with_components_named_in_three_languages(demo: int) -> None:
    assert sorted(Brand.objects.values_list("slug", flat=True)) == [
        "altamar-tiendas",
        "banco-altamar",
    ]
    components = list(Component.objects.all())
    assert len(components) >= 8
    for component in components:
        assert set(component.names) >= {"es", "en", "he"}
        assert all(component.names[code].strip() for code in ("es", "en", "he"))
        assert re.search(r"[\u0590-\u05FF]", component.names["he"])


def test_the_demo_loads_at_least_200_messages_all_processed(demo: int) -> None:
    inbound = Message.objects.filter(direction="in")
    assert demo >= 200
    assert inbound.count() == demo
    assert not inbound.exclude(state="processed").exists()
    assert not Message.objects.filter(conversation=None).exists()


def test_the_demos_impersonators_are_found_and_its_own_accounts_are_not(demo: int) -> None:
    from amparo.lookalike.models import LookalikeFinding

    found = {f.candidate.lower() for f in LookalikeFinding.objects.all()}
    assert {"bancoaltamarsupport", "bancoaltamar_soporte", "altamarayuda_mx"} <= found
    assert "bancoaltamar" not in found
    assert "altamartiendas" not in found
    # Every outbound message the demo makes is such a warning, queued for the channel.
    for message in Message.objects.filter(direction="out"):
        assert message.author is None and message.sender == {"actor": "system"}


def test_the_demo_speaks_spanish_english_and_hebrew(demo: int) -> None:
    languages = Counter(Message.objects.values_list("language", flat=True))

    assert languages["es"] >= 40
    assert languages["en"] >= 40
    assert languages["he"] >= 40


def test_the_demo_spans_at_least_four_channels(demo: int) -> None:
    assert Message.objects.values("channel").distinct().count() >= 4


def test_a_demo_customer_writes_on_two_channels(demo: int) -> None:
    channels: dict[int, set[str]] = {}
    for customer_id, channel in Conversation.objects.values_list("customer_id", "channel"):
        channels.setdefault(customer_id, set()).add(channel)

    assert max(len(used) for used in channels.values()) >= 2


def test_no_demo_message_keeps_a_card_number_after_redaction(demo: int) -> None:
    leaks = {
        message.pk: card_numbers_in(message.text) + card_numbers_in(str(message.raw))
        for message in Message.objects.all()
    }

    assert {pk: cards for pk, cards in leaks.items() if cards} == {}


def test_the_card_finder_used_above_finds_cards(db: None) -> None:
    assert card_numbers_in("mi tarjeta 4111 1111 1111 1111 12/27") == ["4111111111111111"]
    assert card_numbers_in("amex 378282246310005.") == ["378282246310005"]
    assert card_numbers_in("llamame al +5215550100001") == []
    assert card_numbers_in("id 44711541908948964, folio 4111111111111112") == []


def test_the_demo_admin_is_created_once_and_its_password_kept(db: None, tmp_path: Path) -> None:
    with override_settings(DATA_DIR=tmp_path):
        email, password = ensure_demo_admin()
        again_email, again_password = ensure_demo_admin()

    assert email == again_email == ADMIN_EMAIL
    assert password is not None
    assert again_password == password
    admin = Agent.objects.get(email=ADMIN_EMAIL)
    assert admin.role == "admin"
    assert admin.check_password(password)
    assert Agent.objects.filter(email=ADMIN_EMAIL).count() == 1
    credentials = tmp_path / "demo-credentials.txt"
    assert credentials.read_text(encoding="utf-8").strip() == password
    assert credentials.stat().st_mode & 0o077 == 0

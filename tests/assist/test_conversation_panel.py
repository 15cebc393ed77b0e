"""What the conversation page shows of the register and the library: the context
`assist_context` builds and the snippet the inbox includes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from amparo.assist.models import VulnerabilityRecord
from amparo.assist.panel import assist_context
from amparo.core.models import Agent, Brand
from amparo.inbox.models import Conversation, Message

Receive = Callable[..., Message]
MakeRecord = Callable[..., VulnerabilityRecord]


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    # A request in another language leaves it active in the test's thread.
    with translation.override("en"):
        yield


@pytest.fixture
def converse(brand: Brand, receive: Receive) -> Callable[..., Conversation]:
    def make(text: str, **overrides: Any) -> Conversation:
        message = receive(text=text, **overrides)
        return Conversation.objects.select_related("brand", "customer").get(
            pk=message.conversation_id
        )

    return make


def panel(conversation: Conversation, agent: Agent) -> str:
    request = RequestFactory().get("/")
    request.user = agent
    return render_to_string(
        "assist/_conversation_panel.html", assist_context(conversation, agent), request
    )


def test_a_distressed_customer_without_a_record_gets_a_suggestion_and_signposts(
    converse: Callable[..., Conversation], alice: Agent
) -> None:
    conversation = converse("no tengo para comer y mis hijos tienen hambre")
    latest = conversation.messages.get()

    assist = assist_context(conversation, alice)["assist"]

    assert assist["record"] is None
    assert assist["suggestion"]["drivers"] == ["resilience"]
    assert assist["suggest_url"] == (
        f"/console/customers/{conversation.customer_id}/vulnerability?message={latest.pk}"
    )
    assert [s.name for s in assist["signposts"]][0] == "Red de Bancos de Alimentos de México (BAMX)"
    html = panel(conversation, alice)
    assert "data-suggest-record" in html
    assert (
        f'href="/console/customers/{conversation.customer_id}/vulnerability?message={latest.pk}"'
        in html
    )
    assert "No money for food" in html
    assert "bamx.org.mx" in html
    assert not VulnerabilityRecord.objects.exists()


def test_a_calm_customer_gets_neither_suggestion_nor_signposts(
    converse: Callable[..., Conversation], alice: Agent
) -> None:
    conversation = converse("¿cuál es el horario de la tienda?")

    assist = assist_context(conversation, alice)["assist"]

    assert (assist["record"], assist["suggestion"], assist["signposts"]) == (None, None, [])
    html = panel(conversation, alice)
    assert "No vulnerability record." in html
    assert "data-signpost" not in html


def test_a_scam_report_points_to_the_financial_regulator(
    converse: Callable[..., Conversation], alice: Agent
) -> None:
    conversation = converse("me pidieron mi NIP por DM, es una estafa")

    assist = assist_context(conversation, alice)["assist"]

    assert "CONDUSEF" in [s.name for s in assist["signposts"]]


def test_the_record_shows_in_the_panel_per_who_is_looking(
    converse: Callable[..., Conversation],
    make_record: MakeRecord,
    alice: Agent,
    bob: Agent,
    sue: Agent,
) -> None:
    conversation = converse("hola")
    make_record(of=conversation.customer, by=alice, drivers=["resilience"])

    for_bob = assist_context(conversation, bob)["assist"]
    for_sue = assist_context(conversation, sue)["assist"]

    assert for_bob["suggestion"] is None
    assert "details" not in for_bob["record"]
    assert for_bob["record"]["needs"] == "Llamar después de las 10am; hablar despacio"
    assert "quimioterapia" in for_sue["record"]["details"]
    # The record's driver (resilience) asks for debt and money advice in the brand's country.
    assert [s.name for s in for_bob["signposts"]] == ["CONDUSEF"]
    bob_html = panel(conversation, bob)
    assert "quimioterapia" not in bob_html
    assert 'data-effect="pause_collections"' in bob_html
    assert "quimioterapia" in panel(conversation, sue)


def test_a_record_for_another_brand_is_not_shown(
    converse: Callable[..., Conversation],
    make_record: MakeRecord,
    make_brand: Callable[..., Brand],
    sue: Agent,
) -> None:
    conversation = converse("hola")
    make_record(of=conversation.customer, brand=make_brand(name="Banco Altamar"))

    assert assist_context(conversation, sue)["assist"]["record"] is None


def test_a_hebrew_speaker_in_israel_gets_hebrew_signposts(
    make_brand: Callable[..., Brand], receive: Receive, alice: Agent
) -> None:
    make_brand(slug="bank-leumit-demo", country="IL", default_language="he")
    message = receive(brand="bank-leumit-demo", text="אין לי כסף לאוכל")
    conversation = Conversation.objects.get(pk=message.conversation_id)
    assert conversation.language == "he"

    assist = assist_context(conversation, alice)["assist"]

    assert assist["signpost_language"] == "he"
    listed = [s.name for s in assist["signposts"]]
    assert listed[:2] == ["לקט ישראל", "מוקד 118 של משרד הרווחה"]  # food first
    assert {"ידיד – זכויות בקהילה", "פעמונים"} <= set(listed)
    with translation.override("he"):
        html = panel(conversation, alice)
    assert 'lang="he"' in html
    assert "לקט ישראל" in html

"""Agents' topic corrections reach the next training of the topic model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amparo.core.models import Brand, Customer
from amparo.inbox.models import Conversation, TopicCorrection
from amparo.triage import model
from amparo.triage.corrections import export_corrections


@pytest.fixture
def conversation(brand: Brand) -> Conversation:
    customer = Customer.objects.create(display_name="Ana")
    return Conversation.objects.create(brand=brand, customer=customer, channel="whatsapp")


def correct(conversation: Conversation, text: str, corrected: list[str]) -> TopicCorrection:
    return TopicCorrection.objects.create(
        conversation=conversation,
        text=text,
        language="es",
        predicted=["other"],
        corrected=corrected,
    )


def test_the_latest_correction_of_each_text_is_exported(
    conversation: Conversation, tmp_path: Path
) -> None:
    correct(conversation, "no me llega el paquete", ["app_down"])
    correct(conversation, "no me llega el paquete", ["order_delivery"])
    correct(conversation, "me cobraron doble", ["fees_interest", "made_up_topic"])
    correct(conversation, "   ", ["other"])

    assert export_corrections(tmp_path) == 2

    lines = [
        json.loads(line) for line in (tmp_path / model.CORRECTIONS_FILE).read_text().splitlines()
    ]
    assert {row["text"]: row["topics"] for row in lines} == {
        "me cobraron doble": ["fees_interest"],
        "no me llega el paquete": ["order_delivery"],
    }


def test_a_text_whose_topics_were_all_removed_teaches_nothing(
    conversation: Conversation, tmp_path: Path
) -> None:
    correct(conversation, "hola", ["other"])
    correct(conversation, "hola", [])

    assert export_corrections(tmp_path) == 0
    assert not (tmp_path / model.CORRECTIONS_FILE).exists()


def test_exported_corrections_join_the_training_data_and_change_the_fingerprint(
    conversation: Conversation, tmp_path: Path
) -> None:
    before = model.fingerprint(tmp_path)
    correct(conversation, "la app dice error 503 al pagar la luz", ["payment_failed", "app_down"])

    export_corrections(tmp_path)

    learned = [e for e in model.training_examples(tmp_path) if e.source == "correction"]
    assert [(e.text, e.topics) for e in learned] == [
        ("la app dice error 503 al pagar la luz", ("payment_failed", "app_down"))
    ]
    assert model.SOURCE_WEIGHT["correction"] > model.SOURCE_WEIGHT["amparo"]
    assert model.fingerprint(tmp_path) != before
    assert model.model_path(tmp_path).name == f"topics-{model.fingerprint(tmp_path)}.joblib"


def test_a_damaged_corrections_file_costs_only_its_bad_lines(tmp_path: Path) -> None:
    (tmp_path / model.CORRECTIONS_FILE).write_text(
        'not json\n{"text": "x"}\n{"text": "mi tarjeta no pasa", "topics": ["card_declined"]}\n',
        encoding="utf-8",
    )

    learned = model.corrections(tmp_path)

    assert [(e.text, e.topics) for e in learned] == [("mi tarjeta no pasa", ("card_declined",))]

"""The topic model: its data, its cache, and quality figures on fixed held-out data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from amparo.triage import model
from amparo.triage.evaluate import banking77_accuracy, held_out_scores, macro_f1
from amparo.triage.topics import BANKING77_TOPIC, CLINC150_TOPIC, TOPICS


def test_every_banking77_intent_maps_onto_a_topic() -> None:
    categories = json.loads((model.DATA_DIR / "banking77" / "categories.json").read_text())
    assert set(categories) == set(BANKING77_TOPIC)
    assert set(BANKING77_TOPIC.values()) <= set(TOPICS)
    assert set(CLINC150_TOPIC.values()) <= set(TOPICS)


@pytest.mark.parametrize("language", ["es", "en", "he"])
def test_there_are_at_least_sixty_written_examples_per_topic_and_language(language: str) -> None:
    examples = model.written_examples(language)
    for topic in TOPICS:
        assert sum(e.topics[0] == topic for e in examples) >= 60, topic


def test_the_held_out_split_is_fixed_by_content_and_never_trained_on() -> None:
    held = [e for e in model.written_examples("es") if model.held_out(e.text)]
    trained = {e.text for e in model.training_examples()}

    assert 0.1 < len(held) / len(model.written_examples("es")) < 0.3
    assert not any(e.text in trained for e in held)


def test_folding_removes_case_accents_niqqud_and_long_repeats() -> None:
    assert model.normalize("NO SÉ qué PASÓOOOO 1234 https://x.y/z") == "no se que pasoo 00  url "
    assert model.normalize("שָׁלוֹם") == "שלום"


def test_macro_f1_is_the_mean_over_labels() -> None:
    assert macro_f1(["a", "a", "b"], ["a", "b", "b"]) == pytest.approx((2 / 3 + 2 / 3) / 2)


def test_the_model_is_cached_under_the_fingerprint_of_its_data(tmp_path: Path) -> None:
    first = model.model_path(tmp_path)

    assert first.name == f"topics-{model.fingerprint(tmp_path)}.joblib"
    assert model.fingerprint() == model.fingerprint()


def test_scores_are_probabilities_and_the_best_topic_comes_first() -> None:
    topic_model = model.topic_model()
    rows = topic_model.probabilities(["my card was declined", "האפליקציה לא עובדת"])

    for row in rows:
        assert set(row) == set(TOPICS)
        assert sum(row.values()) == pytest.approx(1.0, abs=1e-6)
    for topics in topic_model.topics(["no me llega mi pedido y ya pasaron 2 semanas"]):
        scores = [score for _, score in topics]
        assert scores == sorted(scores, reverse=True)
        assert topics[0][0] == "order_delivery"


def test_held_out_quality_per_language() -> None:
    # Measured 0.871 (es), 0.880 (en), 0.837 (he); the floor catches a broken model or data.
    for language, (f1, _accuracy, count) in held_out_scores().items():
        assert count >= 400, language
        assert f1 >= 0.78, (language, f1)


def test_banking77_accuracy_on_its_official_test_split() -> None:
    accuracy, count = banking77_accuracy()

    assert count == 3080
    assert accuracy >= 0.90

"""The guard's classifiers: kept in the model directory under a fingerprint, retrained
when the file is damaged or the data changes, and judged fold by fold without the
held-out set."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from amparo.assist import evaluate, learned
from amparo.assist.guard import guard, normalize

ROWS = [
    {"text": "Please send me the PIN of your card right now here.", "reasons": ["secret_request"]},
    {"text": "Never share your PIN with anyone, not even with us.", "reasons": []},
    {"text": "Calm down, it is our policy and nothing can be done.", "reasons": ["dismissive"]},
    {"text": "I am so sorry, we will call you tomorrow before noon.", "reasons": []},
    {
        "text": "We will refund every fee to you by Friday, guaranteed.",
        "reasons": ["unfunded_promise"],
    },
    {"text": "Thanks for waiting, your parcel arrives on Monday morning.", "reasons": []},
] * 3


def test_classifiers_are_saved_once_and_loaded_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learned, "development_rows", lambda: ROWS)
    first = learned.load_or_train(tmp_path)
    saved = list(tmp_path.glob("guard-*.joblib"))
    assert len(saved) == 1 and saved[0].name == f"guard-{learned.fingerprint()}.joblib"

    def no_training(rows: object) -> learned.Classifiers:
        raise AssertionError("trained again although a saved file was there")

    monkeypatch.setattr(learned, "train", no_training)
    second = learned.load_or_train(tmp_path)
    text = normalize("Please send me the PIN of your card right now here.")
    assert second.probabilities(text) == pytest.approx(first.probabilities(text))


def test_a_damaged_file_is_retrained_and_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learned, "development_rows", lambda: ROWS)
    path = tmp_path / f"guard-{learned.fingerprint()}.joblib"
    path.write_bytes(b"not a model")
    classifiers = learned.load_or_train(tmp_path)
    assert set(classifiers.reasons) == set(learned.REASONS)
    assert path.read_bytes() != b"not a model"


def test_files_of_older_data_are_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learned, "development_rows", lambda: ROWS)
    (tmp_path / "guard-0000000000000000.joblib").write_bytes(b"old")
    (tmp_path / "topics-0000000000000000.joblib").write_bytes(b"another model's")
    learned.load_or_train(tmp_path)
    assert not (tmp_path / "guard-0000000000000000.joblib").exists()
    assert (tmp_path / "topics-0000000000000000.joblib").exists()


def test_an_unwritable_directory_still_gives_a_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(learned, "development_rows", lambda: ROWS)
    blocker = tmp_path / "file"
    blocker.write_text("a file where the directory should be")
    classifiers = learned.load_or_train(blocker / "models")
    assert set(classifiers.reasons) == set(learned.REASONS)


def test_the_fingerprint_follows_the_training_data(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = learned.fingerprint()
    extra = tmp_path / "guard_eval.extra.jsonl"
    extra.write_text('{"id": "x", "text": "hola", "verdict": "ok", "reasons": []}\n')
    monkeypatch.setattr(evaluate, "DATA", tmp_path)
    monkeypatch.setattr(evaluate, "DEVELOPMENT", ("guard_eval.extra.jsonl",))
    assert learned.fingerprint() != before


def test_using_answers_with_other_classifiers_for_a_while() -> None:
    text = "Could you kindly pop the little secret thing in here for me please?"
    # classifiers that have seen only this sentence as a secret request
    rows = [{"text": text, "reasons": ["secret_request"]}, *ROWS]
    before = learned.models()
    with learned.using(learned.train(rows)):
        inside = learned.models().probabilities(normalize(text))["secret_request"]
    assert learned.models() is before  # the process's classifiers are back
    assert inside > 0.5
    assert learned.models() is not None and learned.models().reasons == learned.REASONS
    assert guard("Thanks, your parcel arrives on Monday morning.").verdict == "ok"


def test_eval_cross_prints_pooled_figures_of_every_development_file(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Three small files keep the folds quick; the mechanics are the same for twenty.
    small = ("guard_eval.fourth.jsonl", "guard_eval.fifth.jsonl", "guard_eval.first_test.jsonl")
    monkeypatch.setattr(evaluate, "DEVELOPMENT", small)
    out = io.StringIO()
    call_command("guard", "eval", "--cross", stdout=out)
    printed = out.getvalue()
    total = len(evaluate.items(evaluate.DEVELOPMENT))
    assert f"one file left out at a time: {total} labelled replies" in printed
    assert "held-out" not in printed
    assert "secret_request" in printed and "verdict accuracy" in printed

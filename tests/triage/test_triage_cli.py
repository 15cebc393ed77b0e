"""`amparo triage [FILE|-]`: one JSON line out per line in, with a stable shape."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

KEYS = {"id", "language", "topics", "distress", "scam", "redacted"}


def triage_file(path: Path, *args: str) -> tuple[list[dict], str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("triage", str(path), *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def write(tmp_path: Path, lines: list[str | bytes]) -> Path:
    path = tmp_path / "in.jsonl"
    path.write_bytes(
        b"\n".join(line if isinstance(line, bytes) else line.encode() for line in lines)
    )
    return path


@pytest.mark.django_db
def test_every_line_gets_the_documented_shape(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            json.dumps({"id": "a1", "text": "no puedo pagar mi abono, la app no abre"}),
            json.dumps({"id": 2, "text": "my card was declined at the store"}),
            json.dumps({"id": None, "text": "האפליקציה לא עובדת ואני לא יכול לשלם"}),
        ],
    )

    rows, _ = triage_file(path)

    assert [row["id"] for row in rows] == ["a1", 2, None]
    for row in rows:
        assert set(row) == KEYS
        assert row["topics"] and all(set(t) == {"topic", "score"} for t in row["topics"])
        assert all(0.0 <= t["score"] <= 1.0 for t in row["topics"])
        assert set(row["distress"]) == {"score", "cues"} and set(row["scam"]) == {"score", "cues"}
    assert [row["language"] for row in rows] == ["es", "en", "he"]
    assert rows[1]["topics"][0]["topic"] == "card_declined"


@pytest.mark.django_db
def test_the_redacted_text_never_holds_a_card_number(tmp_path: Path) -> None:
    path = write(tmp_path, [json.dumps({"id": 1, "text": "tarjeta 4111 1111 1111 1111 rechazada"})])

    rows, _ = triage_file(path)

    assert rows[0]["redacted"] == "tarjeta [card] rechazada"
    assert "4111" not in json.dumps(rows)


@pytest.mark.django_db
def test_bad_lines_get_an_error_line_and_a_numbered_message(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            json.dumps({"id": 1, "text": "hola"}),
            b"not json",
            json.dumps({"id": 3, "text": 42}),
            b"\xff\xfe",
            json.dumps(["a", "list"]),
        ],
    )

    rows, err = triage_file(path)

    assert len(rows) == 5
    assert "error" not in rows[0]
    assert rows[2] == {"id": 3, "error": "text: a string is required"}
    assert all("error" in row for row in rows[1:])
    assert "line 2:" in err and "line 4:" in err and "line 5:" in err


@pytest.mark.django_db
def test_it_reads_standard_input(monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"id": 7, "text": "someone from a support account asked for my code"}) + "\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    out = io.StringIO()

    call_command("triage", "-", stdout=out)

    row = json.loads(out.getvalue())
    assert row["id"] == 7
    assert row["scam"]["score"] >= 0.5


@pytest.mark.django_db
def test_huge_and_hostile_texts_are_answered(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        [
            json.dumps({"id": 1, "text": "🔥" * 50_000}),
            json.dumps({"id": 2, "text": "\u202eno tengo para comer\u200d\x00" + "a" * 200_000}),
            json.dumps({"id": 3, "text": ""}),
        ],
    )

    rows, _ = triage_file(path)

    assert [row["id"] for row in rows] == [1, 2, 3]
    assert rows[1]["distress"]["score"] >= 0.8
    assert rows[2]["language"] == ""


def test_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="nowhere.jsonl"):
        call_command("triage", str(tmp_path / "nowhere.jsonl"), "--official-domain", "a.example")

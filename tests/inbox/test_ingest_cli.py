"""`amparo ingest FILE`: bulk import of normalized inbound messages from JSON lines."""

from __future__ import annotations

import io
import json
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from amparo.core.models import Brand, Customer
from amparo.inbox.actions import process_received
from amparo.inbox.models import Conversation, Message

Payload = Callable[..., dict[str, Any]]


def jsonl(*items: dict[str, Any] | str) -> str:
    return "".join((item if isinstance(item, str) else json.dumps(item)) + "\n" for item in items)


def write(tmp_path: Path, content: str | bytes, name: str = "messages.jsonl") -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def ingest(path: Path | str, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ingest", str(path), "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def ingest_failing(path: Path | str, *args: str) -> tuple[CommandError, str]:
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("ingest", str(path), "--no-progress", *args, stdout=StringIO(), stderr=err)
    return raised.value, err.getvalue()


def messages(payload: Payload, count: int) -> list[dict[str, Any]]:
    return [
        payload(
            channel_message_id=f"wamid.import{n}",
            **{"from": {"external_id": f"+52155501000{n + 10}"}},
        )
        for n in range(count)
    ]


def assert_nothing_stored() -> None:
    assert Message.objects.count() == 0
    assert Customer.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


# --- importing ---------------------------------------------------------------------------


def test_it_imports_a_file_and_reports_the_count(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    items = messages(payload, 3)

    out, err = ingest(write(tmp_path, jsonl(*items)))

    assert out.strip() == "imported 3, duplicates 0, rejected 0"
    assert err == ""
    stored = Message.objects.order_by("pk")
    assert [m.channel_message_id for m in stored] == [i["channel_message_id"] for i in items]
    assert all(m.state == "received" and m.brand_id == brand.pk for m in stored)
    assert DBTaskResult.objects.count() == 1


def test_running_it_again_imports_nothing_new(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    path = write(tmp_path, jsonl(*messages(payload, 4)))
    ingest(path)
    ids_before = sorted(Message.objects.values_list("pk", flat=True))
    tasks_before = DBTaskResult.objects.count()

    out, _ = ingest(path)

    assert out.strip() == "imported 0, duplicates 4, rejected 0"
    assert sorted(Message.objects.values_list("pk", flat=True)) == ids_before
    assert DBTaskResult.objects.count() == tasks_before


@pytest.mark.parametrize("batch_size", ["1000", "1"])
def test_a_message_repeated_in_the_same_file_is_stored_once(
    tmp_path: Path, brand: Brand, payload: Payload, batch_size: str
) -> None:
    first, second = messages(payload, 2)
    again = {**first, "text": "the same id again, other text"}

    out, _ = ingest(write(tmp_path, jsonl(first, second, again)), "--batch-size", batch_size)

    assert out.strip() == "imported 2, duplicates 1, rejected 0"
    assert Message.objects.count() == 2
    assert Message.objects.get(channel_message_id=first["channel_message_id"]).text == first["text"]


def test_the_same_id_on_two_channels_is_two_messages(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    on_whatsapp = payload(channel_message_id="777")
    on_sms = payload(channel="sms", channel_message_id="777")

    out, _ = ingest(write(tmp_path, jsonl(on_whatsapp, on_sms)))

    assert out.strip() == "imported 2, duplicates 0, rejected 0"


def test_small_batches_import_everything(tmp_path: Path, brand: Brand, payload: Payload) -> None:
    items = messages(payload, 5)

    out, _ = ingest(write(tmp_path, jsonl(*items)), "--batch-size", "2")

    assert out.strip() == "imported 5, duplicates 0, rejected 0"
    assert Message.objects.count() == 5
    # One processing task per batch: 2 + 2 + 1.
    assert DBTaskResult.objects.count() == 3


@pytest.mark.parametrize("batch_size", ["0", "10001", "-5"])
def test_it_refuses_a_batch_size_out_of_range(
    tmp_path: Path, brand: Brand, payload: Payload, batch_size: str
) -> None:
    error, _ = ingest_failing(write(tmp_path, jsonl(payload())), "--batch-size", batch_size)

    assert "--batch-size" in str(error)
    assert_nothing_stored()


def test_blank_lines_are_ignored(tmp_path: Path, brand: Brand, payload: Payload) -> None:
    first, second = messages(payload, 2)
    content = "\n" + json.dumps(first) + "\n   \n\t\n" + json.dumps(second) + "\n\n"

    out, err = ingest(write(tmp_path, content))

    assert out.strip() == "imported 2, duplicates 0, rejected 0"
    assert err == ""


# --- rejects -----------------------------------------------------------------------------


def test_one_bad_line_rejects_the_whole_file(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    good = messages(payload, 4)
    bad = {**payload(), "channel": "carrier-pigeon"}
    path = write(tmp_path, jsonl(good[0], good[1], bad, good[2], good[3]))

    error, err = ingest_failing(path)

    assert "1 of 5 lines rejected" in str(error)
    assert "nothing imported" in str(error)
    assert err.splitlines()[0].startswith("line 3: channel")
    assert len(err.splitlines()) == 1
    assert_nothing_stored()


def test_each_rejected_line_is_reported_by_its_number(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    content = jsonl(payload(), "{not json", "", "[1, 2]", payload(), payload(text=""))

    _, err = ingest_failing(write(tmp_path, content))

    reported = [line.split(":")[0] for line in err.splitlines()]
    assert reported == ["line 2", "line 4", "line 6"]
    assert "not valid JSON" in err
    assert "one JSON object" in err
    assert_nothing_stored()


def test_skip_invalid_imports_the_valid_lines(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    good = messages(payload, 3)
    content = jsonl(good[0], "{broken", good[1], payload(brand="nope"), good[2])

    out, err = ingest(write(tmp_path, content), "--skip-invalid")

    assert out.strip() == "imported 3, duplicates 0, rejected 2"
    assert "line 2:" in err
    assert "line 4:" in err
    assert sorted(Message.objects.values_list("channel_message_id", flat=True)) == sorted(
        g["channel_message_id"] for g in good
    )


def test_an_unknown_brand_is_reported_with_its_line_number(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    content = jsonl(payload(), payload(brand="banco-fantasma"))

    _, err = ingest_failing(write(tmp_path, content))

    assert err.strip() == "line 2: brand: there is no brand with the slug 'banco-fantasma'"
    assert_nothing_stored()


def test_a_line_longer_than_the_body_limit_is_rejected(
    tmp_path: Path, brand: Brand, payload: Payload, settings: Any
) -> None:
    settings.MAX_BODY_BYTES = 2048
    content = jsonl(payload(), payload(raw={"padding": "x" * 3000}))

    _, err = ingest_failing(write(tmp_path, content))

    assert err.startswith("line 2: line longer than 2048 bytes")
    assert_nothing_stored()


def test_an_invalid_utf8_line_is_rejected_with_its_line_number(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    content = jsonl(payload(), payload()).encode() + b'{"text": "caf\xe9"}\n'

    error, stderr = ingest_failing(write(tmp_path, content))

    assert "line 3: not UTF-8" in stderr
    assert "1 of 3 lines rejected" in str(error)
    assert_nothing_stored()


def test_a_missing_file_fails(tmp_path: Path, brand: Brand) -> None:
    error, _ = ingest_failing(tmp_path / "nowhere.jsonl")

    assert "no such file" in str(error)
    assert_nothing_stored()


# --- stdin -------------------------------------------------------------------------------


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temp dir the command spools stdin to, kept inside this test's tmp_path."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    return spool


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch, private_tmp: Path) -> Callable[[str], None]:
    def feed(content: str) -> None:
        monkeypatch.setattr(
            sys, "stdin", io.TextIOWrapper(io.BytesIO(content.encode("utf-8")), encoding="utf-8")
        )

    return feed


def test_a_dash_reads_the_messages_from_stdin(
    brand: Brand, payload: Payload, stdin: Callable[[str], None]
) -> None:
    stdin(jsonl(*messages(payload, 3)))

    out, _ = ingest("-")

    assert out.strip() == "imported 3, duplicates 0, rejected 0"
    assert Message.objects.count() == 3


def test_stdin_with_a_bad_line_imports_nothing(
    brand: Brand, payload: Payload, stdin: Callable[[str], None]
) -> None:
    stdin(jsonl(payload(), "{oops"))

    _, err = ingest_failing("-")

    assert err.startswith("line 2:")
    assert_nothing_stored()


# BUG (amparo/core/management/commands/ingest.py, readable_path): stdin is copied to a
# NamedTemporaryFile(delete=False) that is never removed, so every `amparo ingest -`
# leaves a full copy of the customers' messages (names, phones, text) in the temp dir.
def test_reading_stdin_leaves_no_copy_of_the_messages_behind(
    brand: Brand, payload: Payload, stdin: Callable[[str], None], private_tmp: Path
) -> None:
    stdin(jsonl(*messages(payload, 2)))

    ingest("-")

    assert Message.objects.count() == 2
    assert list(private_tmp.iterdir()) == []


# --- processing what was imported --------------------------------------------------------


def test_imported_messages_are_processed(tmp_path: Path, brand: Brand, payload: Payload) -> None:
    ingest(write(tmp_path, jsonl(*messages(payload, 4))), "--batch-size", "3")
    ids = list(Message.objects.values_list("pk", flat=True))

    assert process_received(ids) == 4

    assert set(Message.objects.values_list("state", flat=True)) == {"processed"}
    assert Conversation.objects.count() == 4
    assert Customer.objects.count() == 4


@pytest.fixture
def keep_signal_handlers() -> Iterator[None]:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGINT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


# The worker closes its database connection each turn (close_old_connections), which
# the per-test transaction would not survive: this test commits for real.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("keep_signal_handlers")
def test_the_worker_processes_imported_messages(
    tmp_path: Path, brand: Brand, payload: Payload
) -> None:
    ingest(write(tmp_path, jsonl(*messages(payload, 5))), "--batch-size", "2")

    call_command("worker", "--once")

    assert set(Message.objects.values_list("state", flat=True)) == {"processed"}
    assert all(m.conversation_id and m.customer_id for m in Message.objects.all())
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

"""Original texts: not kept by default; when kept, encrypted, audited, and expired."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from amparo.core.models import AuditEvent, Brand
from amparo.inbox.actions import do_accept_inbound, do_accept_inbound_batch
from amparo.inbox.models import Message, OriginalText
from amparo.inbox.originals import purge_expired
from amparo.inbox.schemas import InboundMessageIn

CARD = "4111 1111 1111 1111"
KEY = Fernet.generate_key().decode()


@pytest.fixture
def keep(settings: Any) -> Any:
    settings.KEEP_ORIGINAL_DAYS = 30
    settings.ORIGINAL_KEYS = [KEY]
    return settings


def accept(payload: Callable[..., dict[str, Any]], **overrides: Any) -> Message:
    return do_accept_inbound(InboundMessageIn.model_validate(payload(**overrides))).message


def test_by_default_only_the_redacted_text_is_stored(
    brand: Brand, payload: Callable[..., dict[str, Any]]
) -> None:
    message = accept(payload, text=f"mi tarjeta {CARD} no pasa")

    assert "4111" not in message.text
    assert OriginalText.objects.count() == 0


def test_a_kept_original_is_encrypted_and_read_only_with_a_reason(
    brand: Brand, payload: Callable[..., dict[str, Any]], keep: Any
) -> None:
    message = accept(payload, text=f"mi tarjeta {CARD} no pasa")

    row = OriginalText.objects.get(message=message)
    assert b"4111" not in bytes(row.ciphertext)
    assert timedelta(days=29) < row.expires_at - timezone.now() <= timedelta(days=30)
    with pytest.raises(CommandError, match="reason"):
        call_command("original", "show", str(message.pk), "--reason", "  ")
    out = StringIO()
    call_command("original", "show", str(message.pk), "--reason", "chargeback #88", stdout=out)
    assert out.getvalue().strip() == f"mi tarjeta {CARD} no pasa"
    event = AuditEvent.objects.get(action="message.original_read")
    assert event.after == {"reason": "chargeback #88"}
    assert "4111" not in str(event.after)


def test_a_text_redaction_left_alone_is_not_copied(
    brand: Brand, payload: Callable[..., dict[str, Any]], keep: Any
) -> None:
    accept(payload, text="mi pedido 123456 no llega")

    assert OriginalText.objects.count() == 0


def test_a_batch_keeps_the_originals_of_its_new_messages_once(
    brand: Brand, payload: Callable[..., dict[str, Any]], keep: Any
) -> None:
    items = [
        InboundMessageIn.model_validate(payload(text=f"tarjeta {CARD}")),
        InboundMessageIn.model_validate(payload(text="hola")),
    ]
    do_accept_inbound_batch(items)
    do_accept_inbound_batch(items)  # a repeat stores nothing twice

    assert OriginalText.objects.count() == 1


def test_a_rotated_key_still_reads_older_originals(
    brand: Brand, payload: Callable[..., dict[str, Any]], keep: Any
) -> None:
    message = accept(payload, text=f"tarjeta {CARD}")
    keep.ORIGINAL_KEYS = [Fernet.generate_key().decode(), KEY]

    out = StringIO()
    call_command("original", "show", str(message.pk), "--reason", "audit", stdout=out)
    assert CARD in out.getvalue()


def test_expired_originals_are_purged_and_no_longer_readable(
    brand: Brand, payload: Callable[..., dict[str, Any]], keep: Any
) -> None:
    message = accept(payload, text=f"tarjeta {CARD}")
    OriginalText.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(CommandError, match="no original"):
        call_command("original", "show", str(message.pk), "--reason", "audit")
    assert purge_expired() == 1
    assert Message.objects.filter(pk=message.pk).exists()


def test_reading_an_unknown_message_is_a_clear_error(db: None, keep: Any) -> None:
    with pytest.raises(CommandError, match="no original text is kept for message 999"):
        call_command("original", "show", "999", "--reason", "audit")


def test_newkey_prints_a_usable_key() -> None:
    out = StringIO()
    call_command("original", "newkey", stdout=out)
    Fernet(out.getvalue().strip().encode())


def test_the_api_path_keeps_originals_too(
    brand: Brand, api: Client, payload: Callable[..., dict[str, Any]], keep: Any
) -> None:
    response = api.post(
        "/api/v1/messages", payload(text=f"pagué con {CARD}"), content_type="application/json"
    )

    assert response.status_code == 202
    assert OriginalText.objects.count() == 1

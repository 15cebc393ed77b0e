"""The original, unredacted text of inbound messages, for operators that must keep it.

Off by default: amparo stores only redacted text. With AMPARO_KEEP_ORIGINAL_DAYS > 0,
an inbound message whose text redaction changed also gets an `OriginalText` row,
encrypted with Fernet under AMPARO_ORIGINAL_KEYS, written in the same transaction as
the message, read only through `amparo original show` (audited, with a reason) and
deleted by the worker once it expires. Texts that redaction left alone are not copied:
the stored text is already the original.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from amparo.core.audit import Actor, record
from amparo.inbox.models import Message, OriginalText


class OriginalNotKept(Exception):
    pass


def keeping() -> bool:
    return settings.KEEP_ORIGINAL_DAYS > 0


def cipher():  # type: ignore[no-untyped-def]
    from cryptography.fernet import Fernet, MultiFernet

    return MultiFernet([Fernet(key) for key in settings.ORIGINAL_KEYS])


def seal(text: str) -> bytes:
    return cipher().encrypt(text.encode("utf-8"))


def unseal(ciphertext: bytes) -> str:
    return cipher().decrypt(bytes(ciphertext)).decode("utf-8")


def keep_originals(pairs: Iterable[tuple[Message, str]]) -> int:
    """Store the originals of saved messages whose text redaction changed."""
    if not keeping():
        return 0
    expires = timezone.now() + timedelta(days=settings.KEEP_ORIGINAL_DAYS)
    rows = [
        OriginalText(message_id=message.pk, ciphertext=seal(original), expires_at=expires)
        for message, original in pairs
        if message.pk and original != message.text
    ]
    OriginalText.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def show_original(message_id: int, actor: Actor, reason: str) -> str:
    """The original text, decrypted; the reading is audited with its reason."""
    if not reason.strip():
        raise ValueError("a reason is required to read an original text")
    with transaction.atomic():
        row = OriginalText.objects.filter(
            message_id=message_id, expires_at__gt=timezone.now()
        ).first()
        if row is None:
            raise OriginalNotKept(f"no original text is kept for message {message_id}")
        text = unseal(row.ciphertext)
        record(actor, "message.original_read", row.message, after={"reason": reason.strip()[:500]})
    return text


def purge_expired() -> int:
    deleted, _ = OriginalText.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted

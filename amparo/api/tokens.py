"""Creating, checking and revoking API tokens.

A token reads `amp_<prefix>_<secret>`. The prefix finds the row; the SHA-256 of the
whole token is compared in constant time. Tokens are random 256-bit values, so a
plain fast hash is enough (a slow password hash protects low-entropy secrets).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from amparo.api.models import ApiToken, Scope
from amparo.core.audit import Actor, record, snapshot
from amparo.core.models import Agent

LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(ValueError):
    pass


@dataclass
class IssuedToken:
    token: ApiToken
    secret: str


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def validate_scopes(scopes: list[str]) -> list[str]:
    unknown = sorted(set(scopes) - set(Scope.values))
    if unknown:
        raise TokenError(
            f"unknown scope(s): {', '.join(unknown)}; known: {', '.join(Scope.values)}"
        )
    if not scopes:
        raise TokenError("a token needs at least one scope")
    return sorted(set(scopes))


def do_create_token(
    name: str, scopes: list[str], actor: Actor, created_by: Agent | None = None
) -> IssuedToken:
    name = name.strip()
    if not name or len(name) > 80:
        raise TokenError("a token name has 1 to 80 characters")
    scopes = validate_scopes(scopes)
    if ApiToken.objects.filter(name=name).exists():
        raise TokenError(f"a token named {name!r} already exists")
    prefix = secrets.token_hex(6)
    raw = f"amp_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name,
            prefix=prefix,
            token_hash=hash_token(raw),
            scopes=scopes,
            created_by=created_by,
        )
        record(actor, "token.create", token, None, snapshot(token, ["name", "scopes"]))
    return IssuedToken(token=token, secret=raw)


def do_revoke_token(token: ApiToken, actor: Actor) -> ApiToken:
    with transaction.atomic():
        before = snapshot(token, ["revoked_at"])
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor, "token.revoke", token, before, snapshot(token, ["revoked_at"]))
    return token


def authenticate_token(raw: str) -> ApiToken | None:
    parts = raw.split("_")
    if len(parts) < 3 or parts[0] != "amp" or len(raw) > 200:
        return None
    token = ApiToken.objects.filter(prefix=parts[1], revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(raw)):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # At most one write a minute per token: the hot ingest path stays read-only here.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

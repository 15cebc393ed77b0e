"""API tokens: stored only as a hash, created and revoked with `amparo token`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.forms.models import model_to_dict
from django.test import Client

from amparo.api.models import ApiToken
from amparo.api.tokens import authenticate_token
from amparo.core.models import AuditEvent, Brand
from amparo.inbox.models import Message


def create(name: str, *scopes: str) -> str:
    out, err = StringIO(), StringIO()
    args = ["token", "create", "--name", name]
    for scope in scopes:
        args += ["--scope", scope]
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue().strip()


def submit(secret: str, body: dict[str, Any]) -> Any:
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    return client.post("/api/v1/messages", data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_secret_is_stored_only_as_its_sha256() -> None:
    secret = create("crm", "messages:write")

    token = ApiToken.objects.get(name="crm")
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    stored = json.dumps(model_to_dict(token), default=str)
    secret_part = secret.split("_", 2)[2]
    assert secret not in stored
    assert secret_part not in stored
    assert token.prefix == secret.split("_")[1]
    for event in AuditEvent.objects.all():
        assert secret_part not in json.dumps([event.before, event.after])


@pytest.mark.django_db
def test_a_created_token_prints_once_and_works_against_the_api(
    brand: Brand, payload: Callable[..., dict[str, Any]]
) -> None:
    out, err = StringIO(), StringIO()

    call_command(
        "token", "create", "--name", "n", "--scope", "messages:write", stdout=out, stderr=err
    )

    secret = out.getvalue().strip()
    assert secret.startswith("amp_")
    assert len(secret.splitlines()) == 1
    assert secret not in err.getvalue()
    assert "cannot be shown again" in err.getvalue()
    response = submit(secret, payload())
    assert response.status_code == 202
    assert Message.objects.count() == 1
    assert ApiToken.objects.get(name="n").scopes == ["messages:write"]


@pytest.mark.django_db
def test_a_token_gets_exactly_the_scopes_it_was_created_with(
    brand: Brand, payload: Callable[..., dict[str, Any]]
) -> None:
    secret = create("reader", "conversations:read")

    assert submit(secret, payload()).status_code == 403
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/conversations").status_code == 200


@pytest.mark.django_db
def test_a_token_can_have_several_scopes() -> None:
    create("both", "conversations:read", "conversations:write", "conversations:read")

    assert ApiToken.objects.get(name="both").scopes == ["conversations:read", "conversations:write"]


@pytest.mark.django_db
def test_creating_a_token_with_a_taken_name_fails() -> None:
    first = create("crm", "messages:write")

    with pytest.raises(CommandError, match="already exists"):
        create("crm", "conversations:read")

    assert ApiToken.objects.filter(name="crm").count() == 1
    assert authenticate_token(first) is not None


@pytest.mark.django_db
def test_creating_a_token_with_an_unknown_scope_fails() -> None:
    with pytest.raises(CommandError):
        create("crm", "everything:admin")

    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_a_revoked_token_is_refused_afterwards(
    brand: Brand, payload: Callable[..., dict[str, Any]]
) -> None:
    secret = create("crm", "messages:write")
    assert submit(secret, payload()).status_code == 202
    out = StringIO()

    call_command("token", "revoke", "crm", stdout=out)

    assert "revoked crm" in out.getvalue()
    response = submit(secret, payload())
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert ApiToken.objects.get(name="crm").revoked_at is not None
    assert AuditEvent.objects.filter(action="token.revoke").count() == 1


@pytest.mark.django_db
def test_revoking_an_unknown_or_already_revoked_token_fails() -> None:
    create("crm", "messages:write")
    call_command("token", "revoke", "crm", stdout=StringIO())

    with pytest.raises(CommandError):
        call_command("token", "revoke", "crm", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("token", "revoke", "nobody", stdout=StringIO())


@pytest.mark.django_db
def test_token_list_never_prints_secrets() -> None:
    active = create("crm", "messages:write")
    revoked = create("old", "conversations:read")
    call_command("token", "revoke", "old", stdout=StringIO())
    out, err = StringIO(), StringIO()

    call_command("token", "list", stdout=out, stderr=err)

    listing = out.getvalue() + err.getvalue()
    assert "crm\tmessages:write\tactive" in listing
    assert "old\tconversations:read\trevoked" in listing
    for secret in (active, revoked):
        assert secret not in listing
        assert secret.split("_", 2)[2] not in listing
    for token in ApiToken.objects.all():
        assert token.token_hash not in listing

"""`amparo agent`: create agents from the command line and list them."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from amparo.core.models import Agent, AuditEvent


def create(*args: str) -> str:
    out = io.StringIO()
    call_command("agent", "create", *args, stdout=out)
    return out.getvalue()


def printed_password(output: str) -> str:
    match = re.search(r"^password: (\S+)$", output, re.M)
    assert match, output
    return match.group(1)


def test_create_prints_a_generated_password_that_logs_in(db: None) -> None:
    output = create("--email", "Noa@Altamar.example", "--role", "supervisor")

    password = printed_password(output)
    agent = Agent.objects.get(email="noa@altamar.example")
    assert agent.role == "supervisor"
    assert len(password) >= 12
    assert agent.check_password(password)
    assert authenticate(username="noa@altamar.example", password=password) == agent


def test_each_created_agent_gets_its_own_password(db: None) -> None:
    first = printed_password(create("--email", "one@altamar.example"))
    second = printed_password(create("--email", "two@altamar.example"))

    assert first != second


def test_create_writes_an_audit_event_by_the_cli(db: None) -> None:
    create("--email", "noa@altamar.example", "--role", "admin", "--name", "Noa", "--language", "he")

    event = AuditEvent.objects.get(action="agent.create")
    assert event.actor_label == "cli"
    assert event.actor is None
    assert event.after["email"] == "noa@altamar.example"
    assert event.after["role"] == "admin"
    assert event.after["language"] == "he"
    assert "password" not in event.after


@pytest.mark.parametrize(
    "email", ["alice@altamar.example", "ALICE@altamar.example", " alice@altamar.example "]
)
def test_create_refuses_an_email_already_in_use(alice: Agent, email: str) -> None:
    with pytest.raises(CommandError, match="already exists"):
        create("--email", email)

    assert Agent.objects.count() == 1
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "email",
    [
        "not-an-email",
        "",
        "noa@",
        "@altamar.example",
        "noa@@altamar.example",
        "noa smith@altamar.example",
    ],
)
def test_create_refuses_a_malformed_email(db: None, email: str) -> None:
    with pytest.raises(CommandError):
        create("--email", email)

    assert not Agent.objects.exists()


def test_create_refuses_an_unknown_role(db: None) -> None:
    with pytest.raises(CommandError):
        create("--email", "noa@altamar.example", "--role", "root")

    assert not Agent.objects.exists()


def test_list_shows_agents_without_passwords(db: None) -> None:
    password = printed_password(create("--email", "noa@altamar.example", "--role", "supervisor"))
    out = io.StringIO()

    call_command("agent", "list", stdout=out)

    listing = out.getvalue()
    assert "noa@altamar.example\tsupervisor\tes\tactive" in listing.splitlines()
    assert password not in listing
    assert Agent.objects.get().password not in listing
    assert "pbkdf2" not in listing

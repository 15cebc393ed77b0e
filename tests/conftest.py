"""Shared fixtures: factories for brands, agents, tokens, and inbound payloads."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amparo.api.tokens import do_create_token
from amparo.core.audit import CLI
from amparo.core.models import Agent, Brand, Component, Role
from amparo.inbox.actions import do_accept_inbound, process_received
from amparo.inbox.models import Message
from amparo.inbox.schemas import InboundMessageIn

_ids = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"
ALL_SCOPES = ["messages:write", "conversations:read", "conversations:write", "components:write"]


@pytest.fixture
def make_brand(db: None) -> Callable[..., Brand]:
    def make(**overrides: Any) -> Brand:
        n = next(_ids)
        fields = {
            "slug": f"brand-{n}",
            "name": f"Brand {n}",
            "country": "MX",
            "default_language": "es",
        }
        return Brand.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def brand(make_brand: Callable[..., Brand]) -> Brand:
    return make_brand(slug="altamar-tiendas", name="Altamar Tiendas")


@pytest.fixture
def make_component(db: None) -> Callable[..., Component]:
    def make(brand: Brand, **overrides: Any) -> Component:
        n = next(_ids)
        fields = {"slug": f"component-{n}", "name": f"Component {n}"}
        return Component.objects.create(brand=brand, **{**fields, **overrides})

    return make


@pytest.fixture
def make_agent(db: None) -> Callable[..., Agent]:
    def make(role: str = Role.AGENT, **overrides: Any) -> Agent:
        n = next(_ids)
        email = overrides.pop("email", f"agent{n}@altamar.example")
        return Agent.objects.create_agent(email=email, password=PASSWORD, role=role, **overrides)

    return make


@pytest.fixture
def alice(make_agent: Callable[..., Agent]) -> Agent:
    """An agent."""
    return make_agent(Role.AGENT, email="alice@altamar.example", display_name="Alice")


@pytest.fixture
def bob(make_agent: Callable[..., Agent]) -> Agent:
    """Another agent, alice's teammate."""
    return make_agent(Role.AGENT, email="bob@altamar.example", display_name="Bob")


@pytest.fixture
def sue(make_agent: Callable[..., Agent]) -> Agent:
    """A supervisor."""
    return make_agent(Role.SUPERVISOR, email="sue@altamar.example", display_name="Sue")


@pytest.fixture
def ada(make_agent: Callable[..., Agent]) -> Agent:
    """An administrator."""
    return make_agent(Role.ADMIN, email="ada@altamar.example", display_name="Ada")


@pytest.fixture
def make_token(db: None) -> Callable[..., str]:
    def make(scopes: list[str] | None = None, name: str | None = None) -> str:
        issued = do_create_token(name or f"token-{next(_ids)}", scopes or ALL_SCOPES, CLI)
        return issued.secret

    return make


@pytest.fixture
def api(make_token: Callable[..., str]) -> Client:
    """A test client that sends a token with every scope."""
    return Client(headers={"Authorization": f"Bearer {make_token()}"})


@pytest.fixture
def payload() -> Callable[..., dict[str, Any]]:
    """A valid normalized inbound message as JSON-ready data."""

    def make(**overrides: Any) -> dict[str, Any]:
        n = next(_ids)
        data: dict[str, Any] = {
            "channel": "whatsapp",
            "channel_message_id": f"wamid.test{n}",
            "brand": "altamar-tiendas",
            "from": {"external_id": "+5215550100001", "display_name": "Lupita Hernández"},
            "text": "no puedo pagar mi abono desde la app",
        }
        return {**data, **overrides}

    return make


@pytest.fixture
def receive(payload: Callable[..., dict[str, Any]]) -> Callable[..., Message]:
    """Accept and process one inbound message, as the API and worker would."""

    def make(**overrides: Any) -> Message:
        accepted = do_accept_inbound(InboundMessageIn.model_validate(payload(**overrides)))
        process_received([accepted.message.pk])
        return Message.objects.get(pk=accepted.message.pk)

    return make


@pytest.fixture
def logged_in(client: Client) -> Callable[[Agent], Client]:
    def login(agent: Agent) -> Client:
        client.force_login(agent)
        return client

    return login

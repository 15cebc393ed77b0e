"""The console's admin pages: components (supervisors), brands and agents (administrators)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from amparo.core.models import Agent, AuditEvent, Brand, Component

LoggedIn = Callable[[Agent], Client]
STRONG_PASSWORD = "lantern-quarry-velvet-42"


@pytest.fixture
def component(brand: Brand, make_component: Callable[..., Component]) -> Component:
    return make_component(brand, slug="app-payments", name="App payments")


def agent_form(**overrides: str) -> dict[str, str]:
    return {
        "email": "noa@altamar.example",
        "display_name": "Noa",
        "role": "agent",
        "language": "he",
        "password": STRONG_PASSWORD,
        **overrides,
    }


# --- components -------------------------------------------------------------------------


def test_an_agent_may_not_see_the_component_list(
    logged_in: LoggedIn, alice: Agent, component: Component
) -> None:
    assert logged_in(alice).get("/console/components").status_code == 403


def test_a_supervisor_sees_the_component_list(
    logged_in: LoggedIn, sue: Agent, component: Component
) -> None:
    response = logged_in(sue).get("/console/components")

    assert response.status_code == 200
    assert "App payments" in response.content.decode()


def test_a_supervisor_changes_a_component_status_with_an_audit_event(
    logged_in: LoggedIn, sue: Agent, component: Component
) -> None:
    response = logged_in(sue).post(
        f"/console/components/{component.pk}/status", {"status": "major_outage"}
    )

    assert response.status_code == 302
    component.refresh_from_db()
    assert component.status == "major_outage"
    event = AuditEvent.objects.get(action="component.status")
    assert event.actor == sue
    assert event.object_id == str(component.pk)
    assert event.before == {"status": "operational"}
    assert event.after == {"status": "major_outage"}


@pytest.mark.parametrize("status", ["broken", "", "Major outage"])
def test_an_invalid_component_status_is_refused(
    logged_in: LoggedIn, sue: Agent, component: Component, status: str
) -> None:
    logged_in(sue).post(f"/console/components/{component.pk}/status", {"status": status})

    component.refresh_from_db()
    assert component.status == "operational"
    assert not AuditEvent.objects.exists()


def test_an_agent_may_not_change_a_component_status(
    logged_in: LoggedIn, alice: Agent, component: Component
) -> None:
    response = logged_in(alice).post(
        f"/console/components/{component.pk}/status", {"status": "major_outage"}
    )

    assert response.status_code == 403
    component.refresh_from_db()
    assert component.status == "operational"


# --- who sees the admin pages -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/console/brands",
        "/console/brands/new",
        "/console/agents",
        "/console/agents/new",
        "/console/components/new",
    ],
)
@pytest.mark.parametrize("who", ["alice", "sue"])
def test_agents_and_supervisors_may_not_open_admin_pages(
    request: pytest.FixtureRequest, logged_in: LoggedIn, path: str, who: str
) -> None:
    agent: Agent = request.getfixturevalue(who)

    assert logged_in(agent).get(path).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/console/brands",
        "/console/brands/new",
        "/console/agents",
        "/console/agents/new",
        "/console/components",
        "/console/components/new",
    ],
)
def test_an_admin_opens_every_admin_page(
    logged_in: LoggedIn, ada: Agent, brand: Brand, path: str
) -> None:
    assert logged_in(ada).get(path).status_code == 200


def test_an_admin_sees_brands_and_agents_listed(
    logged_in: LoggedIn, ada: Agent, alice: Agent, brand: Brand
) -> None:
    client = logged_in(ada)

    assert "Altamar Tiendas" in client.get("/console/brands").content.decode()
    assert "alice@altamar.example" in client.get("/console/agents").content.decode()


# --- an admin creates ---------------------------------------------------------------------


def test_an_admin_creates_a_brand(logged_in: LoggedIn, ada: Agent) -> None:
    response = logged_in(ada).post(
        "/console/brands/new",
        {
            "slug": "banco-altamar",
            "name": "Banco Altamar",
            "country": "MX",
            "default_language": "es",
        },
    )

    assert response.status_code == 302
    created = Brand.objects.get(slug="banco-altamar")
    assert created.name == "Banco Altamar"
    event = AuditEvent.objects.get(action="brand.create")
    assert event.actor == ada
    assert event.after["slug"] == "banco-altamar"


def test_an_admin_creates_a_component_with_names_in_three_languages(
    logged_in: LoggedIn, ada: Agent, brand: Brand
) -> None:
    response = logged_in(ada).post(
        "/console/components/new",
        {
            "brand": brand.pk,
            "slug": "atm",
            "name": "ATMs",
            "status": "operational",
            "position": 3,
            "name_es": "Cajeros automáticos",
            "name_en": "ATMs",
            "name_he": "כספומטים",
        },
    )

    assert response.status_code == 302
    created = Component.objects.get(brand=brand, slug="atm")
    assert created.names == {"es": "Cajeros automáticos", "en": "ATMs", "he": "כספומטים"}
    assert created.name_in("he") == "כספומטים"
    assert AuditEvent.objects.filter(action="component.create", actor=ada).count() == 1


def test_an_admin_creates_an_agent_who_can_log_in(logged_in: LoggedIn, ada: Agent) -> None:
    response = logged_in(ada).post("/console/agents/new", agent_form(role="supervisor"))

    assert response.status_code == 302
    created = Agent.objects.get(email="noa@altamar.example")
    assert created.role == "supervisor"
    assert created.language == "he"
    assert authenticate(username="noa@altamar.example", password=STRONG_PASSWORD) == created
    event = AuditEvent.objects.get(action="agent.create")
    assert event.actor == ada
    assert "password" not in event.after


@pytest.mark.parametrize("password", ["short-pass1", "password1234"])
def test_an_agent_password_must_be_long_and_uncommon(
    logged_in: LoggedIn, ada: Agent, password: str
) -> None:
    response = logged_in(ada).post("/console/agents/new", agent_form(password=password))

    assert response.status_code == 400
    assert not Agent.objects.filter(email="noa@altamar.example").exists()


@pytest.mark.parametrize("email", ["alice@altamar.example", "Alice@Altamar.example"])
def test_an_agent_email_may_not_be_used_twice(
    logged_in: LoggedIn, ada: Agent, alice: Agent, email: str
) -> None:
    response = logged_in(ada).post("/console/agents/new", agent_form(email=email))

    assert response.status_code == 400
    assert Agent.objects.filter(email__iexact="alice@altamar.example").count() == 1
    assert not AuditEvent.objects.exists()


def test_an_admin_cannot_remove_their_own_admin_role(logged_in: LoggedIn, ada: Agent) -> None:
    client = logged_in(ada)
    edit = {"display_name": "Ada", "language": "en", "is_active": "on"}

    client.post(f"/console/agents/{ada.pk}", {**edit, "role": "supervisor"})
    client.post(f"/console/agents/{ada.pk}", {**edit, "role": "admin", "is_active": ""})

    ada.refresh_from_db()
    assert ada.role == "admin"
    assert ada.is_active
    assert not AuditEvent.objects.filter(action="agent.update").exists()


def test_an_admin_may_change_another_agents_role(
    logged_in: LoggedIn, ada: Agent, alice: Agent
) -> None:
    response = logged_in(ada).post(
        f"/console/agents/{alice.pk}",
        {"display_name": "Alice", "language": "es", "is_active": "on", "role": "supervisor"},
    )

    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.role == "supervisor"
    event = AuditEvent.objects.get(action="agent.update")
    assert event.before["role"] == "agent"
    assert event.after["role"] == "supervisor"


# --- invalid forms ------------------------------------------------------------------------

INVALID_FORMS: list[tuple[str, dict[str, Any]]] = [
    (
        "/console/brands/new",
        {"slug": "no spaces allowed", "name": "X", "country": "MX", "default_language": "es"},
    ),
    (
        "/console/brands/new",
        {"slug": "fine-slug", "name": "X", "country": "MX", "default_language": "fr"},
    ),
    (
        "/console/brands/new",
        {"slug": "altamar-tiendas", "name": "Dup", "country": "MX", "default_language": "es"},
    ),
    (
        "/console/components/new",
        {"slug": "atm", "name": "ATMs", "status": "operational", "position": 0},
    ),
    (
        "/console/components/new",
        {"brand": "BRAND", "slug": "atm", "name": "ATMs", "status": "burning", "position": 0},
    ),
    (
        "/console/components/new",
        {"brand": "BRAND", "slug": "atm", "name": "", "status": "operational", "position": 0},
    ),
    ("/console/agents/new", agent_form(email="not-an-email")),
    ("/console/agents/new", agent_form(role="root")),
    ("/console/agents/new", agent_form(language="fr")),
]


@pytest.mark.parametrize(("path", "data"), INVALID_FORMS)
def test_an_invalid_form_answers_400_and_writes_nothing(
    logged_in: LoggedIn, ada: Agent, brand: Brand, path: str, data: dict[str, Any]
) -> None:
    data = {key: brand.pk if value == "BRAND" else value for key, value in data.items()}
    counts = (Brand.objects.count(), Component.objects.count(), Agent.objects.count())

    response = logged_in(ada).post(path, data)

    assert response.status_code == 400
    assert (Brand.objects.count(), Component.objects.count(), Agent.objects.count()) == counts
    assert not AuditEvent.objects.exists()

"""Factories for the vulnerability register and the signposting library."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from amparo.assist.models import Signpost, VulnerabilityRecord
from amparo.assist.register import RecordData, do_create_record, today
from amparo.core.audit import Actor
from amparo.core.models import Agent, Customer

DETAILS = "Lupita está en quimioterapia hasta marzo; su esposo falleció en enero."


@pytest.fixture
def make_customer(db: None) -> Callable[..., Customer]:
    def make(**overrides: Any) -> Customer:
        return Customer.objects.create(**{"display_name": "Lupita Hernández", **overrides})

    return make


@pytest.fixture
def customer(make_customer: Callable[..., Customer]) -> Customer:
    return make_customer()


@pytest.fixture
def record_data() -> Callable[..., RecordData]:
    def make(**overrides: Any) -> RecordData:
        fields: dict[str, Any] = {
            "drivers": ["health", "life_event"],
            "review_at": today() + timedelta(days=90),
            "needs": "Llamar después de las 10am; hablar despacio",
            "details": DETAILS,
            "thanked": True,
            "explained": True,
            "consent_given": True,
            "asked": True,
            "signposted": True,
        }
        return RecordData(**{**fields, **overrides})

    return make


@pytest.fixture
def make_record(
    customer: Customer, alice: Agent, record_data: Callable[..., RecordData]
) -> Callable[..., VulnerabilityRecord]:
    """A record alice (an agent) made with the customer's consent."""

    def make(of: Customer | None = None, by: Agent | None = None, **overrides: Any) -> Any:
        actor = Actor.of_agent(by or alice)
        return do_create_record(of or customer, record_data(**overrides), actor)

    return make


@pytest.fixture
def make_signpost(db: None) -> Callable[..., Signpost]:
    def make(**overrides: Any) -> Signpost:
        fields: dict[str, Any] = {
            "country": "ZZ",
            "language": "es",
            "name": "Ayuda Zeta",
            "kinds": ["debt"],
            "url": "https://ayuda.example",
        }
        return Signpost.objects.create(**{**fields, **overrides})

    return make

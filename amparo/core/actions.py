"""Writes to brands, components and agents, each with its audit event."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from amparo.core.audit import Actor, record, snapshot
from amparo.core.models import Agent, Brand, Component, Role

BRAND_FIELDS = ["slug", "name", "country", "default_language"]
COMPONENT_FIELDS = ["brand", "slug", "name", "names", "status", "position"]
AGENT_FIELDS = ["email", "display_name", "role", "language", "is_active"]


def do_save_brand(brand: Brand, actor: Actor, before: dict | None = None) -> Brand:
    created = brand.pk is None
    with transaction.atomic():
        brand.updated_at = timezone.now()
        brand.save()
        record(
            actor,
            "brand.create" if created else "brand.update",
            brand,
            before,
            snapshot(brand, BRAND_FIELDS),
        )
    return brand


def do_save_component(component: Component, actor: Actor, before: dict | None = None) -> Component:
    created = component.pk is None
    with transaction.atomic():
        component.updated_at = timezone.now()
        component.save()
        record(
            actor,
            "component.create" if created else "component.update",
            component,
            before,
            snapshot(component, COMPONENT_FIELDS),
        )
    return component


def do_set_component_status(component: Component, status: str, actor: Actor) -> Component:
    with transaction.atomic():
        locked = Component.objects.select_for_update().select_related("brand").get(pk=component.pk)
        before = snapshot(locked, ["status"])
        locked.status = status
        locked.updated_at = timezone.now()
        locked.save(update_fields=["status", "updated_at"])
        record(actor, "component.status", locked, before, snapshot(locked, ["status"]))
    return locked


def do_create_agent(
    email: str,
    password: str | None,
    role: str,
    actor: Actor,
    display_name: str = "",
    language: str = "es",
) -> Agent:
    if role not in Role.values:
        raise ValueError(f"role must be one of {', '.join(Role.values)}")
    with transaction.atomic():
        agent = Agent.objects.create_agent(
            email=email, password=password, role=role, display_name=display_name, language=language
        )
        record(actor, "agent.create", agent, None, snapshot(agent, AGENT_FIELDS))
    return agent


def do_update_agent(agent: Agent, actor: Actor, **changes: object) -> Agent:
    with transaction.atomic():
        before = snapshot(agent, AGENT_FIELDS)
        for name, value in changes.items():
            setattr(agent, name, value)
        agent.save()
        record(actor, "agent.update", agent, before, snapshot(agent, AGENT_FIELDS))
    return agent

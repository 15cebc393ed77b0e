"""The audit trail: every state change goes through `record`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models

from amparo.core.models import Agent, AuditEvent


@dataclass(frozen=True)
class Actor:
    """Who acts: an agent in the console, an API token, the CLI or the system."""

    label: str
    agent: Agent | None = None

    @classmethod
    def of_agent(cls, agent: Agent) -> Actor:
        return cls(label=f"agent:{agent.email}", agent=agent)


SYSTEM = Actor(label="system")
CLI = Actor(label="cli")


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = value.pk
        values[name] = (
            value if isinstance(value, (str, int, bool, list, dict, type(None))) else str(value)
        )
    return values


def record(
    actor: Actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor.agent,
        actor_label=actor.label,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        before=before,
        after=after,
    )

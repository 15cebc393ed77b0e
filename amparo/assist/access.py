"""Who may see and change vulnerability records and signposts; one condition per line.

Every agent sees that a customer has a record, its drivers, the customer's needs and
its effects: they serve the customer and must adjust. The details the customer shared
(a diagnosis, a bereavement) are special-category data: only supervisors, administrators
and the agent the customer told see them (need to know, FG21/1 paragraph 5.37;
UK GDPR article 9).
"""

from __future__ import annotations

from amparo.assist.models import VulnerabilityRecord
from amparo.core.models import Agent, Role

SUMMARY_FIELDS = frozenset(
    {
        "customer",
        "brand",
        "drivers",
        "needs",
        "review_at",
        "status",
        "priority_routing",
        "pause_collections",
        "extra_care",
        "thanked",
        "explained",
        "consent_given",
        "asked",
        "signposted",
        "created_by",
        "created_at",
        "updated_at",
    }
)


def can_see_details(record: VulnerabilityRecord, agent: Agent) -> bool:
    if not agent.is_active:
        return False
    if agent.has_role(Role.SUPERVISOR):
        return True
    return record.created_by_id is not None and record.created_by_id == agent.pk


def visible_fields(record: VulnerabilityRecord, agent: Agent) -> frozenset[str]:
    """The record's fields this agent may read; nothing for an inactive agent."""
    if not agent.is_active:
        return frozenset()
    if can_see_details(record, agent):
        return SUMMARY_FIELDS | {"details"}
    return SUMMARY_FIELDS


def can_record(agent: Agent) -> bool:
    return agent.has_role(Role.AGENT)


def can_withdraw(agent: Agent) -> bool:
    return agent.has_role(Role.SUPERVISOR)


def can_review(agent: Agent) -> bool:
    return agent.has_role(Role.SUPERVISOR)


def can_manage_signposts(agent: Agent) -> bool:
    return agent.has_role(Role.ADMIN)

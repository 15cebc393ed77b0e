"""Who may do what: assignment rules, role ranking, inactive agents."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from amparo.core.access import can_administer, can_assign, can_manage_components
from amparo.core.models import Agent, Role

PASSWORD = "correct-horse-battery-staple"  # tests/conftest.py's password for every agent

# (who acts, assigned now, assigned after) -> allowed
ASSIGNMENT_RULES = [
    ("alice", None, "alice", True),  # takes an unassigned conversation
    ("alice", None, None, True),  # leaves it unassigned
    ("alice", "alice", None, True),  # lets go of her own
    ("alice", "alice", "alice", True),
    ("alice", None, "bob", False),  # may not hand work to a teammate
    ("alice", "alice", "bob", False),  # not even her own
    ("alice", "bob", "alice", False),  # may not take a teammate's
    ("alice", "bob", None, False),  # nor unassign it
    ("alice", "bob", "bob", False),
    ("sue", None, "bob", True),  # a supervisor assigns anyone
    ("sue", "bob", "alice", True),
    ("sue", "bob", None, True),
    ("sue", None, "sue", True),
]


@pytest.mark.parametrize(("actor", "current", "assignee", "allowed"), ASSIGNMENT_RULES)
def test_can_assign_follows_the_rules(
    request: pytest.FixtureRequest,
    actor: str,
    current: str | None,
    assignee: str | None,
    allowed: bool,
) -> None:
    def agent(name: str | None) -> Agent | None:
        return request.getfixturevalue(name) if name else None

    assert can_assign(agent(actor), agent(current), agent(assignee)) is allowed  # type: ignore[arg-type]


def test_an_inactive_supervisor_assigns_only_as_an_agent_would(sue: Agent, bob: Agent) -> None:
    sue.is_active = False

    assert not can_assign(sue, None, bob)


@pytest.mark.parametrize(
    ("who", "agent", "supervisor", "admin"),
    [("alice", True, False, False), ("sue", True, True, False), ("ada", True, True, True)],
)
def test_roles_rank_agent_below_supervisor_below_admin(
    request: pytest.FixtureRequest, who: str, agent: bool, supervisor: bool, admin: bool
) -> None:
    person: Agent = request.getfixturevalue(who)

    assert person.has_role(Role.AGENT) is agent
    assert person.has_role(Role.SUPERVISOR) is supervisor
    assert person.has_role(Role.ADMIN) is admin
    assert can_manage_components(person) is supervisor
    assert can_administer(person) is admin


def test_an_inactive_agent_has_no_role(ada: Agent) -> None:
    ada.is_active = False
    ada.save()

    assert not ada.has_role(Role.AGENT)
    assert not can_administer(ada)


def test_an_inactive_agent_cannot_log_in(alice: Agent) -> None:
    alice.is_active = False
    alice.save()
    client = Client()

    response = client.post("/login", {"username": alice.email, "password": PASSWORD})

    assert authenticate(username=alice.email, password=PASSWORD) is None
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_agent_deactivated_while_logged_in_loses_the_console(
    logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    client = logged_in(alice)
    assert client.get("/inbox").status_code == 200

    alice.is_active = False
    alice.save()

    response = client.get("/inbox")
    assert response.status_code == 302
    assert response["Location"].startswith("/login")

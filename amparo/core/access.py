"""Who may do what. Each rule is one named helper, one condition per line."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.core.models import Agent, Role


def forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "amparo/forbidden.html", status=403)


def role_required(
    role: Role,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view needs a logged-in, active agent with at least this role, else 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            agent: Agent = request.user  # type: ignore[assignment]
            if not agent.has_role(role):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def can_assign(agent: Agent, current: Agent | None, assignee: Agent | None) -> bool:
    """Supervisors assign anyone; an agent takes a conversation or lets go of their own."""
    if agent.has_role(Role.SUPERVISOR):
        return True
    if assignee is not None and assignee.pk != agent.pk:
        return False
    if current is not None and current.pk != agent.pk:
        return False
    return True


def can_manage_components(agent: Agent) -> bool:
    return agent.has_role(Role.SUPERVISOR)


def can_administer(agent: Agent) -> bool:
    return agent.has_role(Role.ADMIN)

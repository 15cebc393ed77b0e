"""Service-level chips for the console."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

register = template.Library()

SOON_MINUTES = 15


@register.filter
def sla_state(due: datetime | None) -> str:
    """breached, warning (due within 15 minutes) or ok."""
    if due is None:
        return ""
    left = (due - timezone.now()).total_seconds() / 60
    return "breached" if left < 0 else "warning" if left <= SOON_MINUTES else "ok"


@register.filter
def sla_label(due: datetime | None) -> str:
    if due is None:
        return ""
    left = round((due - timezone.now()).total_seconds() / 60)
    if left < 0:
        return _("late by %(minutes)s min") % {"minutes": -left}
    if left < 120:
        return _("reply within %(minutes)s min") % {"minutes": left}
    return _("reply by %(time)s") % {"time": timezone.localtime(due).strftime("%d/%m %H:%M")}

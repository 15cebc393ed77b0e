from __future__ import annotations

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "amparo.incidents"
    label = "incidents"
    verbose_name = "amparo incidents and status page"

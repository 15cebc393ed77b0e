from __future__ import annotations

from django.apps import AppConfig


class SlaConfig(AppConfig):
    name = "amparo.sla"
    label = "sla"
    verbose_name = "amparo queues and service levels"

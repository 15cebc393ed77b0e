from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amparo.core"
    label = "core"
    verbose_name = "amparo core"

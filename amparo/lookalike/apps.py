from __future__ import annotations

from django.apps import AppConfig


class LookalikeConfig(AppConfig):
    name = "amparo.lookalike"
    label = "lookalike"
    verbose_name = "amparo impersonation watch"

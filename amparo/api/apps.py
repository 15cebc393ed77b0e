from __future__ import annotations

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "amparo.api"
    label = "api"
    verbose_name = "amparo API"

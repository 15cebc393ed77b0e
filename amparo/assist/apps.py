from __future__ import annotations

from django.apps import AppConfig


class AssistConfig(AppConfig):
    name = "amparo.assist"
    label = "assist"
    verbose_name = "amparo agent assist"

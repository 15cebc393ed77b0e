from __future__ import annotations

from django.apps import AppConfig


class RadarConfig(AppConfig):
    name = "amparo.radar"
    label = "radar"
    verbose_name = "amparo outage radar"

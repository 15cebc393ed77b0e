from __future__ import annotations

from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "amparo.inbox"
    label = "inbox"
    verbose_name = "amparo inbox"

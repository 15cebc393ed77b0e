"""API tokens: shown once, stored only as a hash, scoped and revocable."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from amparo.core.models import Agent


class Scope(models.TextChoices):
    MESSAGES_WRITE = "messages:write", "Submit inbound messages"
    CONVERSATIONS_READ = "conversations:read", "Read conversations, customers, brands"
    CONVERSATIONS_WRITE = "conversations:write", "Reply to, assign and resolve conversations"
    COMPONENTS_WRITE = "components:write", "Change component status"
    SIGNALS_WRITE = "signals:write", "Push external signal counts to the outage radar"
    VULNERABILITY_READ = (
        "vulnerability:read",
        "Read whether a customer's vulnerability record asks for care (flags only, never details)",
    )


class ApiToken(models.Model):
    name = models.CharField(max_length=80, unique=True)
    # The public part of the token, used to find the row; the secret is only hashed.
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None

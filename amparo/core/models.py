"""Brands, their components, customers and their channel identities, agents, audit."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    WEBCHAT = "webchat", _("Web chat")
    EMAIL = "email", _("Email")
    SMS = "sms", "SMS"
    X = "x", "X"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TELEGRAM = "telegram", "Telegram"
    PHONE = "phone", _("Phone")
    OTHER = "other", _("Other")


PHONE_CHANNELS = {Channel.WHATSAPP, Channel.SMS, Channel.PHONE, Channel.TELEGRAM}


class Brand(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    country = models.CharField(max_length=2, default="MX", help_text=_("ISO 3166-1 alpha-2"))
    default_language = models.CharField(max_length=8, default="es")
    # The brand's own web domains: links elsewhere in a customer's message are a scam cue.
    official_domains = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ComponentStatus(models.TextChoices):
    OPERATIONAL = "operational", _("Operational")
    DEGRADED = "degraded", _("Degraded performance")
    PARTIAL_OUTAGE = "partial_outage", _("Partial outage")
    MAJOR_OUTAGE = "major_outage", _("Major outage")
    MAINTENANCE = "maintenance", _("Under maintenance")


class Component(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="components")
    slug = models.SlugField(max_length=60)
    # Names per language ({"es": ..., "en": ..., "he": ...}); `name` is the fallback.
    name = models.CharField(max_length=120)
    names = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=20, choices=ComponentStatus.choices, default=ComponentStatus.OPERATIONAL
    )
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["brand__name", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["brand", "slug"], name="component_unique_slug")
        ]

    def __str__(self) -> str:
        return f"{self.brand.slug}/{self.slug}"

    def name_in(self, language: str) -> str:
        return self.names.get(language) or self.name


class Customer(models.Model):
    display_name = models.CharField(max_length=200, blank=True)
    # The brand group's own customer number, when an integrator or the customer gives it.
    customer_ref = models.CharField(max_length=64, null=True, blank=True, unique=True)
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    language = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.display_name or f"customer {self.pk}"


class ChannelIdentity(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="identities")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    external_id = models.CharField(max_length=255)
    display_name = models.CharField(max_length=200, blank=True)
    handle = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="identity_unique_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.handle or self.external_id}"


class Role(models.TextChoices):
    AGENT = "agent", _("Agent")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")


ROLE_RANK = {Role.AGENT: 1, Role.SUPERVISOR: 2, Role.ADMIN: 3}


class AgentManager(BaseUserManager["Agent"]):
    def create_agent(
        self, email: str, password: str | None, role: str = Role.AGENT, **fields: object
    ) -> Agent:
        agent = self.model(email=self.normalize_email(email).lower(), role=role, **fields)
        agent.set_password(password)
        agent.save(using=self._db)
        return agent


class Agent(AbstractBaseUser):
    email = models.EmailField(unique=True)
    display_name = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.AGENT)
    language = models.CharField(max_length=8, default="es")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AgentManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["display_name", "email"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def has_role(self, role: str) -> bool:
        return self.is_active and ROLE_RANK[Role(self.role)] >= ROLE_RANK[Role(role)]


class AuditEvent(models.Model):
    """One state change: who did what to which object, with the state before and after."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL)
    # "agent:<email>", "token:<name>", "system", "cli": kept when the agent is deleted.
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type}:{self.object_id}"

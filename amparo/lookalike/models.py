"""The official registry of each brand, and the lookalikes found in live traffic."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.models import Brand


class Platform(models.TextChoices):
    X = "x", "X"
    BLUESKY = "bluesky", "Bluesky"
    MASTODON = "mastodon", "Mastodon"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    TELEGRAM = "telegram", "Telegram"
    WHATSAPP = "whatsapp", "WhatsApp"
    THREADS = "threads", "Threads"
    YOUTUBE = "youtube", "YouTube"


class OfficialAccount(models.Model):
    """One of the brand's own accounts (its web domains are `Brand.official_domains`)."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="official_accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    # The handle as the platform writes it (a WhatsApp business number for WhatsApp).
    handle = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["brand__name", "platform", "handle"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform", "handle"], name="official_account_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REPORTED = "reported", _("Reported for takedown")
    DISMISSED = "dismissed", _("Dismissed")


class LookalikeFinding(models.Model):
    """A name seen in live traffic that imitates one of the brand's official names."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="lookalikes")
    platform = models.CharField(max_length=20)  # where it was seen; "web" for domains
    candidate = models.CharField(max_length=300)
    kind = models.CharField(max_length=20)  # author, display_name, mention, link
    imitates = models.CharField(max_length=300)
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    # The author as the platform described it: handle, display name, and when given,
    # the account's creation date and follower count.
    author = models.JSONField(default=dict, blank=True)
    message = models.ForeignKey(
        "inbox.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    seen = models.PositiveIntegerField(default=1)
    warnings_sent = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "platform", "candidate"], name="lookalike_finding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.candidate} imitates {self.imitates}"

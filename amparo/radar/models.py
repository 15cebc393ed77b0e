"""The radar's records: counts per minute, each series' detector state, suggestions."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.models import Agent, Brand, Component


class RadarBucket(models.Model):
    """How many messages (or external events) one series had in one minute.

    `key` names what is counted: `topic:<topic>` for triaged messages, `signal:<name>`
    for counts pushed through the API. `channel` is the message channel, or `signal`."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    channel = models.CharField(max_length=20)
    minute = models.BigIntegerField()  # unix minutes (seconds // 60), UTC
    count = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["brand", "key", "channel", "minute"], name="radar_bucket_unique"
            )
        ]
        indexes = [models.Index(fields=["minute"])]

    def __str__(self) -> str:
        return f"{self.brand_id}/{self.key}/{self.channel}@{self.minute}: {self.count}"


class RadarSeries(models.Model):
    """One series' detector state, advanced minute by minute by the worker."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    channel = models.CharField(max_length=20)
    # A signal pushed for a component joins that component's suggestions.
    component = models.ForeignKey(
        Component, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_minute = models.BigIntegerField()  # the last minute the detector has seen
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["brand", "key", "channel"], name="radar_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.brand_id}/{self.key}/{self.channel}"

    @property
    def name(self) -> str:
        return f"{self.brand_id}/{self.key}/{self.channel}"


class RadarClock(models.Model):
    """The last minute the radar has evaluated; one row. Taking it is what keeps two
    workers from evaluating the same minute."""

    minute = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"radar at {self.minute}"


class SuggestionStatus(models.TextChoices):
    OPEN = "open", _("Suggested")
    DECLARED = "declared", _("Declared")
    DISMISSED = "dismissed", _("Dismissed")


class SuggestedIncident(models.Model):
    """An incident the radar suggests: what surged, since when, and the evidence."""

    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="suggestions")
    key = models.CharField(max_length=80)
    channels = models.JSONField(default=list)
    components = models.ManyToManyField(Component, blank=True, related_name="suggestions")
    topics = models.JSONField(default=list)
    detected_at = models.DateTimeField()
    started_at = models.DateTimeField()
    score = models.FloatField()
    # {"minutes": [unix minute...], "counts": [...], "expected": [...], "spread": [...],
    #  "terms": [[term, n]...], "messages": [message id...]}
    evidence = models.JSONField(default=dict)
    status = models.CharField(
        max_length=10, choices=SuggestionStatus.choices, default=SuggestionStatus.OPEN
    )
    decided_by = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["brand", "key", "status"])]

    def __str__(self) -> str:
        return f"{self.brand_id}: {self.key} since {self.started_at:%Y-%m-%d %H:%M}"

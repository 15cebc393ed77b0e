"""Conversations and the messages in them, inbound and outbound."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.models import Agent, Brand, Channel, Customer


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PENDING = "pending", _("Pending")
    RESOLVED = "resolved", _("Resolved")


class Priority(models.IntegerChoices):
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    URGENT = 3, _("Urgent")


class Conversation(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="conversations")
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="conversations")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The platform's thread (a public post's root, an email thread); blank for 1:1 chats.
    thread_id = models.CharField(max_length=255, blank=True)
    public = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=ConversationStatus.choices, default=ConversationStatus.OPEN
    )
    priority = models.IntegerField(choices=Priority.choices, default=Priority.NORMAL)
    assignee = models.ForeignKey(
        Agent, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned"
    )
    language = models.CharField(max_length=8, blank=True)
    topics = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_message_at", "-id"]
        indexes = [
            models.Index(fields=["brand", "customer", "channel", "thread_id"]),
            models.Index(fields=["status", "-last_message_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.channel} {self.customer}"


class Direction(models.TextChoices):
    INBOUND = "in", _("Inbound")
    OUTBOUND = "out", _("Outbound")


class MessageState(models.TextChoices):
    # inbound: received (durable, not yet processed) -> processed
    RECEIVED = "received", _("Received")
    PROCESSED = "processed", _("Processed")
    # outbound: queued -> sent | failed
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    channel = models.CharField(max_length=20, choices=Channel.choices)
    # The platform's id, kept as a string; amparo's own id for outbound messages.
    channel_message_id = models.CharField(max_length=255)
    brand = models.ForeignKey(Brand, on_delete=models.PROTECT, related_name="messages")
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    customer = models.ForeignKey(
        Customer, null=True, blank=True, on_delete=models.PROTECT, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    state = models.CharField(max_length=10, choices=MessageState.choices)
    author = models.ForeignKey(Agent, null=True, blank=True, on_delete=models.SET_NULL)
    # The sender as the channel described it ({"external_id", "display_name", ...}).
    sender = models.JSONField(default=dict)
    text = models.TextField(blank=True)
    attachments = models.JSONField(default=list, blank=True)
    raw = models.JSONField(default=dict, blank=True)
    thread_id = models.CharField(max_length=255, blank=True)
    public = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True)
    # Triage of inbound messages: {"topics": [{"topic", "score"}], "distress": {...}, "scam": {...}}
    triage = models.JSONField(default=dict, blank=True)
    sent_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "channel_message_id"], name="message_unique_per_channel"
            )
        ]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["conversation", "sent_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.channel_message_id}"


class OriginalText(models.Model):
    """The unredacted text of an inbound message, encrypted; kept only when the
    AMPARO_KEEP_ORIGINAL_DAYS setting asks for it, and deleted when it expires."""

    message = models.OneToOneField(
        Message, primary_key=True, on_delete=models.CASCADE, related_name="original"
    )
    ciphertext = models.BinaryField()
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"original of message {self.message_id}"


class TopicCorrection(models.Model):
    """An agent's correction of a conversation's topics: kept to retrain the model."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="topic_corrections"
    )
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.SET_NULL)
    agent = models.ForeignKey(Agent, null=True, on_delete=models.SET_NULL)
    text = models.TextField(blank=True)  # the (redacted) customer text the topics describe
    language = models.CharField(max_length=8, blank=True)
    predicted = models.JSONField(default=list)
    corrected = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.conversation_id}: {self.predicted} -> {self.corrected}"

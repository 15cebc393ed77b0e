"""The normalized inbound message: one schema for the API, `amparo ingest` and channels."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

from amparo.core.models import Channel

ChannelName = Literal[tuple(Channel.values)]  # type: ignore[valid-type]
# C0/C1 control characters other than tab and newlines: PostgreSQL refuses NUL, and
# the rest only serve to hide text from the people who read it.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SLUG = r"^[a-z0-9][a-z0-9_-]{0,59}$"


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value)


Text255 = Annotated[StrictStr, Field(max_length=255)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SenderIn(Strict):
    external_id: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    display_name: Annotated[StrictStr, Field(max_length=200)] = ""
    handle: Annotated[StrictStr, Field(max_length=120)] | None = None
    customer_ref: Annotated[StrictStr, Field(max_length=64)] | None = None
    phone: Annotated[StrictStr, Field(max_length=32)] | None = None
    email: Annotated[StrictStr, Field(max_length=254)] | None = None
    # What social platforms say of an account, when they say it: evidence for the
    # impersonation watch (a two-day-old "support" account with 3 followers).
    followers: Annotated[int, Field(ge=0, le=10**10, strict=True)] | None = None
    account_created_at: datetime | None = None

    @field_validator("external_id", "display_name", "handle", "customer_ref", "phone", "email")
    @classmethod
    def _no_controls(cls, value: str | None) -> str | None:
        return clean_text(value) if value is not None else None


class AttachmentIn(Strict):
    kind: Literal["image", "audio", "video", "document", "sticker", "location", "other"]
    url: Annotated[StrictStr, Field(max_length=2000)] | None = None
    name: Annotated[StrictStr, Field(max_length=255)] | None = None
    mime_type: Annotated[StrictStr, Field(max_length=120)] | None = None
    size_bytes: Annotated[StrictInt, Field(ge=0, le=10**10)] | None = None
    caption: Annotated[StrictStr, Field(max_length=2000)] | None = None


class InboundMessageIn(Strict):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, populate_by_name=True)

    channel: ChannelName
    channel_message_id: Annotated[StrictStr, Field(min_length=1, max_length=255)]
    brand: Annotated[StrictStr, Field(pattern=SLUG)]
    sender: SenderIn = Field(alias="from")
    text: StrictStr = ""
    sent_at: datetime | None = None
    thread_id: Text255 | None = None
    public: StrictBool = False
    attachments: Annotated[list[AttachmentIn], Field(max_length=20)] = []
    raw: dict[str, Any] | None = Field(
        default=None, description="The provider's original payload, kept (redacted)."
    )

    @field_validator("text")
    @classmethod
    def _text_bounds(cls, value: str) -> str:
        if len(value) > settings.MAX_MESSAGE_CHARS:
            raise ValueError(f"text is longer than {settings.MAX_MESSAGE_CHARS} characters")
        return clean_text(value)

    @field_validator("channel_message_id", "thread_id")
    @classmethod
    def _ids_clean(cls, value: str | None) -> str | None:
        return clean_text(value) if value is not None else None

    @field_validator("sent_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("sent_at needs a timezone (e.g. 2026-11-21T14:07:33Z)")
        return value.astimezone(UTC) if value is not None else None

    @model_validator(mode="after")
    def _has_content(self) -> InboundMessageIn:
        if not self.text and not self.attachments:
            raise ValueError("a message needs text or at least one attachment")
        return self

    @property
    def key(self) -> tuple[str, str]:
        return (self.channel, self.channel_message_id)

    def sent_at_or(self, now: datetime) -> datetime:
        # A clock ahead of ours must not pin a conversation to the top of the inbox.
        return min(self.sent_at, now) if self.sent_at else now

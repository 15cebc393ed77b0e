"""Outbound transports by channel. Until a channel has its own, replies go to the log."""

from __future__ import annotations

import logging
from typing import Protocol

from amparo.inbox.models import Message

logger = logging.getLogger("amparo.outbound")


class Transport(Protocol):
    def send(self, message: Message) -> str:
        """Deliver the message; return the provider's id for it, or raise."""


class LogTransport:
    """Writes the reply to the log (text already redacted) and reports it sent."""

    def send(self, message: Message) -> str:
        logger.info(
            "outbound %s conversation=%s message=%s chars=%d",
            message.channel,
            message.conversation_id,
            message.pk,
            len(message.text),
        )
        return f"log-{message.pk}"


_TRANSPORTS: dict[str, Transport] = {}
_DEFAULT = LogTransport()


def register(channel: str, transport: Transport) -> None:
    _TRANSPORTS[channel] = transport


def transport_for(channel: str) -> Transport:
    return _TRANSPORTS.get(channel, _DEFAULT)

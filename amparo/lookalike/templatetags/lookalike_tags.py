"""Showing a lookalike's name so that what it hides can be seen."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from amparo.lookalike.models import Platform

register = template.Library()

# Platforms whose people write a handle with an @ in front ("@altamar"); a Facebook page
# is written by its name and a WhatsApp account by its number.
AT_PLATFORMS = frozenset(
    {"x", "bluesky", "mastodon", "instagram", "tiktok", "telegram", "threads", "youtube"}
)


@register.filter
def codepoints(text: object) -> str:
    """The name with every character outside printable ASCII written as its code point
    ("altamar[U+200B]mx", "[U+202E]xm.ramatla"): bidi overrides and zero-width
    characters are invisible in the name itself. The result is plain text (escaped)."""
    return "".join(ch if 0x20 <= ord(ch) < 0x7F else f"[U+{ord(ch):04X}]" for ch in str(text))


@register.filter
def hides_characters(text: object) -> bool:
    """Whether the name has anything outside printable ASCII worth spelling out."""
    return any(not 0x20 <= ord(ch) < 0x7F for ch in str(text))


@register.filter
def as_written(handle: object, platform: str) -> str:
    """The handle as the platform's people write it ("@altamar" on X)."""
    return f"@{handle}" if platform in AT_PLATFORMS else str(handle)


@register.filter
def platform_label(platform: object) -> str:
    """The platform's name; "web" is a website and "handle" an @name mentioned in a
    channel that does not say which platform it belongs to."""
    if platform in Platform.values:
        return str(Platform(platform).label)
    if platform == "web":
        return _("Website")
    if platform == "handle":
        return _("Mentioned handle")
    return str(platform)

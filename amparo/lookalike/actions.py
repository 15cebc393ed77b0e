"""Changes to a brand's official registry and to the lookalike findings, each audited.

The registry is what the impersonation watch compares live traffic against and what the
status page lists as "our only official accounts", so a name is checked here, once, by
the platform's own rules, whichever door (console, CLI, API) it comes in through.
"""

from __future__ import annotations

import re
import unicodedata

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.audit import Actor, record, snapshot
from amparo.core.models import Brand
from amparo.lookalike.models import FindingStatus, LookalikeFinding, OfficialAccount, Platform

ACCOUNT_FIELDS = ["brand", "platform", "handle", "display_name"]
DOMAIN_FIELDS = ["official_domains"]
FINDING_FIELDS = ["status"]
FINDING_ACTIONS = {
    FindingStatus.REPORTED: "lookalike.reported",
    FindingStatus.DISMISSED: "lookalike.dismissed",
}
MAX_HANDLE = 100
MAX_DISPLAY_NAME = 200
MAX_DOMAINS = 50

# X: "Your username … can only contain letters, numbers and underscores", at most 15.
X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
# E.164: a "+", a country code that does not start with 0, at most 15 digits in all.
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
TOP_LABEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
# Characters a reader cannot see or that move text around: control, format (bidi
# overrides, zero-width joiners), surrogate, private-use, unassigned, and separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})


class InvalidName(ValueError):
    """A handle or domain the platform itself would not accept; the message says why."""


class DuplicateOfficialAccount(ValueError):
    """The brand already lists this account (handles compare without case)."""


# --- the platforms' rules ---------------------------------------------------------------


def clean_handle(platform: str, raw: str) -> str:
    """The handle as stored: trimmed, without a leading @, checked by the platform's
    rules; raises InvalidName."""
    if platform not in Platform.values:
        raise InvalidName(_("Unknown platform."))
    handle = raw.strip()
    handle = handle[1:] if handle.startswith("@") else handle
    if not handle:
        raise InvalidName(_("Enter a handle."))
    if platform == Platform.X:
        return clean_x_handle(handle)
    if platform == Platform.BLUESKY:
        return clean_bluesky_handle(handle)
    if platform == Platform.WHATSAPP:
        return clean_whatsapp_number(handle)
    return clean_visible_handle(handle)


def clean_x_handle(handle: str) -> str:
    if not X_HANDLE.fullmatch(handle):
        raise InvalidName(
            _("An X handle has 1 to 15 characters: letters, digits and underscores only.")
        )
    return handle


def clean_bluesky_handle(handle: str) -> str:
    domain = ascii_domain(handle.lower())
    if domain is None:
        raise InvalidName(
            _("A Bluesky handle is a domain name, such as brand.bsky.social or brand.com.")
        )
    return domain


def clean_whatsapp_number(handle: str) -> str:
    # People type numbers with spaces and dashes; the stored form is bare E.164.
    number = re.sub(r"[ \-().]", "", handle)
    if not E164.fullmatch(number):
        raise InvalidName(
            _("A WhatsApp account is a phone number in E.164 form, such as +525512345678.")
        )
    return number


def clean_visible_handle(handle: str) -> str:
    if len(handle) > MAX_HANDLE:
        raise InvalidName(_("A handle has at most 100 characters."))
    if any(is_invisible(ch) for ch in handle):
        raise InvalidName(_("A handle has no spaces or invisible characters."))
    return handle


def clean_display_name(raw: str) -> str:
    name = raw.strip()
    if len(name) > MAX_DISPLAY_NAME:
        raise InvalidName(_("A display name has at most 200 characters."))
    if any(is_invisible(ch) and ch != " " for ch in name):
        raise InvalidName(_("A display name has no invisible or control characters."))
    return name


def is_invisible(ch: str) -> bool:
    return unicodedata.category(ch) in INVISIBLE_CATEGORIES


def clean_domains(lines: list[str]) -> list[str]:
    """The brand's domains as stored: lowercase, deduplicated, in the order given."""
    domains: list[str] = []
    for line in lines:
        written = line.strip().lower().rstrip(".")
        if not written:
            continue
        if clean_domain(written) is None:
            raise InvalidName(_("“%(domain)s” is not a domain name.") % {"domain": written[:80]})
        if written not in domains:
            domains.append(written)
    if len(domains) > MAX_DOMAINS:
        raise InvalidName(_("A brand lists at most 50 domains."))
    return domains


def clean_domain(written: str) -> str | None:
    """The ASCII (IDNA) form of a lowercase domain name, or None if it is not one."""
    if any(is_invisible(ch) for ch in written):
        return None
    try:
        encoded = written.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return ascii_domain(encoded)


def ascii_domain(value: str) -> str | None:
    labels = value.split(".")
    if len(value) > 253 or len(labels) < 2:
        return None
    if not all(DOMAIN_LABEL.fullmatch(label) for label in labels[:-1]):
        return None
    return value if TOP_LABEL.fullmatch(labels[-1]) else None


# --- the registry -----------------------------------------------------------------------


def do_add_official_account(
    brand: Brand, platform: str, handle: str, actor: Actor, display_name: str = ""
) -> OfficialAccount:
    """List one of the brand's own accounts; raises InvalidName or DuplicateOfficialAccount."""
    handle = clean_handle(platform, handle)
    display_name = clean_display_name(display_name)
    try:
        with transaction.atomic():
            # Locking the brand queues two admins adding the same handle in other cases.
            locked = Brand.objects.select_for_update().get(pk=brand.pk)
            listed = OfficialAccount.objects.filter(
                brand=locked, platform=platform, handle__iexact=handle
            )
            if listed.exists():
                raise DuplicateOfficialAccount(handle)
            account = OfficialAccount.objects.create(
                brand=locked, platform=platform, handle=handle, display_name=display_name
            )
            touch(locked)
            record(actor, "official_account.add", account, None, snapshot(account, ACCOUNT_FIELDS))
    except IntegrityError as error:
        raise DuplicateOfficialAccount(handle) from error
    return account


def do_remove_official_account(account: OfficialAccount, actor: Actor) -> bool:
    """Take an account off the registry; False when it was already gone."""
    with transaction.atomic():
        brand = Brand.objects.select_for_update().filter(pk=account.brand_id).first()
        listed = OfficialAccount.objects.filter(pk=account.pk).first()
        if brand is None or listed is None:
            return False
        record(actor, "official_account.remove", listed, snapshot(listed, ACCOUNT_FIELDS), None)
        listed.delete()
        touch(brand)
    return True


def do_set_official_domains(brand: Brand, lines: list[str], actor: Actor) -> Brand:
    """Replace the brand's official web domains; raises InvalidName."""
    domains = clean_domains(lines)
    with transaction.atomic():
        locked = Brand.objects.select_for_update().get(pk=brand.pk)
        before = snapshot(locked, DOMAIN_FIELDS)
        locked.official_domains = domains
        touch(locked, "official_domains")
        record(actor, "brand.official_domains", locked, before, snapshot(locked, DOMAIN_FIELDS))
    return locked


def touch(brand: Brand, *fields: str) -> None:
    """The registry is part of the brand's public face: the status page's Last-Modified
    follows `Brand.updated_at`, so a removed account must move it too."""
    brand.updated_at = timezone.now()
    brand.save(update_fields=[*fields, "updated_at"])


# --- the findings -----------------------------------------------------------------------


def do_decide_finding(
    finding: LookalikeFinding, status: FindingStatus, actor: Actor
) -> LookalikeFinding | None:
    """Mark an open finding reported for takedown or dismissed, audited; None when it was
    already decided (two supervisors at once: the second changes nothing)."""
    if status not in FINDING_ACTIONS:
        raise ValueError(f"a finding is decided as one of {', '.join(FINDING_ACTIONS)}")
    with transaction.atomic():
        locked = LookalikeFinding.objects.select_for_update().get(pk=finding.pk)
        if locked.status != FindingStatus.OPEN:
            return None
        before = snapshot(locked, FINDING_FIELDS)
        locked.status = status
        locked.save(update_fields=FINDING_FIELDS)
        record(actor, FINDING_ACTIONS[status], locked, before, snapshot(locked, FINDING_FIELDS))
    return locked

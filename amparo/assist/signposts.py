"""The signposting library: outside organisations an agent can point a customer to.

After the bank outage over payday (seeds/barclays-outage.he.txt) an agent told a
customer with no money for food to "rely on friends or family"; the bank only later
pointed people to food banks and debt advice. Here the agent sees, next to the
conversation, the organisations of the brand's country in the customer's language that
fit what the customer wrote, with how a person actually gets there (a food bank needs a
referral; a regulator takes complaints only after the firm's own answer).

Changes are audited; the seed list (data/signposts.json) is loaded by a migration.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.assist.models import Driver, Signpost, SignpostKind
from amparo.assist.text import clean_line, clean_paragraph, has_hidden_characters
from amparo.core.audit import Actor, record, snapshot

SEED_FILE = Path(__file__).with_name("data") / "signposts.json"
FALLBACK_LANGUAGE = "en"
SIGNPOST_FIELDS = [
    "country",
    "language",
    "name",
    "description",
    "url",
    "phone",
    "kinds",
    "referral_route",
    "active",
    "order",
]
MAX_NAME = 120
MAX_TEXT = 500
MAX_URL = 300
MAX_PHONE = 60
MAX_ORDER = 9999
COUNTRY = re.compile(r"[A-Z]{2}")
# Numbers as organisations publish them: "0800 138 7777", "+1 855-411-2372", "*2770",
# "55 5568 8722 / 800 468 8722".
PHONE = re.compile(r"[0-9+*#() ./,\-\u2013]*")
URLS = URLValidator(schemes=["https", "http"])

# What each distress cue (amparo/triage/signals.py) asks of the library; a cue not
# listed gets its driver's kinds.
CUE_KINDS = {
    "no_money_for_food": ["food", "money_advice", "debt"],
    "no_money_rent_bills": ["debt", "money_advice"],
    "no_money_at_all": ["money_advice", "debt"],
    "payday_missing": ["money_advice"],
    "job_loss": ["money_advice", "debt"],
    "bereavement": ["bereavement", "money_advice"],
    "relationship_breakdown": ["general", "money_advice"],
    "illness": ["health"],
    "mental_health": ["health"],
    "self_harm": ["health"],
    "elderly_or_digital": ["general"],
    "language_or_reading": ["general"],
}
DRIVER_KINDS = {
    Driver.HEALTH: ["health"],
    Driver.LIFE_EVENT: ["general"],
    Driver.RESILIENCE: ["debt", "money_advice"],
    Driver.CAPABILITY: ["general"],
}
# A person at risk of harming themselves is pointed to crisis support before anything.
CRISIS_CUES = frozenset({"self_harm"})


class InvalidSignpost(ValueError):
    """A field the library cannot hold; `field` names it, the message says why."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


class DuplicateSignpost(ValueError):
    """The library already lists an organisation of this name, country and language."""


@dataclass(frozen=True)
class SignpostData:
    country: str
    language: str
    name: str
    kinds: list[str] = field(default_factory=list)
    description: str = ""
    url: str = ""
    phone: str = ""
    referral_route: str = ""
    order: int = 100
    active: bool = True


# --- what fits a customer ---------------------------------------------------------------


def suggest_signposts(country: str, language: str, kinds: Iterable[str]) -> list[Signpost]:
    """The active signposts of the country in the language that offer one of the kinds
    (all of them when no kind is asked for); English ones of the country when none
    fits in the language; else nothing (another country's helpline would mislead)."""
    country = (country or "").upper()
    wanted = [k for k in kinds if k in SignpostKind.values]
    found = fitting(country, language, wanted)
    if not found and language != FALLBACK_LANGUAGE:
        found = fitting(country, FALLBACK_LANGUAGE, wanted)
    return found


def fitting(country: str, language: str, wanted: list[str]) -> list[Signpost]:
    listed = Signpost.objects.filter(active=True, country=country, language=language)
    signposts = list(listed.order_by("order", "name", "pk"))
    if not wanted:
        return signposts
    fits = [s for s in signposts if set(wanted) & set(strings(s.kinds))]
    # The kind asked for first leads (crisis before debt); the admins' order within it.
    return sorted(fits, key=lambda s: first_wanted(s, wanted))


def first_wanted(signpost: Signpost, wanted: list[str]) -> int:
    offered = set(strings(signpost.kinds))
    return next(i for i, kind in enumerate(wanted) if kind in offered)


def kinds_for_distress(distress: Any) -> list[str]:
    """The signpost kinds that fit triage's distress cues, most pressing first."""
    kinds: list[str] = []
    cues = distress_cues(distress)
    for cue in cues:
        kinds.extend(kinds_for_cue(cue.get("cue"), cue.get("kind")))
    ordered = list(dict.fromkeys(kinds))
    if any(cue.get("cue") in CRISIS_CUES for cue in cues if isinstance(cue.get("cue"), str)):
        ordered = ["health", *[k for k in ordered if k != "health"]]
    return ordered


def distress_cues(distress: Any) -> list[dict[str, Any]]:
    """The cues of a stored distress signal; nothing when it is not shaped as triage
    writes it (an old or hand-edited row must not break the page)."""
    cues = distress.get("cues") if isinstance(distress, dict) else None
    return [c for c in cues if isinstance(c, dict)] if isinstance(cues, list) else []


def kinds_for_cue(name: object, driver: object) -> list[str]:
    if isinstance(name, str) and name in CUE_KINDS:
        return CUE_KINDS[name]
    return kinds_for_drivers([driver]) if isinstance(driver, str) else []


def kinds_for_drivers(drivers: Iterable[object]) -> list[str]:
    kinds: list[str] = []
    for driver in drivers:
        if isinstance(driver, str) and driver in Driver.values:
            kinds.extend(DRIVER_KINDS[Driver(driver)])
    return list(dict.fromkeys(kinds))


def strings(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


# --- checks at the edge -----------------------------------------------------------------


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def clean_signpost(data: SignpostData) -> SignpostData:
    """The signpost as stored; raises InvalidSignpost naming the field."""
    return SignpostData(
        country=clean_country(data.country),
        language=clean_language(data.language),
        name=clean_name(data.name),
        kinds=clean_kinds(data.kinds),
        description=clean_text_field("description", data.description),
        url=clean_url(data.url),
        phone=clean_phone(data.phone),
        referral_route=clean_text_field("referral_route", data.referral_route),
        order=clean_order(data.order),
        active=bool(data.active),
    )


def clean_country(raw: str) -> str:
    country = raw.strip().upper()
    if not COUNTRY.fullmatch(country):
        raise InvalidSignpost("country", _("A country is a two-letter ISO code, such as MX."))
    return country


def clean_language(raw: str) -> str:
    if raw not in language_codes():
        raise InvalidSignpost("language", _("Choose one of the console's languages."))
    return raw


def clean_name(raw: str) -> str:
    if has_hidden_characters(raw):
        raise InvalidSignpost("name", _("A name has no invisible or control characters."))
    name = clean_line(raw)
    if not name:
        raise InvalidSignpost("name", _("Enter a name."))
    if len(name) > MAX_NAME:
        raise InvalidSignpost("name", _("A name has at most 120 characters."))
    return name


def clean_text_field(name: str, raw: str) -> str:
    text = clean_paragraph(raw)
    if len(text) > MAX_TEXT:
        raise InvalidSignpost(name, _("This text has at most 500 characters."))
    return text


def clean_url(raw: str) -> str:
    url = raw.strip()
    if not url:
        return ""
    if "://" not in url:
        url = f"https://{url}"
    try:
        URLS(url)
    except ValidationError as error:
        raise InvalidSignpost("url", _("Enter a web address starting with https://.")) from error
    if len(url) > MAX_URL:
        raise InvalidSignpost("url", _("A web address has at most 300 characters."))
    return url


def clean_phone(raw: str) -> str:
    phone = " ".join(raw.split())
    if len(phone) > MAX_PHONE or not PHONE.fullmatch(phone):
        raise InvalidSignpost(
            "phone", _("A phone number has digits, spaces and + * # ( ) - / only.")
        )
    return phone


def clean_kinds(values: Iterable[str]) -> list[str]:
    kinds = list(dict.fromkeys(values))
    if not kinds:
        raise InvalidSignpost("kinds", _("Choose at least one kind of help."))
    if any(kind not in SignpostKind.values for kind in kinds):
        raise InvalidSignpost("kinds", _("Unknown kind of help."))
    return [kind for kind in SignpostKind.values if kind in kinds]


def clean_order(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ORDER:
        raise InvalidSignpost("order", _("The order is a whole number from 0 to 9999."))
    return value


# --- writes -----------------------------------------------------------------------------


def do_create_signpost(data: SignpostData, actor: Actor) -> Signpost:
    """Add an organisation; raises InvalidSignpost or DuplicateSignpost."""
    clean = clean_signpost(data)
    try:
        with transaction.atomic():
            if listed(clean).exists():
                raise DuplicateSignpost(clean.name)
            signpost = Signpost.objects.create(**asdict(clean))
            record(actor, "signpost.create", signpost, None, snapshot(signpost, SIGNPOST_FIELDS))
    except IntegrityError as error:
        raise DuplicateSignpost(clean.name) from error
    return signpost


def do_update_signpost(signpost: Signpost, data: SignpostData, actor: Actor) -> Signpost:
    """Change an organisation's entry; raises InvalidSignpost or DuplicateSignpost."""
    clean = clean_signpost(data)
    try:
        with transaction.atomic():
            locked = Signpost.objects.select_for_update().get(pk=signpost.pk)
            if listed(clean).exclude(pk=locked.pk).exists():
                raise DuplicateSignpost(clean.name)
            before = snapshot(locked, SIGNPOST_FIELDS)
            for name, value in asdict(clean).items():
                setattr(locked, name, value)
            locked.updated_at = timezone.now()
            locked.save()
            record(actor, "signpost.update", locked, before, snapshot(locked, SIGNPOST_FIELDS))
    except IntegrityError as error:
        raise DuplicateSignpost(clean.name) from error
    return locked


def do_set_signpost_active(signpost: Signpost, active: bool, actor: Actor) -> Signpost | None:
    """Show or hide an organisation; None when it already was (nothing is audited)."""
    with transaction.atomic():
        locked = Signpost.objects.select_for_update().get(pk=signpost.pk)
        if locked.active == active:
            return None
        before = snapshot(locked, ["active"])
        locked.active = active
        locked.updated_at = timezone.now()
        locked.save(update_fields=["active", "updated_at"])
        action = "signpost.activate" if active else "signpost.deactivate"
        record(actor, action, locked, before, snapshot(locked, ["active"]))
    return locked


def listed(data: SignpostData) -> Any:
    return Signpost.objects.filter(
        country=data.country, language=data.language, name__iexact=data.name
    )


# --- the seed list ----------------------------------------------------------------------


def seed_entries() -> list[dict[str, Any]]:
    entries = json.loads(SEED_FILE.read_text(encoding="utf-8"))["signposts"]
    return [asdict(clean_signpost(SignpostData(**entry))) for entry in entries]


def load_seed_signposts(model: Any = Signpost) -> int:
    """Add the shipped signposts the library lacks (by country, language and name);
    entries an administrator edited or deactivated stay as they are. `model` is the
    migration's historical model when a migration calls it."""
    # A historical model may lack a field added since: only its own fields are written.
    fields = {f.name for f in model._meta.get_fields()}
    added = 0
    for entry in seed_entries():
        key = {k: entry[k] for k in ("country", "language", "name")}
        defaults = {k: v for k, v in entry.items() if k in fields}
        _row, created = model.objects.get_or_create(**key, defaults=defaults)
        added += int(created)
    return added

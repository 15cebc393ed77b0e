"""The impersonation watch in live traffic: every processed inbound message is looked at.

What is checked, against the brand's registry (its `OfficialAccount` rows and
`Brand.official_domains`):
* the author of a public post on a social channel (handle and display name): a fake
  "support" account answering a customer's complaint arrives this way;
* every @handle mentioned and every link's domain in any message ("they wrote to me
  from @BancoAltamar_Ayuda", "me mandaron a altamar-soporte.com").

A match becomes a `LookalikeFinding` (one per brand, platform and name; seen again, it
counts up), an audited event for supervisors, a `lookalike` tag on the conversation,
and — when AMPARO_LOOKALIKE_WARN is on, as it is by default — a warning reply to the
customers concerned, in their language: the customers of the public thread the fake
account wrote in, or the customer who mentioned it. A customer is warned once per
lookalike. Everything happens in the transaction that marks the messages processed.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amparo.core.audit import SYSTEM, record
from amparo.core.models import Brand
from amparo.lookalike.detector import Official, Registry, Verdict, is_domain
from amparo.lookalike.models import LookalikeFinding, OfficialAccount

logger = logging.getLogger(__name__)

SOCIAL = frozenset(
    {"x", "bluesky", "mastodon", "facebook", "instagram", "telegram", "tiktok", "threads"}
)
_MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.]{1,49})")
_LINK = re.compile(
    r"(?i)\b(https?://|www\.)?((?:[a-z0-9\u00a1-\uffff-]+\.)+[a-z\u00a1-\uffff]{2,24})(?=[/\s:?#)\]]|$)"
)
_HEBREW_PREFIX = re.compile(r"^[\u0590-\u05ff]+-?")
MAX_CANDIDATES = 20
_cache: dict[int, tuple[str, Registry]] = {}


def registry_for(brand: Brand) -> Registry | None:
    """The brand's registry, rebuilt only when its official names change."""
    accounts = list(
        OfficialAccount.objects.filter(brand=brand).values_list(
            "platform", "handle", "display_name"
        )
    )
    domains = sorted(d.lower() for d in brand.official_domains)
    signature = hashlib.sha256(repr((accounts, domains)).encode()).hexdigest()
    cached = _cache.get(brand.pk)
    if cached and cached[0] == signature:
        return cached[1]
    officials = [Official(platform, handle, brand.slug) for platform, handle, _ in accounts]
    officials += [Official(platform, name, brand.slug) for platform, _, name in accounts if name]
    officials += [Official("domain", domain, brand.slug) for domain in domains]
    registry = Registry(officials) if officials else None
    _cache[brand.pk] = (signature, registry)  # type: ignore[assignment]
    return registry


def known_names() -> frozenset[str]:
    """Every official handle and domain of every brand in this deployment: a sister
    brand's real account is nobody's imitation."""
    handles = OfficialAccount.objects.values_list("handle", flat=True)
    domains = [
        d for row in Brand.objects.values_list("official_domains", flat=True) for d in row or []
    ]
    return frozenset(h.lower().lstrip("@") for h in handles) | frozenset(d.lower() for d in domains)


@dataclass(frozen=True)
class Seen:
    candidate: str
    kind: str  # author, display_name, mention, link
    platform: str


def candidates(message: object) -> list[Seen]:
    channel = message.channel  # type: ignore[attr-defined]
    sender = message.sender or {}  # type: ignore[attr-defined]
    text = message.text or ""  # type: ignore[attr-defined]
    found: list[Seen] = []
    if channel in SOCIAL and message.public:  # type: ignore[attr-defined]
        if sender.get("handle"):
            found.append(Seen(str(sender["handle"]).lstrip("@"), "author", channel))
        if sender.get("display_name"):
            found.append(Seen(str(sender["display_name"]), "display_name", channel))
    for handle in _MENTION.findall(text[:5000]):
        found.append(
            Seen(handle.rstrip("."), "mention", channel if channel in SOCIAL else "handle")
        )
    for scheme, domain in _LINK.findall(text[:5000]):
        domain = _HEBREW_PREFIX.sub("", domain.lower().rstrip("."))  # "מ-site.com": from site.com
        # A bare "name.word" is a link only under a real top-level domain; with a scheme
        # or "www." it is one whatever it ends in.
        if domain and (scheme or is_domain(domain)):
            found.append(Seen(domain, "link", "web"))
    unique = list({(s.candidate.lower(), s.platform): s for s in reversed(found)}.values())[::-1]
    return unique[:MAX_CANDIDATES]


def watch(messages: Iterable[object]) -> list[LookalikeFinding]:
    """Check the processed messages; returns the findings made or seen again."""
    made: list[LookalikeFinding] = []
    registries: dict[int, Registry | None] = {}  # one look-up per brand and chunk
    known = known_names()
    for message in messages:
        brand = message.brand  # type: ignore[attr-defined]
        seen = candidates(message)
        if not seen:
            continue
        if brand.pk not in registries:
            registries[brand.pk] = registry_for(brand)
        registry = registries[brand.pk]
        if registry is None:
            continue
        for item in seen:
            if item.candidate.lower().lstrip("@") in known:
                continue  # an official name of a brand served here (a sister brand)
            verdict = registry.check(item.candidate, platform=item.platform)
            if verdict.lookalike:
                made.append(remember(message, item, verdict))
    return made


def remember(message: object, item: Seen, verdict: Verdict) -> LookalikeFinding:
    now = timezone.now()
    sender = message.sender or {}  # type: ignore[attr-defined]
    author = {
        key: sender[key]
        for key in ("external_id", "handle", "display_name", "followers", "account_created_at")
        if sender.get(key) not in (None, "")
    }
    finding, created = LookalikeFinding.objects.get_or_create(
        brand_id=message.brand_id,  # type: ignore[attr-defined]
        platform=item.platform,
        candidate=item.candidate[:300],
        defaults={
            "kind": item.kind,
            "imitates": verdict.imitates or "",
            "score": verdict.score,
            "reasons": verdict.reasons,
            "author": author if item.kind in {"author", "display_name"} else {},
            "message_id": message.pk,  # type: ignore[attr-defined]
            "first_seen": now,
            "last_seen": now,
        },
    )
    if not created:
        finding.seen += 1
        finding.last_seen = now
        finding.save(update_fields=["seen", "last_seen"])
    else:
        record(
            SYSTEM,
            "lookalike.detected",
            finding,
            after={
                "candidate": finding.candidate,
                "imitates": finding.imitates,
                "reasons": finding.reasons,
                "message": message.pk,  # type: ignore[attr-defined]
            },
        )
        logger.warning(
            "lookalike: %s %r imitates %s (%s)",
            item.kind,
            finding.candidate,
            finding.imitates,
            ", ".join(finding.reasons),
        )
    tag_and_warn(message, item, finding)
    return finding


def tag_and_warn(message: object, item: Seen, finding: LookalikeFinding) -> None:
    from amparo.inbox.models import Conversation

    conversation = message.conversation  # type: ignore[attr-defined]
    if item.kind in {"author", "display_name"} and message.thread_id:  # type: ignore[attr-defined]
        # The fake account wrote in a public thread: warn the thread's other customers.
        targets = list(
            Conversation.objects.filter(
                brand_id=message.brand_id,  # type: ignore[attr-defined]
                channel=message.channel,  # type: ignore[attr-defined]
                thread_id=message.thread_id,  # type: ignore[attr-defined]
            ).exclude(pk=conversation.pk if conversation else None)
        )
        if conversation is not None:
            add_tag(conversation, "lookalike")
    elif item.kind in {"mention", "link"} and conversation is not None:
        targets = [conversation]
    else:
        targets = []
    for target in targets:
        add_tag(target, "lookalike_warned")
        if settings.LOOKALIKE_WARN and warn_once(target, finding):
            finding.warnings_sent += 1
            finding.save(update_fields=["warnings_sent"])


def add_tag(conversation: object, tag: str) -> None:
    tags = list(conversation.tags)  # type: ignore[attr-defined]
    if tag not in tags:
        conversation.tags = [*tags, tag]  # type: ignore[attr-defined]
        conversation.save(update_fields=["tags"])  # type: ignore[attr-defined]


def warn_once(conversation: object, finding: LookalikeFinding) -> bool:
    from amparo.core.models import AuditEvent
    from amparo.inbox.actions import do_reply

    marker = f"lookalike:{finding.pk}"
    already = AuditEvent.objects.filter(
        action="lookalike.warned",
        object_type="inbox.conversation",
        object_id=str(conversation.pk),  # type: ignore[attr-defined]
    ).filter(after__finding=marker)
    if already.exists():
        return False
    from amparo.assist.reply import ReplyRefused

    try:
        do_reply(conversation, warning_text(conversation, finding), SYSTEM)  # type: ignore[arg-type]
    except ReplyRefused as refused:
        # The reply guard refused the notice (it should not: its texts are tested);
        # the finding stands and supervisors see it, and processing goes on.
        logger.error("lookalike warning refused by the reply guard: %s", refused)
        return False
    record(SYSTEM, "lookalike.warned", conversation, after={"finding": marker})  # type: ignore[arg-type]
    return True


def warning_text(conversation: object, finding: LookalikeFinding) -> str:
    brand = conversation.brand  # type: ignore[attr-defined]
    officials = [
        f"@{a.handle}" if a.platform in SOCIAL else a.handle
        for a in OfficialAccount.objects.filter(brand=brand, platform=conversation.channel)  # type: ignore[attr-defined]
    ][:3]
    language = conversation.language if conversation.language in {"es", "en", "he"} else "es"  # type: ignore[attr-defined]
    with override(language):
        text = _(
            "Warning: %(candidate)s is not an account of %(brand)s. We will never ask you for "
            "codes, PINs, passwords or card details, and we never move you to another account "
            "or link. Do not share anything with it."
        ) % {"candidate": defang(finding), "brand": brand.name}
        if officials:
            text += " " + _("Our official account here: %(accounts)s.") % {
                "accounts": ", ".join(officials)
            }
    return text


def defang(finding: LookalikeFinding) -> str:
    """A fake domain named in a warning is written so that it is not a link
    (altamar-soporte[.]com), as security notices do; handles are left as they are."""
    name = finding.candidate
    return name.replace(".", "[.]") if finding.kind == "link" or is_domain(name) else name

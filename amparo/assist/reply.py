"""The reply guard on the way out: what `do_reply` asks before a message is queued.

The guard reads the reply with what amparo knows of the conversation: the customer's
language, whether they are distressed (triage's distress signal on their last message,
a topic of hardship or an outage, a vulnerability record asking for extra care), the
brand's official domains and accounts, and the signposting library's sites (pointing a
customer to Citizens Advice is signposting, not an unofficial channel).

A block is refused, and the attempt is audited (`reply.blocked`, reasons only). A
warning is refused unless the agent gives a reason, which is audited with the message
(`reply.guard_override`). amparo's own automatic notices (the system actor) have no one
to give a reason: their warnings are recorded on the message and they are sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from amparo.assist.guard import GuardResult, guard
from amparo.inbox.models import Conversation, Direction
from amparo.lookalike.detector import registrable

DISTRESS_THRESHOLD = 0.5
# A customer writing about these is affected by an outage or in hardship.
AFFECTED_TOPICS = frozenset({"app_down", "hardship"})
MAX_OVERRIDE_REASON = 500

ADVICE = {
    "secret_request": _(
        "Never ask for a PIN, a password, a one-time code, the full card number or the "
        "CVV. To check who they are, use the app's verification or the card's last four "
        "digits."
    ),
    "unofficial_channel": _(
        "Keep the customer in this conversation, or send them to the brand's official app, "
        "site or phone number."
    ),
    "dismissive": _(
        "Acknowledge the problem and say what you will do, instead of brushing it off or "
        "blaming the customer."
    ),
    "unfunded_promise": _(
        "Only promise refunds or waivers that a relief policy in force covers; otherwise "
        "say you have asked for it and when they will hear back."
    ),
    "no_apology": _("The customer is distressed: say sorry, or that you understand."),
    "no_next_step": _("Say what happens next and when (for example: by 5 pm today)."),
    "wrong_language": _("Reply in the customer's language."),
    "foodbank_without_referral": _(
        "Give the route to the food bank: who refers them (for example a Citizens Advice "
        "voucher). See the signposts."
    ),
}

# Wording offered to the agent, in the customer's language.
SUGGESTED = {
    "no_apology": {
        "es": "Lamento mucho lo que está pasando.",
        "en": "I'm really sorry this is happening.",
        "he": "אנחנו מאוד מצטערים על מה שקרה.",
    },
    "dismissive": {
        "es": "Entiendo lo preocupante que es. Esto es lo que puedo hacer:",
        "en": "I understand how worrying this is. Here is what I can do:",
        "he": "אנחנו מבינים כמה זה מדאיג. זה מה שאפשר לעשות:",
    },
    "no_next_step": {
        "es": "Le escribiremos antes de las [hora] de [día] con una respuesta.",
        "en": "We will get back to you by [time] on [day] with an answer.",
        "he": "נחזור אליך עד [שעה] ביום [יום] עם תשובה.",
    },
    "secret_request": {
        "es": "Por su seguridad, nunca le pediremos su NIP, contraseñas ni códigos.",
        "en": "For your security, we will never ask for your PIN, passwords or codes.",
        "he": "למען ביטחונך, לעולם לא נבקש ממך קוד סודי, סיסמה או קוד אימות.",
    },
    "unfunded_promise": {
        "es": "He solicitado la revisión y le daremos una respuesta antes de [fecha].",
        "en": "I have asked for this to be reviewed and we will answer by [date].",
        "he": "ביקשתי לבדוק את זה ונחזור אליך עם תשובה עד [תאריך].",
    },
}


class ReplyRefused(Exception):
    """The guard refused a reply; `overridable` when a reason would let it through."""

    def __init__(self, result: GuardResult, overridable: bool, language: str = "") -> None:
        super().__init__(", ".join(result.reasons))
        self.result = result
        self.overridable = overridable
        self.language = language  # the customer's, for the suggested wording


def distressed(conversation: Conversation) -> bool:
    last = (
        conversation.messages.filter(direction=Direction.INBOUND)
        .order_by("-pk")
        .values_list("triage", flat=True)
        .first()
    ) or {}
    score = float((last.get("distress") or {}).get("score") or 0)
    topics = [t.get("topic") for t in (last.get("topics") or [])[:1] if isinstance(t, dict)]
    if score >= DISTRESS_THRESHOLD or AFFECTED_TOPICS.intersection(topics):
        return True
    from amparo.assist.register import needs_extra_care

    return needs_extra_care(conversation.customer, conversation.brand)


def official_names(conversation: Conversation) -> tuple[list[str], list[str]]:
    """The brand's domains (with the signposting library's sites) and its accounts."""
    from amparo.assist.models import Signpost
    from amparo.core.models import ChannelIdentity
    from amparo.lookalike.models import OfficialAccount

    brand = conversation.brand
    domains = [d.lower() for d in brand.official_domains]
    for url in Signpost.objects.filter(active=True).exclude(url="").values_list("url", flat=True):
        host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").removeprefix("www.")
        # Only a signpost's own domain: one on a shared host (sites.google.com) would
        # let every link on that host through.
        if host and registrable(host) == host:
            domains.append(host)
    handles = list(OfficialAccount.objects.filter(brand=brand).values_list("handle", flat=True))
    # The customer's own accounts ("replying to @maria") are not somewhere we send them.
    if conversation.customer_id:
        handles += [
            h
            for h in ChannelIdentity.objects.filter(customer_id=conversation.customer_id)
            .exclude(handle="")
            .values_list("handle", flat=True)
        ]
    return domains, handles


def check_reply(conversation: Conversation, text: str) -> GuardResult:
    domains, handles = official_names(conversation)
    return guard(
        text,
        customer_language=conversation.language or None,
        distressed=distressed(conversation),
        official_domains=domains,
        official_handles=handles,
    )


def advice(result: GuardResult, language: str) -> list[dict[str, str]]:
    """What to change, for the console: the reason, why, and wording to offer."""
    return [
        {
            "reason": reason,
            "advice": str(ADVICE[reason]),
            "suggestion": SUGGESTED.get(reason, {}).get(language[:2], ""),
            "excerpt": next((f.excerpt for f in result.findings if f.reason == reason), ""),
        }
        for reason in result.reasons
    ]

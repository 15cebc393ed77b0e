"""Customer satisfaction (CSAT): one question after an agent resolves a conversation,
the customer's score when their next message answers it, and the supervisors' report.

Steps, in order:

1. `do_send_survey`, called by the inbox when an agent resolves a conversation, sends
   "How did we do?" in the customer's language through `do_reply` (so the reply guard
   reads it) unless the thread is public, the customer's vulnerability record asks for
   extra care, their last message showed distress, or the conversation had a survey in
   the last 7 days. Nobody is asked to grade us in front of everyone, or while in crisis.
2. `record_csat_answers`, called by the inbox for every processed chunk of inbound
   messages before it is saved, takes the customer's first message after the survey,
   within 7 days, when it is nothing but a score (a digit, "5/5", stars, a number word
   in Spanish, English or Hebrew). A score leaves the conversation as it was: the
   inbox reopens a resolved conversation on a new message, but "5" is not new work.
3. `csat_report` gives supervisors the last 30 days per brand and per agent who
   resolved: surveys sent, answers, response rate and average score.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.assist.models import CsatSurvey
from amparo.assist.register import needs_extra_care
from amparo.assist.reply import DISTRESS_THRESHOLD, ReplyRefused
from amparo.core.audit import SYSTEM, Actor, record
from amparo.inbox.models import Conversation, ConversationStatus, Direction, Message, MessageState

logger = logging.getLogger(__name__)

ANSWER_WINDOW = timedelta(days=7)
REPEAT_WINDOW = timedelta(days=7)
REPORT_DAYS = 30
FALLBACK_LANGUAGE = "en"
# What the customer reads, in their language; each passes the reply guard with verdict
# "ok" (tests/assist/test_csat.py).
SURVEY_TEXTS = {
    "es": "¿Cómo lo hicimos? Responda con un número del 1 (mal) al 5 (excelente).",
    "en": "How did we do? Reply with a number from 1 (bad) to 5 (great).",
    "he": "איך היה השירות שלנו? השיבו במספר מ-1 (גרוע) עד 5 (מצוין).",
}

# --- reading an answer ------------------------------------------------------------------

MAX_ANSWER = 40
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "uno": 1,
    "una": 1,
    "dos": 2,
    "tres": 3,
    "cuatro": 4,
    "cinco": 5,
    "אחת": 1,
    "אחד": 1,
    "שתיים": 2,
    "שתים": 2,
    "שניים": 2,
    "שנים": 2,
    "שלוש": 3,
    "שלושה": 3,
    "ארבע": 4,
    "ארבעה": 4,
    "חמש": 5,
    "חמישה": 5,
}
FILLED_STARS = frozenset("⭐★🌟")
EMPTY_STARS = frozenset("☆✩")
# Emoji variation selectors, joiners and direction marks carry no meaning here.
INVISIBLE = re.compile(r"[\ufe0e\ufe0f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
TRAILING = ".!¡¿?,;:)( "
DIGIT_SCORE = re.compile(
    r"(?P<n>\d)(?:\s*(?:/|de|of|out of|מתוך)\s*5"
    r"|\s*(?:stars?|estrellas?|כוכבים|כוכב|puntos?|points?|נקודות))?"
)


def parse_score(text: str) -> int | None:
    """The score 1–5 a message is made of, or None when it says anything else."""
    if not text or len(text) > MAX_ANSWER:
        return None
    answer = INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()
    answer = " ".join(answer.split()).strip(TRAILING)
    if answer in NUMBER_WORDS:
        return NUMBER_WORDS[answer]
    if answer and set(answer.replace(" ", "")) <= FILLED_STARS | EMPTY_STARS:
        return star_score(answer.replace(" ", ""))
    match = DIGIT_SCORE.fullmatch(answer)
    return in_range(int(match.group("n"))) if match else None


def star_score(stars: str) -> int | None:
    # "★★★☆☆" is three out of five.
    filled = sum(ch in FILLED_STARS for ch in stars)
    if len(stars) > 5 or stars[:filled] != "".join(ch for ch in stars if ch in FILLED_STARS):
        return None
    return in_range(filled)


def in_range(score: int) -> int | None:
    return score if 1 <= score <= 5 else None


# --- sending the survey -----------------------------------------------------------------


def survey_language(conversation: Conversation) -> str:
    for language in (conversation.language, conversation.brand.default_language):
        if language and language[:2] in SURVEY_TEXTS:
            return language[:2]
    return FALLBACK_LANGUAGE


def survey_due(conversation: Conversation, actor: Actor, now: datetime) -> bool:
    """Whether resolving this conversation asks the customer how we did."""
    if actor.agent is None:
        return False
    if conversation.status != ConversationStatus.RESOLVED:
        return False
    if conversation.public:
        return False
    if needs_extra_care(conversation.customer, conversation.brand):
        return False
    if distressed_last(conversation):
        return False
    return not conversation.csat_surveys.filter(sent_at__gte=now - REPEAT_WINDOW).exists()


def distressed_last(conversation: Conversation) -> bool:
    """Triage read distress in the customer's last message (a rating request would
    answer someone in crisis with a form)."""
    last = (
        conversation.messages.filter(direction=Direction.INBOUND)
        .order_by("-sent_at", "-pk")
        .values_list("triage", flat=True)
        .first()
    )
    distress = last.get("distress") if isinstance(last, dict) else None
    score = distress.get("score") if isinstance(distress, dict) else None
    if isinstance(score, bool) or not isinstance(score, int | float):
        return False
    return score >= DISTRESS_THRESHOLD


def do_send_survey(conversation: Conversation, actor: Actor) -> CsatSurvey | None:
    """Send the survey when `survey_due`; None when not due or the guard refused it (it
    is logged: resolving the conversation must not fail because of a survey)."""
    from amparo.inbox.actions import do_reply  # the inbox calls in here

    now = timezone.now()
    with transaction.atomic():
        # Two agents resolving at once: the lock lets only one of them send it.
        locked = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("brand", "customer")
            .get(pk=conversation.pk)
        )
        if not survey_due(locked, actor, now):
            return None
        language = survey_language(locked)
        try:
            message = do_reply(locked, SURVEY_TEXTS[language], SYSTEM)
        except ReplyRefused as refused:
            logger.warning(
                "csat survey refused by the guard: %s", ", ".join(refused.result.reasons)
            )
            return None
        survey = CsatSurvey.objects.create(
            conversation=locked,
            message=message,
            resolved_by=actor.agent,
            language=language,
            sent_at=now,
        )
        record(actor, "csat.sent", survey, None, {"conversation": locked.pk, "language": language})
    return survey


# --- recording the answer ---------------------------------------------------------------


def record_csat_answers(messages: list[Message]) -> int:
    """For a chunk of inbound messages threaded into conversations but not yet saved
    (`amparo.inbox.actions.after_processing`): record the scores among them; a
    conversation whose last message in the chunk is a score keeps the status, resolved
    time and language it had. Returns how many scores were recorded."""
    first: dict[int, Message] = {}
    last: dict[int, Message] = {}
    for message in messages:  # in the chunk's order: by sent_at, then id
        if message.conversation_id is not None:
            first.setdefault(message.conversation_id, message)
            last[message.conversation_id] = message
    recorded = 0
    # Only a conversation's first message of the chunk can answer: any later one has
    # this chunk's earlier message before it, which is not yet saved for the check.
    for conversation_id, message in first.items():
        if record_csat_answer(message):
            recorded += 1
            if last[conversation_id] is message:
                keep_as_before(message)
    return recorded


def record_csat_answer(message: Message) -> bool:
    """Record the score `message` gives, when it is the customer's first message on the
    conversation since its survey, within 7 days, and nothing but a score; True when
    recorded. Each survey takes one answer (claimed with a conditional update)."""
    if message.direction != Direction.INBOUND or message.conversation_id is None:
        return False
    score = parse_score(message.text)
    if score is None:
        return False
    survey = open_survey_for(message)
    if survey is None or wrote_since(survey, message):
        return False
    now = timezone.now()
    claimed = CsatSurvey.objects.filter(pk=survey.pk, answered_at__isnull=True).update(
        score=score, answered_at=now, answer_id=message.pk
    )
    if claimed:
        after = {"score": score, "message": message.pk}
        record(SYSTEM, "csat.answer", survey, None, after)
        # Saved with the message: the outage radar does not count a score as a complaint.
        message.triage = {**(message.triage or {}), "csat": score}
    return bool(claimed)


def thread_of(message: Message) -> dict[str, Any]:
    """Where the customer writes: a conversation after the reopen window is a new one on
    the same brand, channel and thread, and an answer may arrive there."""
    conversation = message.conversation
    assert conversation is not None
    return {
        "conversation__brand_id": conversation.brand_id,
        "conversation__customer_id": conversation.customer_id,
        "conversation__channel": conversation.channel,
        "conversation__thread_id": conversation.thread_id,
    }


def open_survey_for(message: Message) -> CsatSurvey | None:
    arrived = message.received_at
    return (
        CsatSurvey.objects.filter(
            **thread_of(message),
            answered_at__isnull=True,
            sent_at__lte=arrived,
            sent_at__gte=arrived - ANSWER_WINDOW,
        )
        .order_by("-sent_at", "-pk")
        .first()
    )


def wrote_since(survey: CsatSurvey, message: Message) -> bool:
    """Whether the customer wrote anything else on the thread after the survey: then
    this message is not the answer (a "5" after "my card still fails" is not a grade)."""
    conversation = message.conversation
    assert conversation is not None
    return (
        Message.objects.filter(
            direction=Direction.INBOUND,
            state=MessageState.PROCESSED,
            brand_id=conversation.brand_id,
            customer_id=conversation.customer_id,
            channel=conversation.channel,
            thread_id=conversation.thread_id,
            received_at__gte=survey.sent_at,
        )
        .exclude(pk=message.pk)
        .exists()
    )


def keep_as_before(message: Message) -> None:
    """Undo, before it is saved, what threading the answer did to its conversation: the
    status, resolved time and language stay as stored. A conversation the answer opened
    (it came after the reopen window) holds nothing else: it is resolved at once."""
    conversation = message.conversation
    assert conversation is not None
    stored = (
        Conversation.objects.filter(pk=conversation.pk)
        .values("status", "resolved_at", "language")
        .first()
    )
    answered = CsatSurvey.objects.filter(answer_id=message.pk).values("conversation_id").first()
    if stored is None or answered is None:
        return
    opened_by_answer = (
        answered["conversation_id"] != conversation.pk
        and not conversation.messages.exclude(pk=message.pk).exists()
    )
    if opened_by_answer:
        conversation.status = ConversationStatus.RESOLVED
        conversation.resolved_at = message.processed_at or timezone.now()
    else:
        conversation.status = stored["status"]
        conversation.resolved_at = stored["resolved_at"]
        conversation.language = stored["language"] or conversation.language


# --- the report -------------------------------------------------------------------------


@dataclass(frozen=True)
class CsatRow:
    label: str
    sent: int
    answered: int
    total: int

    @property
    def response_rate(self) -> Decimal | None:
        """Answers per survey sent, as a percentage with one decimal."""
        if not self.sent:
            return None
        return (Decimal(100 * self.answered) / self.sent).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def average(self) -> Decimal | None:
        if not self.answered:
            return None
        return (Decimal(self.total) / self.answered).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


def csat_report(now: datetime | None = None, days: int = REPORT_DAYS) -> dict[str, Any]:
    """Surveys sent in the last `days` days, per brand and per agent who resolved."""
    since = (now or timezone.now()) - timedelta(days=days)
    surveys = CsatSurvey.objects.filter(sent_at__gte=since)
    by_brand = [
        CsatRow(row["conversation__brand__name"], row["sent"], row["answered"], row["total"] or 0)
        for row in figures(surveys, "conversation__brand_id", "conversation__brand__name")
    ]
    by_agent = [
        CsatRow(agent_label(row), row["sent"], row["answered"], row["total"] or 0)
        for row in figures(
            surveys, "resolved_by_id", "resolved_by__display_name", "resolved_by__email"
        )
    ]
    overall = surveys.aggregate(sent=Count("pk"), answered=Count("score"), total=Sum("score"))
    return {
        "since": since,
        "days": days,
        "by_brand": sorted(by_brand, key=lambda row: row.label.casefold()),
        "by_agent": sorted(by_agent, key=lambda row: row.label.casefold()),
        "overall": CsatRow("", overall["sent"], overall["answered"], overall["total"] or 0),
    }


def figures(surveys: Any, *group_by: str) -> Any:
    return (
        surveys.values(*group_by)
        .annotate(sent=Count("pk"), answered=Count("score"), total=Sum("score"))
        .order_by(*group_by)
    )


def agent_label(row: dict[str, Any]) -> str:
    if row["resolved_by_id"] is None:
        return _("Deleted agent")
    return row["resolved_by__display_name"] or row["resolved_by__email"]

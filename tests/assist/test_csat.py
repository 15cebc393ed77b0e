"""Customer satisfaction: the survey sent when an agent resolves a conversation, the
customer's answer (which does not reopen it), and the supervisors' report."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import F
from django.test import Client, override_settings
from django.utils import timezone, translation

from amparo.assist.csat import SURVEY_TEXTS, parse_score
from amparo.assist.guard import guard
from amparo.assist.models import CsatSurvey
from amparo.assist.register import RecordData, do_create_record
from amparo.core.audit import SYSTEM, Actor
from amparo.core.models import Agent, AuditEvent, Brand
from amparo.inbox import actions
from amparo.inbox.actions import do_accept_inbound_batch, process_received
from amparo.inbox.models import Conversation, Message
from amparo.inbox.schemas import InboundMessageIn

LoggedIn = Callable[[Agent], Client]
Receive = Callable[..., Message]
SENDER = {"external_id": "+5215550100088", "display_name": "Lupita"}


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def write(brand: Brand, receive: Receive) -> Callable[..., Message]:
    """The same customer writes again on the same WhatsApp chat."""

    def send(text: str, **overrides: Any) -> Message:
        return receive(text=text, **{"from": SENDER, **overrides})

    return send


@pytest.fixture
def conversation(write: Callable[..., Message]) -> Conversation:
    return conversation_of(write("no puedo pagar mi abono desde la app"))


def conversation_of(message: Message) -> Conversation:
    return Conversation.objects.get(pk=message.conversation_id)


def resolve(conversation: Conversation, agent: Agent) -> Conversation:
    return actions.do_set_status(conversation, "resolved", Actor.of_agent(agent))


def surveys_of(conversation: Conversation) -> list[CsatSurvey]:
    return list(CsatSurvey.objects.filter(conversation=conversation).order_by("pk"))


def outbound(conversation: Conversation) -> list[str]:
    return list(
        Message.objects.filter(conversation=conversation, direction="out")
        .order_by("pk")
        .values_list("text", flat=True)
    )


def age_survey(survey: CsatSurvey, days: float) -> None:
    """Move a survey, the resolution it followed and the messages before it `days` into
    the past."""
    ago = timedelta(days=days)
    CsatSurvey.objects.filter(pk=survey.pk).update(sent_at=F("sent_at") - ago)
    Conversation.objects.filter(pk=survey.conversation_id).update(
        resolved_at=F("resolved_at") - ago, last_message_at=F("last_message_at") - ago
    )
    Message.objects.filter(conversation_id=survey.conversation_id).update(
        sent_at=F("sent_at") - ago, received_at=F("received_at") - ago
    )


# --- the survey -------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["es", "en", "he"])
def test_the_survey_passes_the_reply_guard_in_its_language(language: str) -> None:
    result = guard(SURVEY_TEXTS[language], customer_language=language)

    assert (result.verdict, result.reasons) == ("ok", [])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("no puedo pagar mi abono desde la app", "es"),
        ("my card was declined at the shop this morning", "en"),
        ("הכרטיס שלי נדחה בחנות הבוקר", "he"),
    ],
)
def test_resolving_sends_one_survey_in_the_customers_language(
    write: Callable[..., Message], alice: Agent, text: str, language: str
) -> None:
    conversation = conversation_of(write(text))

    resolved = resolve(conversation, alice)

    [survey] = surveys_of(conversation)
    assert outbound(conversation) == [SURVEY_TEXTS[language]]
    assert survey.language == language and survey.resolved_by == alice
    assert survey.message is not None and survey.message.author is None  # sent by amparo
    assert survey.message.triage["guard"]["verdict"] == "ok"
    assert survey.score is None and survey.answered_at is None
    assert resolved.status == "resolved"
    conversation.refresh_from_db()
    assert conversation.status == "resolved" and conversation.resolved_at is not None
    [event] = AuditEvent.objects.filter(action="csat.sent")
    assert event.actor == alice


def test_resolving_from_the_console_sends_the_survey(
    logged_in: LoggedIn, alice: Agent, conversation: Conversation
) -> None:
    response = logged_in(alice).post(
        f"/conversations/{conversation.pk}/status", {"status": "resolved"}
    )

    assert response.status_code == 302
    assert len(surveys_of(conversation)) == 1


def test_a_public_thread_gets_no_survey(write: Callable[..., Message], alice: Agent) -> None:
    conversation = conversation_of(
        write("@altamar no puedo pagar desde la app", channel="bluesky", public=True)
    )

    resolve(conversation, alice)

    assert surveys_of(conversation) == [] and outbound(conversation) == []


def test_a_customer_whose_record_asks_for_extra_care_gets_no_survey(
    conversation: Conversation, alice: Agent, record_data: Callable[..., RecordData]
) -> None:
    do_create_record(conversation.customer, record_data(extra_care=True), Actor.of_agent(alice))

    resolve(conversation, alice)

    assert surveys_of(conversation) == [] and outbound(conversation) == []


def test_a_record_without_extra_care_does_not_stop_the_survey(
    conversation: Conversation, alice: Agent, record_data: Callable[..., RecordData]
) -> None:
    do_create_record(conversation.customer, record_data(extra_care=False), Actor.of_agent(alice))

    resolve(conversation, alice)

    assert len(surveys_of(conversation)) == 1


def test_a_customer_who_last_wrote_in_distress_gets_no_survey(
    write: Callable[..., Message], alice: Agent
) -> None:
    conversation = conversation_of(write("no tengo dinero ni para comer, no sé qué hacer"))

    resolve(conversation, alice)

    assert surveys_of(conversation) == []


@pytest.mark.parametrize("actor", [SYSTEM, Actor(label="token:crm")])
def test_a_conversation_resolved_by_amparo_or_an_integration_gets_no_survey(
    conversation: Conversation, actor: Actor
) -> None:
    actions.do_set_status(conversation, "resolved", actor)

    assert surveys_of(conversation) == []


def test_other_status_changes_send_no_survey(conversation: Conversation, alice: Agent) -> None:
    actions.do_set_status(conversation, "pending", Actor.of_agent(alice))

    assert surveys_of(conversation) == []


def test_a_conversation_gets_no_second_survey_within_seven_days(
    conversation: Conversation, alice: Agent, bob: Agent
) -> None:
    resolve(conversation, alice)
    actions.do_set_status(conversation, "open", Actor.of_agent(alice))
    resolve(conversation, bob)
    assert len(surveys_of(conversation)) == 1

    age_survey(surveys_of(conversation)[0], days=7.1)
    actions.do_set_status(conversation, "open", Actor.of_agent(alice))
    resolve(conversation, bob)

    first, second = surveys_of(conversation)
    assert (first.resolved_by, second.resolved_by) == (alice, bob)


# --- reading an answer ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "score"),
    [
        ("5", 5),
        ("1", 1),
        (" 4 ", 4),
        ("3.", 3),
        ("5!", 5),
        ("５", 5),
        ("5/5", 5),
        ("4 / 5", 4),
        ("4 de 5", 4),
        ("4 out of 5", 4),
        ("4 מתוך 5", 4),
        ("5 estrellas", 5),
        ("2 stars", 2),
        ("⭐⭐⭐⭐", 4),
        ("⭐️⭐️⭐️", 3),
        ("★★★☆☆", 3),
        ("★", 1),
        ("five", 5),
        ("Four", 4),
        ("cinco", 5),
        ("Uno", 1),
        ("tres", 3),
        ("חמש", 5),
        ("שתיים", 2),
        ("\u200fארבע\u200f", 4),
    ],
)
def test_a_score_is_read_from_digits_stars_and_words(text: str, score: int) -> None:
    assert parse_score(text) == score


@pytest.mark.parametrize(
    "text",
    [
        "",
        "0",
        "6",
        "10",
        "-1",
        "5/10",
        "3/4",
        "⭐⭐⭐⭐⭐⭐",
        "☆☆☆",
        "☆★",
        "seis",
        "cero",
        "gracias",
        "5 pero la app sigue sin funcionar",
        "I give you a 5",
        "mi NIP es 1234",
        "1234",
        "5 5",
        "5" * 100,
    ],
)
def test_anything_but_a_score_from_1_to_5_is_not_taken(text: str) -> None:
    assert parse_score(text) is None


# --- recording the answer ---------------------------------------------------------------


def test_a_score_is_recorded_and_the_conversation_stays_resolved(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    resolve(conversation, alice)
    resolved_at = Conversation.objects.get(pk=conversation.pk).resolved_at

    answer = write("5")

    [survey] = surveys_of(conversation)
    assert (survey.score, survey.answer_id) == (5, answer.pk)
    assert survey.answered_at is not None
    assert answer.conversation_id == conversation.pk  # the answer is in the thread
    conversation.refresh_from_db()
    assert conversation.status == "resolved"
    assert conversation.resolved_at == resolved_at
    [event] = AuditEvent.objects.filter(action="csat.answer")
    assert event.after == {"score": 5, "message": answer.pk}
    answer.refresh_from_db()
    assert answer.triage["csat"] == 5


def test_an_answer_is_not_counted_by_the_outage_radar(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    from amparo.radar.models import RadarBucket

    resolve(conversation, alice)
    before = sum(RadarBucket.objects.values_list("count", flat=True))
    write("5")
    assert sum(RadarBucket.objects.values_list("count", flat=True)) == before
    write("the app is down again")  # an ordinary message is counted
    assert sum(RadarBucket.objects.values_list("count", flat=True)) > before


def test_a_hebrew_word_answer_keeps_the_conversations_language(
    write: Callable[..., Message], alice: Agent
) -> None:
    conversation = conversation_of(write("my card was declined at the shop this morning"))
    resolve(conversation, alice)

    write("חמש")

    [survey] = surveys_of(conversation)
    assert survey.score == 5
    conversation.refresh_from_db()
    assert (conversation.status, conversation.language) == ("resolved", "en")


def test_a_message_that_is_not_a_score_reopens_the_conversation_as_usual(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    resolve(conversation, alice)

    write("5 pero la app sigue sin funcionar")

    [survey] = surveys_of(conversation)
    assert survey.score is None
    conversation.refresh_from_db()
    assert conversation.status == "open" and conversation.resolved_at is None


def test_a_score_after_another_message_is_not_an_answer(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    resolve(conversation, alice)
    write("sigue fallando el pago")

    write("5")

    [survey] = surveys_of(conversation)
    assert survey.score is None
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_a_survey_takes_one_answer(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    resolve(conversation, alice)

    write("4")
    write("1")

    [survey] = surveys_of(conversation)
    assert survey.score == 4
    # The second message is a new message like any other.
    conversation.refresh_from_db()
    assert conversation.status == "open"


@override_settings(REOPEN_WINDOW_HOURS=72)
def test_an_answer_after_seven_days_is_not_taken(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    resolve(conversation, alice)
    age_survey(surveys_of(conversation)[0], days=7.1)

    late = write("5")

    [survey] = surveys_of(conversation)
    assert survey.score is None
    assert conversation_of(late).status == "open"  # a new conversation, as usual


@override_settings(REOPEN_WINDOW_HOURS=72)
def test_an_answer_after_the_reopen_window_is_taken_and_opens_no_work(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    resolve(conversation, alice)
    age_survey(surveys_of(conversation)[0], days=4)

    answer = write("4")

    [survey] = surveys_of(conversation)
    assert (survey.score, survey.answer_id) == (4, answer.pk)
    conversation.refresh_from_db()
    assert conversation.status == "resolved"
    # The inbox put the late answer in a new conversation: it holds only the score.
    new = conversation_of(answer)
    assert new.pk != conversation.pk
    assert new.status == "resolved" and new.resolved_at is not None


@override_settings(REOPEN_WINDOW_HOURS=72)
def test_an_answer_landing_in_a_newer_conversation_with_messages_leaves_it_open(
    conversation: Conversation, alice: Agent, write: Callable[..., Message]
) -> None:
    # An old conversation, resolved long ago; the customer has since opened a new one.
    resolve(conversation, alice)
    age_survey(surveys_of(conversation)[0], days=8)
    newer = conversation_of(write("¿dónde está mi pedido?"))
    assert newer.pk != conversation.pk
    CsatSurvey.objects.all().delete()
    resolve(conversation, alice)  # resolved again: a survey on the old one

    answer = write("5")

    assert answer.conversation_id == newer.pk
    [survey] = surveys_of(conversation)
    assert survey.score == 5
    newer.refresh_from_db()
    assert newer.status == "open"


def batch(*texts: str) -> list[int]:
    now = timezone.now()
    items = [
        InboundMessageIn.model_validate(
            {
                "channel": "whatsapp",
                "channel_message_id": f"wamid.csat-batch-{now.timestamp()}-{index}",
                "brand": "altamar-tiendas",
                "from": SENDER,
                "text": text,
                "sent_at": (now + timedelta(seconds=index)).isoformat(),
            }
        )
        for index, text in enumerate(texts)
    ]
    result = do_accept_inbound_batch(items)
    process_received(result.message_ids)
    return result.message_ids


def test_a_score_followed_by_a_question_in_the_same_batch_reopens_for_the_question(
    conversation: Conversation, alice: Agent
) -> None:
    resolve(conversation, alice)

    batch("5", "otra cosa: ¿cuándo llega mi tarjeta nueva?")

    [survey] = surveys_of(conversation)
    assert survey.score == 5
    conversation.refresh_from_db()
    assert conversation.status == "open"


def test_a_question_followed_by_a_score_in_the_same_batch_is_not_an_answer(
    conversation: Conversation, alice: Agent
) -> None:
    resolve(conversation, alice)

    batch("¿cuándo llega mi tarjeta nueva?", "5")

    [survey] = surveys_of(conversation)
    assert survey.score is None


def test_a_score_alone_in_a_batch_keeps_the_conversation_resolved(
    conversation: Conversation, alice: Agent
) -> None:
    resolve(conversation, alice)

    batch("⭐⭐⭐")

    [survey] = surveys_of(conversation)
    assert survey.score == 3
    conversation.refresh_from_db()
    assert conversation.status == "resolved"


def test_a_number_from_a_customer_never_surveyed_is_a_message_like_any_other(
    write: Callable[..., Message],
) -> None:
    message = write("5")

    assert conversation_of(message).status == "open"
    assert CsatSurvey.objects.count() == 0


# --- the report -------------------------------------------------------------------------


def figures(page: str, table: str, row: str) -> dict[str, str]:
    found = re.search(rf'<table class="grid" id="{table}">.*?</table>', page, re.S)
    assert found, f"no table {table}"
    cells = re.search(rf'<tr data-row="{re.escape(row)}">(.*?)</tr>', found.group(), re.S)
    assert cells, f"no row {row} in {table}"
    return dict(re.findall(r'data-figure="([\w-]+)"[^>]*>([^<]*)<', cells.group(1)))


def test_the_report_shows_each_brand_and_each_agent_over_thirty_days(
    logged_in: LoggedIn,
    sue: Agent,
    alice: Agent,
    bob: Agent,
    brand: Brand,
    make_brand: Callable[..., Brand],
    receive: Receive,
) -> None:
    other = make_brand(name="Banco Altamar", slug="banco-altamar")

    def surveyed(number: int, brand: str, agent: Agent, score: int | None) -> CsatSurvey:
        message = receive(brand=brand, **{"from": {"external_id": f"+52155501009{number}"}})
        resolve(conversation_of(message), agent)
        [survey] = surveys_of(conversation_of(message))
        if score is not None:
            CsatSurvey.objects.filter(pk=survey.pk).update(score=score, answered_at=timezone.now())
        return survey

    surveyed(1, "altamar-tiendas", alice, 5)
    surveyed(2, "altamar-tiendas", alice, 4)
    surveyed(3, "altamar-tiendas", bob, None)
    surveyed(4, "banco-altamar", bob, 1)
    old = surveyed(5, "banco-altamar", alice, 5)
    CsatSurvey.objects.filter(pk=old.pk).update(sent_at=timezone.now() - timedelta(days=31))

    page = logged_in(sue).get("/console/csat").content.decode()

    assert figures(page, "csat-brands", "Altamar Tiendas") == {
        "sent": "3",
        "answered": "2",
        "response-rate": "66.7%",
        "average": "4.50",
    }
    assert figures(page, "csat-brands", other.name) == {
        "sent": "1",
        "answered": "1",
        "response-rate": "100.0%",
        "average": "1.00",
    }
    assert figures(page, "csat-agents", "Alice") == {
        "sent": "2",
        "answered": "2",
        "response-rate": "100.0%",
        "average": "4.50",
    }
    assert figures(page, "csat-agents", "Bob") == {
        "sent": "2",
        "answered": "1",
        "response-rate": "50.0%",
        "average": "1.00",
    }
    overall = re.search(r'<dl class="csat-overall".*?</dl>', page, re.S)
    assert overall and dict(
        re.findall(r'data-figure="([\w-]+)"[^>]*>([^<]*)<', overall.group())
    ) == {
        "sent": "4",
        "answered": "3",
        "response-rate": "75.0%",
        "average": "3.33",
    }


def test_an_empty_report_says_so(logged_in: LoggedIn, sue: Agent) -> None:
    page = logged_in(sue).get("/console/csat").content.decode()

    assert "No surveys in this period." in page


@pytest.mark.parametrize(("agent", "status"), [("alice", 403), ("sue", 200), ("ada", 200)])
def test_only_supervisors_and_administrators_read_the_report(
    logged_in: LoggedIn, request: pytest.FixtureRequest, agent: str, status: int
) -> None:
    response = logged_in(request.getfixturevalue(agent)).get("/console/csat")

    assert response.status_code == status


def test_the_report_reads_right_to_left_in_hebrew(
    logged_in: LoggedIn, make_agent: Callable[..., Agent]
) -> None:
    from amparo.core.models import Role

    client = logged_in(make_agent(Role.SUPERVISOR, language="he"))
    client.cookies["amparo_language"] = "he"

    page = client.get("/console/csat").content.decode()

    assert '<html lang="he" dir="rtl">' in page
    assert "שביעות רצון" in page

"""Service levels in the running system: timers start when customers write, stop when an
agent answers, missed ones are recorded once and audited; the inbox puts the priority
queue first and the soonest due next; the CLI sets hours and targets."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from amparo.core.audit import SYSTEM, Actor
from amparo.core.models import Agent, AuditEvent, Brand
from amparo.inbox import actions
from amparo.inbox.models import Message, Priority
from amparo.sla.engine import DEFAULTS, check_breaches, timers_for
from amparo.sla.models import BusinessHours, ConversationSla, SlaPolicy

Receive = Callable[..., Message]


def sender(n: int) -> dict[str, Any]:
    return {"from": {"external_id": f"+52155501{n:05d}"}}


def timer_of(message: Message) -> ConversationSla:
    return ConversationSla.objects.get(pk=message.conversation_id)


def test_a_customers_first_message_starts_the_first_response_and_resolution_timers(
    brand: Brand, receive: Receive
) -> None:
    message = receive(text="hola, una duda con mi pedido", **sender(1))
    timer = timer_of(message)
    normal = DEFAULTS[Priority.NORMAL]
    assert timer.first_response_due == message.received_at + timedelta(
        minutes=normal.first_response
    )
    assert timer.resolution_due == message.received_at + timedelta(minutes=normal.resolution)
    assert timer.waiting_since == message.received_at
    assert timer.next_response_due == timer.first_response_due


def test_a_distressed_customer_gets_the_priority_queues_shorter_target(
    brand: Brand, receive: Receive
) -> None:
    message = receive(text="no tengo para comer y me cobraron dos veces", **sender(2))
    assert message.conversation.priority >= Priority.HIGH
    target = DEFAULTS[message.conversation.priority].first_response
    assert timer_of(message).first_response_due == message.received_at + timedelta(minutes=target)


def test_an_agents_reply_stops_the_waiting_and_the_next_message_starts_it_again(
    brand: Brand, receive: Receive, alice: Agent
) -> None:
    first = receive(text="hola", **sender(3))
    actions.do_reply(first.conversation, "Con gusto le ayudo.", Actor.of_agent(alice))
    timer = timer_of(first)
    assert timer.first_responded_at is not None
    assert timer.waiting_since is None and timer.next_response_due is None

    second = receive(text="otra duda más", **sender(3))
    timer.refresh_from_db()
    assert second.conversation_id == first.conversation_id
    assert timer.waiting_since == second.received_at
    assert timer.next_response_due == second.received_at + timedelta(
        minutes=DEFAULTS[Priority.NORMAL].next_response
    )


def test_amparos_own_notices_do_not_count_as_an_answer(brand: Brand, receive: Receive) -> None:
    message = receive(text="hola", **sender(4))
    actions.do_reply(message.conversation, "Aviso: su pedido fue enviado hoy.", SYSTEM)
    assert timer_of(message).first_responded_at is None


def test_a_missed_timer_is_recorded_and_audited_once(brand: Brand, receive: Receive) -> None:
    message = receive(text="hola", **sender(5))
    later = timezone.now() + timedelta(days=30)

    assert check_breaches(later) == 2  # first response and resolution
    assert check_breaches(later) == 0
    timer = timer_of(message)
    assert {b["timer"] for b in timer.breaches} == {"first_response", "resolution"}
    events = AuditEvent.objects.filter(action="sla.breached")
    assert events.count() == 2
    assert {e.after["timer"] for e in events} == {"first_response", "resolution"}


def test_a_resolved_conversation_does_not_breach(
    brand: Brand, receive: Receive, alice: Agent
) -> None:
    message = receive(text="hola", **sender(6))
    actions.do_set_status(message.conversation, "resolved", Actor.of_agent(alice))
    assert check_breaches(timezone.now() + timedelta(days=30)) == 0


def test_a_brands_business_hours_and_policy_set_the_due_time(
    brand: Brand, receive: Receive
) -> None:
    week = {str(d): [] for d in range(7)}  # closed all week but Sunday night
    week["6"] = [["23:00", "23:30"]]
    BusinessHours.objects.create(brand=brand, timezone="UTC", week=week)
    SlaPolicy.objects.create(
        brand=brand, first_response_minutes=10, next_response_minutes=20, resolution_minutes=30
    )
    message = receive(text="hola", **sender(7))
    due = timer_of(message).first_response_due
    assert due.weekday() == 6 and (due.hour, due.minute) == (23, 10)


def test_calendar_time_policies_ignore_business_hours(brand: Brand, receive: Receive) -> None:
    BusinessHours.objects.create(brand=brand, timezone="UTC", week={"6": [["23:00", "23:30"]]})
    SlaPolicy.objects.create(
        brand=brand,
        priority=Priority.NORMAL,
        first_response_minutes=10,
        next_response_minutes=20,
        resolution_minutes=30,
        business_time=False,
    )
    message = receive(text="hola", **sender(8))
    assert timer_of(message).first_response_due == message.received_at + timedelta(minutes=10)


def test_the_conversation_page_shows_the_timers(
    brand: Brand, receive: Receive, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    message = receive(text="hola", **sender(9))
    page = logged_in(alice).get(f"/conversations/{message.conversation_id}").content.decode()
    assert 'data-timer="first_response"' in page and 'data-state="ok"' in page
    states = {t["name"]: t["state"] for t in timers_for(message.conversation)}
    assert states == {"first_response": "ok", "resolution": "ok"}
    later = timezone.now() + timedelta(days=30)
    states = {t["name"]: t["state"] for t in timers_for(message.conversation, later)}
    assert states == {"first_response": "breached", "resolution": "breached"}


def test_the_inbox_puts_the_priority_queue_first_then_the_soonest_due(
    brand: Brand, receive: Receive, logged_in: Callable[[Agent], Client], alice: Agent
) -> None:
    # "late" wrote first, "calm" last: by time alone "calm" would come before "late"
    late = receive(text="buenas tardes", **sender(12))
    urgent = receive(text="no tengo para comer, ayuda por favor", **sender(11))
    calm = receive(text="hola, una pregunta", **sender(10))
    ConversationSla.objects.filter(pk=late.conversation_id).update(
        next_response_due=timezone.now() - timedelta(minutes=5)
    )
    ConversationSla.objects.filter(pk=calm.conversation_id).update(
        next_response_due=timezone.now() + timedelta(minutes=50)
    )
    late.conversation.__class__.objects.filter(pk=late.conversation_id).update(
        last_message_at=timezone.now() - timedelta(hours=3)
    )
    page = logged_in(alice).get("/inbox").content.decode()
    order = [page.index(f'data-conversation="{m.conversation_id}"') for m in (urgent, late, calm)]
    assert order == sorted(order)
    assert 'data-sla="breached"' in page


# --- command line ------------------------------------------------------------------------


def sla(*args: str) -> str:
    out = io.StringIO()
    call_command("sla", *args, stdout=out)
    return out.getvalue()


def test_hours_and_targets_are_set_audited_and_shown(brand: Brand) -> None:
    week = json.dumps({"0": [["09:00", "18:00"]]})
    sla(
        "hours",
        brand.slug,
        "--timezone",
        "Europe/London",
        "--week",
        week,
        "--holidays",
        "2026-12-25",
    )
    sla(
        "policy",
        brand.slug,
        "--priority",
        "urgent",
        "--first",
        "5",
        "--next",
        "10",
        "--resolution",
        "60",
    )
    sla(
        "policy",
        brand.slug,
        "--priority",
        "urgent",
        "--first",
        "7",
        "--next",
        "10",
        "--resolution",
        "60",
    )

    assert BusinessHours.objects.get(brand=brand).holidays == ["2026-12-25"]
    assert SlaPolicy.objects.get(brand=brand).first_response_minutes == 7
    assert AuditEvent.objects.filter(action="sla.policy").count() == 2
    shown = sla("show")
    assert "Europe/London" in shown and "urgent: first 7 min" in shown


@pytest.mark.parametrize(
    "args",
    [
        ["hours", "no-such-brand", "--timezone", "UTC", "--week", "{}"],
        ["hours", "altamar-tiendas", "--timezone", "Mars/Base", "--week", "{}"],
        ["hours", "altamar-tiendas", "--timezone", "UTC", "--week", "{not json"],
        ["hours", "altamar-tiendas", "--timezone", "UTC", "--week", '{"0": [["9", "18"]]}'],
        ["hours", "altamar-tiendas", "--timezone", "UTC", "--week", "{}", "--holidays", "xmas"],
        ["policy", "altamar-tiendas", "--first", "0", "--next", "1", "--resolution", "1"],
        ["policy", "altamar-tiendas", "--first", "1", "--next", "1", "--resolution", "99999999"],
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(brand: Brand, args: list[str]) -> None:
    with pytest.raises(CommandError):
        sla(*args)
    assert not BusinessHours.objects.exists() and not SlaPolicy.objects.exists()


def test_check_reports_how_many_timers_were_missed(brand: Brand) -> None:
    assert sla("check").strip() == "0 timers newly missed"


def test_a_backlog_of_old_breaches_does_not_hide_new_ones(
    brand: Brand, receive: Receive, monkeypatch: pytest.MonkeyPatch
) -> None:
    from amparo.sla import engine

    monkeypatch.setattr(engine, "BREACH_BATCH", 2)
    old = [receive(text="hola", **sender(20 + n)) for n in range(2)]
    later = timezone.now() + timedelta(days=30)
    assert check_breaches(later) == 4
    newer = receive(text="hola", **sender(30))
    assert check_breaches(later) == 2  # the old rows are not read again
    assert timer_of(newer).first_response_breached
    assert all(timer_of(m).resolution_breached for m in old)


def test_a_reply_after_its_due_time_is_a_breach_even_between_checks(
    brand: Brand, receive: Receive, alice: Agent
) -> None:
    message = receive(text="hola", **sender(40))
    ConversationSla.objects.filter(pk=message.conversation_id).update(
        first_response_due=timezone.now() - timedelta(minutes=1)
    )
    actions.do_reply(message.conversation, "Con gusto le ayudo.", Actor.of_agent(alice))
    timer = timer_of(message)
    assert [b["timer"] for b in timer.breaches] == ["first_response"]
    assert AuditEvent.objects.filter(action="sla.breached").count() == 1
    assert check_breaches(timezone.now()) == 0  # not recorded twice


def test_resolving_stops_the_timers_and_a_new_message_starts_a_new_resolution(
    brand: Brand, receive: Receive, alice: Agent
) -> None:
    first = receive(text="hola", **sender(41))
    actions.do_set_status(first.conversation, "resolved", Actor.of_agent(alice))
    timer = timer_of(first)
    assert timer.closed_at is not None and timer.waiting_since is None
    old_due = timer.resolution_due

    again = receive(text="una cosa más, por favor", **sender(41))
    timer.refresh_from_db()
    assert again.conversation_id == first.conversation_id
    assert timer.closed_at is None
    assert timer.resolution_due > old_due and timer.waiting_since == again.received_at
    assert check_breaches(timezone.now()) == 0


def test_an_automatic_notice_leaves_the_conversation_in_the_queue(
    brand: Brand, receive: Receive
) -> None:
    message = receive(text="hola", **sender(42))
    actions.do_reply(message.conversation, "Aviso: su pedido fue enviado hoy.", SYSTEM)
    message.conversation.refresh_from_db()
    assert message.conversation.status == "open"
    assert timer_of(message).waiting_since is not None


def test_due_times_are_shown_in_the_brands_time_zone(brand: Brand, receive: Receive) -> None:
    BusinessHours.objects.create(
        brand=brand,
        timezone="America/Mexico_City",
        week={str(d): [["00:00", "24:00"]] for d in range(7)},
    )
    message = receive(text="hola", **sender(43))
    [first, *_] = timers_for(message.conversation)
    assert str(first["due_local"]).endswith("America/Mexico_City")

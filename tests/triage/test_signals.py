"""Distress and scam cues in Spanish, English and Hebrew, with hard negatives."""

from __future__ import annotations

import pytest

from amparo.triage.signals import distress, link_domains, scam

DISTRESSED = [
    ("no tengo para comer y mis hijos tienen hambre", "no_money_for_food"),
    ("NO TENGO PA COMER neta ayúdenme", "no_money_for_food"),
    ("ya no tenemos ni para la despensa", "no_money_for_food"),
    ("I can't feed my kids this week, my wages haven't arrived", "no_money_for_food"),
    ("no money left for food or nappies", "no_money_for_food"),
    ("אין לי כסף לאוכל", "no_money_for_food"),
    ("אין לנו מה לאכול, המשכורת לא נכנסה", "payday_missing"),
    ("me corrieron del trabajo y no puedo pagar", "job_loss"),
    ("I've been made redundant and can't pay the rent", "job_loss"),
    ("פיטרו אותי מהעבודה", "job_loss"),
    ("estoy en el hospital con quimio", "illness"),
    ("I'm in hospital, please stop calling", "illness"),
    ("I can't cope anymore, my anxiety is through the roof", "mental_health"),
    ("ya no puedo más, estoy desesperada", "mental_health"),
    ("honestly i want to kill myself", "self_harm"),
    ("soy persona mayor y no sé usar la app", "elderly_or_digital"),
    ("אני בן 80 ולא יודע להשתמש באפליקציה", "elderly_or_digital"),
]

CALM = [
    "no puedo pagar mi abono en la app",
    "my kids love your store",
    "the app is down again, fix it",
    "האפליקציה לא עובדת",
    "la comida del restaurante estuvo rica",
    "no sé cómo cambiar mi dirección",
]


@pytest.mark.parametrize(("text", "cue"), DISTRESSED)
def test_distress_cues_fire_with_a_name_and_the_matched_words(text: str, cue: str) -> None:
    signal = distress(text)

    assert cue in [c["cue"] for c in signal.cues]
    assert signal.score >= 0.4
    assert all(c["text"] for c in signal.cues)


@pytest.mark.parametrize("text", CALM)
def test_ordinary_complaints_are_not_distress(text: str) -> None:
    assert distress(text).score < 0.5


def test_a_strong_cue_and_a_weak_one_add_up_without_passing_one() -> None:
    signal = distress("no tengo para comer, mis hijos lloran, estoy desesperada")

    assert 0.9 < signal.score < 1.0


SCAMS = [
    ("me pidieron mi NIP por DM", "code_requested"),
    ("una cuenta de soporte me escribió y me pidió el código", "code_requested"),
    ("someone from a support account DM'd me asking for my code", "code_requested"),
    ("they asked for my card details on the phone", "code_requested"),
    ("ביקשו ממני את הקוד שקיבלתי בהודעה", "code_requested"),
    ("a fake account replied to my tweet", "fake_support_contact"),
    ("es una estafa?? me hackearon la cuenta", "scam_words"),
    ("they told me to install anydesk", "remote_access"),
]


@pytest.mark.parametrize(("text", "cue"), SCAMS)
def test_scam_cues_fire(text: str, cue: str) -> None:
    assert cue in [c["cue"] for c in scam(text).cues]


@pytest.mark.parametrize(
    "text",
    [
        "nunca comparto mi NIP con nadie",
        "I never share my PIN",
        "my verification code never arrives",
        "לא מקבל קוד אימות",
    ],
)
def test_talking_about_codes_is_not_being_asked_for_them(text: str) -> None:
    assert scam(text).score < 0.5


def test_links_outside_the_official_domains_are_cues_and_official_ones_are_not() -> None:
    official = frozenset({"altamar.example"})

    assert scam("pague aqui https://ayuda.altamar.example/pagos", official).cues == []
    outside = scam("me mandaron este link: altamar-soporte.xyz/login", official)
    assert [c["cue"] for c in outside.cues] == ["unofficial_link"]
    assert outside.cues[0]["text"] == "altamar-soporte.xyz"
    assert [c["cue"] for c in scam("check bit.ly/abc123", official).cues] == ["shortened_link"]


def test_link_domains_are_read_with_or_without_a_scheme() -> None:
    assert link_domains("see https://www.Example.com/a and foo.mx/b") == ["example.com", "foo.mx"]


def test_hostile_input_is_handled_within_limits() -> None:
    huge = "no tengo para comer " + "😡" * 100_000 + "\u202e\u200d" * 1000
    assert distress(huge).score > 0.8
    assert scam("\x00" * 10_000).score == 0.0

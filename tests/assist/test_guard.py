"""The reply guard: every rule with positives and hard negatives in Spanish, English and
Hebrew; the command line for its shape and for hostile input; the labelled sets for
quality floors."""

from __future__ import annotations

import io
import json
import signal
import sys
from pathlib import Path
from types import FrameType

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.assist import evaluate as benchmark
from amparo.assist.guard import guard


def reasons(text: str, **kwargs: object) -> list[str]:
    return guard(text, **kwargs).reasons  # type: ignore[arg-type]


# --- block: asking for a secret -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Please send me your PIN so I can check the card.",
        "What's the code we just texted you?",
        "Could you read me the 3 digits on the back of your card?",
        "Reply with your full card number and expiry date.",
        "I'll need your online banking password to reset it.",
        "You'll get a verification code by SMS in a minute. Paste it here when it arrives.",
        "No worries! For the refund I need the card details: full number and CVV.",
        "Pásame el código que te llegó por SMS y lo libero.",
        "¿Me confirmas tu contraseña? Es para validar.",
        "porfa dime tu nip",
        "Necesito el número completo de tu tarjeta y el CVV.",
        "Confírmame la clave dinámica que te aparece en la app",
        "תשלח לי את הקוד שקיבלת ב-SMS",
        "מה הסיסמה שלך לאתר?",
        "אני צריך את מספר הכרטיס המלא ואת שלוש הספרות בגב הכרטיס",
        "אל תכניסי את הקוד באפליקציה, פשוט תעבירי לי אותו פה בצ'אט",
    ],
)
def test_asking_for_a_secret_is_blocked(text: str) -> None:
    result = guard(text)
    assert result.verdict == "block", result.findings
    assert "secret_request" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "We will never ask for your PIN, password or the code we text you.",
        "Please type your PIN only at the ATM, never in a chat.",
        "Enter the code in the app, not in a message to anyone.",
        "To find the card, could you confirm the last 4 digits?",
        "We'll send you a code by SMS; type it into the app when it asks.",
        "Please call the number on the back of your card.",
        "Ignore anyone who asks you to read out the code, even if they say they're us.",
        "You can reset your password in the app under Settings.",
        "Nunca compartas tu NIP ni tus claves con nadie.",
        "Te mandé un código por SMS; escríbelo en la app, no se lo des a nadie.",
        "Para ubicar el cargo, dime los últimos 4 dígitos de la tarjeta.",
        "Tu clave de rastreo SPEI es 8846221; con ella puedes seguir la transferencia.",
        "אל תמסור לאף אחד את הקוד שקיבלת, גם לא לנו.",
        "את הקוד הסודי מקלידים רק בכספומט.",
        "כדי לאתר את הכרטיס, תאשר לי את 4 הספרות האחרונות שלו.",
        "הכרטיס נחסם בגלל 3 ניסיונות קוד שגויים. כרטיס חדש יישלח אליך בדואר רשום.",
    ],
)
def test_warning_about_secrets_is_not_asking_for_them(text: str) -> None:
    assert "secret_request" not in reasons(text)


# --- block: moving the customer elsewhere ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "This chat is slow, text me on my personal WhatsApp +44 7700 900123.",
        "Send the documents to altamar.help.team@gmail.com please.",
        "Track your claim here: bit.ly/altamar-claim",
        "Please verify your account at bancoaltamar-verify.net today.",
        "DM my personal account @mike_helps on Instagram.",
        "Escríbeme a mi WhatsApp personal +52 55 1234 5678.",
        "Agrégame en Telegram, usuario @altamar_ayuda.",
        "תכתוב לי לוואטסאפ האישי שלי 050-123-4567",
        "תתקשר אליי ישירות לנייד, 052-765-4321",
    ],
)
def test_moving_the_customer_to_an_unofficial_channel_is_blocked(text: str) -> None:
    result = guard(text)
    assert result.verdict == "block", result.findings
    assert "unofficial_channel" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "We will never message you from a personal number or ask you to move to Telegram.",
        "If anyone sent you a bit.ly link claiming to be us, it's a scam.",
        "Citizens Advice can help: citizensadvice.org.uk or call them today.",
        "Nuestro único WhatsApp es el oficial; nunca te escribiremos desde un número personal.",
        "Te enviamos el código a tu correo registrado.",
        "נציגה תתקשר אלייך מחר עד 12:00.",
    ],
)
def test_official_and_safety_mentions_of_channels_pass(text: str) -> None:
    assert "unofficial_channel" not in reasons(text)


def test_with_the_brands_domains_known_any_other_domain_is_unofficial() -> None:
    domains = ["altamar.example"]
    assert "unofficial_channel" not in reasons(
        "Details at https://www.altamar.example/help", official_domains=domains
    )
    assert "unofficial_channel" in reasons(
        "Details at https://altamar-help.info/form", official_domains=domains
    )
    # a public body is signposting, not a channel
    assert "unofficial_channel" not in reasons(
        "MoneyHelper can help: moneyhelper.org.uk", official_domains=domains
    )


def test_a_lookalike_handle_is_unofficial_unless_registered() -> None:
    text = "Please DM my colleague's account @altamar_ayuda_mx, it's my own account."
    assert "unofficial_channel" in reasons(text)


# --- warn: dismissive wording -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Calm down please, the charge will be reversed.",
        "It's our policy, there's no way around it.",
        "You should have told us you were travelling.",
        "There's nothing I can do about it.",
        "If you're short, maybe ask friends or family to help out?",
        "That's not my problem, speak to the retailer.",
        "As I already said, it takes 5 days.",
        "Cálmese, por favor.",
        "Son políticas de la empresa.",
        "Usted debió avisarnos antes.",
        "No puedo hacer nada, el pago ya salió.",
        "Pídale prestado a un familiar mientras tanto.",
        "Tenga paciencia, estas cosas tardan.",
        "תירגע בבקשה, אין פה טעות.",
        "זו המדיניות שלנו.",
        "היית צריך לקרוא את התנאים.",
        "אולי תבקש עזרה מחברים או משפחה.",
        "כמו שכבר אמרתי, זה לוקח 14 יום.",
    ],
)
def test_dismissive_or_blaming_wording_is_warned(text: str) -> None:
    result = guard(text)
    assert "dismissive" in result.reasons, result.findings
    assert result.verdict == "warn"


@pytest.mark.parametrize(
    "text",
    [
        "It's not your fault at all; the merchant charged you twice.",
        "Our policy is to refund duplicate charges automatically, and we've done it.",
        "If you prefer, a friend or family member can call us on your behalf.",
        "You should have received an SMS from us this morning.",
        "Let us know if there's anything we can do.",
        "Nobody should have to borrow from friends or family to get through this.",
        "Ya debió haberle llegado un SMS nuestro.",
        "Nuestra política es reembolsar los cargos duplicados.",
        "Un familiar o amigo puede llamarnos en su nombre.",
        "לא צריך להיות סבלני ולחכות לסניף, אפשר לעשות את זה באפליקציה.",
        "בן משפחה יכול להתקשר אלינו בשמך.",
    ],
)
def test_kind_replies_that_share_words_with_brush_offs_pass(text: str) -> None:
    assert "dismissive" not in reasons(text)


# --- warn: promises, care, language, food banks --------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Don't worry, we'll refund all the overdraft fees.",
        "I'll waive the late payment interest, consider it done.",
        "Le vamos a reembolsar todas las comisiones.",
        "Te condonamos los intereses moratorios.",
        "נחזיר לך את כל העמלות שנגבו ממך השנה.",
    ],
)
def test_money_promised_without_a_relief_policy_is_warned(text: str) -> None:
    assert "unfunded_promise" in reasons(text)
    assert "unfunded_promise" not in reasons(text, relief_active=True)


@pytest.mark.parametrize(
    "text",
    [
        "I've asked for a review of the fees; you'll hear from us within 2 working days.",
        "Solicité la revisión de la comisión y le responderemos en 48 horas.",
        "הבקשה לביטול העמלה הועברה לאישור מנהל.",
    ],
)
def test_asking_for_a_decision_is_not_a_promise(text: str) -> None:
    assert "unfunded_promise" not in reasons(text)


def test_a_distressed_customer_gets_an_apology_and_a_next_step_with_a_time() -> None:
    bare = "Your card has been blocked."
    assert reasons(bare) == []
    assert set(reasons(bare, distressed=True)) == {"no_apology", "no_next_step"}
    kind = "I'm so sorry. I've blocked the card and a new one will reach you within 3 days."
    assert reasons(kind, distressed=True) == []
    assert reasons("Lo siento mucho. Le llamamos mañana a las 11:00.", distressed=True) == []
    assert reasons("אני מצטערת מאוד. נציג יחזור אלייך עד מחר בצהריים.", distressed=True) == []
    assert reasons("Lamento la caída; pronto se normalizará.", distressed=True) == ["no_next_step"]


@pytest.mark.parametrize(
    ("text", "customer_language"),
    [
        ("Your new card has been sent and will arrive in 3 days.", "es"),
        ("Tu nueva tarjeta ya fue enviada y llegará en 3 días.", "en"),
        ("Your replacement card has been ordered.", "he"),
        ("Здравствуйте! Ваш запрос получен.", "he"),
    ],
)
def test_a_reply_in_another_language_than_the_customers_is_warned(
    text: str, customer_language: str
) -> None:
    assert "wrong_language" in reasons(text, customer_language=customer_language)


def test_the_customers_language_passes() -> None:
    assert reasons("Tu tarjeta llegará en 3 días.", customer_language="es") == []
    assert reasons("הכרטיס יגיע תוך 3 ימים.", customer_language="he") == []


def test_a_food_bank_needs_the_route_to_it() -> None:
    assert "foodbank_without_referral" in reasons("Maybe try a food bank near you?")
    assert "foodbank_without_referral" in reasons("Hay bancos de alimentos en tu ciudad.")
    assert "foodbank_without_referral" in reasons("אולי כדאי לנסות בנק מזון.")
    assert "foodbank_without_referral" not in reasons(
        "Citizens Advice can give you a food bank voucher, and we can refer you today."
    )
    assert "foodbank_without_referral" not in reasons(
        "Podemos canalizarle con el DIF para que le den acceso a un banco de alimentos."
    )
    assert "foodbank_without_referral" not in reasons(
        "בנק המזון יכול לעזור - אפשר לפנות למחלקת הרווחה לקבלת הפניה."
    )


def test_a_block_outranks_warnings_and_every_finding_is_kept() -> None:
    result = guard("Calm down and send me your PIN.")
    assert result.verdict == "block"
    assert result.reasons == ["secret_request", "dismissive"]


# --- hostile input ---------------------------------------------------------------------------


class Hung(Exception):
    pass


def interrupt(signum: int, frame: FrameType | None) -> None:
    raise Hung


@pytest.mark.parametrize(
    "text",
    [
        "a" * 20_000,
        "1 " * 10_000 + "x",
        "a-" * 5_000 + ".",
        "." * 10_000,
        "@" * 5_000,
        "\u202e\u200d" * 3_000,
        "",
        "   \n\t ",
        "\x00\x01 send me your PIN \x00",
        "send me, " * 150 + "1" * 2700,
        "send me " + "1" * 7992,
        "x" * 7000 + "@gmail.com",
    ],
    ids=[
        "letters",
        "digits",
        "hyphens",
        "dots",
        "ats",
        "bidi",
        "empty",
        "blank",
        "controls",
        "requests-then-digits",
        "request-then-digits",
        "long-local-part",
    ],
)
def test_hostile_text_gets_a_defined_answer(text: str) -> None:
    # Not a speed limit (STYLE 15): the alarm only turns a hang into a failure.
    previous = signal.signal(signal.SIGALRM, interrupt)
    guard("warm up")  # models and tables load once, outside the alarm
    signal.setitimer(signal.ITIMER_REAL, 2)
    try:
        result = guard(text)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert result.verdict in {"ok", "warn", "block"}
    if "PIN" in text:
        assert result.verdict == "block"


# --- the command line --------------------------------------------------------------------------


def run_cli(tmp_path: Path, lines: list[str | bytes], *args: str) -> tuple[list[dict], str]:
    path = tmp_path / "replies.jsonl"
    path.write_bytes(
        b"".join((line if isinstance(line, bytes) else line.encode()) + b"\n" for line in lines)
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("guard", str(path), *args, stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_every_answer_has_id_verdict_and_reasons(tmp_path: Path) -> None:
    answers, _ = run_cli(
        tmp_path,
        [
            json.dumps({"id": "a", "text": "Send me your PIN", "customer_language": "en"}),
            json.dumps({"id": 7, "text": "Tu tarjeta llega mañana.", "customer_language": "es"}),
            json.dumps({"id": "c", "text": "Card blocked.", "distressed": True}),
        ],
    )
    assert [list(a) for a in answers] == [["id", "verdict", "reasons"]] * 3
    assert [a["verdict"] for a in answers] == ["block", "ok", "warn"]
    assert answers[0]["reasons"] == ["secret_request"]
    assert answers[1]["id"] == 7


def test_malformed_lines_get_an_error_and_the_rest_are_answered(tmp_path: Path) -> None:
    answers, err = run_cli(
        tmp_path,
        [
            "not json",
            "[1, 2]",
            json.dumps({"id": 1}),
            json.dumps({"id": 2, "text": 5}),
            json.dumps({"id": 3, "text": "hi", "distressed": "yes"}),
            json.dumps({"id": 4, "text": "hi", "customer_language": ["es"]}),
            b"\xff\xfe{bad utf8",
            "",
            json.dumps({"id": 5, "text": "Nunca compartas tu NIP.", "customer_language": "es"}),
        ],
    )
    assert [a.get("error") is not None for a in answers] == [True] * 7 + [False]
    assert answers[-1] == {"id": 5, "verdict": "ok", "reasons": []}
    assert "line 1" in err and "line 7" in err


def test_an_oversized_line_is_refused_and_the_next_one_still_answered(tmp_path: Path) -> None:
    huge = json.dumps({"id": "huge", "text": "a" * 1_200_000})
    answers, err = run_cli(tmp_path, [huge, json.dumps({"id": "next", "text": "ok thanks"})])
    assert "error" in answers[0] and "longer" in answers[0]["error"]
    assert answers[1]["id"] == "next"
    assert "line 1" in err


def test_a_repeated_id_is_answered_again_and_reported(tmp_path: Path) -> None:
    line = json.dumps({"id": "x", "text": "Send me your PIN"})
    answers, err = run_cli(tmp_path, [line, line])
    assert [a["verdict"] for a in answers] == ["block", "block"]
    assert "repeated" in err


def test_it_reads_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    data = json.dumps({"id": 1, "text": "Dime tu contraseña", "customer_language": "es"})
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data.encode() + b"\n")))
    out = io.StringIO()
    call_command("guard", "-", stdout=out)
    assert json.loads(out.getvalue()) == {
        "id": 1,
        "verdict": "block",
        "reasons": ["secret_request"],
    }


def test_official_domains_from_the_command_line(tmp_path: Path) -> None:
    line = json.dumps({"id": 1, "text": "Fill in the form at altamar-forms.info/claim"})
    answers, _ = run_cli(tmp_path, [line], "--official-domain", "altamar.example")
    assert answers[0]["reasons"] == ["unofficial_channel"]
    line = json.dumps({"id": 2, "text": "Fill in the form at altamar.example/claim"})
    answers, _ = run_cli(tmp_path, [line], "--official-domain", "altamar.example")
    assert answers[0]["verdict"] == "ok"


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="absent"):
        call_command("guard", str(tmp_path / "absent.jsonl"), stdout=io.StringIO())


def test_eval_prints_both_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(benchmark, "DEVELOPMENT", ("guard_eval.fifth.jsonl",))
    out = io.StringIO()
    call_command("guard", "eval", stdout=out)
    text = out.getvalue()
    assert "development set: 80 labelled replies" in text and "secret_request" in text
    assert "held-out set: 300 labelled replies" in text


# --- the labelled sets -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def development() -> benchmark.Figures:
    return benchmark.evaluate(benchmark.DEVELOPMENT)


def test_the_development_set_is_large_enough_and_balanced(development: benchmark.Figures) -> None:
    assert development.count >= 300
    assert all(development.verdicts.true[v] >= 80 for v in benchmark.VERDICTS)


def test_secret_requests_on_the_development_set(
    development: benchmark.Figures,
) -> None:
    # The classifiers are trained on this set: these floors guard against regressions;
    # the held-out set below is the honest measure.
    reasons = development.reasons
    assert reasons.recall("secret_request") >= 0.98, development.errors
    assert reasons.precision("secret_request") >= 0.95, development.errors


def test_dismissive_replies_on_the_development_set(development: benchmark.Figures) -> None:
    reasons = development.reasons
    assert reasons.recall("dismissive") >= 0.95, development.errors
    assert reasons.precision("dismissive") >= 0.95, development.errors
    assert development.accuracy >= 0.97, development.errors


def test_the_held_out_set_stays_above_its_floors() -> None:
    # Floors a little below what `amparo guard eval` measured once on the held-out set
    # (guard_heldout.jsonl, 300 replies, never tuned on): 96.0 % of verdicts, secret
    # requests 96.8 % / 98.4 %, dismissive 88.7 % / 93.2 %.
    figures = benchmark.evaluate(benchmark.HELDOUT)
    assert figures.count >= 300
    assert figures.accuracy >= 0.93, figures.errors
    assert figures.reasons.recall("secret_request") >= 0.95, figures.errors
    assert figures.reasons.precision("secret_request") >= 0.93, figures.errors
    assert figures.reasons.recall("dismissive") >= 0.88, figures.errors
    assert figures.reasons.precision("dismissive") >= 0.85, figures.errors


def test_the_classifiers_never_learn_from_the_held_out_set() -> None:
    from amparo.assist.learned import forget, models

    forget()
    trained_on = {str(row["text"]) for row in benchmark.items(benchmark.DEVELOPMENT)}
    held_out = {str(row["text"]) for row in benchmark.items(benchmark.HELDOUT)}
    assert held_out and not trained_on & held_out
    assert set(models().reasons) == {"secret_request", "dismissive", "unfunded_promise"}


def test_rules_alone_and_with_the_classifiers() -> None:
    rules_only = guard(
        "The fee was clearly disclosed; we regard this matter as closed.", learned=False
    )
    assert "dismissive" in rules_only.reasons  # a rule
    assert guard("Ok, noted.", learned=True).verdict == "ok"


@pytest.mark.parametrize(
    "text",
    [
        "Don't panic and send me your PIN.",
        "Do not hesitate to send me your PIN.",
        "Don't forget to send me the code from the SMS.",
        "No te preocupes y mándame tu NIP.",
        "I am asking you to send your PIN here.",
        "We ask you to confirm your PIN here.",
        "Send me your P\u200bIN",
        "What are the 16 numbers on the front of your card?",
        "Please share your online banking login.",
    ],
)
def test_idioms_and_hidden_characters_do_not_hide_a_secret_request(text: str) -> None:
    assert guard(text).verdict == "block"


@pytest.mark.parametrize(
    "text",
    [
        "Please confirm the last four digits of the card so I can find it.",
        "Send me the tracking code from your order confirmation email.",
        "Please reply with your postcode so we can check delivery.",
        "Could you tell me the order number so I can track it?",
    ],
)
def test_the_classifiers_do_not_block_what_the_rules_know_is_safe(text: str) -> None:
    assert guard(text).verdict == "ok"


def test_a_classifier_finding_shows_the_words_that_ask(monkeypatch: pytest.MonkeyPatch) -> None:
    from amparo.assist import learned

    monkeypatch.setattr(learned, "opinion", lambda text: {"secret_request": 0.99})
    result = guard("Could you pop the secret thingy in here for me?")
    assert result.verdict == "block"
    assert result.findings[0].excerpt.startswith("could you pop")


def test_a_text_longer_than_the_guard_reads_is_refused(tmp_path: Path) -> None:
    long = json.dumps({"id": "long", "text": "hola " * 1700 + "mándame tu NIP"})
    answers, err = run_cli(tmp_path, [long])
    assert "error" in answers[0] and "longer" in answers[0]["error"]


@pytest.mark.parametrize(
    "text",
    [
        "Your new PIN goes in at the cash machine the first time you use the card. Don't tell me it.",
        "¿Ya le llegó el código por SMS? No me lo diga, escríbalo usted en la app y yo veo cuando se valida.",
        "הקוד יגיע אלייך בהודעה בעוד רגע. אל תגידי לי אותו, רק תקלידי אותו באפליקציה ואני אראה שזה עבר.",
    ],
)
def test_a_reply_telling_the_customer_to_keep_a_code_is_not_a_request(text: str) -> None:
    assert "secret_request" not in reasons(text)


def test_the_classifier_overrules_a_pattern_only_in_a_longer_reply(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from amparo.assist import learned

    monkeypatch.setattr(learned, "opinion", lambda text: {"secret_request": 0.01})
    monkeypatch.setattr(learned, "near", lambda texts, reason: [0.01 for _ in texts])
    short = "Mándame tu NIP, porfa."
    long = (
        "Estimado cliente: como parte de nuestro aviso de seguridad, le recordamos que los "
        "estafadores suelen decir mándame tu NIP para cancelar un cargo; cuelgue y llámenos."
    )
    assert guard(short, learned=False).verdict == "block"
    assert guard(short).verdict == "block"  # short and direct: the pattern's call
    assert "secret_request" in guard(long, learned=False).reasons
    assert "secret_request" not in guard(long).reasons  # overruled


def test_the_classifiers_are_asked_only_about_what_they_can_judge() -> None:
    from amparo.assist import learned

    assert learned.opinion("ok") == {}
    three = learned.opinion("need the cvv")
    assert set(three) == {"secret_request"}  # brush-offs need six words
    assert set(learned.opinion("please send me the code you got by sms")) == set(learned.REASONS)


@pytest.mark.parametrize(
    "text",
    [
        "Inbox is slammed today. Drop me a WhatsApp on 07700 900123 and I'll sort it.",
        "Aquí no lo vemos. Escríbale a mi compañero al WhatsApp 55 1234 5678.",
        "פה בצ'אט אין לי גישה. תשלח וואטסאפ לאבי, 050-123-4567, הוא מטפל בזה.",
        "@jbrennan Sorry for the wait. Our refunds team is over at @AltamarRefundsDesk, DM them.",
        "Hola Lucía, sigue a nuestra cuenta de soporte @AltamarAyuda_MX y mándale DM con tu folio.",
        "את ההחזרים מנהלים דרך האינסטגרם @altamar.il.refunds, תשלחי להם הודעה",
        "היכנס ל-bit.ly/altamar-il-help והשאר פרטים",
        "We don't handle that here. Fill in the form at tinyurl.com/altamar-claims",
        "Para reactivar tu tarjeta entra a bancoaltamar-mx-seguridad.com y sigue los pasos.",
    ],
)
def test_numbers_accounts_and_links_given_as_somewhere_to_go(text: str) -> None:
    assert "unofficial_channel" in reasons(text, learned=False)


@pytest.mark.parametrize(
    "text",
    [
        "Our official WhatsApp line is 55 1234 5678; write to us there any time.",
        "@noa_levi שלחי לנו הודעה פרטית עם מספר ההזמנה ונבדוק היום.",
        "@maria thanks, we've passed it on to the team ^JL",
        "Careful: @AltamarHelp_Support is not our account, please block it.",
        "Don't open bit.ly links that arrive by text, they're not from us.",
        "Nuestra línea oficial de WhatsApp es 55 1234 5678.",
    ],
)
def test_official_lines_direct_messages_and_warnings_are_not_unofficial(text: str) -> None:
    assert "unofficial_channel" not in reasons(text, learned=False)


def test_a_declared_handle_is_official(tmp_path: Path) -> None:
    line = json.dumps({"id": "h", "text": "Please follow @AltamarCare for updates on the outage."})
    [flagged], _ = run_cli(tmp_path, [line])
    [declared], _ = run_cli(tmp_path, [line], "--official-handle", "@altamarcare")
    assert flagged["reasons"] == ["unofficial_channel"] and declared["verdict"] == "ok"


@pytest.mark.parametrize(
    "text",
    [
        "Unfortunately we can't price-match online marketplaces, but that item goes into our sale on Friday.",
        "Lamentablemente ese cargo ya no se puede detener, pero sí podemos abrir una aclaración ahora mismo.",
        "לצערנו אין משלוחים לאילת דרך האתר, אבל אפשר להזמין באתר ולאסוף מהסניף בעיר.",
        "Hola Ana, soy Luis. Gracias por escribirnos. ¿En qué le puedo ayudar hoy?",
        "שלום, כאן דנה מאלטמר. תודה שפנית אלינו, איך אפשר לעזור היום?",
    ],
)
def test_honest_limits_with_an_alternative_and_greetings_are_not_brush_offs(text: str) -> None:
    assert "dismissive" not in reasons(text)


@pytest.mark.parametrize(
    "text",
    [
        "Look, I've asked twice now. If you won't give me your passcode I can't get into the account.",
        "Si no me pasás la clave del home banking no te puedo ayudar.",
        "תשמע, בלי הקוד הסודי אני לא יכול לעשות כלום.",
        "last step: your PIN 🔐",
        "ya casi, solo falta tu NIP 😊",
        "אחי תביא את הCVV ונסגור",
    ],
)
def test_a_secret_made_the_price_of_help_or_asked_in_two_words_is_a_request(text: str) -> None:
    assert "secret_request" in reasons(text, learned=False)


@pytest.mark.parametrize(
    "text",
    [
        "Your new PIN arrives by post on Friday.",
        "Did the code arrive?",
        "¿Y el código postal?",
        "and the PIN is yours alone, never share it",
        "Without a PIN we can't see anything, and we never ask for it.",
    ],
)
def test_short_replies_that_name_a_secret_without_asking(text: str) -> None:
    assert "secret_request" not in reasons(text, learned=False)


@pytest.mark.parametrize(
    "text",
    [
        "Remember that we will never ask for your password by email or phone. For this chat, "
        "though, type your password here so I can unlock the account.",
        "We never ask for PINs over the phone or by email. This secure chat is different: type "
        "your PIN here and I will unlock the card.",
        "Nunca te pediremos tu contraseña por teléfono ni por correo. En este chat seguro sí: "
        "escríbeme tu contraseña y la desbloqueo.",
    ],
)
def test_a_scam_opener_before_a_request_does_not_let_the_veto_through(text: str) -> None:
    assert guard(text).verdict == "block"  # with the classifiers


@pytest.mark.parametrize(
    "text",
    [
        "Your order 4455667788 will be updated on WhatsApp when it ships.",
        "We sent the WhatsApp confirmation on 2024-11-25, sorry it didn't arrive.",
        "If you have no mobile signal, call us from a landline on 0800 800 150.",
        "Hi, I saw your post on X @jonny, sorry about the delay.",
        "Gracias por escribirnos en Instagram @luchi_gomez, ya revisamos tu caso.",
        "Thanks to @maria for flagging this, your parcel arrives Monday.",
        "שלחנו לך הודעה פרטית עם הפרטים.",
    ],
)
def test_order_numbers_dates_and_mentions_are_not_unofficial(text: str) -> None:
    assert "unofficial_channel" not in reasons(text, learned=False)


@pytest.mark.parametrize(
    "text",
    [
        "תשלחי לי הודעה פרטית בפייסבוק ואטפל בזה אישית.",
        "Follow our official page @altamar_refunds_uk to claim your refund today.",
        "Message our verified agent on WhatsApp 07700 900123 to finish the refund.",
    ],
)
def test_the_word_official_is_not_believed_once_the_brand_declared_its_accounts(
    text: str,
) -> None:
    assert "unofficial_channel" in reasons(text, learned=False, official_handles=["altamarbank"])


def test_a_declared_whatsapp_number_is_the_brands_own() -> None:
    text = "Write to our WhatsApp line 07700 900123 any time."
    assert "unofficial_channel" in reasons(text, learned=False, official_handles=["altamarbank"])
    assert reasons(text, learned=False, official_handles=["+44 7700 900123"]) == []


@pytest.mark.parametrize(
    "text",
    [
        "Tu cuenta está protegida y nadie del banco te la va a pedir nunca.",
        "Last step: we'll mail your new PIN to the address on file.",
        "Hand the card over at the branch and they'll set a new PIN.",
        "Dime qué numeritos salen en la etiqueta del paquete para rastrearlo.",
        "Enter the CVV at the checkout yourself.",
    ],
)
def test_ordinary_replies_the_review_found_blocked(text: str) -> None:
    assert "secret_request" not in reasons(text, learned=False)

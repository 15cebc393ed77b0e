"""The language of a customer's message, as customers really write on WhatsApp and SMS."""

from __future__ import annotations

import pytest

from amparo.triage.language import detect_language

SPANISH = [
    "hola buenas tardes no me deja pagar mi abono desde la app",
    "oiga ya van 3 dias q no llega mi pedido y nadie me dice nada",
    "me rechazaron la tarjeta en la tienda y si tengo saldo q onda",
    "buenas noches disculpe porque me cobraron dos veces el mismo pedido",
    "no puedo entrar a la aplicacion me sale error a cada rato",
    "nesecito saber cuanto debo de mi credito porfa",
    "ya hice la transferencia pero no se refleja en mi cuenta, ayuda",
    "q paso con el cajero se trago mi tarjeta y no me dio el dinero",
    "ola quiero cancelar mi compra xq llego rota la tele",
    "neta ya me canse de esperar, la app no abre desde ayer 😡😡",
]
ENGLISH = [
    "hi my order says delivered but theres nothing at my door",
    "cant log in to the app keeps saying something went wrong",
    "hey why was i charged twice for the same purchase??",
    "how do i change my daily transfer limit",
    "ur atm ate my card and didnt give me the cash wtf",
    "payment failed again, tried 3 times already, pls fix",
    "where is my refund its been two weeks",
    "i need to talk to someone about my credit card bill asap",
    "the website wont load my balance, is the system down? 🙏",
]
HEBREW = [
    "האפליקציה לא עובדת מהבוקר",
    "למה חייבו אותי פעמיים על אותה הזמנה??",
    "ההזמנה שלי לא הגיעה עדיין, מה קורה",
    "אני לא מצליח להיכנס לחשבון",
    "הכרטיס נדחה בקופה למרות שיש לי יתרה",
    "שלום, אפשר לדבר עם נציג בבקשה",
    "ההעברה לא עברה ואין לי כסף בחשבון",
    "הכספומט בלע לי את הכרטיס",
    "תודה רבה על העזרה 🙏",
]
HEBREW_WITH_ENGLISH = [
    "האפליקציה לא עובדת, login error",
    "יש לי בעיה עם ה-app, it says error 500 כל הזמן",
    "שלום, my order P-88213407 לא הגיע",
]
ARABIC = ["مرحبا، التطبيق لا يعمل منذ الصباح", "لم يصل طلبي بعد", "لماذا تم خصم المبلغ مرتين؟"]


# The default is the brand's or the customer's language; a clear message must beat it.
@pytest.mark.parametrize("text", SPANISH)
def test_spanish_messages_are_spanish(text: str) -> None:
    assert detect_language(text, default="en") == "es"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_messages_are_english(text: str) -> None:
    assert detect_language(text, default="es") == "en"


@pytest.mark.parametrize("text", HEBREW)
def test_hebrew_messages_are_hebrew(text: str) -> None:
    assert detect_language(text, default="es") == "he"


@pytest.mark.parametrize("text", HEBREW_WITH_ENGLISH)
def test_hebrew_with_english_words_is_hebrew(text: str) -> None:
    assert detect_language(text, default="en") == "he"


@pytest.mark.parametrize("text", ARABIC)
def test_arabic_messages_are_arabic(text: str) -> None:
    assert detect_language(text, default="es") == "ar"


@pytest.mark.parametrize("text", ["", "   ", "😀😀👍", "🙏🏽🙏🏽", "123 456", "?!"])
def test_text_without_letters_gives_the_default(text: str) -> None:
    assert detect_language(text, default="he") == "he"
    assert detect_language(text) == ""


@pytest.mark.parametrize("default", ["en", "es", "he"])
@pytest.mark.parametrize("greeting", ["hola", "ok", "hi", "hello", "thx"])
def test_a_one_word_greeting_keeps_the_default(greeting: str, default: str) -> None:
    assert detect_language(greeting, default=default) == default


def test_a_link_or_handle_alone_gives_the_default() -> None:
    assert detect_language("https://altamar.example/pedido/88213407 @altamar", default="he") == "he"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no me llega mi pedido " * 5000, "es"),
        ("my order never arrived " * 5000, "en"),
        ("ההזמנה לא הגיעה " * 8000, "he"),
        ("a" * 100_000, None),
    ],
)
def test_a_very_long_message_is_handled(text: str, expected: str | None) -> None:
    language = detect_language(text, default="es")

    assert len(text) >= 80_000
    assert isinstance(language, str)
    if expected is not None:
        assert language == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("não consigo pagar a fatura pelo aplicativo, está fora do ar", "pt"),
        ("o cartão foi recusado na loja, o que aconteceu?", "pt"),
        ("je n'arrive pas à me connecter à l'application depuis ce matin", "fr"),
        ("ma carte a été refusée au magasin, c'est inadmissible", "fr"),
    ],
)
def test_portuguese_and_french_customers_are_recognised(text: str, expected: str) -> None:
    assert detect_language(text) == expected

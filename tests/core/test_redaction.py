"""Secrets customers type (cards, CLABEs, IBANs, one-time codes) never reach storage or logs."""

from __future__ import annotations

import io
import logging

import pytest

from amparo.core.logging import RedactFilter
from amparo.triage.redact import redact, redact_json


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",  # Visa, spaces
        "5555-5555-5555-4444",  # Mastercard, dashes
        "378282246310005",  # American Express
        "6011111111111117",  # Discover, no separators
        "4111111111111111",
    ],
)
def test_a_luhn_valid_card_number_becomes_a_card_marker(card: str) -> None:
    assert redact(f"mi tarjeta es {card}, ayuda") == "mi tarjeta es [card], ayuda"


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1111 12/27",  # the expiry date right after the number
        "4111111111111111 12/27",
        "5555 5555 5555 4444 09 28",
        "4111 1111 1111 1111 123",  # the CVV right after the number
        "pagué 500 4111 1111 1111 1111",  # an amount right before it
    ],
)
def test_a_card_number_next_to_other_digits_is_still_redacted(text: str) -> None:
    redacted = redact(text)

    assert "[card]" in redacted
    assert "4111 1111" not in redacted
    assert "41111111" not in redacted
    assert "5555 5555" not in redacted


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",  # fails Luhn
        "5555-5555-5555-4445",
        "el pedido 1234567890123456 no llega",
        "folio P-88213407",
        "orden #88213407-2",
        "me cobraron $1,250.00 de mas",
        "שילמתי ₪340 ולא קיבלתי",
        "mi numero es +5215550100000",
        "mi numero es 5215550100000",
        "call me on +447700900123",
    ],
)
def test_numbers_that_are_not_cards_stay_readable(text: str) -> None:
    assert redact(text) == text


def test_a_valid_clabe_becomes_a_clabe_marker() -> None:
    assert (
        redact("mi CLABE 032180000118359719 de Banco Altamar")
        == "mi CLABE [clabe] de Banco Altamar"
    )


def test_a_clabe_with_a_wrong_check_digit_stays() -> None:
    text = "mi CLABE 032180000118359718"

    assert redact(text) == text


@pytest.mark.parametrize("iban", ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000"])
def test_a_valid_iban_becomes_an_iban_marker(iban: str) -> None:
    assert redact(f"IBAN: {iban}.") == "IBAN: [iban]."


@pytest.mark.parametrize("iban", ["GB83 WEST 1234 5698 7654 32", "DE89370400440532013001"])
def test_an_iban_with_a_wrong_checksum_stays(iban: str) -> None:
    text = f"IBAN: {iban}"

    assert redact(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mi NIP es 1234", "mi NIP es [code]"),
        ("el código es 482913", "el código es [code]"),
        ("el codigo es 482913", "el codigo es [code]"),
        ("my code is 123456", "my code is [code]"),
        ("CVV 123", "CVV [code]"),
        ("otp: 998 877", "otp: [code]"),
        ("קוד 445566", "קוד [code]"),
        # Hebrew attaches "the" (ה) to the word: "הקוד" is "the code".
        ("הקוד שלי 445566", "הקוד שלי [code]"),
    ],
)
def test_a_one_time_code_next_to_its_keyword_becomes_a_code_marker(
    text: str, expected: str
) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    ["tengo 3 hijos y debo 4500", "llegaron 2 de 5 cajas, pedido 778812", "I paid 120 for 3 items"],
)
def test_a_number_without_a_keyword_stays(text: str) -> None:
    assert redact(text) == text


def test_redact_json_redacts_strings_at_any_depth_and_keeps_other_values() -> None:
    value = {
        "text": "tarjeta 4111 1111 1111 1111",
        "entry": [{"changes": [{"value": {"body": "my code is 123456", "count": 3}}]}],
        "ok": True,
        "amount": 4111111111111111,
        "none": None,
    }

    assert redact_json(value) == {
        "text": "tarjeta [card]",
        "entry": [{"changes": [{"value": {"body": "my code is [code]", "count": 3}}]}],
        "ok": True,
        "amount": 4111111111111111,
        "none": None,
    }


def test_the_log_filter_redacts_a_card_number_in_a_log_record() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactFilter())
    logger = logging.getLogger("amparo.tests.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("customer wrote %s and %s", "4111 1111 1111 1111", "el código es 482913")
        logger.warning("plain message with card 5555-5555-5555-4444")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True

    written = stream.getvalue()
    assert "4111" not in written
    assert "5555-5555" not in written
    assert "482913" not in written
    assert written.splitlines() == [
        "customer wrote [card] and el código es [code]",
        "plain message with card [card]",
    ]


def test_the_log_filter_passes_a_malformed_record_through() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only one",), None)

    assert RedactFilter().filter(record) is True


@pytest.mark.parametrize(
    "text",
    [
        "x" * 200_000,
        "4" * 200_000,
        "\x00\x01\x1b[31m\u202e\ufeff" * 30_000,
        "😀👍🏽🇲🇽" * 50_000,
        "código " * 30_000,
        "GB82 " * 40_000,
        "",
    ],
)
def test_hostile_input_without_secrets_comes_back_unchanged(text: str) -> None:
    assert redact(text) == text


def test_a_flood_of_secrets_is_redacted_in_full() -> None:
    flood = "tarjeta 4111 1111 1111 1111, code: 123; " * 10_000

    assert redact(flood) == "tarjeta [card], code: [code]; " * 10_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mi curp es BOXW310820HNERXN09 gracias", "mi curp es [curp] gracias"),
        ("rfc GODE561231GR8 para la factura", "rfc [rfc] para la factura"),
        ("מספר ת.ז 123456782 בבקשה", "מספר ת.ז [id] בבקשה"),
        ("my id number is 039337423", "my id number is [id]"),
    ],
)
def test_mexican_and_israeli_identity_numbers_that_pass_their_checks_are_redacted(
    text: str, expected: str
) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "CURP BOXW310820HNERXN08",  # wrong check digit
        'ת"ז: 123456789',  # wrong check digit
        "pedido 123456782",  # passes the Israeli check, but no ID keyword near it
        "RFC GODE561399GR8",  # no such date
    ],
)
def test_identity_numbers_that_fail_their_checks_or_lack_context_stay(text: str) -> None:
    assert redact(text) == text

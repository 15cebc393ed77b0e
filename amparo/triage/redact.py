"""Redaction of payment and authentication secrets before anything is stored or logged.

Only numbers that pass their own check are redacted (Luhn for cards, the CLABE
weighted check digit, ISO 13616 mod-97 for IBANs), so order numbers and amounts stay
readable. One-time codes, PINs and CVVs are redacted only next to their keywords.
"""

from __future__ import annotations

import re

from stdnum import iban
from stdnum.il import idnr
from stdnum.mx import curp, rfc

CARD_MARK = "[card]"
CLABE_MARK = "[clabe]"
IBAN_MARK = "[iban]"
CODE_MARK = "[code]"
CURP_MARK = "[curp]"
RFC_MARK = "[rfc]"
ID_MARK = "[id]"

_STATES = "AS|BC|BS|CC|CL|CM|CS|CH|DF|DG|GT|GR|HG|JC|MC|MN|MS|NT|NL|OC|PL|QT|QR|SP|SL|SR|TC|TS|TL|VZ|YN|ZS|NE"
# Mexican CURP: name letters, birth date, sex, state, consonants, homonymy, check digit.
_CURP_RE = re.compile(
    rf"(?i)\b[A-Z][AEIOUX][A-Z]{{2}}\d{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[HMX](?:{_STATES})"
    r"[B-DF-HJ-NP-TV-Z]{3}[A-Z\d]\d\b"
)
# Mexican RFC: 3 (company) or 4 (person) letters, date, 2-character homoclave, check digit.
_RFC_RE = re.compile(
    r"(?i)\b[A-ZÑ&]{3,4}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[A-Z\d]{2}[\dA]\b"
)
# Israeli ID (teudat zehut): 5-9 digits with a check digit, only next to its keywords,
# since one 9-digit number in ten passes the check.
_IL_ID_RE = re.compile(
    r"(?i)(?P<kw>ת\.?ז\.?|ת\"ז|ת״ז|תעודת זהות|מספר זהות|teudat zehut|israeli id|id number|\bid\b)"
    r"(?P<gap>[^\d\n]{0,20}?)(?P<number>\d{5,9})(?!\d)"
)

# A run of digit groups separated by single spaces or dashes, never after "+" (a phone
# number); a card may be any consecutive groups of it ("pagué 500 4111 1111 1111 1111").
_DIGIT_RUN_RE = re.compile(r"(?<![\d+])\d+(?:[ -]\d+)*(?!\d)")
# Issuer prefixes and lengths (ISO/IEC 7812 ranges of the networks seen in MX, US, UK,
# IL): a Luhn-valid number outside them is a phone, an order or an account number.
_CARD_NETWORKS: tuple[tuple[tuple[int, int], int, frozenset[int]], ...] = (
    ((4, 4), 1, frozenset({13, 16, 19})),  # Visa
    ((51, 55), 2, frozenset({16})),  # Mastercard
    ((2221, 2720), 4, frozenset({16})),  # Mastercard 2-series
    ((34, 34), 2, frozenset({15})),  # American Express
    ((37, 37), 2, frozenset({15})),
    ((6011, 6011), 4, frozenset({16, 17, 18, 19})),  # Discover
    ((644, 649), 3, frozenset({16, 17, 18, 19})),
    ((65, 65), 2, frozenset({16, 17, 18, 19})),
    ((3528, 3589), 4, frozenset({16, 17, 18, 19})),  # JCB
    ((300, 305), 3, frozenset({14, 16, 17, 18, 19})),  # Diners Club
    ((36, 36), 2, frozenset({14, 16, 17, 18, 19})),
    ((38, 39), 2, frozenset({16, 17, 18, 19})),
    ((62, 62), 2, frozenset({16, 17, 18, 19})),  # UnionPay
    ((50, 50), 2, frozenset(range(12, 20))),  # Maestro, Carnet (MX)
    ((56, 69), 2, frozenset(range(12, 20))),
)
_CLABE_RE = re.compile(r"(?<!\d)\d{18}(?!\d)")
_IBAN_RE = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,4})?\b")
_CODE_KEYWORDS = (
    r"c[oó]digo|codigo|clave|token|nip|pin|cvv|cvc|cv2|otp|code|passcode|password|"
    r"contraseña|contrasena|verification|verificaci[oó]n|"
    # Hebrew joins prefixes (ה the, ב in, ל to, ו and, ש that, מ from) onto the word.
    r"[הבלושמכ]{0,2}(?:קוד|סיסמה|סיסמא|אימות)"
)
_CODE_RE = re.compile(
    rf"(?i)(?P<kw>\b(?:{_CODE_KEYWORDS}))(?P<gap>[^\d\n]{{0,24}}?)(?P<code>\d(?:[ -]?\d){{2,7}})(?!\d)"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def clabe_valid(digits: str) -> bool:
    """Mexican CLABE: 17 digits weighted 3,7,1 (mod 10), then the check digit."""
    if len(digits) != 18:
        return False
    weights = (3, 7, 1)
    total = sum((int(d) * weights[i % 3]) % 10 for i, d in enumerate(digits[:17]))
    return (10 - total % 10) % 10 == int(digits[17])


def iban_valid(candidate: str) -> bool:
    return iban.is_valid(candidate)


def looks_like_card(digits: str) -> bool:
    for (low, high), prefix_length, lengths in _CARD_NETWORKS:
        if len(digits) in lengths and low <= int(digits[:prefix_length]) <= high:
            return luhn_valid(digits)
    return False


def curp_valid(value: str) -> bool:
    return curp.is_valid(value)


def rfc_valid(value: str) -> bool:
    # stdnum checks format and date but, by default, not the check digit: many RFCs
    # issued in practice fail it, and an RFC left in clear is the worse mistake.
    return rfc.is_valid(value)


def israeli_id_valid(number: str) -> bool:
    return idnr.is_valid(number.zfill(9))


def _card_span_from(groups: list[str], start: int) -> int | None:
    """End (exclusive) of the longest run of groups from `start` that is a card."""
    for end in range(len(groups), start, -1):
        digits = "".join(groups[start:end])
        if 12 <= len(digits) <= 19 and looks_like_card(digits):
            return end
    return None


def _redact_cards_in_run(match: re.Match[str]) -> str:
    parts = re.split(r"([ -])", match.group(0))
    groups, separators = parts[0::2], parts[1::2] + [""]
    out: list[str] = []
    index = 0
    while index < len(groups):
        end = _card_span_from(groups, index)
        if end is None:
            out.append(groups[index] + separators[index])
            index += 1
        else:
            out.append(CARD_MARK + separators[end - 1])
            index = end
    return "".join(out)


def _redact_clabe(match: re.Match[str]) -> str:
    return CLABE_MARK if clabe_valid(match.group(0)) else match.group(0)


def _redact_iban(match: re.Match[str]) -> str:
    return IBAN_MARK if iban_valid(match.group(0)) else match.group(0)


def _redact_code(match: re.Match[str]) -> str:
    return f"{match.group('kw')}{match.group('gap')}{CODE_MARK}"


def _redact_if(pattern_valid, mark: str):  # type: ignore[no-untyped-def]
    def replace(match: re.Match[str]) -> str:
        return mark if pattern_valid(match.group(0)) else match.group(0)

    return replace


def _redact_israeli_id(match: re.Match[str]) -> str:
    if not israeli_id_valid(match.group("number")):
        return match.group(0)
    return f"{match.group('kw')}{match.group('gap')}{ID_MARK}"


def redact(text: str) -> str:
    """The text with secrets replaced by markers; everything else unchanged."""
    if not text:
        return text
    text = _CURP_RE.sub(_redact_if(curp_valid, CURP_MARK), text)
    text = _RFC_RE.sub(_redact_if(rfc_valid, RFC_MARK), text)
    text = _IL_ID_RE.sub(_redact_israeli_id, text)
    text = _CLABE_RE.sub(_redact_clabe, text)
    text = _DIGIT_RUN_RE.sub(_redact_cards_in_run, text)
    text = _IBAN_RE.sub(_redact_iban, text)
    return _CODE_RE.sub(_redact_code, text)


def redact_json(value: object) -> object:
    """Every string inside a JSON-like value, redacted (for raw payloads)."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_json(item) for key, item in value.items()}
    return value

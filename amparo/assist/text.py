"""Free text typed by agents and administrators, as it is stored."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls, and the bidi embeddings, overrides and isolates (U+202A–U+202E,
# U+2066–U+2069) that make text read differently from how it is stored. The marks
# U+200E/U+200F stay: Hebrew typed with Latin inside needs them.
HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
LINE_HIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_hidden_characters(text: str) -> bool:
    return bool(LINE_HIDDEN.search(text)) or any(
        unicodedata.category(ch) in {"Zl", "Zp"} for ch in text
    )


def clean_line(text: str) -> str:
    """One line: hidden characters gone, runs of white space (line breaks too) one space."""
    return " ".join(LINE_HIDDEN.sub(" ", text).split())


def clean_paragraph(text: str) -> str:
    """Several lines: hidden characters gone, Windows line ends made plain, trimmed."""
    return HIDDEN.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()

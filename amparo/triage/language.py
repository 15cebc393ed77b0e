"""Language of a customer's message: script rules first, then a packaged offline model.

Hebrew and Arabic are told apart by their scripts, which is exact even for two-word
messages; Latin-script text goes to py3langid restricted to the languages amparo
serves, so a short Spanish message is never called Catalan or Galician.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from functools import lru_cache

SUPPORTED = ("es", "en", "he", "pt", "fr", "ar")
_HEBREW = re.compile(r"[\u0590-\u05FF\uFB1D-\uFB4F]")
_ARABIC = re.compile(r"[\u0600-\u06FF\u0750-\u077F\uFB50-\uFDFF\uFE70-\uFEFF]")
_LETTER = re.compile(r"[^\W\d_]")
_URL_OR_HANDLE = re.compile(r"https?://\S+|www\.\S+|[@#][\w.]+|\S+@\S+")
_lock = threading.Lock()
MAX_CHARS = 2000
SHORT_TEXT_LETTERS = 16
SHORT_TEXT_CONFIDENCE = 0.6


@lru_cache(maxsize=1)
def _identifier():  # type: ignore[no-untyped-def]
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    with _lock:
        identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        identifier.set_languages([code for code in SUPPORTED if code not in {"he", "ar"}])
    return identifier


def detect_language(text: str, default: str = "") -> str:
    """ISO 639-1 code of the text's language, or `default` when there is nothing to read."""
    cleaned = _URL_OR_HANDLE.sub(" ", unicodedata.normalize("NFC", text[:MAX_CHARS]))
    letters = _LETTER.findall(cleaned)
    if not letters:
        return default
    hebrew = len(_HEBREW.findall(cleaned))
    arabic = len(_ARABIC.findall(cleaned))
    # A Hebrew message with a few English words ("האפליקציה לא עובדת, login error") is Hebrew.
    if hebrew and hebrew >= arabic and hebrew * 3 >= len(letters):
        return "he"
    if arabic and arabic * 3 >= len(letters):
        return "ar"
    if len(letters) < 2:
        return default
    language, probability = _identifier().classify(cleaned.lower())
    # A greeting alone ("hola", "ok") is weak evidence: keep what we already knew.
    if default and len(letters) < SHORT_TEXT_LETTERS and probability < SHORT_TEXT_CONFIDENCE:
        return default
    return str(language)

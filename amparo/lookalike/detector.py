"""Lookalike detection: does a handle, display name or domain imitate an official one?

Each name is reduced to its **core** in steps, each of which, when it changes
something, is a reason:

1. `invisible`: format and control characters removed (zero-width joiners, bidi
   overrides, soft hyphens); `fullwidth`: NFKC folds full-width and compatibility forms;
2. `confusable`: the UTS #39 skeleton (Cyrillic `а`, Greek `ο`, `I`→`l`, `0`→`O`,
   `m`→`rn`…), then `combining`: combining marks dropped;
3. `homoglyph`: what the skeleton leaves alone but eyes do not (`1`/`|`/`!`→`l`,
   `3`→`e`, `4`/`@`→`a`, `5`/`$`→`s`, `7`→`t`, `vv`→`w`, `cl`→`d`), digits only
   between letters — trailing digits are a `digit_suffix` (`_1`, `2024`);
4. `separator`: `_ . -` and spaces removed;
5. `support_words` / `reordered_words` / `country_suffix`: words a fake support
   account adds (help, support, care, team, official, ayuda, soporte, atención,
   oficial, cliente, עזרה, שירות…) and country codes (`uk`, `_mx`) are peeled off
   both ends. `BarclaysHelpUK` and the real `BarclaysUKHelp` share the core
   `barclays`, with the same words in another order, which no edit-distance
   threshold on the whole handle catches (they are 4 edits apart).

A candidate imitates an official name when it is not itself official and their cores
are equal, or within an edit distance that grows with length (0 up to 2 letters, 1 up
to 8, 2 beyond; names of 3 letters or fewer only by a doubled or swapped letter, of 4
never by a random letter); the edits found are named (`insertion`, `omission`, `repetition`,
`transposition`, `keyboard_adjacent`, `vowel_swap`, `substitution`). Official names
of *different* brands are often that close to each other; the registry is checked for
such pairs when it is built, and a candidate that is itself an official name never
alarms. Lookups use an index of the official cores and their deletion neighbourhoods
(symmetric deletion), so a check costs a few dozen dictionary look-ups whatever the
size of the registry, and rapidfuzz confirms the distance.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from rapidfuzz.distance import OSA, Levenshtein

from amparo.lookalike.confusables import skeleton

VERDICT_CACHE = 100_000  # verdicts a registry remembers before it starts afresh
MAX_NAME_CHARS = 256  # longer names are cut (display names can be anything; cores are short)
X_HANDLE = re.compile(r"^[A-Za-z0-9_]{1,15}$")

SUPPORT_WORDS = frozenset(
    """help helps helpdesk support soporte suporte care team official oficial oficiales
    ayuda ayudas atencion atenciones cliente clientes customer customers service services
    servicio servicios serviço servico cs info contact contacto contactos resp responde
    responds response respuesta ask hq real the my app online banking bank banco bancos
    hola hello assist assistance asistencia desk center centre centro crew staff admin
    verify verified verificado verificada secure security seguridad seguro alerts alertas
    fraud fraude refunds refund reembolsos reembolso claims claim reclamos""".split()
) | {"עזרה", "שירות", "לקוחות", "תמיכה", "רשמי", "מוקד"}
CONNECTORS = frozenset({"al", "de", "del", "a", "para", "and", "for", "to", "ao", "do", "da"})
TOKEN_FOLDED = frozenset({"the", "my", "real", "now", "live", "chat", "dm", "dms", "ask"})
RUN_WORDS = frozenset(
    """help helps helpdesk support soporte suporte care team official oficial oficiales
    ayuda atencion cliente clientes customer customers service services servicio
    servicios serviço servico info contact contacto resp responde responds response
    respuesta desk""".split()
) | {"עזרה", "שירות", "לקוחות", "תמיכה"}
# Country codes cut from the end of a run of letters ("amazonhelpmx"); two-letter codes
# such as "es" or "in" end too many ordinary words (martin, bancodechistes) for that.
RUN_COUNTRIES = frozenset("uk mx usa mex esp arg col chl irl isr bra aus latam".split())
# Words peeled only when they stand as a word of their own (a separator or camelCase
# around them): inside a run of letters they are too often part of a name (LiveNation,
# TheRealReal, MyBank, NowTV).
TOKEN_WORDS = frozenset(
    "the my real now live chat dm dms cs hq ask app 24 7 247 24h 24x7 com net org".split()
)
COUNTRY_WORDS = frozenset(
    """uk gb us usa mx mex es esp ar arg co col cl chl pe per br bra in ind ie irl il isr
    ca can au aus nz latam global intl eu de fr it pt mexico espana chile brasil brazil
    canada argentina colombia peru israel india australia ireland""".split()
)
# Two-letter country codes that fake accounts glue together ("BarclaysUKCO"); not
# "it", "au" or "in", which would make words of names (itau).
GLUED_CODES = frozenset("uk us rnx es ar co cl pe br gb ie il ca".split())
MIN_CORE = 3

_SEPARATORS = re.compile(r"[\s_.\-·•|/\\]+")
# camelCase boundaries; a capital I between small letters is an l in disguise, not a word
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])(?!I[a-z])|(?<=[A-Z])(?=[A-Z][a-z])(?<!I)")
_TRAILING_DIGITS = re.compile(r"(?:[\s_.\-]*\d)+$")  # no nested quantifiers: linear time
_LONE_DIGIT = re.compile(r"(?<![0-9])[013457](?![0-9])(?:(?<=[a-z][013457])|(?=[a-z]))")
_INNER_DIGITS = str.maketrans({"1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "0": "o"})
_SYMBOLS = str.maketrans({"|": "l", "!": "l", "@": "a", "$": "s", "€": "e"})
_SEQUENCES = (("i", "l"), ("rn", "m"), ("vv", "w"), ("cl", "d"))
# Only m/rn is merged before distances are measured: merging i/l too would make real
# names one letter apart (Aldi, Lidl).
VOWELS = frozenset("aeiou")
SHORT_EDITS = frozenset(
    {"repetition", "transposition", "insertion", "omission", "keyboard_adjacent", "vowel_swap"}
)
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


@lru_cache(maxsize=1)
def keyboard_neighbours() -> dict[str, frozenset[str]]:
    position = {ch: (r, c) for r, row in enumerate(KEYBOARD_ROWS) for c, ch in enumerate(row)}
    neighbours: dict[str, set[str]] = {ch: set() for ch in position}
    for a, (ra, ca) in position.items():
        for b, (rb, cb) in position.items():
            if a != b and abs(ra - rb) <= 1 and abs(ca - cb) <= 1 + (ra != rb):
                neighbours[a].add(b)
    return {k: frozenset(v) for k, v in neighbours.items()}


@dataclass(frozen=True)
class Core:
    """A name reduced for comparison, with what the reduction had to undo."""

    text: str  # the folded core
    folded: str  # folded, separators removed, words still on
    words: tuple[str, ...]  # support and country words peeled off, in order
    reasons: frozenset[str]
    alt: str = ""  # the core with look-alike letters merged (i/l, cl/d, vv/w)
    plain: str = ""  # lowercased, no separators or invisible characters, nothing folded
    raw: str = ""  # lowercased as written (separators kept)
    tokens: tuple[str, ...] = ()  # the folded words, in order
    shallow: str = ""  # only whole support words peeled (none inside runs of letters)

    @cached_property
    def forms(self) -> tuple[str, ...]:
        """The ways this name can be compared: peeled, lightly peeled, as written; with
        look-alike letters merged (rn/m, i/l, vv/w, cl/d)."""
        written = [f for f in (self.text, self.shallow, self.folded) if f]
        return tuple(dict.fromkeys([*written, *(f.replace("rn", "m") for f in written)]))

    @cached_property
    def searched(self) -> tuple[tuple[str, int], ...]:
        """The forms whose deletion neighbourhoods are looked up, with their depth (the
        unpeeled form only one deletion deep: it is long, and its full neighbourhood
        would cost the most)."""
        out: dict[str, int] = {}
        for form in (self.text, self.shallow, self.folded):
            if not form:
                continue
            depth = (
                allowed_distance(len(form))
                if form != self.folded or form == self.text
                else min(1, allowed_distance(len(form)))
            )
            for variant in (form, form.replace("rn", "m")):
                out[variant] = max(out.get(variant, 0), depth)
        return tuple(out.items())

    @cached_property
    def merged(self) -> frozenset[str]:
        return frozenset(merge_alike(f) for f in (self.text, self.shallow, self.folded) if f)


def strip_invisible(text: str) -> tuple[str, bool]:
    kept = "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in {"Cf", "Cc", "Co", "Cs", "Zl", "Zp"}
        and ch not in "\ufffd\ufe0e\ufe0f"  # replacement character, variation selectors
    )
    return kept, kept != text


# What the skeleton maps to letters that are not ASCII but look like it (Greek kappa
# and tau become a kra and a small capital T): read as the letters they resemble.
_AFTER_SKELETON = str.maketrans(
    {
        "ĸ": "k",
        "ᴛ": "t",
        "ꞓ": "e",
        "ʀ": "r",
        "ɴ": "n",
        "ʜ": "h",
        "ᴋ": "k",
        "ʙ": "b",
        "ᴀ": "a",
        "ᴄ": "c",
        "ᴅ": "d",
        "ᴇ": "e",
        "ɢ": "g",
        "ɪ": "i",
        "ᴊ": "j",
        "ʟ": "l",
        "ᴏ": "o",
        "ᴘ": "p",
        "ꜱ": "s",
        "ᴜ": "u",
        "ᴠ": "v",
        "ᴡ": "w",
        "ʏ": "y",
        "ᴢ": "z",
        "ı": "i",
        "ȷ": "j",
    }
)


def drop_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


@lru_cache(maxsize=1)
def ascii_tables() -> tuple[dict[int, str], dict[int, str]]:
    """For names written in ASCII (most handles), what `fold` does with Unicode tables
    costs one `str.translate` each: the symbols read as spaces, and each character's
    skeleton (`0`→`O`, `1`/`I`/`|`→`l`, `m`→`rn`). A character whose skeleton leaves
    ASCII (`%`) is not in the table and sends the name down the general path."""
    symbols = {
        c: " "
        for c in range(128)
        if unicodedata.category(chr(c))[0] == "S" and chr(c) not in "$@|€"
    }
    skeletons = {c: skeleton(chr(c)) for c in range(128)}
    return symbols, {c: s for c, s in skeletons.items() if s.isascii() and s != chr(c)}


_ASCII_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def fold(name: str) -> tuple[str, set[str]]:
    """Steps 1–3: one string with what eyes would see, lowercased, separators kept."""
    text = name[:MAX_NAME_CHARS].strip().lstrip("@")
    return _fold(text, fast=text.isascii() and "%" not in text)


def _fold(text: str, fast: bool) -> tuple[str, set[str]]:
    """`fast`: the name is ASCII with no character whose skeleton leaves ASCII; the
    Unicode steps (NFKC, marks, the skeleton) are then table look-ups, with the same
    result (tests compare both paths)."""
    reasons: set[str] = set()
    if fast:
        symbols, skeletons = ascii_tables()
        visible = _ASCII_CONTROLS.sub("", text)
        if visible != text:
            reasons.add("invisible")
        return _fold_letters(visible.translate(symbols), reasons, skeletons)
    text, invisible = strip_invisible(text)
    if invisible:
        reasons.add("invisible")
    compat = unicodedata.normalize("NFKC", text)
    if compat != unicodedata.normalize("NFC", text):
        reasons.add("fullwidth")
    # Emoji and other symbols around or inside a display name separate words (🔥 Amazon
    # Help 🔥); the few that pose as letters ($, @, |, €) are read below.
    compat = "".join(
        " " if unicodedata.category(ch)[0] == "S" and ch not in "$@|€" else ch for ch in compat
    )
    unmarked = drop_marks(compat)
    if unmarked != compat:
        reasons.add("combining")
    return _fold_letters(unmarked, reasons, None)


def _fold_letters(
    unmarked: str, reasons: set[str], skeletons: dict[int, str] | None
) -> tuple[str, set[str]]:
    # Trailing digits are a batch suffix (`_1`, `2024`), not a letter in disguise; one
    # 0/1/3/4/5/7 glued to the letters (`Mexic0`) is read as a letter below.
    suffix = _TRAILING_DIGITS.search(unmarked)
    glued = (
        suffix is not None
        and len(suffix.group()) == 1
        and suffix.group() in "013457"
        and unmarked[: suffix.start()][-1:].isalpha()
    )
    if suffix and suffix.start() > 0 and not glued:
        unmarked = unmarked[: suffix.start()]
        reasons.add("digit_suffix")
    # The case-sensitive skeleton first (I→l), then camelCase is split (so that a
    # capital I posing as an l does not split a word), then the skeleton again on the
    # lowercase result, so an uppercase letter and its lowercase twin end up alike.
    spaced = _CAMEL.sub(" ", unmarked)
    if skeletons is not None:
        lowered = spaced.translate(skeletons).lower().translate(skeletons).lower()
        plain_lower = unmarked.lower()
    else:
        cased = drop_marks(skeleton(spaced)).translate(_AFTER_SKELETON)
        skeletal = drop_marks(skeleton(cased.lower())).translate(_AFTER_SKELETON)
        plain_lower = unicodedata.normalize("NFC", unmarked.lower())
        lowered = unicodedata.normalize("NFC", skeletal).lower()
        if any(ch.isalpha() and ord(ch) > 0x24F and not is_native(ch) for ch in plain_lower):
            reasons.add("confusable")  # a letter from another script (Cyrillic а, Greek ο)
    glyphs = lowered.translate(_SYMBOLS)
    # A lone 0/1/3/4/5/7 touching a letter is a letter in disguise (B4nk, 5tGeorge, He1p);
    # runs of digits (years, numbers) are not.
    if any(ch in glyphs for ch in "013457"):
        glyphs = _LONE_DIGIT.sub(lambda m: m.group().translate(_INNER_DIGITS), glyphs)
    seen = merge_alike("".join(_SEPARATORS.split(glyphs)))
    written = merge_alike("".join(_SEPARATORS.split(plain_lower)))
    if seen != written and "confusable" not in reasons:
        reasons.add("homoglyph")  # 0/o, 1/l, I/l, 5/s… read as the letters they mimic
    return glyphs, reasons


def is_native(ch: str) -> bool:
    """Letters of scripts amparo's customers write in (Hebrew, Arabic, Latin with
    accents) are not disguises by themselves."""
    name = unicodedata.name(ch, "")
    return name.startswith(("HEBREW", "ARABIC", "LATIN"))


def names_something(rest: list[str]) -> bool:
    """Whether these words, once support words are peeled off, still name something."""
    joined = "".join(rest)
    return len(joined) >= MIN_CORE and as_word(joined) is None


def peel(tokens: list[str]) -> tuple[str, tuple[str, ...]]:
    """Step 5: take support and country words off both ends of the joined tokens."""
    words: list[str] = []

    # Whole tokens first (the separators and camelCase tell where words are); a token
    # one letter off a long support word ("suport") is that word misspelled.
    while len(tokens) > 1 and (word := as_word(tokens[-1])) and names_something(tokens[:-1]):
        tokens.pop()
        words.append(word)
        # "Atención al Cliente": a connector between two support words goes with them.
        if len(tokens) > 2 and tokens[-1] in CONNECTORS and as_word(tokens[-2]):
            tokens.pop()
    while len(tokens) > 1 and (word := as_word(tokens[0])) and names_something(tokens[1:]):
        tokens.pop(0)
        words.append(word)
    core = "".join(tokens)
    # Then inside a run of letters with no separators ("barclayshelpuk"). A cut inside a
    # word the name spells apart (camelCase, separators) must leave a name-sized piece of
    # that word: "AskSteam" is not "AskS" + "team". And what is left must not be a
    # support word itself ("AskLATAM" is two such words and no name).
    first, last = len(tokens[0]), len(tokens[-1])
    ends, starts, lengths = run_index()
    changed = True
    while changed:
        changed = False
        for size in lengths:
            minimum = MIN_CORE + (1 if size <= 3 else 0)
            if len(core) - size < minimum:
                continue
            if (
                core[-size:] in ends
                and (last == size or last - size >= MIN_CORE)
                and as_word(core[:-size]) is None
            ):
                words.append(core[-size:])
                core = core[:-size]
                last = last - size if last > size else len(core)
                changed = True
                break
            if (
                core[:size] in starts
                and (first == size or first - size >= MIN_CORE)
                and as_word(core[size:]) is None
            ):
                words.append(core[:size])
                core = core[size:]
                first = first - size if first > size else len(core)
                changed = True
                break
    return core, tuple(words)


@lru_cache(maxsize=1)
def run_index() -> tuple[frozenset[str], frozenset[str], tuple[int, ...]]:
    words = run_words()
    ends = frozenset(w for w, _ in words)
    starts = frozenset(w for w, end_only in words if not end_only)
    return ends, starts, tuple(sorted({len(w) for w, _ in words}, reverse=True))


@lru_cache(maxsize=1)
def folded_words() -> tuple[list[str], dict[str, str]]:
    """Support and country words as `fold` writes them ("mex" becomes "rnex"), longest
    first; and the folded form of each word back to the word."""
    back: dict[str, str] = {}
    for word in SUPPORT_WORDS | COUNTRY_WORDS | TOKEN_WORDS:
        folded = "".join(_SEPARATORS.split(fold(word)[0]))
        back.setdefault(folded, word)
    return sorted(back, key=len, reverse=True), back


@lru_cache(maxsize=1)
def word_set() -> frozenset[str]:
    return frozenset(folded_words()[0])


@lru_cache(maxsize=65536)
def as_word(token: str) -> str | None:
    if token in word_set():
        return token
    if any(
        token[:cut] in GLUED_CODES and token[cut:] in GLUED_CODES and token[:cut] != token[cut:]
        for cut in (2, 3)
    ):
        return token  # two country codes glued together ("UKCO", "MXUS")
    if len(token) >= 4:  # a support word misspelled: "suport", "hlep"
        index = fuzzy_index()
        for variant in deletions(token, 1):
            for word in index.get(variant, ()):
                if abs(len(word) - len(token)) <= 1 and OSA.distance(token, word) <= 1:
                    return word
    return None


@lru_cache(maxsize=1)
def fuzzy_index() -> dict[str, tuple[str, ...]]:
    """Support words of four letters or more by their one-deletion neighbourhoods."""
    _, back = folded_words()
    index: dict[str, list[str]] = {}
    for folded, word in back.items():
        if word in SUPPORT_WORDS and len(folded) >= 4:
            for variant in deletions(folded, 1):
                index.setdefault(variant, []).append(folded)
    return {k: tuple(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def run_words() -> list[tuple[str, bool]]:
    """Words that may be peeled inside a run of letters, longest first, and whether
    only from the end (country codes). Only what fake support accounts append: "bank",
    "banco" or a country's name are part of too many real names (Bancolombia,
    CaixaBank) to be cut out of a run of letters; as words of their own they still go."""
    peelable, back = folded_words()
    out = []
    for folded in peelable:
        word = back[folded]
        if word in RUN_WORDS or word in RUN_COUNTRIES:
            out.append((folded, word in COUNTRY_WORDS))
    return out


def merge_alike(text: str) -> str:
    for sequence, letter in _SEQUENCES:
        text = text.replace(sequence, letter)
    return text


@lru_cache(maxsize=65536)
def reduce(name: str) -> Core:
    folded, reasons = fold(name)
    tokens = [t for t in _SEPARATORS.split(folded) if t]
    joined = "".join(tokens)
    core, words = peel(list(tokens)) if tokens else ("", ())
    shallow = list(tokens)
    while len(shallow) > 1 and as_word(shallow[-1]) and names_something(shallow[:-1]):
        shallow.pop()
    while len(shallow) > 1 and as_word(shallow[0]) and names_something(shallow[1:]):
        shallow.pop(0)
    text = name[:MAX_NAME_CHARS].strip().lstrip("@")
    if text.isascii():
        raw = _ASCII_CONTROLS.sub("", text).lower()
    else:
        raw = unicodedata.normalize("NFKC", strip_invisible(text)[0]).lower()
    plain = "".join(_SEPARATORS.split(raw))
    return Core(
        core,
        joined,
        words,
        frozenset(reasons),
        merge_alike(core),
        plain,
        raw,
        tuple(tokens),
        "".join(shallow),
    )


def distinctive(a: Core, b: Core) -> list[tuple[str, str]]:
    """The two names without the words they share at either end ("AIBIreland" and
    "AldiIreland" differ in "aib" and "aldi", which are two real banks): as written, and
    without the support and country words peeled from them."""
    pairs = []
    for left, right in (
        (list(a.tokens), list(b.tokens)),
        (
            [t for t in a.tokens if t not in a.words] or list(a.tokens),
            [t for t in b.tokens if t not in b.words] or list(b.tokens),
        ),
    ):
        while len(left) > 1 and len(right) > 1 and left[-1] == right[-1]:
            left.pop()
            right.pop()
        while len(left) > 1 and len(right) > 1 and left[0] == right[0]:
            left.pop(0)
            right.pop(0)
        pairs.append(("".join(left), "".join(right)))
    return pairs


# Word lists of pyspellchecker (MIT; from OpenSubtitles and other corpora): a word
# counts when it is at least this frequent there. 50 is the lists' floor (every word
# they hold): English, Spanish and Italian words and names (monza, soriano, argus) are
# ordinary usernames; Portuguese and French lists hold too many brand-like strings for that.
WORD_LISTS = {"en": 50, "es": 50, "it": 50, "pt": 300, "fr": 300}


# A word this frequent is common (metro, estado, jumbo), not a rare name that happens
# to be in a list (walmart, argos).
COMMON = 1000


@lru_cache(maxsize=1)
def word_counts() -> dict[str, int]:
    """The highest count of each word of three letters or more over WORD_LISTS."""
    import gzip
    import json
    from importlib.resources import files

    words: dict[str, int] = {}
    for language, minimum in WORD_LISTS.items():
        resource = files("spellchecker").joinpath("resources", f"{language}.json.gz")
        counts = json.loads(gzip.decompress(resource.read_bytes()))
        for word, count in counts.items():
            if count >= minimum and len(word) >= 3 and count > words.get(word, 0):
                words[word] = count
    return words


def plain_word(raw: str) -> bool:
    """Whether a name, as written, is one ordinary word (with at most "the", "my"… and
    digits around it)."""
    parts = [
        p for p in re.split(r"[^a-záéíóúñüàâçèêëîïôûœãõ]+", raw) if p and p not in TOKEN_FOLDED
    ]
    return len(parts) == 1 and parts[0] in word_counts()


def far_apart(left: str, right: str) -> bool:
    """Two or more edits, more than their length allows, as written and with look-alike
    letters merged (merging can also part them: "citi" reads "dtl")."""
    distance = min(OSA.distance(left, right), OSA.distance(merge_alike(left), merge_alike(right)))
    return distance >= 2 and distance > allowed_distance(min(len(left), len(right)))


def generic_core(core: Core) -> bool:
    """Whether a name's core, once its words are peeled, is a common word."""
    return core.text != core.folded and word_counts().get(core.text.replace("rn", "m"), 0) >= COMMON


def ends_apart(candidate: str, official: str) -> bool:
    """Whether two names differ only in their last three letters, by two edits or more."""
    shared = len(os.path.commonprefix([candidate, official]))
    if candidate.startswith(official) or official.startswith(candidate):
        return False  # letters added to or cut from the end: the name itself, extended
    return shared >= max(len(candidate), len(official)) - 3


def x_handle_ok(handle: str) -> bool:
    return bool(X_HANDLE.match(handle))


@lru_cache(maxsize=65536)
def deletions(text: str, depth: int) -> frozenset[str]:
    """The strings `depth` deletions or fewer away. Two deletions are taken in order
    (the second at or after the first), so each pair is made once, not twice."""
    found = {text}
    if depth >= 1:
        once = [text[:i] + text[i + 1 :] for i in range(len(text))]
        found.update(once)
        if depth >= 2:
            for i, word in enumerate(once):
                found.update([word[:j] + word[j + 1 :] for j in range(i, len(word))])
        if depth >= 3:
            for word in list(found):
                found.update(deletions(word, depth - 2))
    return frozenset(found)


def allowed_distance(length: int) -> int:
    if length <= 2:
        return 0
    if length <= 8:
        return 1
    return 2


def name_edits(candidate: str, official: str) -> list[str]:
    """The kinds of edit that turn the official core into the candidate's."""
    if OSA.distance(candidate, official) < Levenshtein.distance(candidate, official):
        kinds = ["transposition"]
        if Levenshtein.distance(candidate, official) <= 2 and len(candidate) == len(official):
            return kinds
    else:
        kinds = []
    neighbours = keyboard_neighbours()
    for op in Levenshtein.editops(official, candidate):
        if op.tag == "insert":
            ch = candidate[op.dest_pos]
            around = official[max(op.src_pos - 1, 0) : op.src_pos + 1]
            kinds.append("repetition" if ch in around else "insertion")
        elif op.tag == "delete":
            kinds.append("omission")
        else:
            a, b = official[op.src_pos], candidate[op.dest_pos]
            if a in VOWELS and b in VOWELS:
                kinds.append("vowel_swap")
            elif b in neighbours.get(a, ()):
                kinds.append("keyboard_adjacent")
            else:
                kinds.append("substitution")
    return sorted(set(kinds))


@dataclass(frozen=True)
class Official:
    platform: str  # x, instagram, …, or "domain"
    handle: str
    brand: str = ""

    @property
    def label(self) -> str:
        return self.handle if self.platform == "domain" else f"{self.platform}:{self.handle}"


@dataclass
class Verdict:
    candidate: str
    lookalike: bool
    score: float
    imitates: str | None
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "candidate": self.candidate,
            "lookalike": self.lookalike,
            "score": round(min(self.score, 1.0), 3),
            "imitates": self.imitates,
            "reasons": self.reasons,
        }


# Registrable-domain suffixes with two labels (enough for the brands amparo serves;
# a single label is assumed otherwise).
TWO_LABEL_SUFFIXES = frozenset(
    """co.uk org.uk gov.uk ac.uk me.uk com.mx org.mx gob.mx com.ar com.br com.co com.pe
    com.au net.au co.il org.il gov.il co.in co.nz com.es com.tr co.jp co.za com.sg com.hk
    bsky.social gov.br net.br org.br gob.ar com.uy com.ve com.ec gob.es org.es gov.in
    net.in co.kr com.cn""".split()
)


def domain_parts(text: str) -> tuple[str, str] | None:
    """(registrable label, the labels before it) of a domain or URL; None if not one."""
    value = text.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = value.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    value = value.rsplit("@", 1)[-1].split(":", 1)[0].strip(".")
    if "." not in value or " " in value:
        return None
    try:
        value = (
            value.encode("ascii").decode("idna")
            if value.startswith("xn--") or ".xn--" in value
            else value
        )
    except UnicodeError:
        pass
    labels = [label for label in value.split(".") if label]
    if len(labels) < 2:
        return None
    suffix_len = 2 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES and len(labels) >= 3 else 1
    name = labels[-suffix_len - 1]
    return name, ".".join(labels[: -suffix_len - 1])


def registrable(text: str) -> str | None:
    value = host_of(text)
    labels = [label for label in value.strip(".").split(".") if label]
    if len(labels) < 2:
        return None
    suffix_len = 2 if ".".join(labels[-2:]) in TWO_LABEL_SUFFIXES and len(labels) >= 3 else 1
    return ".".join(labels[-suffix_len - 1 :])


class Registry:
    """The official names, indexed by their forms (see `Core.forms`), the forms' deletion
    neighbourhoods, and their words in sorted order (for reordered words)."""

    def __init__(self, officials: Iterable[Official]) -> None:
        self.officials = list(dict.fromkeys(officials))
        self.exact: set[str] = set()
        self.domains: set[str] = set()
        self.by_form: dict[str, set[int]] = {}
        self.by_deletion: dict[str, set[int]] = {}
        self.by_words: dict[tuple[str, ...], set[int]] = {}
        self.cores: list[Core] = []
        self.verdicts: dict[tuple[str, str | None], Verdict] = {}
        # Top-level domains of the official domains count as domains (.sbi, .barclays).
        self.tlds = frozenset(
            o.handle.lower().rstrip(".").rsplit(".", 1)[-1]
            for o in self.officials
            if o.platform == "domain" and "." in o.handle
        )
        for index, official in enumerate(self.officials):
            name = official.handle.strip().lstrip("@")
            parts = (
                domain_parts(name)
                if official.platform in {"domain", "bluesky"} or is_domain(name)
                else None
            )
            if official.platform == "domain":
                self.domains.add(registrable(name) or name.lower())
            else:
                self.exact.add(name.lower())
            core = reduce(parts[0] if parts else name)
            self.cores.append(core)
            for form in core.merged:
                self.by_form.setdefault(form, set()).add(index)
            for form in core.forms:
                self.by_form.setdefault(form, set()).add(index)
            for form, _ in core.searched:
                for variant in deletions(form, allowed_distance(len(form))):
                    self.by_deletion.setdefault(variant, set()).add(index)
            if len(core.tokens) >= 2:
                self.by_words.setdefault(tuple(sorted(core.tokens)), set()).add(index)

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Registry:
        """One `platform:handle` or `domain` per line; blank lines and # comments skipped."""
        officials = []
        for raw in lines:
            line = raw.replace("\ufeff", "").strip()
            if not line or line.startswith("#"):
                continue
            platform, sep, handle = line.partition(":")
            if sep and platform.lower() in PLATFORMS and handle.strip():
                officials.append(Official(platform.lower(), handle.strip().lstrip("@")))
            elif is_domain(line):
                officials.append(Official("domain", registrable(line) or line.lower()))
            else:
                officials.append(Official("handle", line.lstrip("@")))
        return cls(officials)

    def matches(self, core: Core) -> set[int]:
        found: set[int] = set()
        lookup_form, lookup_deletion = self.by_form.get, self.by_deletion.get
        for form in core.merged:
            found.update(lookup_form(form, ()))
        for form in core.forms:
            found.update(lookup_form(form, ()))
        keys = self.by_deletion.keys()
        for form, depth in core.searched:
            # One set intersection (in C) instead of a look-up per variant.
            for variant in keys & deletions(form, depth):
                found |= lookup_deletion(variant, set())
        if len(core.tokens) >= 2:
            found.update(self.by_words.get(tuple(sorted(core.tokens)), ()))
        return found

    def check(self, candidate: str, platform: str | None = None) -> Verdict:
        """`platform`: where the candidate was seen; an imitation of an official name on
        the same platform is named first. Verdicts are remembered (live traffic repeats
        its authors); each caller gets its own copy."""
        key = (candidate, platform)
        verdict = self.verdicts.get(key)
        if verdict is None:
            verdict = self.judge(candidate, platform)
            if len(self.verdicts) >= VERDICT_CACHE:
                self.verdicts.clear()
            self.verdicts[key] = verdict
        return Verdict(
            verdict.candidate,
            verdict.lookalike,
            verdict.score,
            verdict.imitates,
            [*verdict.reasons],
        )

    def judge(self, candidate: str, platform: str | None) -> Verdict:
        text = candidate.strip()[: MAX_NAME_CHARS * 4]
        if not text:
            return Verdict(candidate, False, 0.0, None, ["empty"])
        if text.lower().lstrip("@") in self.exact and self.official_as_written(text):
            return Verdict(candidate, False, 0.0, None, ["official"])
        if platform == "web" or is_domain(text, self.tlds):
            verdict = self.check_domain(candidate, text, platform)
            if verdict.lookalike or "official" in verdict.reasons:
                return verdict
        return self.check_name(candidate, text, reduce(text), platform=platform)

    def official_as_written(self, text: str) -> bool:
        """Official exactly as written: no invisible or look-alike character hiding in it."""
        cleaned, invisible = strip_invisible(text)
        return not invisible and unicodedata.normalize("NFKC", cleaned) == cleaned

    def check_domain(self, candidate: str, text: str, platform: str | None = None) -> Verdict:
        domain = registrable(text)
        if domain in self.domains and self.official_as_written(text):
            host = host_of(text)
            if host == domain or host.endswith("." + domain):
                return Verdict(candidate, False, 0.0, None, ["official"])
        parts = domain_parts(text)
        if parts is None:
            return Verdict(candidate, False, 0.0, None, [])
        name, subdomains = parts
        verdict = self.check_name(candidate, name, reduce(name), domain=True, platform=platform)
        if verdict.lookalike:
            return verdict
        labels = [label for label in subdomains.split(".") if label]
        if labels:
            # A dot inside the official name: well.sfargo.com
            joined = labels[-1] + name
            split = self.check_name(
                candidate, joined, reduce(joined), domain=True, platform=platform
            )
            if split.lookalike:
                split.reasons = sorted({*split.reasons, "separator"} - {"other_domain"})
                return split
        # An official name worn as a subdomain: barclays.co.uk.secure-login.com
        for label in labels:
            if len(label) >= 2:
                inner = self.check_name(
                    candidate, label, reduce(label), domain=True, worn=True, platform=platform
                )
                if inner.lookalike:
                    inner.reasons = sorted({*inner.reasons, "official_name_in_subdomain"})
                    return inner
        return verdict

    def check_name(
        self,
        candidate: str,
        text: str,
        core: Core,
        domain: bool = False,
        worn: bool = False,
        platform: str | None = None,
    ) -> Verdict:
        """`worn`: the name stands inside something else (a subdomain), where even the
        official name itself is an imitation."""
        best: Verdict | None = None
        for index in self.matches(core):
            official = self.officials[index]
            target = self.cores[index]
            verdict = self.compare(candidate, text, core, target, official, domain, worn, platform)
            if verdict is not None and (best is None or verdict.score > best.score):
                best = verdict
        return best or Verdict(candidate, False, 0.0, None, [])

    def compare(
        self,
        candidate: str,
        text: str,
        core: Core,
        target: Core,
        official: Official,
        domain: bool,
        worn: bool,
        platform: str | None,
    ) -> Verdict | None:
        reasons = set(core.reasons - target.reasons)
        reordered = (
            len(core.tokens) >= 2
            and core.tokens != target.tokens
            and sorted(core.tokens) == sorted(target.tokens)
        )
        distance, pair = 99, ("", "")
        if core.merged & target.merged:
            distance = 0  # equal once look-alike letters are merged
            pair = (core.text, target.text)
        else:
            # An official core that is an ordinary word (BancoEstado's "estado",
            # JumboChile's "jumbo") is only imitated with the rest of the name: a
            # near-word alone (Estadao, the_jambo) is not BancoEstado.
            generic = generic_core(target)
            for mine in core.forms:
                for theirs in target.forms:
                    if generic and theirs in (target.text, target.text.replace("rn", "m")):
                        continue
                    d = OSA.distance(mine, theirs)
                    if d < distance:
                        distance, pair = d, (mine, theirs)
        if reordered:
            distance, pair = 0, (core.folded, target.folded)
            reasons.add("reordered_words")
        elif distance:
            # Shared words at either end do not make two different names alike
            # (AIBIreland, AldiIreland): the rest must be close on its own.
            whole = (core.folded, target.folded)
            apart = [
                (left, right)
                for left, right in distinctive(core, target)
                if left and right and (left, right) != whole
            ]
            # ...unless the names as written are long and close (a swap across a
            # capital: AskaNtionwide, AskNationwide).
            if (
                apart
                and (
                    min(map(len, whole)) < 8
                    or OSA.distance(*whole) > allowed_distance(min(map(len, whole)))
                )
                and all(far_apart(left, right) for left, right in apart)
            ):
                return None
            # lengths as seen: "rn" is one letter (m) to the eye
            shortest = min(len(pair[0].replace("rn", "m")), len(pair[1].replace("rn", "m")))
            if distance > allowed_distance(shortest):
                return None
            edits = name_edits(*pair)
            if (
                shortest <= 3
                and not set(edits) <= {"repetition", "transposition"}
                or (shortest == 4 and not set(edits) <= SHORT_EDITS)
            ):
                # Short names (TSB, PTSB; RBS, RBC) are one letter from other real
                # brands: only a doubled or swapped letter counts there.
                return None
            if core.reasons <= {"digit_suffix"} and plain_word(core.raw):
                # An ordinary word one letter from a brand (chasm, booth, sterling) with
                # nothing else disguised: a word, not an imitation.
                return None
            if distance >= 2 and ends_apart(*pair):
                # Both edits in the last letters: another ending, another name
                # (AmericanAir, Americanas).
                return None
            if distance >= 2 and "substitution" in edits:
                # Two edits, one of them a letter that neither looks nor sits like the
                # original (AmericanAir, Americanas): two different names.
                return None
            reasons.update(edits)
        added = [w for w in core.words if w not in target.words]
        if added and not reordered:
            _, back = folded_words()
            countries = all(back.get(w, w) in COUNTRY_WORDS for w in added)
            reasons.add("country_suffix" if countries else "support_words")
        elif (
            not reordered
            and core.words != target.words
            and sorted(core.words) == sorted(target.words)
        ):
            reasons.add("reordered_words")
        elif len(core.words) < len(target.words) and not reasons:
            reasons.add("words_removed")
        if not reasons:
            if core.plain == target.plain:
                if domain and official.platform == "domain" and not worn:
                    reasons.add("other_domain")  # barclays.net beside barclays.co.uk
                elif core.raw == target.raw and not worn:
                    return None  # the same name (another platform, another case)
                reasons.add("official_name" if worn else "separator")
            else:
                reasons.add("confusable")
        score = 1.0 - 0.15 * distance - 0.02 * max(len(reasons) - 1, 0)
        if domain == (official.platform == "domain"):
            score += 0.01  # a domain imitates a domain first, a handle a handle
        if platform and official.platform == platform:
            score += 0.005
        return Verdict(candidate, True, max(score, 0.5), official.label, sorted(reasons))


# Top-level domains a candidate must end in to be read as a domain ("am.azon" is a
# handle with a dot in it, not a domain).
TLDS = frozenset(
    """com net org info biz io co app dev me ai uk mx es ar br cl il ie us ca au de fr it
    in nz pe uy ve ec bo py cr gt hn sv ni pa do pr cu social online site xyz shop store
    top club live bank support help link click page ly gl to tk ml ga cf gq cc tv ws pw
    eu asia global services finance money pay credit loans business tech cloud email
    website web digital world""".split()
)


def host_of(text: str) -> str:
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text.strip().lower())
    return (
        value.split("/", 1)[0]
        .split("?", 1)[0]
        .split("#", 1)[0]
        .rsplit("@", 1)[-1]
        .split(":", 1)[0]
        .strip(".")
    )


def is_domain(text: str, extra_tlds: frozenset[str] = frozenset()) -> bool:
    host = host_of(text)
    if "." not in host or " " in host:
        return False
    cleaned, _ = strip_invisible(host)
    tld = unicodedata.normalize("NFKC", cleaned).rsplit(".", 1)[-1]
    return tld in TLDS or tld in extra_tlds or tld.startswith("xn--")


PLATFORMS = frozenset(
    {
        "x",
        "twitter",
        "bluesky",
        "mastodon",
        "instagram",
        "facebook",
        "tiktok",
        "telegram",
        "whatsapp",
        "threads",
        "youtube",
        "handle",
    }
)

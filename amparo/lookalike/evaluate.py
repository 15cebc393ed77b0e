"""`amparo lookalike eval`: recall per transformation class, false positives, speed.

Positives are generated from the official support accounts in data/official_handles.csv,
one class at a time (and combinations of two), respecting X's handle rules for X
handles (letters, digits and `_`, at most 15): a transformation that cannot be written
as an X handle (a Cyrillic letter, a zero-width joiner) is tried as a display name.
Negatives: data/negatives.txt (ordinary usernames, other sectors' accounts, display
names, words near brand words), the hand-made hard cases in data/hard_negatives.csv,
and every brand's real accounts checked against the *other* brands' registry (a false
alarm against another real brand is a defect).
"""

from __future__ import annotations

import csv
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from amparo.lookalike.detector import (
    VOWELS,
    Official,
    Registry,
    as_word,
    deletions,
    keyboard_neighbours,
    reduce,
    x_handle_ok,
)

DATA = Path(__file__).resolve().parent / "data"
CONFUSABLE_LETTERS = {
    "a": "а",  # Cyrillic
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "i": "і",
    "s": "ѕ",
    "k": "κ",  # Greek
    "n": "η",
    "v": "ν",
    "t": "τ",
}
HOMOGLYPHS = {
    "o": "0",
    "l": "1",
    "i": "1",
    "m": "rn",
    "w": "vv",
    "d": "cl",
    "e": "3",
    "a": "4",
    "s": "5",
}
INVISIBLES = ("\u200b", "\u200d", "\u200c", "\u2060", "\u00ad")
SUPPORT = (
    "Help",
    "Support",
    "Care",
    "Team",
    "Oficial",
    "Ayuda",
    "Soporte",
    "Atencion",
    "Cliente",
    "Official",
    "Servicio",
)
SUPPORT_HE = ("עזרה", "שירות")
COUNTRIES = ("MX", "UK", "ES", "AR", "CO", "US", "CL")


@dataclass(frozen=True)
class Positive:
    cls: str
    candidate: str
    official: Official


def officials() -> list[tuple[Official, str]]:
    """(official, its brand) from data/official_handles.csv."""
    rows = []
    with (DATA / "official_handles.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            platform = row["platform"].strip().lower()
            rows.append(
                (
                    Official(platform, row["handle"].strip(), row["brand"].strip()),
                    row["brand"].strip(),
                )
            )
    return rows


def negatives() -> list[str]:
    path = DATA / "negatives.txt"
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def hard_negatives() -> list[tuple[str, str]]:
    path = DATA / "hard_negatives.csv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [(row["candidate"], row["official"]) for row in csv.DictReader(handle)]


# --- transformations: each takes a handle and a random source, returns a variant or None


def letter_positions(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch.isalpha()]


def confusable(text: str, rng: random.Random) -> str | None:
    spots = [i for i in letter_positions(text) if text[i].lower() in CONFUSABLE_LETTERS]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + CONFUSABLE_LETTERS[text[i].lower()] + text[i + 1 :]


def fullwidth(text: str, rng: random.Random) -> str | None:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


def invisible(text: str, rng: random.Random) -> str | None:
    i = rng.randrange(1, len(text)) if len(text) > 1 else 1
    return text[:i] + rng.choice(INVISIBLES) + text[i:]


def combining(text: str, rng: random.Random) -> str | None:
    spots = letter_positions(text)
    if not spots:
        return None
    i = rng.choice(spots)
    return text[: i + 1] + rng.choice(("\u0301", "\u0307", "\u0323", "\u0308")) + text[i + 1 :]


def homoglyph(text: str, rng: random.Random) -> str | None:
    spots = [i for i, ch in enumerate(text) if ch.lower() in HOMOGLYPHS]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + HOMOGLYPHS[text[i].lower()] + text[i + 1 :]


def capital_i(text: str, rng: random.Random) -> str | None:
    spots = [i for i, ch in enumerate(text) if ch == "l"]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + "I" + text[i + 1 :]


def insertion(text: str, rng: random.Random) -> str | None:
    spots = letter_positions(text)
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i:]


def omission(text: str, rng: random.Random) -> str | None:
    spots = letter_positions(text)
    if len(spots) < 5:
        return None
    i = rng.choice(spots[1:])
    return text[:i] + text[i + 1 :]


def repetition(text: str, rng: random.Random) -> str | None:
    spots = letter_positions(text)
    if not spots:
        return None
    i = rng.choice(spots)
    return text[: i + 1] + text[i] + text[i + 1 :]


def transposition(text: str, rng: random.Random) -> str | None:
    spots = [
        i
        for i in range(len(text) - 1)
        if text[i].isalpha() and text[i + 1].isalpha() and text[i].lower() != text[i + 1].lower()
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def keyboard_adjacent(text: str, rng: random.Random) -> str | None:
    near = keyboard_neighbours()
    spots = [i for i, ch in enumerate(text) if ch.lower() in near]
    if not spots:
        return None
    i = rng.choice(spots)
    replacement = rng.choice(sorted(near[text[i].lower()]))
    return text[:i] + (replacement.upper() if text[i].isupper() else replacement) + text[i + 1 :]


def vowel_swap(text: str, rng: random.Random) -> str | None:
    spots = [i for i, ch in enumerate(text) if ch.lower() in VOWELS]
    if not spots:
        return None
    i = rng.choice(spots)
    other = rng.choice(sorted(VOWELS - {text[i].lower()}))
    return text[:i] + (other.upper() if text[i].isupper() else other) + text[i + 1 :]


def separator(text: str, rng: random.Random) -> str | None:
    spots = [i for i in range(1, len(text)) if text[i - 1].isalnum() and text[i].isalnum()]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + rng.choice("_.-") + text[i:]


def support_words(text: str, rng: random.Random) -> str | None:
    word = rng.choice(SUPPORT)
    joiner = rng.choice(("", "_"))
    return f"{word}{joiner}{text}" if rng.random() < 0.3 else f"{text}{joiner}{word}"


def support_words_he(text: str, rng: random.Random) -> str | None:
    return f"{text} {rng.choice(SUPPORT_HE)}"


def country_suffix(text: str, rng: random.Random) -> str | None:
    return f"{text}{rng.choice(('', '_'))}{rng.choice(COUNTRIES)}"


def reordered_words(text: str, rng: random.Random) -> str | None:
    import re

    parts = [p for p in re.split(r"(?<=[a-z])(?=[A-Z])|_", text) if p]
    if len(parts) < 2:
        return None
    rest = parts[1:]
    rng.shuffle(rest)
    moved = [parts[0], *rest]
    if moved == parts:
        moved = [parts[0], *reversed(rest)]
    return None if moved == parts else ("_" if "_" in text else "").join(moved)


def digit_suffix(text: str, rng: random.Random) -> str | None:
    return f"{text}{rng.choice(('_1', '2', '_24', '2024', '_01', '99'))}"


CLASSES: dict[str, Callable[[str, random.Random], str | None]] = {
    "confusable": confusable,
    "capital_i": capital_i,
    "fullwidth": fullwidth,
    "invisible": invisible,
    "combining": combining,
    "homoglyph": homoglyph,
    "insertion": insertion,
    "omission": omission,
    "repetition": repetition,
    "transposition": transposition,
    "keyboard_adjacent": keyboard_adjacent,
    "vowel_swap": vowel_swap,
    "separator": separator,
    "support_words": support_words,
    "support_words_he": support_words_he,
    "country_suffix": country_suffix,
    "reordered_words": reordered_words,
    "digit_suffix": digit_suffix,
}
DISPLAY_ONLY = {"confusable", "fullwidth", "invisible", "combining", "support_words_he"}


def fits(official: Official, variant: str, cls: str) -> bool:
    if official.platform == "x" and cls not in DISPLAY_ONLY:
        return x_handle_ok(variant)
    return True


COUNTRY_NAMES = frozenset(
    """uk us usa méxico mexico españa espana chile brasil brazil argentina colombia peru
    canada ireland israel india australia""".split()
)


GENERIC_WORDS = frozenset("banco bank the first el la royal national".split())


def brand_group(brand: str) -> str:
    """Accounts of one group in several countries (HSBC UK, HSBC México) are siblings,
    not other brands: the brand's first distinctive word, without its country."""
    words = [w for w in brand.lower().replace(".", "").split() if w not in COUNTRY_NAMES]
    distinctive = [w for w in words if w not in GENERIC_WORDS]
    return (distinctive or words or [brand.lower()])[0]


def positives(pairs: list[tuple[Official, str]], seed: int) -> Iterator[Positive]:
    rng = random.Random(seed)
    taken = {o.handle.lower() for o, _ in pairs}
    handles = [o for o, _ in pairs if o.platform != "domain"]
    names = list(CLASSES)
    for official in handles:
        # A Bluesky handle that is a domain (monzo.com) is disguised in its name part.
        name, dot, rest = (
            official.handle.partition(".")
            if official.platform == "bluesky"
            else (official.handle, "", "")
        )
        for cls, make in CLASSES.items():
            variant = make(name, rng)
            variant = f"{variant}{dot}{rest}" if variant and dot else variant
            if variant and variant.lower() not in taken and fits(official, variant, cls):
                yield Positive(cls, variant, official)
        # combinations of two
        first, second = rng.sample(names, 2)
        variant = CLASSES[first](official.handle, rng)
        variant = CLASSES[second](variant, rng) if variant else None
        shown = first if first in DISPLAY_ONLY else second
        if variant and variant.lower() not in taken and fits(official, variant, shown):
            yield Positive("combination", variant, official)
    for official in (o for o, _ in pairs if o.platform == "domain"):
        name, _, suffix = official.handle.partition(".")
        for cls in (
            "homoglyph",
            "insertion",
            "omission",
            "repetition",
            "transposition",
            "keyboard_adjacent",
            "vowel_swap",
            "separator",
            "support_words",
        ):
            variant = CLASSES[cls](name, rng)
            if variant and variant.lower() != name.lower() and variant.isascii():
                yield Positive(f"domain_{cls}", f"{variant.lower()}.{suffix}", official)
        yield Positive(
            "domain_subdomain",
            f"{official.handle}.secure-login-{rng.randrange(100, 999)}.com",
            official,
        )


@dataclass
class Figures:
    recall: dict[str, tuple[int, int]]
    false_positives: int
    negatives: int
    cross_brand_false: int
    cross_brand: int
    hard_false: int
    hard: int
    checks_per_second: float  # names never seen before
    registry_size: int
    examples_missed: dict[str, list[str]]
    examples_false: list[str]
    repeated_per_second: float = 0.0  # the same names again (live traffic repeats authors)


def evaluate(seed: int = 1, progress: bool = False) -> Figures:
    pairs = officials()
    registry = Registry([o for o, _ in pairs])
    recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed: dict[str, list[str]] = defaultdict(list)
    for positive in positives(pairs, seed):
        verdict = registry.check(positive.candidate)
        hit = verdict.lookalike
        recall[positive.cls][0] += hit
        recall[positive.cls][1] += 1
        if not hit and len(missed[positive.cls]) < 5:
            missed[positive.cls].append(f"{positive.candidate!r} ({positive.official.label})")
    negative_names = negatives()
    false_examples = []
    false_positives = 0
    for name in negative_names:
        if registry.check(name).lookalike:
            false_positives += 1
            if len(false_examples) < 10:
                false_examples.append(name)
    # Each brand's real accounts against the other brands' registry.
    by_brand: dict[str, list[Official]] = defaultdict(list)
    for official, brand in pairs:
        by_brand[brand_group(brand)].append(official)
    cross, cross_false = 0, 0
    for group, own in by_brand.items():
        others = Registry([o for o, b in pairs if brand_group(b) != group])
        for official in own:
            cross += 1
            verdict = others.check(official.handle)
            if verdict.lookalike:
                cross_false += 1
                if len(false_examples) < 20:
                    false_examples.append(f"{official.label} ~ {verdict.imitates}")
    hard = hard_negatives()
    hard_false = sum(registry.check(candidate).lookalike for candidate, _ in hard)
    rate, size, repeated = speed(pairs, negative_names)
    return Figures(
        {k: (v[0], v[1]) for k, v in recall.items()},
        false_positives,
        len(negative_names),
        cross_false,
        cross,
        hard_false,
        len(hard),
        rate,
        size,
        dict(missed),
        false_examples,
        repeated,
    )


def speed(pairs: list[tuple[Official, str]], names: list[str]) -> tuple[float, int, float]:
    """Checks per second on one core against a registry of 1,000 official handles (the
    real list, padded with generated brand-like handles)."""
    rng = random.Random(7)
    officials = [o for o, _ in pairs]
    syllables = [
        "ban",
        "co",
        "mer",
        "ca",
        "tel",
        "vi",
        "sa",
        "pro",
        "nor",
        "ta",
        "li",
        "ver",
        "plu",
        "zen",
        "fa",
        "ro",
    ]
    while len(officials) < 1000:
        name = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
        officials.append(
            Official("x", f"{name.capitalize()}{rng.choice(('Help', 'Support', 'MX', ''))}"[:15])
        )
    registry = Registry(officials)
    sample = list(dict.fromkeys(names or [o.handle for o in officials]))[:20_000]
    # Names never seen before: the caches of reductions and neighbourhoods are emptied,
    # or the figure would only measure look-ups of names already reduced.
    for cached in (reduce, deletions, as_word):
        cached.cache_clear()
    registry.check("warm-up")  # load the tables (confusables, dictionary) once
    start = time.perf_counter()
    for name in sample:
        registry.check(name)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    for name in sample:
        registry.check(name)
    again = time.perf_counter() - start
    return (
        len(sample) / elapsed if elapsed else 0.0,
        len(registry.officials),
        len(sample) / again if again else 0.0,
    )


def run_evaluation(out: TextIO = sys.stdout, seed: int = 1) -> Figures:
    figures = evaluate(seed)
    out.write(f"{'class':<26} {'recall':>8} {'n':>6}\n")
    for cls in sorted(figures.recall):
        hits, total = figures.recall[cls]
        out.write(f"{cls:<26} {hits / total * 100:7.1f}% {total:6d}\n")
    fp = figures.false_positives / figures.negatives * 100 if figures.negatives else 0.0
    out.write(
        f"false positives: {figures.false_positives} of {figures.negatives:,} negatives "
        f"({fp:.3f} %)\n"
        f"other brands' real accounts taken for lookalikes: {figures.cross_brand_false} of "
        f"{figures.cross_brand}\n"
        f"hard negatives flagged: {figures.hard_false} of {figures.hard}\n"
        f"speed: {figures.checks_per_second:,.0f} checks/s on one core against "
        f"{figures.registry_size:,} official handles for names never seen before, "
        f"{figures.repeated_per_second:,.0f} checks/s for names seen before\n"
    )
    for cls, examples in sorted(figures.examples_missed.items()):
        out.write(f"missed {cls}: {', '.join(examples)}\n")
    if figures.examples_false:
        out.write(f"false alarms, e.g.: {', '.join(figures.examples_false)}\n")
    return figures

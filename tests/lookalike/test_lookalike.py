"""Impersonation watch: which names imitate an official account, and which do not.

The detector (`amparo/lookalike/detector.py`) is checked against a small registry of real
support accounts, one transformation class at a time; the CLI for its shape and for
hostile input; and the benchmark for quality floors. Disguising characters are written as
escapes (`\\u0430` is a Cyrillic a) so that a reader can see them.
"""

from __future__ import annotations

import io
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rapidfuzz.distance import Levenshtein

from amparo.lookalike import evaluate as benchmark
from amparo.lookalike.detector import Registry, Verdict

OFFICIAL = [
    "# support accounts amparo's brands watch",
    "x:BarclaysUKHelp",
    "x:AmazonHelp",
    "x:AskAmex",
    "x:santander_resp",
    "x:BBVA_Mex",
    "barclays.co.uk",
    "x:AskPayPal",
    "bluesky:monzo.com",
    "x:WellsFargo",
    "",
]
KEYS = ["candidate", "lookalike", "score", "imitates", "reasons"]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return Registry.parse(OFFICIAL)


def assert_imitates(verdict: Verdict, official: str, *reasons: str) -> None:
    assert verdict.lookalike, verdict
    assert verdict.imitates == official, verdict
    assert set(reasons) <= set(verdict.reasons), verdict


def assert_not_lookalike(verdict: Verdict) -> None:
    assert not verdict.lookalike, verdict
    assert verdict.imitates is None, verdict


# --- every transformation class ---------------------------------------------------------

COUNTRY_MX: tuple[pytest.MarkDecorator, ...] = ()  # fixed: folded words map back
CAPITAL_I_HIDDEN = pytest.mark.xfail(
    strict=True,
    reason="fold() never names I→l (its homoglyph check merges i/l on both sides); "
    "`confusable` only appears as compare()'s fallback when no other reason exists",
)
WORDS_BLOCK_TYPO: tuple[pytest.MarkDecorator, ...] = ()  # fixed: peeled words dropped too


@pytest.mark.parametrize(
    ("candidate", "official", "reasons"),
    [
        # confusable: letters of another script, the skeleton's capital I and rn
        pytest.param("Barcl\u0430ysUKHelp", "x:BarclaysUKHelp", ["confusable"], id="cyrillic-a"),
        pytest.param("Amaz\u043enHelp", "x:AmazonHelp", ["confusable"], id="cyrillic-o"),
        pytest.param("AskAm\u0435x", "x:AskAmex", ["confusable"], id="cyrillic-e"),
        pytest.param("Amaz\u03bfn Help", "x:AmazonHelp", ["confusable"], id="greek-omicron"),
        pytest.param(
            "\u0391maz\u03bfn \u0397elp", "x:AmazonHelp", ["confusable"], id="greek-capitals"
        ),
        pytest.param("AmazonHeIp", "x:AmazonHelp", ["confusable"], id="capital-i-for-l"),
        pytest.param("BarcIaysUKHelp", "x:BarclaysUKHelp", ["confusable"], id="capital-i-2"),
        pytest.param("AskPayPaI", "x:AskPayPal", ["confusable"], id="capital-i-3"),
        pytest.param("ArnazonHelp", "x:AmazonHelp", ["confusable"], id="rn-for-m"),
        # fullwidth
        pytest.param(
            "\uff21\uff4d\uff41\uff5a\uff4f\uff4e\uff28\uff45\uff4c\uff50",
            "x:AmazonHelp",
            ["fullwidth"],
            id="fullwidth",
        ),
        pytest.param(
            "\uff53\uff41\uff4e\uff54\uff41\uff4e\uff44\uff45\uff52\uff3f\uff52\uff45\uff53\uff50",
            "x:santander_resp",
            ["fullwidth"],
            id="fullwidth-underscore",
        ),
        # invisible
        pytest.param("Amazon\u200bHelp", "x:AmazonHelp", ["invisible"], id="zero-width-space"),
        pytest.param(
            "Barclays\u200dUKHelp", "x:BarclaysUKHelp", ["invisible"], id="zero-width-joiner"
        ),
        pytest.param("Amaz\u00adonHelp", "x:AmazonHelp", ["invisible"], id="soft-hyphen"),
        # combining marks, decomposed and precomposed
        pytest.param(
            "Barcla\u0301ysUKHelp", "x:BarclaysUKHelp", ["combining"], id="combining-acute"
        ),
        pytest.param("Amaz\u00f3nHelp", "x:AmazonHelp", ["combining"], id="precomposed-accent"),
        # homoglyph
        pytest.param("Amaz0nHelp", "x:AmazonHelp", ["homoglyph"], id="zero-for-o"),
        pytest.param("Barc1aysUKHelp", "x:BarclaysUKHelp", ["homoglyph"], id="one-for-l"),
        pytest.param("santander_re5p", "x:santander_resp", ["homoglyph"], id="five-for-s"),
        pytest.param("$antander_resp", "x:santander_resp", ["homoglyph"], id="dollar-for-s"),
        pytest.param("AmazonHe|p", "x:AmazonHelp", ["homoglyph"], id="bar-for-l"),
        pytest.param("4mazonHelp", "x:AmazonHelp", ["homoglyph"], id="four-for-a"),
        pytest.param("WellsFarg0", "x:WellsFargo", ["homoglyph"], id="trailing-zero-for-o"),
        pytest.param(
            "VVellsFargo",
            "x:WellsFargo",
            ["homoglyph"],
            id="vv-for-w",
            marks=pytest.mark.xfail(
                strict=True,
                reason="vv→w is merged on both sides of fold()'s homoglyph check, so the "
                "disguise is named by compare()'s fallback: confusable",
            ),
        ),
        pytest.param(
            "santancler_resp",
            "x:santander_resp",
            ["homoglyph"],
            id="cl-for-d",
            marks=pytest.mark.xfail(
                strict=True,
                reason="cl→d is merged on both sides of fold()'s homoglyph check, so the "
                "disguise is named by compare()'s fallback: confusable",
            ),
        ),
        # edits
        pytest.param("AmazonxHelp", "x:AmazonHelp", ["insertion"], id="insertion"),
        pytest.param("AmaznHelp", "x:AmazonHelp", ["omission"], id="omission"),
        pytest.param("santandr_resp", "x:santander_resp", ["omission"], id="omission-2"),
        pytest.param("AmazonnHelp", "x:AmazonHelp", ["repetition"], id="repetition"),
        pytest.param("WellsFargoo", "x:WellsFargo", ["repetition"], id="repetition-2"),
        pytest.param("AmzaonHelp", "x:AmazonHelp", ["transposition"], id="transposition"),
        pytest.param("WellsFrago", "x:WellsFargo", ["transposition"], id="transposition-2"),
        pytest.param("AmazpnHelp", "x:AmazonHelp", ["keyboard_adjacent"], id="keyboard"),
        pytest.param("WellsFsrgo", "x:WellsFargo", ["keyboard_adjacent"], id="keyboard-2"),
        pytest.param("AmazinHelp", "x:AmazonHelp", ["vowel_swap"], id="vowel-swap"),
        pytest.param("WellsFergo", "x:WellsFargo", ["vowel_swap"], id="vowel-swap-2"),
        # separators, added and removed
        pytest.param("Amazon_Help", "x:AmazonHelp", ["separator"], id="underscore"),
        pytest.param("Amazon-Help", "x:AmazonHelp", ["separator"], id="hyphen"),
        pytest.param("Amazon Help", "x:AmazonHelp", ["separator"], id="space"),
        pytest.param("Wells_Fargo", "x:WellsFargo", ["separator"], id="underscore-2"),
        pytest.param("BBVAMex", "x:BBVA_Mex", ["separator"], id="separator-removed"),
        # support words in en/es/he
        pytest.param("AmazonSoporte", "x:AmazonHelp", ["support_words"], id="soporte"),
        pytest.param("AmazonAyuda", "x:AmazonHelp", ["support_words"], id="ayuda"),
        pytest.param("Santander Atencion", "x:santander_resp", ["support_words"], id="atencion"),
        pytest.param(
            "Santander_Atenci\u00f3n",
            "x:santander_resp",
            ["support_words"],
            id="atencion-accented",
        ),
        pytest.param("WellsFargo_Oficial", "x:WellsFargo", ["support_words"], id="oficial"),
        pytest.param("santander_cliente", "x:santander_resp", ["support_words"], id="cliente"),
        pytest.param("WellsFargoHelp", "x:WellsFargo", ["support_words"], id="help"),
        pytest.param("BBVA_Mex_Ayuda", "x:BBVA_Mex", ["support_words"], id="ayuda-2"),
        pytest.param(
            "Amazon \u05e2\u05d6\u05e8\u05d4", "x:AmazonHelp", ["support_words"], id="hebrew-help"
        ),
        pytest.param(
            "Amazon \u05e9\u05d9\u05e8\u05d5\u05ea",
            "x:AmazonHelp",
            ["support_words"],
            id="hebrew-service",
        ),
        pytest.param(
            "Santander Atenci\u00f3n al Cliente",
            "x:santander_resp",
            ["support_words"],
            id="atencion-al-cliente",
        ),
        # country suffixes
        pytest.param("AmazonHelpUK", "x:AmazonHelp", ["country_suffix"], id="uk"),
        pytest.param("santander_resp_UK", "x:santander_resp", ["country_suffix"], id="uk-2"),
        pytest.param("AskAmexUK", "x:AskAmex", ["country_suffix"], id="uk-3"),
        pytest.param(
            "AmazonHelp_mx", "x:AmazonHelp", ["country_suffix"], id="mx", marks=COUNTRY_MX
        ),
        pytest.param(
            "WellsFargo_MX", "x:WellsFargo", ["country_suffix"], id="mx-2", marks=COUNTRY_MX
        ),
        # digit and batch suffixes
        pytest.param("AmazonHelp_1", "x:AmazonHelp", ["digit_suffix"], id="underscore-1"),
        pytest.param("AmazonHelp2024", "x:AmazonHelp", ["digit_suffix"], id="year"),
        pytest.param("WellsFargo_2024", "x:WellsFargo", ["digit_suffix"], id="year-2"),
        # combinations of two
        pytest.param(
            "Amaz0nHelp_1", "x:AmazonHelp", ["homoglyph", "digit_suffix"], id="homoglyph+digits"
        ),
        pytest.param(
            "Amaz\u03bfnHelp2024",
            "x:AmazonHelp",
            ["confusable", "digit_suffix"],
            id="confusable+digits",
        ),
        pytest.param(
            "Am\u200bazonHe1p", "x:AmazonHelp", ["invisible", "homoglyph"], id="invisible+homoglyph"
        ),
        pytest.param(
            "\uff21\uff4d\uff41\uff5a\uff4f\uff4e\uff28\uff45\uff4c\uff50_UK",
            "x:AmazonHelp",
            ["fullwidth", "country_suffix"],
            id="fullwidth+country",
        ),
        pytest.param(
            "AmzaonHelp_UK",
            "x:AmazonHelp",
            ["transposition", "country_suffix"],
            id="transposition+country",
        ),
        pytest.param(
            "WelsFargoHelp",
            "x:WellsFargo",
            ["omission", "support_words"],
            id="omission+support",
        ),
        pytest.param(
            "AmazonHe1p_UK",
            "x:AmazonHelp",
            ["homoglyph", "country_suffix"],
            id="homoglyph+country",
        ),
        pytest.param(
            "WellsFragoHelp",
            "x:WellsFargo",
            ["transposition", "support_words"],
            id="transposition+support",
            marks=WORDS_BLOCK_TYPO,
        ),
        pytest.param(
            "AmazonHeIp_1",
            "x:AmazonHelp",
            ["confusable", "digit_suffix"],
            id="capital-i+digits",
            marks=CAPITAL_I_HIDDEN,
        ),
    ],
)
def test_it_catches_each_transformation_and_names_it(
    registry: Registry, candidate: str, official: str, reasons: list[str]
) -> None:
    assert_imitates(registry.check(candidate), official, *reasons)


@pytest.mark.parametrize(
    ("candidate", "official"),
    [
        ("VVellsFargo", "x:WellsFargo"),
        ("santancler_resp", "x:santander_resp"),
        ("AmazonHelp_mx", "x:AmazonHelp"),
        ("WellsFargo_MX", "x:WellsFargo"),
        ("AmazonHeIp_1", "x:AmazonHelp"),
    ],
)
def test_cases_whose_reason_is_wrong_are_still_caught(
    registry: Registry, candidate: str, official: str
) -> None:
    # The xfails above are about the name of the reason; the alarm itself must hold.
    assert_imitates(registry.check(candidate), official)


@pytest.mark.parametrize("candidate", ["BarclaysHelpUK", "Barclays_Help_UK", "HelpUKBarclays"])
def test_it_catches_the_official_words_in_another_order(registry: Registry, candidate: str) -> None:
    assert_imitates(registry.check(candidate), "x:BarclaysUKHelp", "reordered_words")


def test_reordered_words_are_too_far_apart_for_an_edit_distance() -> None:
    assert Levenshtein.distance("barclayshelpuk", "barclaysukhelp") == 4


# --- domains ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("candidate", "official", "reason"),
    [
        ("barc1ays.co.uk", "barclays.co.uk", "homoglyph"),
        ("barclays-help.com", "barclays.co.uk", "support_words"),
        ("www.barclays-help.com", "barclays.co.uk", "support_words"),
        ("b\u0430rclays.co.uk", "barclays.co.uk", "confusable"),
        ("xn--brclays-2fg.co.uk", "barclays.co.uk", "confusable"),  # the same, in punycode
        ("bar\u200bclays.co.uk", "barclays.co.uk", "invisible"),
        ("https://barc1ays.co.uk/login?next=/account#top", "barclays.co.uk", "homoglyph"),
        ("http://barclays-help.com/verify", "barclays.co.uk", "support_words"),
        ("m\u043enzo.com", "bluesky:monzo.com", "confusable"),
        ("monz0.com", "bluesky:monzo.com", "homoglyph"),
        ("monzo-help.com", "bluesky:monzo.com", "support_words"),
    ],
)
def test_it_catches_typosquatted_domains_and_urls(
    registry: Registry, candidate: str, official: str, reason: str
) -> None:
    assert_imitates(registry.check(candidate), official, reason)


@pytest.mark.parametrize(
    "candidate",
    [
        "barclays.co.uk.secure-login.com",
        "https://barclays.co.uk.secure-login.com/verify",
        "BARCLAYS.CO.UK.secure-login.com",
    ],
)
def test_it_catches_the_official_domain_worn_as_a_subdomain(
    registry: Registry, candidate: str
) -> None:
    assert_imitates(registry.check(candidate), "barclays.co.uk", "official_name_in_subdomain")


@pytest.mark.parametrize(
    "candidate",
    [
        "barclays.co.uk",
        "BARCLAYS.CO.UK",
        "www.barclays.co.uk",
        "WWW.Barclays.CO.UK",
        "online.barclays.co.uk",
        "https://www.barclays.co.uk/help/contact?x=1#top",
        "barclays.co.uk.",
        "barclays.co.uk:443",
        "monzo.com",
    ],
)
def test_the_official_domain_and_its_subdomains_are_not_lookalikes(
    registry: Registry, candidate: str
) -> None:
    verdict = registry.check(candidate)
    assert_not_lookalike(verdict)
    assert verdict.reasons == ["official"]


def test_an_internationalised_domain_is_read_in_its_letters() -> None:
    # xn--80ak6aa92e.com is "аррӏе.com", every letter Cyrillic.
    assert_imitates(Registry.parse(["apple.com"]).check("xn--80ak6aa92e.com"), "apple.com")


@pytest.mark.parametrize(
    "candidate",
    [
        "xn--.com",
        "xn--zz.co.uk",
        "xn--ls8h.la",
        "xn--" + "a" * 300 + ".com",
        "barclays.xn--p1ai",
        "xn--bcher-kva.example",
        "https://" + "a." * 5000 + "com",
    ],
)
def test_broken_or_odd_punycode_gets_a_defined_answer(registry: Registry, candidate: str) -> None:
    assert isinstance(registry.check(candidate).lookalike, bool)


@pytest.mark.parametrize("candidate", ["barclays.net", "monzo.net"])
def test_the_official_name_under_another_tld_is_a_lookalike(candidate: str) -> None:
    verdict = Registry.parse(["barclays.co.uk", "monzo.com"]).check(candidate)
    assert verdict.lookalike, verdict


# --- hard negatives -----------------------------------------------------------------------


def official_spellings() -> Iterator[str]:
    for line in OFFICIAL:
        if not line or line.startswith("#"):
            continue
        platform, _, handle = line.rpartition(":")
        yield from (handle, handle.lower(), handle.upper())
        if platform:
            yield f"@{handle}"


@pytest.mark.parametrize("candidate", list(official_spellings()))
def test_the_official_names_themselves_in_any_case_are_official(
    registry: Registry, candidate: str
) -> None:
    verdict = registry.check(candidate)
    assert_not_lookalike(verdict)
    assert verdict.reasons == ["official"]


@pytest.mark.parametrize("candidate", ["@barclays.co.uk", "user@barclays.co.uk"])
def test_the_official_domain_after_an_at_sign_is_official(
    registry: Registry, candidate: str
) -> None:
    verdict = registry.check(candidate)
    assert_not_lookalike(verdict)
    assert verdict.reasons == ["official"]


@pytest.mark.parametrize(
    ("officials", "candidate"),
    [
        (["x:Citi"], "Citizens"),
        (["x:Chase"], "Chanel"),
        (["x:TSB"], "PTSB"),
        (["x:RBS"], "RBC"),
        (["x:TSB"], "TSA"),
        (["x:Citi"], "Cita"),
    ],
)
def test_another_real_brand_a_letter_away_is_not_a_lookalike(
    officials: list[str], candidate: str
) -> None:
    assert_not_lookalike(Registry.parse(officials).check(candidate))


@pytest.mark.parametrize("candidate", ["Citizens", "Citi", "Chanel", "Chase", "PTSB", "TSB"])
def test_close_brands_registered_together_are_each_official(candidate: str) -> None:
    registry = Registry.parse(["x:Citizens", "x:Citi", "x:Chanel", "x:Chase", "x:PTSB", "x:TSB"])
    verdict = registry.check(candidate)
    assert_not_lookalike(verdict)
    assert verdict.reasons == ["official"]


@pytest.mark.parametrize(
    ("candidate", "reason"), [("TSBB", "repetition"), ("TBS", "transposition")]
)
def test_a_short_name_alarms_only_on_a_doubled_or_swapped_letter(
    candidate: str, reason: str
) -> None:
    assert_imitates(Registry.parse(["x:TSB", "x:RBS"]).check(candidate), "x:TSB", reason)


@pytest.mark.parametrize(
    ("candidate", "official", "reason"),
    [
        ("HSJC_UK", "x:HSBC_UK", "keyboard_adjacent"),
        ("HaSBC_UK", "x:HSBC_UK", "insertion"),
        ("EldiUK", "x:AldiUK", "vowel_swap"),
        ("Axda_Help", "x:asda", "keyboard_adjacent"),
    ],
)
def test_a_four_letter_name_alarms_on_any_single_edit_but_a_random_letter(
    candidate: str, official: str, reason: str
) -> None:
    registry = Registry.parse(["x:HSBC_UK", "x:AldiUK", "x:asda", "x:TSB"])
    assert_imitates(registry.check(candidate), official, reason)


@pytest.mark.parametrize(
    ("officials", "candidate"),
    [
        (["x:AskUSBank"], "AskSteam"),  # "team" is not peeled out of "Steam"
        (["x:AskUSBank"], "AskLATAM"),  # two support words, no name
        (["x:BancoEstado"], "Estadao_help"),  # a near-word of a common word alone
        (["x:JumboChile"], "the_jambo"),
        (["x:Americanas"], "AmericanAir"),  # another ending, another name
        (["x:Americanas"], "AmericanAir_mx"),
        (["x:RamiLevy"], "the_real_amitlevy"),  # rn is one letter: 8 letters, 2 edits
        (["x:monzo"], "monza"),  # words and names in the word lists
        (["x:Soriana"], "soriano"),
        (["x:Lider_cl"], "pepe_rider"),  # "pepe" is not two country codes
    ],
)
def test_near_names_that_are_not_imitations(officials: list[str], candidate: str) -> None:
    assert_not_lookalike(Registry.parse(officials).check(candidate))


@pytest.mark.parametrize(
    ("officials", "candidate", "official", "reason"),
    [
        (["x:itau"], "itau_Team", "x:itau", "support_words"),  # "itau" is not "it"+"au"
        (["x:BarclaysUK"], "BarclaysUKCO", "x:BarclaysUK", "support_words"),
        (["x:AskNationwide"], "AskaNtionwide", "x:AskNationwide", "transposition"),
        (["x:AmazonHelp"], "AmzaonHelp_UK", "x:AmazonHelp", "transposition"),
        (["wellsfargo.com"], "well.sfargo.com", "wellsfargo.com", "separator"),
        (["td.com"], "td.com.secure-login-438.com", "td.com", "official_name_in_subdomain"),
        (
            ["bluesky:monzo.com"],
            "monzo \u05e2\u05d6\u05e8\u05d4.com",
            "bluesky:monzo.com",
            "support_words",
        ),
    ],
)
def test_disguises_found_in_the_benchmark_misses(
    officials: list[str], candidate: str, official: str, reason: str
) -> None:
    assert_imitates(Registry.parse(officials).check(candidate), official, reason)


@pytest.mark.parametrize(
    "candidate",
    [
        "Lupita Hern\u00e1ndez",
        "maria_gonzalez88",
        "JohnSmith",
        "Santa Ana",
        "Barcelona",
        "Sandra",
        "Amazonas",
        "\u05d3\u05e0\u05d9 \u05db\u05d4\u05df",  # a Hebrew name
        "\u041b\u0443\u043f\u0438\u0442\u0430",  # a Cyrillic name
        "\u0645\u062d\u0645\u062f \u0639\u0644\u064a",  # an Arabic name
        "Help",
        "soporte",
    ],
)
def test_a_customer_name_with_no_brand_in_it_is_not_a_lookalike(
    registry: Registry, candidate: str
) -> None:
    assert_not_lookalike(registry.check(candidate))


@pytest.mark.parametrize(
    "candidate", ["chasm", "the_chasm", "chasm2024", "booth", "Booth", "sterling", "Sterling"]
)
def test_an_ordinary_word_near_a_brand_is_not_a_lookalike(candidate: str) -> None:
    registry = Registry.parse(["x:Chase", "x:Boots_UK", "x:StarlingBank"])
    assert_not_lookalike(registry.check(candidate))


@pytest.mark.parametrize(
    ("candidate", "official"),
    [("Chas3", "x:Chase"), ("B00ts_UK", "x:Boots_UK"), ("StarIingBank", "x:StarlingBank")],
)
def test_the_dictionary_does_not_excuse_a_disguised_brand(candidate: str, official: str) -> None:
    registry = Registry.parse(["x:Chase", "x:Boots_UK", "x:StarlingBank"])
    assert_imitates(registry.check(candidate), official)


# --- hostile Unicode ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "candidate",
    ["Amazon\u202eHelp", "Amazon\u202dHelp", "Amazon\u2066Help", "Amaz\u200don\u200dHelp"],
)
def test_bidi_controls_and_joiners_in_a_fake_handle_are_invisible(
    registry: Registry, candidate: str
) -> None:
    assert_imitates(registry.check(candidate), "x:AmazonHelp", "invisible")


def test_a_joiner_inside_a_short_name_is_caught() -> None:
    assert_imitates(Registry.parse(["x:TSB"]).check("T\u200dSB"), "x:TSB", "invisible")


@pytest.mark.xfail(
    strict=True,
    reason="gap beyond the docstring: the override is removed but the text after it is "
    "not reversed, so what readers see (AmazonHelp) is never compared",
)
def test_a_right_to_left_override_that_displays_the_official_name_is_caught(
    registry: Registry,
) -> None:
    assert_imitates(registry.check("Amazon\u202epleH"), "x:AmazonHelp", "invisible")


def test_a_variation_selector_is_invisible() -> None:
    assert_imitates(Registry.parse(["x:TSB"]).check("TSB\ufe0f"), "x:TSB", "invisible")


@pytest.mark.parametrize(
    "candidate",
    [
        "a" * 10_000,
        "AmazonHelp" + "x" * 10_000,
        "AmazonHelp" + " " * 10_000 + "x",
        "AmazonHelp" * 1_000,
        "A\u0301\u0301\u0301\u0301\u0301" * 2_000,
        "\u200b" * 10_000,
        "\U0001f525" * 10_000,
        "\U0001f4b3\U0001f4b3\U0001f4b3",
        "\x00" * 100,
        "\ud800",
        "x" * 5_000 + ".barclays.co.uk.evil.com",
    ],
    ids=[
        "letters",
        "name-then-letters",
        "name-then-spaces",
        "name-repeated",
        "stacked-marks",
        "zero-widths",
        "emoji-flood",
        "emoji-only",
        "nuls",
        "lone-surrogate",
        "long-subdomain",
    ],
)
def test_hostile_names_get_a_defined_answer(registry: Registry, candidate: str) -> None:
    verdict = registry.check(candidate).as_dict()
    assert list(verdict) == KEYS
    assert verdict["lookalike"] is False


def test_nul_bytes_in_a_name_are_invisible(registry: Registry) -> None:
    assert_imitates(registry.check("Amazon\x00Help"), "x:AmazonHelp", "invisible")


def test_emoji_around_a_fake_display_name_do_not_hide_it(registry: Registry) -> None:
    assert_imitates(
        registry.check("\U0001f525\U0001f525 AmazonHelp \U0001f525\U0001f525"), "x:AmazonHelp"
    )


@pytest.mark.parametrize("candidate", ["", "   ", "\t\n"])
def test_an_empty_name_is_not_a_lookalike(registry: Registry, candidate: str) -> None:
    assert registry.check(candidate).reasons == ["empty"]


class Hung(Exception):
    pass


def interrupt(signum: int, frame: FrameType | None) -> None:
    raise Hung


def test_a_long_run_of_digits_before_a_letter_does_not_hang(registry: Registry) -> None:
    # Not a speed limit (STYLE 15): fixed, this takes microseconds; as it stands, 2^60
    # steps. The alarm only turns a hang into a failure.
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 2)
    try:
        verdict = registry.check("1" * 60 + "x")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert not verdict.lookalike


# --- the CLI ------------------------------------------------------------------------------


def write_official(tmp_path: Path, lines: list[str] = OFFICIAL) -> Path:
    path = tmp_path / "official.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def check_cli(
    tmp_path: Path, candidates: bytes, official: Path | None = None
) -> tuple[list[dict], str]:
    path = tmp_path / "candidates.txt"
    path.write_bytes(candidates)
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "lookalike",
        "check",
        "--official",
        str(official or write_official(tmp_path)),
        str(path),
        stdout=out,
        stderr=err,
    )
    return [json.loads(line) for line in out.getvalue().splitlines()], err.getvalue()


def test_every_answer_has_the_five_keys_in_order_and_a_score_in_range(tmp_path: Path) -> None:
    names = ["Amaz0nHelp", "AmazonHelp", "Lupita", "BarclaysHelpUK", "barc1ays.co.uk", "AmzaonHelp"]
    rows, _ = check_cli(tmp_path, "\n".join(names).encode())
    assert [row["candidate"] for row in rows] == names
    for row in rows:
        assert list(row) == KEYS
        assert 0.0 <= row["score"] <= 1.0
        assert isinstance(row["lookalike"], bool)
        assert isinstance(row["reasons"], list)
    assert rows[0]["imitates"] == "x:AmazonHelp"
    assert rows[1]["reasons"] == ["official"]
    assert rows[2]["imitates"] is None


def test_blank_lines_are_skipped_and_line_endings_are_not_part_of_a_name(
    tmp_path: Path,
) -> None:
    rows, _ = check_cli(tmp_path, b"\n\n   \nAmaz0nHelp\r\n\t\r\nbarc1ays.co.uk\n\n")
    assert [row["candidate"] for row in rows] == ["Amaz0nHelp", "barc1ays.co.uk"]
    assert all(row["lookalike"] for row in rows)


def test_it_reads_candidates_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO("Amaz\u043enHelp\nLupita\n".encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    out = io.StringIO()
    call_command("lookalike", "check", "--official", str(write_official(tmp_path)), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [(row["candidate"], row["lookalike"]) for row in rows] == [
        ("Amaz\u043enHelp", True),
        ("Lupita", False),
    ]
    assert rows[0]["reasons"] == ["confusable"]


def test_a_million_character_line_is_cut_and_the_next_line_still_checked(
    tmp_path: Path,
) -> None:
    long = b"AmazonHelp" + b"x" * 1_000_000
    rows, err = check_cli(tmp_path, b"Amaz0nHelp\n" + long + b"\nbarc1ays.co.uk\n")
    assert [row["lookalike"] for row in rows] == [True, False, True]
    assert len(rows[1]["candidate"]) == 1024
    assert rows[2]["imitates"] == "barclays.co.uk"
    assert "1 candidates longer than 1024 characters were cut" in err


def test_invalid_utf8_is_replaced_not_fatal(tmp_path: Path) -> None:
    rows, _ = check_cli(tmp_path, b"Amaz\xffonHelp\n\xfe\xfe\n")
    assert len(rows) == 2
    assert rows[0]["imitates"] == "x:AmazonHelp"
    assert rows[1]["lookalike"] is False


def test_a_line_of_nul_bytes_gets_a_defined_answer(tmp_path: Path) -> None:
    rows, _ = check_cli(tmp_path, b"\x00\x00\x00\nLupita\n")
    assert all(row["lookalike"] is False for row in rows)
    assert rows[-1]["candidate"] == "Lupita"


def test_a_nul_hidden_in_a_name_is_not_passed_off_as_official(tmp_path: Path) -> None:
    rows, _ = check_cli(tmp_path, b"Amazon\x00Help\n")
    assert rows[0]["reasons"] != ["official"]
    assert rows[0]["lookalike"] is True


def test_an_official_file_with_a_byte_order_mark_keeps_its_first_account(
    tmp_path: Path,
) -> None:
    official = tmp_path / "official.txt"
    official.write_bytes("\ufeffx:AmazonHelp\nx:Chase\n".encode())
    rows, _ = check_cli(tmp_path, b"AmazonHelp\nAmaz0nHelp\n", official)
    assert rows[0]["reasons"] == ["official"]
    assert rows[1]["imitates"] == "x:AmazonHelp"


def test_malformed_official_lines_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    official = write_official(tmp_path, ["x:", "::::", "nonsense:Foo", "\u200b", "x:AmazonHelp"])
    rows, _ = check_cli(tmp_path, b"Amaz0nHelp\n", official)
    assert rows[0]["imitates"] == "x:AmazonHelp"


def test_an_official_file_of_only_comments_and_blanks_is_refused(tmp_path: Path) -> None:
    official = write_official(tmp_path, ["# nothing yet", "", "   ", "#x:AmazonHelp"])
    with pytest.raises(CommandError, match="names no account"):
        check_cli(tmp_path, b"Amaz0nHelp\n", official)


def test_a_missing_official_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        check_cli(tmp_path, b"Amaz0nHelp\n", tmp_path / "absent.txt")


def test_a_missing_candidates_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command(
            "lookalike",
            "check",
            "--official",
            str(write_official(tmp_path)),
            str(tmp_path / "absent.txt"),
            stdout=io.StringIO(),
        )


# --- the benchmark ------------------------------------------------------------------------

# Floors, not aims: each sits a little below what `amparo lookalike eval` measured when
# this test was written (seed 1), so that a regression fails. Raise them as it improves.
RECALL_FLOORS = {
    "confusable": 0.97,
    "capital_i": 0.97,
    "homoglyph": 0.97,
    "fullwidth": 0.97,
    "invisible": 0.97,
    "combining": 0.97,
    "support_words": 0.97,
    "support_words_he": 0.97,
    "reordered_words": 0.95,  # only 24 cases: one miss is 4 points
    "digit_suffix": 0.97,
    "repetition": 0.97,
    "transposition": 0.96,
    "separator": 0.97,
    "country_suffix": 0.95,
    "insertion": 0.94,
    "omission": 0.91,
    "keyboard_adjacent": 0.95,
    "vowel_swap": 0.96,
    "combination": 0.83,
    "domain_homoglyph": 0.97,
    "domain_subdomain": 0.97,
    "domain_support_words": 0.96,
    "domain_transposition": 0.96,
    "domain_repetition": 0.95,
    "domain_omission": 0.96,
    "domain_vowel_swap": 0.9,
    "domain_separator": 0.97,
    "domain_keyboard_adjacent": 0.86,
    "domain_insertion": 0.86,
}


@pytest.fixture(scope="module")
def figures() -> benchmark.Figures:
    # The speed figure is a wall-clock measurement, which unit tests do not assert
    # (STYLE 15); skipping it saves a second or two of the benchmark's run.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(benchmark, "speed", lambda pairs, names: (0.0, 0, 0.0))
        return benchmark.evaluate(seed=1)


@pytest.mark.parametrize("cls", sorted(RECALL_FLOORS))
def test_recall_per_class_stays_above_its_floor(figures: benchmark.Figures, cls: str) -> None:
    hits, total = figures.recall[cls]
    assert total >= 20, f"{cls}: only {total} generated cases"
    missed = figures.examples_missed.get(cls, [])
    assert hits / total >= RECALL_FLOORS[cls], f"{cls}: {hits}/{total}, missed e.g. {missed}"


def test_every_benchmark_class_has_a_floor(figures: benchmark.Figures) -> None:
    assert set(figures.recall) == set(RECALL_FLOORS)


def test_false_positives_stay_within_the_aim(figures: benchmark.Figures) -> None:
    assert figures.negatives >= 10_000
    assert figures.false_positives / figures.negatives <= 0.001, figures.examples_false


def test_other_brands_real_accounts_rarely_alarm(figures: benchmark.Figures) -> None:
    assert figures.cross_brand >= 400
    assert figures.cross_brand_false <= 8, figures.examples_false


def test_hard_negatives_rarely_alarm(figures: benchmark.Figures) -> None:
    assert figures.hard >= 100
    assert figures.hard_false <= 16


def test_the_ascii_path_folds_exactly_as_the_unicode_path() -> None:
    """`fold` reads ASCII names with translation tables built from the skeleton; on every
    ASCII name of the benchmark, and on the symbols and controls ASCII has, the result
    must be what the general Unicode path gives."""
    from amparo.lookalike.detector import _fold

    pairs = benchmark.officials()
    names = [o.handle for o, _ in pairs] + benchmark.negatives()
    names += [p.candidate for p in benchmark.positives(pairs, seed=1)]
    names += ["a\x00b", "Hi~there", "x`y", "A+B=C", "m0n3y^", "|Bank|", "\x7fbank", 'say"hi"']
    ascii_names = [n.strip().lstrip("@") for n in names if n.isascii() and "%" not in n]
    assert len(ascii_names) > 10_000
    differ = [n for n in ascii_names if _fold(n, fast=True) != _fold(n, fast=False)]
    assert differ == []


def test_a_remembered_verdict_is_the_same_and_each_caller_gets_a_copy(registry: Registry) -> None:
    first = registry.check("BarclaysHelpUK", "x")
    first.reasons.append("tampered")
    again = registry.check("BarclaysHelpUK", "x")
    assert again.lookalike and "tampered" not in again.reasons
    assert again.as_dict() == registry.check("BarclaysHelpUK", "x").as_dict()
    # the platform is part of what is remembered
    assert registry.check("BarclaysHelpUK").imitates == again.imitates


def test_deletion_neighbourhoods_are_every_string_so_many_deletions_away() -> None:
    import random

    from amparo.lookalike.detector import deletions

    def by_definition(text: str, depth: int) -> frozenset[str]:
        found, frontier = {text}, {text}
        for _ in range(depth):
            frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
            found |= frontier
        return frozenset(found)

    rng = random.Random(1)
    for _ in range(500):
        word = "".join(rng.choice("abca") for _ in range(rng.randint(0, 11)))
        for depth in (0, 1, 2, 3):
            assert deletions(word, depth) == by_definition(word, depth), (word, depth)

"""The signposting library: the seed list, what fits a customer, and its console page
(administrators only)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amparo.assist.models import Signpost
from amparo.assist.signposts import (
    kinds_for_distress,
    load_seed_signposts,
    seed_entries,
    suggest_signposts,
)
from amparo.core.models import Agent, AuditEvent

LoggedIn = Callable[[Agent], Client]
MakeSignpost = Callable[..., Signpost]


@pytest.fixture(autouse=True)
def in_english() -> Iterator[None]:
    # A request in another language leaves it active in the test's thread.
    with translation.override("en"):
        yield


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def names(signposts: list[Signpost]) -> list[str]:
    return [s.name for s in signposts]


def audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --- the seed list ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "language", "expected"),
    [
        ("MX", "es", {"CONDUSEF", "PROFECO", "Red de Bancos de Alimentos de México (BAMX)"}),
        (
            "GB",
            "en",
            {
                "MoneyHelper",
                "StepChange Debt Charity",
                "National Debtline",
                "Citizens Advice",
                "Trussell",
                "Samaritans",
            },
        ),
        (
            "US",
            "en",
            {
                "Consumer Financial Protection Bureau (CFPB)",
                "988 Suicide & Crisis Lifeline",
                "Feeding America",
            },
        ),
        ("ES", "es", {"Banco de España: Portal del Cliente Bancario", "Cáritas"}),
        (
            "IL",
            "he",
            {"פעמונים", "לקט ישראל", "מוקד 118 של משרד הרווחה", 'ער"ן – עזרה ראשונה נפשית'},
        ),
        ("IL", "en", {"Paamonim", "Leket Israel", "ERAN – Emotional First Aid"}),
    ],
)
def test_the_seed_list_is_installed_for_each_country(
    db: None, country: str, language: str, expected: set[str]
) -> None:
    listed = set(
        Signpost.objects.filter(country=country, language=language).values_list("name", flat=True)
    )

    assert expected <= listed


@pytest.mark.parametrize(
    ("country", "name", "phone", "url"),
    [
        ("MX", "CONDUSEF", "55 5340 0999", "https://www.condusef.gob.mx"),
        ("MX", "PROFECO", "55 5568 8722 / 800 468 8722", "https://www.gob.mx/profeco"),
        ("GB", "MoneyHelper", "0800 138 7777", "https://www.moneyhelper.org.uk"),
        ("GB", "StepChange Debt Charity", "0800 138 1111", "https://www.stepchange.org"),
        ("GB", "National Debtline", "0808 808 4000", "https://nationaldebtline.org"),
        ("GB", "Samaritans", "116 123", "https://www.samaritans.org"),
        (
            "US",
            "Consumer Financial Protection Bureau (CFPB)",
            "855-411-2372",
            "https://www.consumerfinance.gov",
        ),
        ("US", "988 Suicide & Crisis Lifeline", "988", "https://988lifeline.org"),
    ],
)
def test_seeded_numbers_and_addresses_are_the_published_ones(
    db: None, country: str, name: str, phone: str, url: str
) -> None:
    signpost = Signpost.objects.get(country=country, name=name)

    assert (signpost.phone, signpost.url) == (phone, url)


def test_every_seed_entry_passes_the_librarys_own_checks_and_has_a_route() -> None:
    entries = seed_entries()

    assert {e["country"] for e in entries} == {"MX", "GB", "US", "ES", "IL"}
    assert all(e["url"].startswith("https://") or not e["url"] for e in entries)
    assert all(e["url"] or e["phone"] for e in entries)
    assert all(e["referral_route"] for e in entries)


def test_loading_the_seed_again_adds_nothing_and_keeps_an_administrators_edit(db: None) -> None:
    Signpost.objects.filter(name="CONDUSEF").update(phone="", active=False)

    assert load_seed_signposts() == 0

    condusef = Signpost.objects.get(name="CONDUSEF")
    assert (condusef.phone, condusef.active) == ("", False)


def test_a_deleted_seed_entry_comes_back_on_the_next_load(db: None) -> None:
    Signpost.objects.filter(name="Samaritans").delete()

    assert load_seed_signposts() == 1
    assert Signpost.objects.filter(name="Samaritans", country="GB").exists()


# --- what fits a customer ---------------------------------------------------------------


def test_food_in_mexico_points_to_the_food_bank_network(db: None) -> None:
    found = suggest_signposts("MX", "es", ["food"])

    assert names(found) == ["Red de Bancos de Alimentos de México (BAMX)"]
    assert "bamx.org.mx" in found[0].url
    assert found[0].referral_route


def test_food_in_the_uk_points_to_referrals_and_food_banks(db: None) -> None:
    assert names(suggest_signposts("gb", "en", ["food"])) == ["Citizens Advice", "Trussell"]


def test_the_kind_asked_for_first_leads(db: None) -> None:
    found = names(suggest_signposts("GB", "en", ["health", "debt"]))

    assert found[0] == "Samaritans"
    assert {"StepChange Debt Charity", "National Debtline"} <= set(found)


def test_a_language_the_country_lacks_falls_back_to_english(db: None) -> None:
    assert names(suggest_signposts("GB", "es", ["debt"])) == names(
        suggest_signposts("GB", "en", ["debt"])
    )
    assert names(suggest_signposts("IL", "es", ["food"])) == [
        "Leket Israel",
        "Ministry of Welfare hotline 118",
    ]


def test_hebrew_signposts_for_a_hebrew_speaker_in_israel(db: None) -> None:
    assert names(suggest_signposts("IL", "he", ["health"])) == ['ער"ן – עזרה ראשונה נפשית']


def test_without_a_fit_in_the_country_there_is_nothing(
    db: None, make_signpost: MakeSignpost
) -> None:
    make_signpost(country="ZZ", language="es", kinds=["debt"])

    assert suggest_signposts("ZZ", "es", ["food"]) == []
    assert suggest_signposts("ZZ", "he", ["food"]) == []
    assert suggest_signposts("FR", "en", ["debt"]) == []


def test_without_kinds_every_signpost_of_the_country_is_listed(
    db: None, make_signpost: MakeSignpost
) -> None:
    make_signpost(name="B", order=2)
    make_signpost(name="A", order=1, kinds=["food"])
    make_signpost(name="C", order=0, active=False)

    assert names(suggest_signposts("ZZ", "es", [])) == ["A", "B"]
    assert names(suggest_signposts("ZZ", "es", ["martian"])) == ["A", "B"]


def test_an_inactive_signpost_is_not_suggested(db: None) -> None:
    Signpost.objects.filter(name="Trussell").update(active=False)

    assert names(suggest_signposts("GB", "en", ["food"])) == ["Citizens Advice"]


@pytest.mark.parametrize(
    ("cues", "kinds"),
    [
        ([("no_money_for_food", "resilience")], ["food", "money_advice", "debt"]),
        ([("no_money_rent_bills", "resilience")], ["debt", "money_advice"]),
        ([("job_loss", "life_event")], ["money_advice", "debt"]),
        ([("bereavement", "life_event")], ["bereavement", "money_advice"]),
        ([("illness", "health")], ["health"]),
        ([("elderly_or_digital", "capability")], ["general"]),
        ([("something_new", "resilience")], ["debt", "money_advice"]),
        ([("something_new", "martian")], []),
        (
            [("no_money_for_food", "resilience"), ("self_harm", "health")],
            ["health", "food", "money_advice", "debt"],
        ),
    ],
)
def test_distress_cues_map_to_kinds_of_help(cues: list[tuple[str, str]], kinds: list[str]) -> None:
    distress = {"score": 0.9, "cues": [{"cue": c, "kind": k, "text": "…"} for c, k in cues]}

    assert kinds_for_distress(distress) == kinds


@pytest.mark.parametrize(
    "distress",
    [
        None,
        "x",
        [],
        {},
        {"cues": None},
        {"cues": "food"},
        {"cues": [1, None, ["x"]]},
        {"cues": [{"cue": ["self_harm"], "kind": {"x": 1}}]},
    ],
)
def test_a_malformed_distress_signal_maps_to_nothing(distress: Any) -> None:
    assert kinds_for_distress(distress) == []


# --- the console page -------------------------------------------------------------------


def signpost_form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "country": "mx",
        "language": "es",
        "name": "Fundación Ayuda",
        "kinds": ["debt", "money_advice"],
        "description": "Asesoría gratuita",
        "referral_route": "Llamar de lunes a viernes",
        "url": "ayuda.example.org",
        "phone": "+52 55 1234 5678",
        "order": "50",
        "active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("who", ["alice", "sue"])
def test_only_administrators_see_or_change_the_library(
    db: None, logged_in: LoggedIn, request: pytest.FixtureRequest, who: str
) -> None:
    client = logged_in(request.getfixturevalue(who))
    condusef = Signpost.objects.get(name="CONDUSEF")
    before = Signpost.objects.count()

    for path in (
        "/console/signposts",
        "/console/signposts/new",
        f"/console/signposts/{condusef.pk}/edit",
    ):
        assert client.get(path).status_code == 403
    assert client.post("/console/signposts/new", signpost_form()).status_code == 403
    edit = client.post(f"/console/signposts/{condusef.pk}/edit", signpost_form(name="X"))
    assert edit.status_code == 403
    assert client.post(f"/console/signposts/{condusef.pk}/deactivate").status_code == 403
    assert client.post(f"/console/signposts/{condusef.pk}/activate").status_code == 403

    assert Signpost.objects.count() == before
    condusef.refresh_from_db()
    assert condusef.name == "CONDUSEF" and condusef.active
    assert not AuditEvent.objects.exists()
    assert 'href="/console/signposts"' not in html(client.get("/inbox"))


def test_an_administrator_adds_a_signpost_and_it_is_audited(
    logged_in: LoggedIn, ada: Agent
) -> None:
    client = logged_in(ada)

    response = client.post("/console/signposts/new", signpost_form())

    assert response.status_code == 302
    signpost = Signpost.objects.get(name="Fundación Ayuda")
    assert (signpost.country, signpost.url, signpost.kinds) == (
        "MX",
        "https://ayuda.example.org",
        ["debt", "money_advice"],
    )
    (event,) = audit("signpost.create")
    assert event.actor == ada
    assert event.after is not None and event.after["name"] == "Fundación Ayuda"
    page = html(client.get("/console/signposts"))
    assert "Signpost saved." in page
    assert f'data-signpost="{signpost.pk}"' in page
    assert 'href="/console/signposts"' in page  # in the navigation


def test_an_administrator_edits_a_signpost(logged_in: LoggedIn, ada: Agent) -> None:
    condusef = Signpost.objects.get(name="CONDUSEF")
    client = logged_in(ada)
    assert "55 5340 0999" in html(client.get(f"/console/signposts/{condusef.pk}/edit"))

    response = client.post(
        f"/console/signposts/{condusef.pk}/edit",
        signpost_form(name="CONDUSEF", phone="55 5340 0999", kinds=["complaint"]),
    )

    assert response.status_code == 302
    condusef.refresh_from_db()
    assert condusef.kinds == ["complaint"]
    (event,) = audit("signpost.update")
    assert event.before is not None and event.before["kinds"] == [
        "money_advice",
        "complaint",
        "fraud",
    ]
    assert event.after is not None and event.after["kinds"] == ["complaint"]


def test_an_administrator_deactivates_then_reactivates_a_signpost(
    logged_in: LoggedIn, ada: Agent
) -> None:
    trussell = Signpost.objects.get(name="Trussell")
    client = logged_in(ada)

    response = client.post(f"/console/signposts/{trussell.pk}/deactivate")

    assert response.status_code == 302
    assert "Trussell" not in names(suggest_signposts("GB", "en", ["food"]))
    again = client.post(f"/console/signposts/{trussell.pk}/deactivate", follow=True)
    assert "Nothing changed." in html(again)
    assert len(audit("signpost.deactivate")) == 1

    client.post(f"/console/signposts/{trussell.pk}/activate")

    assert "Trussell" in names(suggest_signposts("GB", "en", ["food"]))
    assert len(audit("signpost.activate")) == 1
    assert client.get(f"/console/signposts/{trussell.pk}/deactivate").status_code == 405
    assert client.post("/console/signposts/999999/deactivate").status_code == 404


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"country": "Mexico"}, "Ensure this value has at most 2 characters"),
        ({"country": "M1"}, "A country is a two-letter ISO code"),
        ({"country": ""}, "This field is required."),
        ({"language": "fr"}, "Select a valid choice."),
        ({"name": ""}, "This field is required."),
        ({"name": "x" * 121}, "Ensure this value has at most 120 characters"),
        ({"name": "Ayuda\u202e"}, "A name has no invisible or control characters."),
        ({"kinds": []}, "This field is required."),
        ({"kinds": ["debt", "martian"]}, "Select a valid choice."),
        ({"url": "javascript:alert(1)"}, "Enter a web address starting with https://."),
        ({"url": "https://"}, "Enter a web address starting with https://."),
        ({"url": "ftp://ayuda.example"}, "Enter a web address starting with https://."),
        ({"phone": "llámame"}, "A phone number has digits"),
        ({"order": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"order": "uno"}, "Enter a whole number."),
        ({"description": "x" * 501}, "Ensure this value has at most 500 characters"),
    ],
)
def test_invalid_signposts_are_stable_form_errors_and_nothing_is_written(
    logged_in: LoggedIn, ada: Agent, overrides: dict[str, Any], error: str
) -> None:
    before = Signpost.objects.count()

    response = logged_in(ada).post("/console/signposts/new", signpost_form(**overrides))

    assert response.status_code == 400
    assert error in response.content.decode()
    assert Signpost.objects.count() == before
    assert not AuditEvent.objects.exists()


def test_the_same_organisation_twice_is_a_form_error(logged_in: LoggedIn, ada: Agent) -> None:
    client = logged_in(ada)

    response = client.post("/console/signposts/new", signpost_form(name="condusef"))

    assert response.status_code == 400
    assert "already lists this organisation" in response.content.decode()
    assert Signpost.objects.filter(name__iexact="condusef").count() == 1
    # The same name in another country or language is another entry.
    assert (
        client.post(
            "/console/signposts/new", signpost_form(name="CONDUSEF", language="en")
        ).status_code
        == 302
    )


def test_a_hostile_signpost_is_escaped_on_the_page(logged_in: LoggedIn, ada: Agent) -> None:
    client = logged_in(ada)
    hostile = '<script>alert(1)</script>"'

    response = client.post(
        "/console/signposts/new",
        signpost_form(name=hostile, referral_route=hostile, url="https://a.example/?q=<x>"),
    )

    assert response.status_code == 302
    page = html(client.get("/console/signposts"))
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&quot;" in page

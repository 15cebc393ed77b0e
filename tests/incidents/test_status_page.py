"""The public status page: readable by anyone, in their language, cheap to serve again."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from amparo.core.actions import do_set_component_status
from amparo.core.audit import SYSTEM
from amparo.core.models import Brand, Component

EXTERNAL_REFERENCE = re.compile(r"""\b(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


@pytest.fixture
def components(
    brand: Brand, make_brand: Callable[..., Brand], make_component: Callable[..., Component]
) -> dict[str, Component]:
    bank = make_brand(slug="banco-altamar", name="Banco Altamar")
    return {
        "payments": make_component(
            brand,
            slug="app-payments",
            name="App payments",
            position=0,
            names={"es": "Pagos en la app", "en": "App payments", "he": "תשלומים באפליקציה"},
        ),
        "login": make_component(
            brand,
            slug="web-login",
            name="Web login",
            position=1,
            status="degraded",
            names={"es": "Acceso web", "en": "Web login", "he": "כניסה לאתר"},
        ),
        "atm": make_component(
            bank,
            slug="atm",
            name="ATMs",
            status="major_outage",
            names={"es": "Cajeros automáticos", "en": "ATMs", "he": "כספומטים"},
        ),
        "transfers": make_component(bank, slug="transfers", name="Transfers", status="maintenance"),
    }


def page(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def statuses(html: str) -> list[str]:
    return re.findall(r'<li class="component" data-status="([a-z_]+)">', html)


def test_the_status_page_is_public_and_lists_brands_components_and_statuses(
    components: dict[str, Component],
) -> None:
    html = page(Client().get("/status"))

    for name in (
        "Altamar Tiendas",
        "Banco Altamar",
        "App payments",
        "Web login",
        "ATMs",
        "Transfers",
    ):
        assert name in html
    assert sorted(statuses(html)) == sorted(
        ["operational", "degraded", "major_outage", "maintenance"]
    )
    assert "Major outage" in html
    assert "Degraded performance" in html


def test_the_hebrew_status_page_is_right_to_left_with_hebrew_component_names(
    components: dict[str, Component],
) -> None:
    html = page(Client().get("/status", {"lang": "he"}))

    assert '<html lang="he" dir="rtl">' in html
    assert "תשלומים באפליקציה" in html
    assert "כספומטים" in html
    assert "סטטוס השירות" in html
    # A component without a Hebrew name falls back to its name.
    assert "Transfers" in html


def test_the_spanish_status_page_uses_spanish_names_and_labels(
    components: dict[str, Component],
) -> None:
    html = page(Client().get("/status", {"lang": "es"}))

    assert '<html lang="es" dir="ltr">' in html
    assert "Pagos en la app" in html
    assert "Estado del servicio" in html
    assert "Interrupción mayor" in html


def test_the_status_page_follows_accept_language_without_a_lang_parameter(
    components: dict[str, Component],
) -> None:
    response = Client().get("/status", headers={"Accept-Language": "he-IL,he;q=0.9,en;q=0.5"})

    html = page(response)
    assert '<html lang="he" dir="rtl">' in html
    assert "כספומטים" in html
    assert response["Content-Language"] == "he"


@pytest.mark.parametrize("lang", ["xx", "", "../../etc/passwd", "<script>", "HE", "he-IL" * 100])
def test_an_unknown_lang_parameter_falls_back_safely(
    components: dict[str, Component], lang: str
) -> None:
    response = Client().get("/status", {"lang": lang}, headers={"Accept-Language": "es"})

    html = page(response)
    assert '<html lang="es" dir="ltr">' in html
    assert "Pagos en la app" in html
    assert "<script>" not in html
    assert "etc/passwd" not in html


def test_the_status_page_is_cacheable(components: dict[str, Component]) -> None:
    response = Client().get("/status")

    assert response["ETag"]
    assert response["Last-Modified"]
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in cache_control
    assert any(re.fullmatch(r"max-age=\d+", part) for part in cache_control)
    assert "Accept-Language" in [part.strip() for part in response["Vary"].split(",")]


def test_a_matching_if_none_match_answers_304_with_an_empty_body(
    components: dict[str, Component],
) -> None:
    client = Client()
    etag = client.get("/status")["ETag"]

    response = client.get("/status", headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""


def test_a_component_status_change_changes_the_etag_and_the_page(
    components: dict[str, Component],
) -> None:
    client = Client()
    before = client.get("/status")
    assert statuses(page(before)).count("major_outage") == 1

    do_set_component_status(components["payments"], "major_outage", SYSTEM)
    after = client.get("/status", headers={"If-None-Match": before["ETag"]})

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert statuses(page(after)).count("major_outage") == 2


def test_the_etag_differs_per_language(components: dict[str, Component]) -> None:
    client = Client()
    etags = {lang: client.get("/status", {"lang": lang})["ETag"] for lang in ("es", "en", "he")}

    assert len(set(etags.values())) == 3
    stale = client.get("/status", {"lang": "he"}, headers={"If-None-Match": etags["es"]})
    assert stale.status_code == 200


def test_status_json_gives_each_brand_its_worst_status_and_its_components(
    components: dict[str, Component],
) -> None:
    response = Client().get("/status.json", {"lang": "he"})

    assert response.status_code == 200
    body = response.json()
    assert body["language"] == "he"
    brands = {brand["slug"]: brand for brand in body["brands"]}
    assert brands["altamar-tiendas"]["status"] == "degraded"
    assert brands["banco-altamar"]["status"] == "major_outage"
    assert {c["slug"]: c["status"] for c in brands["banco-altamar"]["components"]} == {
        "atm": "major_outage",
        "transfers": "maintenance",
    }
    assert {c["slug"]: c["name"] for c in brands["altamar-tiendas"]["components"]} == {
        "app-payments": "תשלומים באפליקציה",
        "web-login": "כניסה לאתר",
    }
    assert response["ETag"]


def test_a_brand_whose_components_all_work_is_operational(
    brand: Brand, make_component: Callable[..., Component]
) -> None:
    make_component(brand, slug="orders")

    body = Client().get("/status.json").json()

    assert body["brands"][0]["status"] == "operational"


def test_the_status_page_references_no_external_host(components: dict[str, Component]) -> None:
    for lang in ("es", "en", "he"):
        html = page(Client().get("/status", {"lang": lang}))
        assert not EXTERNAL_REFERENCE.search(html), EXTERNAL_REFERENCE.search(html)


@pytest.mark.parametrize("path", ["/status", "/status.json"])
def test_posting_to_the_status_page_answers_405(
    components: dict[str, Component], path: str
) -> None:
    assert Client().post(path).status_code == 405


def test_an_empty_installation_renders_the_status_page(db: None) -> None:
    response = Client().get("/status")

    assert response.status_code == 200
    assert "No services are listed yet." in response.content.decode()
    assert Client().get("/status.json").json()["brands"] == []

"""The impersonation watch in the console: the official registry, the lookalikes found,
the takedown export, and the official accounts on the public status page."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from amparo.core.audit import SYSTEM
from amparo.core.models import Agent, AuditEvent, Brand
from amparo.inbox.models import Message
from amparo.lookalike.actions import do_add_official_account, do_remove_official_account
from amparo.lookalike.models import LookalikeFinding, OfficialAccount

LoggedIn = Callable[[Agent], Client]
MakeFinding = Callable[..., LookalikeFinding]

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HOSTILE = "<script>alert(1)</script>\u202eAltamar\u200bMX"


@pytest.fixture
def make_finding(brand: Brand) -> MakeFinding:
    def make(**overrides: Any) -> LookalikeFinding:
        fields: dict[str, Any] = {
            "brand": brand,
            "platform": "x",
            "candidate": "AltamarMX_Soporte",
            "kind": "author",
            "imitates": "x:AltamarMX",
            "score": 0.85,
            "reasons": ["support_words"],
            "author": {"handle": "AltamarMX_Soporte", "followers": 12},
            "first_seen": NOW - timedelta(hours=2),
            "last_seen": NOW,
        }
        return LookalikeFinding.objects.create(**{**fields, **overrides})

    return make


@pytest.fixture
def official(brand: Brand) -> OfficialAccount:
    return OfficialAccount.objects.create(brand=brand, platform="x", handle="AltamarMX")


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def add(client: Client, brand: Brand, platform: str, handle: str, **extra: str) -> Any:
    data = {"platform": platform, "handle": handle, **extra}
    return client.post(f"/console/official-accounts/brands/{brand.pk}/add", data)


def set_domains(client: Client, brand: Brand, text: str) -> Any:
    return client.post(f"/console/official-accounts/brands/{brand.pk}/domains", {"domains": text})


def audit(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def exported(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200, response.status_code
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- who may do what --------------------------------------------------------------------


def paths(brand: Brand, account: OfficialAccount, finding: LookalikeFinding) -> dict[str, str]:
    return {
        "registry": "/console/official-accounts",
        "add": f"/console/official-accounts/brands/{brand.pk}/add",
        "domains": f"/console/official-accounts/brands/{brand.pk}/domains",
        "remove": f"/console/official-accounts/{account.pk}/remove",
        "findings": "/console/lookalikes",
        "export": "/console/lookalikes/export.csv",
        "report": f"/console/lookalikes/{finding.pk}/report",
        "dismiss": f"/console/lookalikes/{finding.pk}/dismiss",
    }


READS = ["registry", "remove", "findings", "export"]
WRITES = ["add", "domains", "remove", "report", "dismiss"]


@pytest.mark.parametrize(
    ("method", "name"), [("get", n) for n in READS] + [("post", n) for n in WRITES]
)
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    brand: Brand,
    official: OfficialAccount,
    make_finding: MakeFinding,
    method: str,
    name: str,
) -> None:
    path = paths(brand, official, make_finding())[name]

    response = getattr(Client(), method)(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


@pytest.mark.parametrize(
    ("method", "name"), [("get", n) for n in READS] + [("post", n) for n in WRITES]
)
def test_an_agent_may_not_see_or_change_any_of_it(
    brand: Brand,
    official: OfficialAccount,
    make_finding: MakeFinding,
    logged_in: LoggedIn,
    alice: Agent,
    method: str,
    name: str,
) -> None:
    finding = make_finding()
    path = paths(brand, official, finding)[name]

    response = getattr(logged_in(alice), method)(path, {"platform": "x", "handle": "Altamar"})

    assert response.status_code == 403
    assert OfficialAccount.objects.count() == 1
    assert LookalikeFinding.objects.get().status == "open"
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "remove"), ("post", "add"), ("post", "domains"), ("post", "remove")],
)
def test_a_supervisor_reads_the_registry_but_may_not_change_it(
    brand: Brand,
    official: OfficialAccount,
    make_finding: MakeFinding,
    logged_in: LoggedIn,
    sue: Agent,
    method: str,
    name: str,
) -> None:
    path = paths(brand, official, make_finding())[name]
    client = logged_in(sue)

    response = getattr(client, method)(path, {"platform": "x", "handle": "Altamar"})

    assert response.status_code == 403
    assert OfficialAccount.objects.count() == 1
    page = html(client.get("/console/official-accounts"))
    assert "@AltamarMX" in page
    assert "Only an administrator can change the registry." in page
    assert "/add" not in page
    assert "/remove" not in page


def test_supervisors_and_administrators_find_the_lookalikes_in_the_navigation(
    logged_in: LoggedIn, alice: Agent, sue: Agent, ada: Agent
) -> None:
    assert 'href="/console/lookalikes"' not in html(logged_in(alice).get("/inbox"))
    assert 'href="/console/lookalikes"' in html(logged_in(sue).get("/inbox"))
    assert 'href="/console/lookalikes"' in html(logged_in(ada).get("/inbox"))


# --- the official registry --------------------------------------------------------------


def test_an_administrator_adds_an_account_and_it_is_audited(
    brand: Brand, logged_in: LoggedIn, ada: Agent
) -> None:
    client = logged_in(ada)

    response = add(client, brand, "x", " @AltamarMX ", display_name="Altamar Tiendas")

    assert response.status_code == 302
    account = OfficialAccount.objects.get()
    assert (account.brand, account.platform, account.handle) == (brand, "x", "AltamarMX")
    assert account.display_name == "Altamar Tiendas"
    (event,) = audit("official_account.add")
    assert event.actor == ada
    assert event.object_id == str(account.pk)
    assert event.after == {
        "brand": brand.pk,
        "platform": "x",
        "handle": "AltamarMX",
        "display_name": "Altamar Tiendas",
    }
    page = html(client.get(response["Location"]))
    assert "Official account added." in page
    assert '<bdi dir="ltr">@AltamarMX</bdi>' in page


@pytest.mark.parametrize(
    ("platform", "written", "stored"),
    [
        ("x", "@altamar_mx", "altamar_mx"),
        ("x", "A" * 15, "A" * 15),
        ("bluesky", "@Altamar.bsky.social", "altamar.bsky.social"),
        ("bluesky", "altamar.com.mx", "altamar.com.mx"),
        ("whatsapp", "+52 55 1234-5678", "+525512345678"),
        ("mastodon", "@altamar@mastodon.social", "altamar@mastodon.social"),
        ("instagram", "altamar.tiendas", "altamar.tiendas"),
        ("facebook", "AltamarTiendasOficial", "AltamarTiendasOficial"),
        ("telegram", "אלטמר", "אלטמר"),
        ("youtube", "a" * 100, "a" * 100),
    ],
)
def test_a_handle_is_stored_as_the_platform_writes_it(
    brand: Brand, logged_in: LoggedIn, ada: Agent, platform: str, written: str, stored: str
) -> None:
    response = add(logged_in(ada), brand, platform, written)

    assert response.status_code == 302
    assert OfficialAccount.objects.get().handle == stored


@pytest.mark.parametrize(
    ("platform", "written", "error"),
    [
        ("x", "altamar-mx", "An X handle has 1 to 15 characters"),
        ("x", "A" * 16, "An X handle has 1 to 15 characters"),
        ("x", "altamar mx", "An X handle has 1 to 15 characters"),
        ("x", "altamаr", "An X handle has 1 to 15 characters"),  # a Cyrillic а
        ("bluesky", "altamar", "A Bluesky handle is a domain name"),
        ("bluesky", "altamar..bsky.social", "A Bluesky handle is a domain name"),
        ("bluesky", "-altamar.bsky.social", "A Bluesky handle is a domain name"),
        ("whatsapp", "5512345678", "E.164"),
        ("whatsapp", "+0525512345678", "E.164"),
        ("whatsapp", "+52551234567890123", "E.164"),
        ("instagram", "altamar tiendas", "no spaces or invisible characters"),
        ("instagram", "altamar\u200btiendas", "no spaces or invisible characters"),
        ("tiktok", "\u202ealtamar", "no spaces or invisible characters"),
        ("youtube", "a" * 101, "at most 100 characters"),
        ("threads", "@", "Enter a handle."),
        ("threads", "", "This field is required."),
        ("myspace", "altamar", "Select a valid choice."),
    ],
)
def test_a_handle_the_platform_would_refuse_is_a_form_error(
    brand: Brand, logged_in: LoggedIn, ada: Agent, platform: str, written: str, error: str
) -> None:
    response = add(logged_in(ada), brand, platform, written)

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not OfficialAccount.objects.exists()
    assert not audit("official_account.add")


def test_a_display_name_with_a_bidi_override_is_refused(
    brand: Brand, logged_in: LoggedIn, ada: Agent
) -> None:
    response = add(logged_in(ada), brand, "x", "AltamarMX", display_name="Altamar\u202e")

    assert response.status_code == 400
    assert "no invisible or control characters" in response.content.decode()
    assert not OfficialAccount.objects.exists()


def test_adding_an_account_twice_is_a_form_error_and_one_row(
    brand: Brand, official: OfficialAccount, logged_in: LoggedIn, ada: Agent
) -> None:
    client = logged_in(ada)

    for written in ("AltamarMX", "@altamarmx"):
        response = add(client, brand, "x", written)
        assert response.status_code == 400
        assert "Altamar Tiendas already lists this account." in response.content.decode()

    assert OfficialAccount.objects.count() == 1
    assert not audit("official_account.add")


def test_the_same_handle_on_another_platform_or_brand_is_another_account(
    brand: Brand,
    official: OfficialAccount,
    make_brand: Callable[..., Brand],
    logged_in: LoggedIn,
    ada: Agent,
) -> None:
    client = logged_in(ada)
    bank = make_brand(name="Banco Altamar")

    assert add(client, brand, "instagram", "AltamarMX").status_code == 302
    assert add(client, bank, "x", "AltamarMX").status_code == 302

    assert OfficialAccount.objects.count() == 3


def test_an_administrator_confirms_then_removes_an_account(
    official: OfficialAccount, logged_in: LoggedIn, ada: Agent
) -> None:
    client = logged_in(ada)
    path = f"/console/official-accounts/{official.pk}/remove"

    confirm = html(client.get(path))
    assert "Remove this account from the official registry of Altamar Tiendas?" in confirm
    assert '<form method="post">' in confirm
    assert OfficialAccount.objects.exists()

    response = client.post(path)

    assert response.status_code == 302
    assert not OfficialAccount.objects.exists()
    (event,) = audit("official_account.remove")
    assert event.actor == ada
    assert event.object_id == str(official.pk)
    assert event.before is not None and event.before["handle"] == "AltamarMX"
    assert event.after is None
    assert client.post(path).status_code == 404


def test_an_administrator_sets_the_official_domains(
    brand: Brand, logged_in: LoggedIn, ada: Agent
) -> None:
    client = logged_in(ada)

    response = set_domains(client, brand, "altamar.mx\r\n  Altamar.COM.mx. \n\naltamar.mx\nálta.mx")

    assert response.status_code == 302
    brand.refresh_from_db()
    assert brand.official_domains == ["altamar.mx", "altamar.com.mx", "álta.mx"]
    (event,) = audit("brand.official_domains")
    assert event.actor == ada
    assert event.before == {"official_domains": []}
    assert event.after == {"official_domains": ["altamar.mx", "altamar.com.mx", "álta.mx"]}
    page = html(client.get("/console/official-accounts"))
    assert '<bdi dir="ltr">altamar.com.mx</bdi>' in page


@pytest.mark.parametrize(
    "line",
    [
        "altamar",
        "https://altamar.mx",
        "altamar .mx",
        "-altamar.mx",
        "altamar..mx",
        "altamar.mx/pay",
        "altamar\u200b.mx",
        "altamar.123",
    ],
)
def test_a_line_that_is_not_a_domain_is_a_form_error(
    brand: Brand, logged_in: LoggedIn, ada: Agent, line: str
) -> None:
    brand.official_domains = ["altamar.mx"]
    brand.save()

    response = set_domains(logged_in(ada), brand, f"altamar.com.mx\n{line}")

    assert response.status_code == 400
    assert "is not a domain name." in response.content.decode()
    brand.refresh_from_db()
    assert brand.official_domains == ["altamar.mx"]
    assert not audit("brand.official_domains")


def test_an_empty_domain_list_clears_the_domains(
    brand: Brand, logged_in: LoggedIn, ada: Agent
) -> None:
    brand.official_domains = ["altamar.mx"]
    brand.save()

    assert set_domains(logged_in(ada), brand, "").status_code == 302

    brand.refresh_from_db()
    assert brand.official_domains == []


# --- the findings -----------------------------------------------------------------------


def test_open_findings_come_first_with_their_evidence(
    make_finding: MakeFinding, receive: Callable[..., Message], logged_in: LoggedIn, sue: Agent
) -> None:
    message = receive(text="me escribió @AltamarMX_Soporte y me pidió mi NIP")
    dismissed = make_finding(
        candidate="altamar-mx", status="dismissed", last_seen=NOW + timedelta(hours=1)
    )
    still_open = make_finding(
        message=message,
        seen=4,
        warnings_sent=2,
        author={
            "handle": "AltamarMX_Soporte",
            "followers": 37,
            "account_created_at": "2026-11-20T23:30:00-06:00",
        },
    )

    page = html(logged_in(sue).get("/console/lookalikes"))

    rows = [int(pk) for pk in re.findall(r'data-finding="(\d+)"', page)]
    assert rows == [still_open.pk, dismissed.pk]
    row = page[
        page.index(f'data-finding="{still_open.pk}"') : page.index(f'data-finding="{dismissed.pk}"')
    ]
    assert '<bdi class="candidate">AltamarMX_Soporte</bdi>' in row
    assert '<bdi dir="ltr">x:AltamarMX</bdi>' in row
    assert "Support words added" in row
    assert "0.85" in row
    assert "<dd>37</dd>" in row
    assert "2026-11-21" in row  # the account's creation day in UTC
    assert "<td>4" in row and "<td>2</td>" in row
    assert f'href="/conversations/{message.conversation_id}"' in row
    assert f"/console/lookalikes/{still_open.pk}/report" in row
    assert f"/console/lookalikes/{dismissed.pk}/report" not in page


def test_a_hostile_candidate_is_escaped_and_its_hidden_characters_spelled_out(
    make_finding: MakeFinding, logged_in: LoggedIn, sue: Agent
) -> None:
    make_finding(candidate=HOSTILE, author={"handle": "<b>x</b>", "followers": "many"})

    page = html(logged_in(sue).get("/console/lookalikes"))

    assert "<script>alert(1)" not in page
    assert "<b>x</b>" not in page
    assert (
        '<bdi class="candidate">&lt;script&gt;alert(1)&lt;/script&gt;\u202eAltamar\u200bMX</bdi>'
        in page
    )
    assert "&lt;script&gt;alert(1)&lt;/script&gt;[U+202E]Altamar[U+200B]MX" in page
    assert page.count("\u202e") == 1  # only inside its <bdi>


def test_the_list_filters_by_status_and_platform(
    make_finding: MakeFinding, logged_in: LoggedIn, sue: Agent
) -> None:
    on_x = make_finding(candidate="altamar_ayuda")
    reported = make_finding(candidate="altamar_soporte", status="reported")
    on_instagram = make_finding(platform="instagram", candidate="altamar.ayuda")
    client = logged_in(sue)

    def listed(**params: str) -> set[int]:
        page = html(client.get("/console/lookalikes", params))
        return {int(pk) for pk in re.findall(r'data-finding="(\d+)"', page)}

    assert listed() == {on_x.pk, reported.pk, on_instagram.pk}
    assert listed(status="open") == {on_x.pk, on_instagram.pk}
    assert listed(platform="x") == {on_x.pk, reported.pk}
    assert listed(status="reported", platform="x") == {reported.pk}
    assert listed(status="nonsense", platform="<x>") == {on_x.pk, reported.pk, on_instagram.pk}
    assert "No lookalikes match these filters." in html(
        client.get("/console/lookalikes", {"platform": "tiktok"})
    )


@pytest.mark.parametrize(("decision", "status"), [("report", "reported"), ("dismiss", "dismissed")])
def test_a_supervisor_decides_an_open_finding_once(
    make_finding: MakeFinding, logged_in: LoggedIn, sue: Agent, decision: str, status: str
) -> None:
    finding = make_finding()
    client = logged_in(sue)

    response = client.post(f"/console/lookalikes/{finding.pk}/{decision}?status=open&platform=x")

    assert response.status_code == 302
    assert response["Location"] == "/console/lookalikes?status=open&platform=x"
    finding.refresh_from_db()
    assert finding.status == status
    (event,) = audit(f"lookalike.{'reported' if decision == 'report' else 'dismissed'}")
    assert event.actor == sue
    assert (event.before, event.after) == ({"status": "open"}, {"status": status})

    again = client.post(f"/console/lookalikes/{finding.pk}/report", follow=True)

    assert "This lookalike was already decided; nothing changed." in html(again)
    finding.refresh_from_db()
    assert finding.status == status
    assert AuditEvent.objects.count() == 1


def test_deciding_a_missing_finding_answers_404(logged_in: LoggedIn, sue: Agent) -> None:
    client = logged_in(sue)

    assert client.post("/console/lookalikes/999999/report").status_code == 404
    assert client.post("/console/lookalikes/999999/dismiss").status_code == 404
    assert client.get("/console/lookalikes/999999/report").status_code == 405


# --- the takedown export ----------------------------------------------------------------


def test_the_export_lists_open_and_reported_findings_of_the_platform(
    make_finding: MakeFinding, logged_in: LoggedIn, sue: Agent
) -> None:
    make_finding(
        candidate="AltamarMX_Soporte",
        reasons=["support_words", "digit_suffix"],
        author={"handle": "AltamarMX_Soporte", "followers": 37, "account_created_at": "2026-11-20"},
        seen=3,
    )
    make_finding(candidate="altamar_ayuda", status="reported", author={})
    make_finding(candidate="altamar_fans", status="dismissed")
    make_finding(platform="instagram", candidate="altamar.ayuda")
    client = logged_in(sue)

    response = client.get("/console/lookalikes/export.csv", {"platform": "x"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="lookalikes-x-')
    rows = exported(response)
    assert list(rows[0]) == [
        "platform",
        "candidate",
        "imitates",
        "reasons",
        "first_seen",
        "last_seen",
        "seen",
        "author_followers",
        "author_created_at",
        "evidence_url",
    ]
    by_candidate = {row["candidate"]: row for row in rows}
    assert set(by_candidate) == {"AltamarMX_Soporte", "altamar_ayuda"}
    first = by_candidate["AltamarMX_Soporte"]
    assert first == {
        "platform": "x",
        "candidate": "AltamarMX_Soporte",
        "imitates": "x:AltamarMX",
        "reasons": "support_words;digit_suffix",
        "first_seen": "2026-11-25T10:00:00+00:00",
        "last_seen": "2026-11-25T12:00:00+00:00",
        "seen": "3",
        "author_followers": "37",
        "author_created_at": "2026-11-20",
        "evidence_url": "https://x.com/AltamarMX_Soporte",
    }
    assert by_candidate["altamar_ayuda"]["author_followers"] == ""

    everything = exported(client.get("/console/lookalikes/export.csv"))
    assert {row["candidate"] for row in everything} == {
        "AltamarMX_Soporte",
        "altamar_ayuda",
        "altamar.ayuda",
    }


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_the_export_defuses_cells_a_spreadsheet_would_run(
    make_finding: MakeFinding, logged_in: LoggedIn, sue: Agent, start: str
) -> None:
    candidate = f'{start}HYPERLINK("https://evil.example","ayuda")'
    make_finding(candidate=candidate, imitates=f"{start}cmd|' /C calc'!A0")

    (row,) = exported(logged_in(sue).get("/console/lookalikes/export.csv"))

    assert row["candidate"] == f"'{candidate}"
    assert row["imitates"] == f"'{start}cmd|' /C calc'!A0"
    assert row["evidence_url"].startswith("https://x.com/")


@pytest.mark.parametrize(
    ("platform", "kind", "candidate", "author", "url"),
    [
        ("web", "link", "altamar-soporte.com", {}, "https://altamar-soporte.com/"),
        ("web", "link", "аltamar.mx", {}, "https://xn--ltamar-2nf.mx/"),
        (
            "bluesky",
            "author",
            "altamar-mx.bsky.social",
            {},
            "https://bsky.app/profile/altamar-mx.bsky.social",
        ),
        (
            "instagram",
            "display_name",
            "Altamar Soporte",
            {"handle": "altamar.soporte"},
            "https://www.instagram.com/altamar.soporte/",
        ),
        ("instagram", "display_name", "Altamar Soporte", {}, ""),
        ("mastodon", "author", "altamar@mastodon.example", {}, "https://mastodon.example/@altamar"),
        ("whatsapp", "author", "+52 55 1234 5678", {}, "https://wa.me/525512345678"),
        ("handle", "mention", "AltamarMX_Soporte", {}, ""),
        ("x", "mention", "Altamar\u200bMX", {}, "https://x.com/Altamar%E2%80%8BMX"),
    ],
)
def test_the_evidence_url_is_where_the_platform_shows_the_lookalike(
    make_finding: MakeFinding,
    logged_in: LoggedIn,
    sue: Agent,
    platform: str,
    kind: str,
    candidate: str,
    author: dict[str, str],
    url: str,
) -> None:
    make_finding(platform=platform, kind=kind, candidate=candidate, author=author)

    (row,) = exported(logged_in(sue).get("/console/lookalikes/export.csv"))

    assert row["evidence_url"] == url


def test_an_unreadable_platform_parameter_is_refused(logged_in: LoggedIn, sue: Agent) -> None:
    response = logged_in(sue).get("/console/lookalikes/export.csv", {"platform": '"; rm -rf'})

    assert response.status_code == 400


# --- the status page --------------------------------------------------------------------


@pytest.fixture
def registry(brand: Brand, official: OfficialAccount) -> Brand:
    OfficialAccount.objects.create(brand=brand, platform="whatsapp", handle="+525512345678")
    brand.official_domains = ["altamar.mx"]
    brand.save()
    return brand


def test_the_status_page_lists_each_brands_only_official_accounts(registry: Brand) -> None:
    page = html(Client().get("/status", {"lang": "en"}))

    assert "Our only official accounts" in page
    assert 'X: <bdi dir="ltr">@AltamarMX</bdi>' in page
    assert 'WhatsApp: <bdi dir="ltr">+525512345678</bdi>' in page
    assert 'Website: <bdi dir="ltr">altamar.mx</bdi>' in page
    assert "Any other account or website that uses our name is not ours." in page


@pytest.mark.parametrize(
    ("lang", "heading", "direction"),
    [
        ("es", "Nuestras únicas cuentas oficiales", "ltr"),
        ("he", "החשבונות הרשמיים היחידים שלנו", "rtl"),
    ],
)
def test_the_official_accounts_are_listed_in_the_readers_language(
    registry: Brand, lang: str, heading: str, direction: str
) -> None:
    page = html(Client().get("/status", {"lang": lang}))

    assert f'<html lang="{lang}" dir="{direction}">' in page
    assert heading in page
    assert '<bdi dir="ltr">@AltamarMX</bdi>' in page


def test_a_brand_without_a_registry_has_no_official_accounts_section(brand: Brand) -> None:
    page = html(Client().get("/status"))

    assert "Our only official accounts" not in page


def test_status_json_gives_each_brand_its_official_accounts_and_domains(registry: Brand) -> None:
    body = Client().get("/status.json").json()

    (listed,) = body["brands"]
    assert listed["official_accounts"] == [
        {"platform": "whatsapp", "handle": "+525512345678"},
        {"platform": "x", "handle": "AltamarMX"},
    ]
    assert listed["official_domains"] == ["altamar.mx"]


def test_adding_or_removing_an_account_changes_the_status_etag(registry: Brand) -> None:
    client = Client()
    first = client.get("/status")["ETag"]
    assert client.get("/status", headers={"If-None-Match": first}).status_code == 304

    account = do_add_official_account(registry, "instagram", "altamar.tiendas", SYSTEM)
    added = client.get("/status", headers={"If-None-Match": first})

    assert added.status_code == 200
    assert '<bdi dir="ltr">@altamar.tiendas</bdi>' in added.content.decode()
    assert do_remove_official_account(account, SYSTEM)
    removed = client.get("/status", headers={"If-None-Match": added["ETag"]})
    assert removed.status_code == 200
    assert "altamar.tiendas" not in removed.content.decode()
    assert len({first, added["ETag"], removed["ETag"]}) == 3


def test_an_account_created_directly_changes_the_etag_too(registry: Brand) -> None:
    client = Client()
    before = client.get("/status.json")["ETag"]

    OfficialAccount.objects.create(brand=registry, platform="tiktok", handle="altamar")

    assert client.get("/status.json", headers={"If-None-Match": before}).status_code == 200


# --- languages --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/console/official-accounts", "חשבונות רשמיים"), ("/console/lookalikes", "התחזויות")],
)
def test_the_hebrew_console_pages_are_right_to_left_and_translated(
    registry: Brand,
    make_finding: MakeFinding,
    logged_in: LoggedIn,
    ada: Agent,
    path: str,
    heading: str,
) -> None:
    make_finding()
    client = logged_in(ada)
    client.cookies["amparo_language"] = "he"

    page = html(client.get(path))

    assert '<html lang="he" dir="rtl">' in page
    assert f"<h1>{heading}</h1>" in page
    assert '<bdi dir="ltr">' in page

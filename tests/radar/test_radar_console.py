"""The radar in the console: the suggestions, their evidence chart, declaring and dismissing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from amparo.core.models import Agent, AuditEvent, Brand, Component
from amparo.inbox.models import Message
from amparo.radar.models import SuggestedIncident
from amparo.radar.svg import MAX_POINTS, ChartText, evidence_chart

LoggedIn = Callable[[Agent], Client]
MakeSuggestion = Callable[..., SuggestedIncident]

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
LAST = int(NOW.timestamp()) // 60
FIRST = LAST - 179
SURGE, DETECTED = LAST - 29, LAST - 20
HOSTILE = "<script>alert(1)</script>"
TEXT = ChartText(
    title="Counts against the expected band",
    empty="Nothing to draw",
    counts="Messages per minute",
    band="Expected range",
    start="Estimated start",
    detected="Detection",
)


def evidence(**overrides: Any) -> dict[str, Any]:
    """Three hours of a series that doubles and more in the last half hour; the first ten
    minutes are the baseline's warm-up (no expectation yet)."""
    minutes = list(range(FIRST, LAST + 1))
    data: dict[str, Any] = {
        "series": {"key": "topic:app_down", "channel": "whatsapp"},
        "minutes": minutes,
        "counts": [3 if m < SURGE else 14 for m in minutes],
        "expected": [None if m < FIRST + 10 else 3.0 for m in minutes],
        "spread": [None if m < FIRST + 10 else 1.9 for m in minutes],
        "alert": {"at": DETECTED, "start": SURGE, "observed": 14, "expected": 3.0},
        "terms": [["abre", 9], ["error", 7]],
        "messages": [],
    }
    return {**data, **overrides}


@pytest.fixture
def make_suggestion(brand: Brand) -> MakeSuggestion:
    def make(**overrides: Any) -> SuggestedIncident:
        components = overrides.pop("components", [])
        fields: dict[str, Any] = {
            "brand": brand,
            "key": "topic:app_down",
            "channels": ["whatsapp"],
            "topics": ["app_down"],
            "detected_at": datetime.fromtimestamp(DETECTED * 60, UTC),
            "started_at": datetime.fromtimestamp(SURGE * 60, UTC),
            "score": 1.4,
            "evidence": evidence(),
        }
        suggestion = SuggestedIncident.objects.create(**{**fields, **overrides})
        suggestion.components.add(*components)
        return suggestion

    return make


@pytest.fixture
def suggestion(make_suggestion: MakeSuggestion) -> SuggestedIncident:
    return make_suggestion()


def html(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def chart_of(page: str) -> str:
    match = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert match, "the page has no chart"
    return match.group(0)


def decide(client: Client, suggestion: SuggestedIncident, decision: str) -> Any:
    return client.post(f"/console/radar/{suggestion.pk}/{decision}")


# --- reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/console/radar", "/console/radar/1"])
def test_an_anonymous_visitor_is_redirected_to_the_login_page(db: None, path: str) -> None:
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/login")


def test_an_agent_sees_open_suggestions_before_decided_ones(
    make_suggestion: MakeSuggestion, logged_in: LoggedIn, alice: Agent, sue: Agent
) -> None:
    decided = make_suggestion(
        status="declared", decided_by=sue, decided_at=NOW, detected_at=NOW + timedelta(hours=1)
    )
    dismissed = make_suggestion(status="dismissed", decided_by=sue, decided_at=NOW)
    still_open = make_suggestion(key="all", topics=[])

    page = html(logged_in(alice).get("/console/radar"))

    rows = [int(pk) for pk in re.findall(r'data-suggestion="(\d+)"', page)]
    assert rows[0] == still_open.pk
    assert set(rows[1:]) == {decided.pk, dismissed.pk}
    assert "App or site down" in page
    assert "All messages" in page
    assert f'href="/console/radar/{still_open.pk}"' in page
    assert 'href="/console/radar"' in page  # the navigation links to the radar


def test_the_list_says_when_there_is_nothing_to_decide(logged_in: LoggedIn, alice: Agent) -> None:
    page = html(logged_in(alice).get("/console/radar"))

    assert "No open suggestions." in page
    assert "data-suggestion=" not in page


def test_the_detail_page_shows_what_surged_when_and_the_chart(
    make_suggestion: MakeSuggestion,
    make_component: Callable[..., Component],
    brand: Brand,
    logged_in: LoggedIn,
    alice: Agent,
) -> None:
    app = make_component(brand, name="Mobile app", names={"es": "App móvil"})
    suggestion = make_suggestion(components=[app], channels=["whatsapp", "x"])

    page = html(logged_in(alice).get(f"/console/radar/{suggestion.pk}"))

    assert "Altamar Tiendas" in page
    assert "Mobile app" in page
    assert "App or site down" in page
    assert "WhatsApp" in page
    assert "2026-11-25 11:31 UTC" in page  # estimated start
    assert "2026-11-25 11:40 UTC" in page  # detection
    assert "1.4" in page
    assert "<bdi>abre</bdi> · 9" in page
    chart = chart_of(page)
    assert 'role="img"' in chart
    assert "<title>Messages per minute against the expected band</title>" in chart
    assert re.search(r'<polygon class="band" points="[\d., ]+"', chart)
    assert 'class="marker start"' in chart
    assert 'class="marker detected"' in chart
    assert 'class="counts"' in chart
    assert "11:00" in chart  # a time label on the axis


def test_an_agent_sees_no_decision_buttons(
    suggestion: SuggestedIncident, logged_in: LoggedIn, alice: Agent
) -> None:
    page = html(logged_in(alice).get(f"/console/radar/{suggestion.pk}"))

    assert f"/console/radar/{suggestion.pk}/declare" not in page
    assert "A supervisor decides" in page


def test_sample_messages_link_to_their_conversations_and_missing_ones_are_left_out(
    make_suggestion: MakeSuggestion,
    receive: Callable[..., Message],
    logged_in: LoggedIn,
    alice: Agent,
) -> None:
    message = receive(text="la app no abre desde la mañana")
    suggestion = make_suggestion(
        evidence=evidence(messages=[message.pk, 999_999, "1", None, True, {"id": 1}])
    )

    page = html(logged_in(alice).get(f"/console/radar/{suggestion.pk}"))

    assert f'href="/conversations/{message.conversation_id}"' in page
    assert page.count('href="/conversations/') == 1
    assert "la app no abre desde la mañana" in page


def test_a_missing_suggestion_answers_404(logged_in: LoggedIn, sue: Agent) -> None:
    client = logged_in(sue)

    assert client.get("/console/radar/999999").status_code == 404
    assert client.post("/console/radar/999999/declare").status_code == 404
    assert client.post("/console/radar/999999/dismiss").status_code == 404


# --- deciding ---------------------------------------------------------------------------


@pytest.mark.parametrize("decision", ["declare", "dismiss"])
def test_an_agent_may_not_decide_and_nothing_changes(
    suggestion: SuggestedIncident, logged_in: LoggedIn, alice: Agent, decision: str
) -> None:
    assert decide(logged_in(alice), suggestion, decision).status_code == 403

    suggestion.refresh_from_db()
    assert suggestion.status == "open"
    assert suggestion.decided_by is None
    assert not AuditEvent.objects.exists()


def test_a_supervisor_declares_and_the_decision_is_audited(
    suggestion: SuggestedIncident, logged_in: LoggedIn, sue: Agent
) -> None:
    client = logged_in(sue)

    response = decide(client, suggestion, "declare")

    assert response.status_code == 302
    assert response["Location"] == f"/console/radar/{suggestion.pk}"
    suggestion.refresh_from_db()
    assert suggestion.status == "declared"
    assert suggestion.decided_by == sue
    assert suggestion.decided_at is not None
    event = AuditEvent.objects.get(action="suggestion.declared")
    assert event.actor == sue
    assert event.object_id == str(suggestion.pk)
    assert event.before == {"status": "open", "decided_by": None, "decided_at": None}
    assert event.after["status"] == "declared"
    assert event.after["decided_by"] == sue.pk
    page = html(client.get(response["Location"]))
    assert "no incident was opened" in page
    assert f"/console/radar/{suggestion.pk}/declare" not in page


def test_an_administrator_dismisses(
    suggestion: SuggestedIncident, logged_in: LoggedIn, ada: Agent
) -> None:
    assert decide(logged_in(ada), suggestion, "dismiss").status_code == 302

    suggestion.refresh_from_db()
    assert suggestion.status == "dismissed"
    assert suggestion.decided_by == ada
    assert AuditEvent.objects.get().action == "suggestion.dismissed"


def test_deciding_twice_changes_nothing_and_says_so(
    suggestion: SuggestedIncident, logged_in: LoggedIn, sue: Agent, ada: Agent
) -> None:
    decide(logged_in(sue), suggestion, "declare")
    suggestion.refresh_from_db()
    decided_at = suggestion.decided_at

    response = logged_in(ada).post(f"/console/radar/{suggestion.pk}/dismiss", follow=True)

    suggestion.refresh_from_db()
    assert suggestion.status == "declared"
    assert suggestion.decided_by == sue
    assert suggestion.decided_at == decided_at
    assert AuditEvent.objects.count() == 1
    assert "already decided; nothing changed" in html(response)


@pytest.mark.parametrize("decision", ["declare", "dismiss"])
def test_a_get_on_a_decision_url_answers_405(
    suggestion: SuggestedIncident, logged_in: LoggedIn, sue: Agent, decision: str
) -> None:
    assert logged_in(sue).get(f"/console/radar/{suggestion.pk}/{decision}").status_code == 405


def test_a_decision_without_a_csrf_token_is_refused(
    suggestion: SuggestedIncident, sue: Agent
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(sue)

    assert decide(client, suggestion, "declare").status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "open"

    client.get(f"/console/radar/{suggestion.pk}")
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        f"/console/radar/{suggestion.pk}/declare", {"csrfmiddlewaretoken": token}
    )
    assert accepted.status_code == 302


# --- hostile or odd evidence ------------------------------------------------------------

ODD_EVIDENCE = {
    "empty": {},
    "not a dict": ["minutes", 1],
    "empty lists": evidence(minutes=[], counts=[], expected=[], spread=[], terms=[]),
    # JSON columns refuse NaN and infinity; text that spells them is what can arrive.
    "nulls and text": evidence(
        counts=[None, "7", "NaN", "Infinity", -3, True, *([2] * 174)],
        expected=["NaN"] * 180,
        spread="wide",
    ),
    "columns of different lengths": evidence(counts=[1, 2, 3], expected=[1.0], spread=[]),
    "one point": evidence(
        minutes=[LAST], counts=[5], expected=[2.0], spread=[1.0], alert={"at": LAST}
    ),
    "all zeros": evidence(counts=[0] * 180, expected=[0.0] * 180, spread=[0.0] * 180),
    "huge values": evidence(counts=[10**400, 1e300, *([1e14] * 178)], spread=[1e308] * 180),
    "hostile alert": evidence(alert={"at": "<b>", "start": 10**30, "observed": HOSTILE}),
    "hostile minutes": evidence(minutes=[HOSTILE, -5, 1e300, *range(FIRST + 3, LAST + 1)]),
    "hostile terms": evidence(terms=[[HOSTILE, 3], ['"><svg onload=alert(1)>', 2], ["x"], 5]),
}


@pytest.mark.parametrize("data", ODD_EVIDENCE.values(), ids=ODD_EVIDENCE.keys())
def test_odd_or_hostile_evidence_renders_escaped(
    make_suggestion: MakeSuggestion, logged_in: LoggedIn, alice: Agent, data: Any
) -> None:
    suggestion = make_suggestion(evidence=data, topics=[HOSTILE], channels=[HOSTILE])

    page = html(logged_in(alice).get(f"/console/radar/{suggestion.pk}"))

    assert "<script>" not in page
    assert "onload=" not in page or "&quot;&gt;&lt;svg onload=" in page
    assert "nan" not in chart_of(page).lower()
    assert "inf" not in chart_of(page).lower()
    assert html(logged_in(alice).get("/console/radar")).count("<script>") == 0


def test_a_hostile_term_is_shown_as_text(
    make_suggestion: MakeSuggestion, logged_in: LoggedIn, alice: Agent
) -> None:
    suggestion = make_suggestion(evidence=evidence(terms=[[HOSTILE, 3]]))

    page = html(logged_in(alice).get(f"/console/radar/{suggestion.pk}"))

    assert "<bdi>&lt;script&gt;alert(1)&lt;/script&gt;</bdi> · 3" in page


def test_ten_thousand_points_are_thinned_to_a_small_chart(
    make_suggestion: MakeSuggestion, logged_in: LoggedIn, alice: Agent
) -> None:
    n = 10_000
    minutes = list(range(LAST - n + 1, LAST + 1))
    spike = LAST - 5000
    data = evidence(
        minutes=minutes,
        counts=[500 if m == spike else 4 for m in minutes],
        expected=[4.0] * n,
        spread=[2.0] * n,
    )
    suggestion = make_suggestion(evidence=data)

    chart = chart_of(html(logged_in(alice).get(f"/console/radar/{suggestion.pk}")))

    assert len(chart) < 60_000
    counts_path = re.search(r'<path class="counts" d="([^"]+)"', chart)
    assert counts_path
    assert counts_path.group(1).count("L") < MAX_POINTS
    assert ">500<" in chart  # the one spike survives thinning and sets the scale


def test_every_page_is_free_of_inline_styles_and_scripts(
    suggestion: SuggestedIncident, logged_in: LoggedIn, sue: Agent
) -> None:
    client = logged_in(sue)

    for path in ["/console/radar", f"/console/radar/{suggestion.pk}"]:
        page = html(client.get(path))
        assert " style=" not in page
        assert not re.search(r"<script(?![^>]*\bsrc=)", page)


# --- languages --------------------------------------------------------------------------


def test_the_hebrew_radar_is_right_to_left_and_translated(
    suggestion: SuggestedIncident, logged_in: LoggedIn, sue: Agent
) -> None:
    client = logged_in(sue)
    client.cookies["amparo_language"] = "he"

    listing = html(client.get("/console/radar"))
    page = html(client.get(f"/console/radar/{suggestion.pk}"))

    assert '<html lang="he" dir="rtl">' in page
    assert "מכ״ם" in listing
    assert "הצעות פתוחות" in listing
    assert "תקלה מוצעת" in page
    assert "<title>הודעות לדקה מול הטווח הצפוי</title>" in chart_of(page)
    assert 'direction="ltr"' in chart_of(page)  # time still runs left to right
    assert "הכרזה" in page


def test_the_spanish_radar_is_translated(
    suggestion: SuggestedIncident, logged_in: LoggedIn, alice: Agent
) -> None:
    client = logged_in(alice)
    client.cookies["amparo_language"] = "es"

    page = html(client.get(f"/console/radar/{suggestion.pk}"))

    assert '<html lang="es" dir="ltr">' in page
    assert "Incidente sugerido" in page
    assert "Mensajes por minuto" in chart_of(page)


# --- the chart on its own ---------------------------------------------------------------


def test_an_empty_chart_is_a_frame_with_a_note() -> None:
    chart = str(evidence_chart({}, TEXT))

    assert chart.startswith("<svg") and chart.endswith("</svg>")
    assert 'class="plot"' in chart
    assert "Nothing to draw" in chart
    assert "<polygon" not in chart
    assert 'class="marker' not in chart


def test_warm_up_minutes_without_expectation_are_left_out_of_the_band() -> None:
    chart = str(evidence_chart(evidence(), TEXT))

    band = re.search(r'<polygon class="band" points="([^"]+)"', chart)
    assert band
    assert len(band.group(1).split()) == 2 * 170  # the upper and lower edge of 170 minutes
    assert chart.count('class="band"') == 1


def test_a_gap_in_the_expectation_splits_the_band() -> None:
    expected: list[float | None] = [3.0] * 180
    expected[90] = None

    chart = str(evidence_chart(evidence(expected=expected, spread=[1.0] * 180), TEXT))

    assert chart.count('<polygon class="band"') == 2


def test_not_a_number_and_infinity_are_gaps() -> None:
    nan, inf = float("nan"), float("inf")
    data = evidence(counts=[nan, inf, -inf, *([2] * 177)], expected=[nan] * 90 + [2.0] * 90)

    chart = str(evidence_chart(data, TEXT))

    assert "nan" not in chart.lower()
    assert "inf" not in chart.lower()
    assert chart.count('<polygon class="band"') == 1


def test_all_zeros_draw_a_flat_line_on_a_scale_of_one() -> None:
    chart = str(
        evidence_chart(evidence(counts=[0] * 180, expected=[0.0] * 180, spread=[0.0] * 180), TEXT)
    )

    assert re.search(r'class="y-label"[^>]*>1<', chart)
    assert 'class="counts"' in chart


def test_one_point_is_still_visible() -> None:
    data = evidence(minutes=[LAST], counts=[5], expected=[2.0], spread=[1.0], alert={"at": LAST})

    chart = str(evidence_chart(data, TEXT))

    assert '<circle class="counts"' in chart
    assert '<polygon class="band"' in chart
    assert 'class="marker detected"' in chart


def test_huge_counts_get_a_readable_maximum() -> None:
    chart = str(evidence_chart(evidence(counts=[2.4e12] * 180), TEXT))

    assert re.search(r'class="y-label"[^>]*>2.5e\+12<', chart)


def test_a_chart_over_days_labels_the_date() -> None:
    minutes = list(range(LAST - 3 * 1440, LAST + 1, 60))
    data = evidence(minutes=minutes, counts=[1] * len(minutes), expected=[], spread=[])

    chart = str(evidence_chart(data, TEXT))

    assert re.search(r'class="x-label"[^>]*>11-2\d \d\d:\d\d<', chart)


def test_the_chart_escapes_the_callers_words_and_is_deterministic() -> None:
    text = ChartText(HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE, HOSTILE)

    chart = str(evidence_chart(evidence(), text))

    assert "<script>" not in chart
    assert 'aria-label="&lt;script&gt;alert(1)&lt;/script&gt;"' in chart
    assert chart == str(evidence_chart(evidence(), text))

"""What a person does in the console, in a real Chromium against a real server."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

from conftest import Server
from playwright.sync_api import Page, expect

HEBREW_REPLY = "שלום, אנחנו מצטערים על התקלה. אנחנו בודקים אותה ונעדכן אותך תוך שעה."


def log_in(
    page: Page, server: Server, email: str | None = None, password: str | None = None
) -> None:
    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/login"))
    page.fill("#id_username", email or server.email)
    page.fill("#id_password", password or server.password)
    page.click("button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/inbox"))


def switch_language(page: Page, code: str) -> None:
    page.select_option("#language-select", code)
    page.click(".langform button")


def test_agent_answers_a_hebrew_message_in_a_right_to_left_layout(
    page: Page, server: Server, screenshot_dir: Path
) -> None:
    log_in(page, server)
    switch_language(page, "he")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("תיבת דואר נכנס")

    hebrew_row = page.locator("#inbox-rows tr", has=page.locator('td.snippet[lang="he"]')).first
    hebrew_row.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+"))
    expect(page.locator("section.conversation")).to_have_attribute("dir", "rtl")

    page.fill("#id_text", HEBREW_REPLY)
    page.click("form.reply button[type=submit]")
    reply = page.locator("li.message.out", has_text=HEBREW_REPLY)
    expect(reply).to_be_visible()
    # The worker inside `amparo serve` sends it; the thread refreshes by itself.
    expect(reply).to_have_attribute("data-state", "sent", timeout=20_000)
    box = reply.bounding_box()
    assert box is not None and box["x"] < page.viewport_size["width"] / 2, (
        "outbound sits on the left in RTL"
    )
    page.screenshot(path=str(screenshot_dir / "console-hebrew-reply.png"), full_page=True)


def test_the_inbox_shows_a_new_message_without_a_reload(page: Page, server: Server) -> None:
    token = server.amparo(
        "token", "create", "--name", "browser-ingest", "--scope", "messages:write"
    ).strip()
    log_in(page, server)
    switch_language(page, "es")
    # The queue puts earlier-due conversations first; the web chat's alone on its filter.
    page.goto(f"{server.url}/inbox?status=open&channel=webchat")
    body = {
        "channel": "webchat",
        "channel_message_id": "wc-browser-1",
        "brand": "banco-altamar",
        "from": {"external_id": "wc-session-browser", "display_name": "Rigoberta Nueva"},
        "text": "<b>hola</b> ya sirve la app???",
    }
    request = urllib.request.Request(
        f"{server.url}/api/v1/messages",
        data=json.dumps(body).encode(),
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        assert response.status == 202
    row = page.locator("#inbox-rows tr", has_text="Rigoberta Nueva")
    expect(row).to_be_visible(timeout=20_000)
    # Markup in a customer's message is shown as text, never rendered.
    expect(row.locator("td.snippet")).to_contain_text("<b>hola</b>")


def test_an_agent_is_refused_the_admin_pages(page: Page, server: Server) -> None:
    out = server.amparo("agent", "create", "--email", "agente@altamar.example", "--role", "agent")
    password = re.search(r"password: (\S+)", out).group(1)  # type: ignore[union-attr]
    log_in(page, server, "agente@altamar.example", password)
    response = page.goto(f"{server.url}/console/agents")
    assert response is not None and response.status == 403
    expect(page.locator("nav.mainnav")).not_to_contain_text("Agents")


def test_the_status_page_reads_right_to_left_in_hebrew(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/status?lang=he")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("body")).to_contain_text("אפליקציית הבנק")
    page.goto(f"{server.url}/status?lang=es")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("body")).to_contain_text("Pagos en la app")


def test_the_reply_guard_stops_a_pin_request_and_lets_the_corrected_reply_go(
    page: Page, server: Server
) -> None:
    log_in(page, server)
    switch_language(page, "es")
    spanish_row = page.locator("#inbox-rows tr", has=page.locator('td.snippet[lang="es"]')).first
    spanish_row.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/conversations/\d+"))

    page.fill("#id_text", "Para revisarlo, mándeme su NIP por aquí, por favor.")
    page.click("form.reply button[type=submit]")
    guard = page.locator("#reply-guard")
    expect(guard).to_be_visible()
    expect(guard.locator('li[data-reason="secret_request"]')).to_be_visible()
    expect(page.locator("#id_override_reason")).to_have_count(0)  # a block has no way round
    expect(page.locator("li.message.out", has_text="NIP")).to_have_count(0)

    corrected = (
        "Lamentamos mucho lo ocurrido. Por su seguridad, nunca le pediremos su NIP; "
        "le escribimos hoy antes de las 18:00 con la solución."
    )
    page.fill("#id_text", corrected)
    page.click("form.reply button[type=submit]")
    expect(page.locator("li.message.out", has_text="nunca le pediremos")).to_be_visible()

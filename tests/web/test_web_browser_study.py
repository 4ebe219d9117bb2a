"""The study flow in headless Chromium: prospects → campaign → calls → meeting → agenda → funnel.

A firm with the demo imported (as ``cartera firm import`` does) and an
assistant; the owner imports the demo's prospect list in the browser, creates a
margin campaign from the call list and assigns the assistant, who logs a call
with no answer and then a reached call that books a meeting. The meeting is a
scheduled item of the firm's agenda, its ``.ics`` downloads and parses with
icalendar, and the funnel counts the prospect at every step up to the meeting.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from icalendar import Calendar
from test_web_browser import (  # noqa: F401  (pytest-playwright fixtures)
    _free_port,
    base_url,
    browser_type_launch_args,
    shot,
)
from web_helpers import PASSWORD, add_user, make_app

from cartera.cli.firm_cmd import import_into_firm
from cartera.store.followup import scheduled_items
from cartera.web.campaigns import CALL_TZ

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def study_server(tmp_path: Path, demo_dir: Path) -> Iterator[tuple[str, Any]]:
    """A served app whose firm ``alfa`` has the demo imported, an owner and an assistant."""
    data = tmp_path / "data"
    app = make_app(data)
    add_user(app, "owner@alfa.es", "alfa", "owner")
    add_user(app, "asis@alfa.es", "alfa", "assistant")
    import_into_firm(data, "alfa", sorted(demo_dir.glob("*.csv")), None)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.cartera.store.dispose()


def _login(page: Any, server: str, email: str) -> None:
    page.goto(server + "/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/f/alfa/")


def test_campaign_from_prospects_to_booked_meeting(
    page: Any, browser: Any, study_server: tuple[str, Any], demo_dir: Path
) -> None:
    server, app = study_server
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    page.set_viewport_size({"width": 1280, "height": 900})
    _login(page, server, "owner@alfa.es")

    # prospects: the do-not-call list, then the prospect list, in the browser
    page.get_by_role("navigation").get_by_role("link", name="Prospectos").click()
    folder = demo_dir / "prospects"
    page.set_input_files("#dnc-import input[type=file]", str(folder / "robinson.csv"))
    page.locator("#dnc-import button").click()
    page.wait_for_selector("#message")
    page.set_input_files("#prospect-import input[type=file]", str(folder / "prospects.csv"))
    page.locator("#prospect-import button").click()
    page.wait_for_selector("#message")
    assert "prospectos nuevos añadidos" in page.locator("#message").inner_text()
    assert page.locator("#prospect-table tbody tr").count() > 20
    shot(page, "study-1-prospects")

    # the study page and the call list, explained
    page.get_by_role("navigation").get_by_role("link", name="Estudio").click()
    assert page.locator("#profile li").count() > 0
    page.get_by_role("navigation").get_by_role("link", name="Lista de llamadas").click()
    whys = page.locator("table.calllist td.why").all_inner_texts()
    assert any(w.startswith(("+ ", "− ")) for w in whys)
    shot(page, "study-2-calllist")

    # a margin campaign with the call list's five best, the assistant assigned
    page.get_by_role("navigation").get_by_role("link", name="Campañas").click()
    page.fill("#new-campaign input[name=name]", "Margen invierno")
    page.select_option("#new-campaign select[name=kind]", "margin")
    page.fill("#new-campaign input[name=top]", "5")
    page.locator("#new-campaign button").click()
    page.wait_for_url("**/campaigns/1")
    page.get_by_label("asis@alfa.es (asistente)").check()
    page.locator("#campaign-settings button[type=submit]").click()
    page.wait_for_selector("#message")
    code = page.locator("table.members tbody tr td a").first.inner_text()
    shot(page, "study-3-campaign")

    # the assistant calls: no answer, then reached and a meeting booked
    assistant = browser.new_page()
    assistant.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _login(assistant, server, "asis@alfa.es")
    assistant.goto(f"{server}/f/alfa/campaigns/1/call?prospect={code}")
    assert "Buenos días" in assistant.locator("blockquote.script").inner_text()
    assistant.select_option("#result", "no_answer")
    assistant.locator("#call-form button").click()
    assistant.wait_for_selector("#message")
    assistant.goto(f"{server}/f/alfa/campaigns/1/call?prospect={code}")
    meet = (dt.datetime.now(CALL_TZ) + dt.timedelta(days=4)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    assistant.select_option("#result", "reached")
    assistant.select_option("#outcome", "meeting_booked")
    assistant.fill("#meeting_at", meet.strftime("%Y-%m-%dT%H:%M"))
    assistant.fill("textarea[name=note]", "Quiere ver el catálogo")
    assistant.locator("#call-form button").click()
    assistant.wait_for_selector("#ics-link")
    shot(assistant, "study-4-meeting")
    with assistant.expect_download() as info:
        assistant.click("#ics-link")
    ics = Calendar.from_ical(Path(info.value.path()).read_bytes())
    (event,) = ics.walk("VEVENT")
    assert event.decoded("dtstart") == meet

    # the meeting is an agenda item of the firm, with the same calendar UID
    with app.state.cartera.store.session() as s:
        items = [i for i in scheduled_items(s, 1) if i.subject_id == code]
    assert len(items) == 1 and items[0].kind == "meeting" and items[0].at == meet
    assert str(event["uid"]) == items[0].calendar_uid

    # the funnel counts the prospect up to the meeting
    page.get_by_role("navigation").get_by_role("link", name="Embudo").click()
    cells = page.locator("table.funnel").first.locator("tbody tr").first.locator("td")
    counts = [cells.nth(i).inner_text().split()[0] for i in range(1, 7)]
    assert counts == ["5", "1", "1", "1", "0", "0"]
    shot(page, "study-5-funnel")
    assert errors == []
    assert outside == []

"""The main flow in headless Chromium against a real server on 127.0.0.1.

First run → create the owner → upload the demo files → fix a role → import →
dashboard → a client page → what-if ticking two clients → switch language.
No console errors, no request leaves 127.0.0.1, and the main flow works from
the keyboard. Screenshots go to tests/artifacts/web-*.png.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from web_helpers import PASSWORD, make_app

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, Any]:
    """pytest-playwright: Debian's Chromium, headless, with no background traffic."""
    return {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url() -> str:
    """No fixed base URL: each test's server has its own port (overrides pytest-base-url's)."""
    return ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    """The app served by uvicorn in a thread; yields its base URL."""
    port = _free_port()
    config = uvicorn.Config(make_app(tmp_path / "data"), host="127.0.0.1", port=port,
                            log_level="warning")  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def demo_unrecognised(demo_dir: Path, tmp_path: Path) -> Path:
    """The demo files with the clients' name column under a header no alias knows."""
    out = tmp_path / "demo"
    out.mkdir()
    for path in demo_dir.glob("*.csv"):
        data = path.read_bytes()
        if path.name == "clientes.csv":
            data = data.replace("Razón social".encode("cp1252"), b"Denominacion fiscal", 1)
        (out / path.name).write_bytes(data)
    return out


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"web-{name}.png"), full_page=True)


def test_main_flow(page: Any, server: str, demo_unrecognised: Path) -> None:
    errors: list[str] = []
    outside: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(server) else outside.append(r.url))
    page.set_viewport_size({"width": 1280, "height": 900})

    # first run: the owner, typed and submitted from the keyboard
    page.goto(server + "/")
    assert page.url.endswith("/setup")
    page.keyboard.type("Clínica Sur")  # the firm name field has the focus
    page.keyboard.press("Tab")
    page.keyboard.type("ana@example.es")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    shot(page, "1-setup")
    page.keyboard.press("Enter")
    page.wait_for_url("**/f/clinica-sur/")

    # upload the demo files
    page.get_by_role("link", name="Ir a importaciones").click()
    page.set_input_files("input[type=file]", sorted(str(p) for p in demo_unrecognised.iterdir()))
    page.get_by_role("button", name="Subir y previsualizar").click()
    page.wait_for_url("**/imports/staged/**")

    # fix a role: the unrecognised column becomes the client's name
    select = page.locator('select[data-header="Denominacion fiscal"]')
    assert select.input_value() == ""
    select.select_option("client_name")
    page.wait_for_function(
        """() => document.querySelector('select[data-header="Denominacion fiscal"]')
                 .value === 'client_name'"""
    )
    page.wait_for_load_state("networkidle")
    assert page.locator('select[data-header="Denominacion fiscal"]').input_value() == "client_name"
    shot(page, "2-preview")
    page.get_by_role("button", name="Importar estos ficheros").click()
    page.wait_for_url("**/imports/1")
    page.get_by_role("link", name="Abrir el panel").click()

    # dashboard: charts first, drawn
    page.wait_for_selector("#chart-pareto[data-drawn='true']", timeout=30_000)
    page.wait_for_selector("#chart-segments[data-drawn='true']", timeout=30_000)
    assert page.locator(".card").count() >= 6
    shot(page, "3-dashboard")

    # clients: accent-insensitive search, then a client page
    page.get_by_role("navigation").get_by_role("link", name="Clientes").click()
    page.fill("#q", "logistica")
    page.wait_for_function("() => document.querySelectorAll('#client-table tbody tr').length < 20")
    page.wait_for_load_state("networkidle")
    first = page.locator("#client-table tbody tr td a").first
    name = first.inner_text()
    assert "ogística" in name or "ogistica" in name.lower()
    shot(page, "4-clients")
    first.click()
    page.wait_for_selector("#chart-history[data-drawn='true']", timeout=30_000)
    assert name in page.locator("h1").inner_text()
    shot(page, "5-client")

    # what-if: tick two clients and see the figures move
    page.get_by_role("navigation").get_by_role("link", name="Simulador").click()
    after = page.locator("#whatif-result tbody tr").nth(1).locator("td.after")
    before_text = after.inner_text()
    boxes = page.locator("#candidate-list input[type=checkbox]")
    boxes.nth(0).check()
    page.wait_for_function(
        "t => document.querySelectorAll('#whatif-result tbody tr')[1]"
        ".querySelector('td.after').textContent !== t", arg=before_text)  # fmt: skip
    boxes = page.locator("#candidate-list input[type=checkbox]")
    boxes.nth(1).check()
    page.wait_for_function("() => document.querySelectorAll('#whatif-result p.muted').length"
                           " && document.querySelector('#whatif-result p.muted').textContent"
                           ".includes(',')")  # fmt: skip
    assert page.locator("#whatif-result tbody tr").first.locator("td.after").inner_text() != (
        page.locator("#whatif-result tbody tr").first.locator("td").nth(0).inner_text()
    )
    shot(page, "6-whatif")

    # switch language (saved for the user)
    page.select_option("#lang-select", "en")
    page.click("#lang-submit")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").first.inner_text().startswith("What if")
    shot(page, "7-english")

    assert errors == []
    assert outside == []


def test_keyboard_reaches_the_navigation(page: Any, server: str) -> None:
    page.goto(server + "/setup")
    page.fill("input[name=firm_name]", "Firma")
    page.fill("input[name=email]", "k@example.es")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/f/firma/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # skip link moves focus to the content
    assert page.evaluate("location.hash") == "#main"
    for _i in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Clientes":
            break
    else:
        pytest.fail("Tab never reached the Clients link")
    page.goto(server + "/f/firma/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")  # dashboard
    page.keyboard.press("Tab")  # clients
    assert page.evaluate("document.activeElement.textContent") == "Clientes"
    page.keyboard.press("Enter")
    page.wait_for_url("**/f/firma/clients")


@pytest.fixture
def imported_server(tmp_path: Path, demo_dir: Path) -> Iterator[str]:
    """A server whose firm ``alfa`` has the demo imported and an assistant, Eva."""
    from web_helpers import add_user, login, upload_and_import

    app = make_app(tmp_path / "data")
    add_user(app, "owner@alfa.es", "alfa", "owner")
    add_user(app, "eva@alfa.es", "alfa", "assistant")
    client, csrf = login(app, "owner@alfa.es")
    upload_and_import(client, csrf, "alfa", demo_dir)
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def test_agenda_call_done_is_logged_and_moves_the_next_contact(
    page: Any, imported_server: str
) -> None:
    server = imported_server
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(server + "/login")
    page.fill("input[name=email]", "eva@alfa.es")
    page.fill("input[name=password]", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/f/alfa/")
    page.get_by_role("navigation").get_by_role("link", name="Agenda").click()
    page.wait_for_url("**/f/alfa/agenda")
    item = page.locator("li.agenda-item").first
    key = item.get_attribute("data-key")
    client_link = item.locator(".rec-head a")
    client_url = server + str(client_link.get_attribute("href"))
    shot(page, "8-agenda")

    page.goto(client_url)
    before = page.locator("#next-contact").inner_text()
    page.go_back()
    item = page.locator(f'li.agenda-item[data-key="{key}"]')
    item.locator("summary").click()
    item.locator("input[name=outcome]").fill("Contento; pide una visita")
    item.locator("textarea[name=note]").fill("Llamada de satisfacción hecha")
    item.get_by_role("button", name="Hecha: registrarla").click()
    page.wait_for_url("**/f/alfa/agenda")
    assert page.locator(f'li.agenda-item[data-key="{key}"]').count() == 0

    page.goto(client_url)
    log = page.locator("#interaction-log tbody tr").first
    assert "Contento; pide una visita" in log.inner_text()
    assert "eva@alfa.es" in log.inner_text()
    after = page.locator("#next-contact").inner_text()
    assert after != before
    shot(page, "9-client-follow-up")
    assert errors == []

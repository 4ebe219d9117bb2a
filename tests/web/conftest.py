"""Web fixtures: an app on a temporary data folder, its users, and a firm with the demo imported.

``firm_app`` (one per test module) holds two firms: ``alfa`` with the demo
portfolio imported and one member per role, and ``beta`` (its own owner) for
the cross-firm checks. Helpers live in ``web_helpers`` (one name for the whole suite).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from web_helpers import ROLES, FirmApp, add_user, login, make_app, upload_and_import


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo export (80 clients, 4,000 lines), Spanish conventions."""
    from cartera.demo import write_demo

    folder = tmp_path_factory.mktemp("demo")
    write_demo(folder, clients=80, lines=4000, seed=7)
    return folder


@pytest.fixture(scope="module")
def firm_app(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Iterator[FirmApp]:
    data = tmp_path_factory.mktemp("web")
    app = make_app(data)
    for role in ROLES:
        add_user(app, f"{role}@alfa.es", "alfa", role)
    add_user(app, "owner@beta.es", "beta", "owner")
    fa = FirmApp(app, data)
    for role in ROLES:
        fa.clients[role] = login(app, f"{role}@alfa.es")
    fa.clients["other"] = login(app, "owner@beta.es")
    client, csrf = fa.as_role("owner")
    upload_and_import(client, csrf, "alfa", demo_dir)
    yield fa
    app.state.cartera.store.dispose()

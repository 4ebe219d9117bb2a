"""What makes the pages fast stays correct: the cached dashboard, ETags, one-scan client
history, the simulator behind the what-if API, and the limit on page computations."""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace
from typing import Any

import anyio
import duckdb
import pytest
from web_helpers import FirmApp

from cartera.scenarios.whatif import portfolio_without
from cartera.web.offload import HEAVY_AT_ONCE, offload


def cached(fa: FirmApp) -> Any:
    (item,) = list(fa.app.state.cartera.cache._items.values())
    return item


def test_dashboard_etag_answers_304_and_differs_per_user_and_language(firm_app: FirmApp) -> None:
    viewer, _csrf = firm_app.as_role("viewer")
    first = viewer.get("/f/alfa/")
    tag = first.headers["etag"]
    assert first.status_code == 200 and "no-cache" in first.headers["cache-control"]
    again = viewer.get("/f/alfa/")
    assert again.text == first.text and again.headers["etag"] == tag
    unchanged = viewer.get("/f/alfa/", headers={"if-none-match": tag})
    assert unchanged.status_code == 304 and unchanged.content == b""
    stale = viewer.get("/f/alfa/", headers={"if-none-match": '"something-else"'})
    assert stale.status_code == 200 and stale.text == first.text
    owner, _csrf = firm_app.as_role("owner")
    theirs = owner.get("/f/alfa/")
    assert theirs.headers["etag"] != tag
    # the owner's page links to the settings, the viewer's does not (body cached per role)
    assert "/f/alfa/settings" in theirs.text and "/f/alfa/settings" not in first.text
    viewer.cookies.set("cartera_lang", "en")
    try:
        english = viewer.get("/f/alfa/")
    finally:
        viewer.cookies.delete("cartera_lang")
    assert english.headers["etag"] != tag
    assert "Recommendations" in english.text and "Recomendaciones" in first.text


def test_client_history_equals_a_direct_query(firm_app: FirmApp) -> None:
    item = cached(firm_app)
    analysis = item.analysis
    client, _csrf = firm_app.as_role("viewer")
    row = analysis.clients_frame.row(3, named=True)
    data = client.get(f"/f/alfa/clients/{row['id']}?format=json").json()
    docs = str(item.workspace / "documents.parquet")
    expected = dict(
        duckdb.sql(
            "SELECT strftime(date_trunc('month', date), '%Y-%m-%d'), sum(amount) "
            f"FROM read_parquet('{docs}') WHERE client_key = {int(row['client_key'])} "
            f"AND date >= DATE '{data['history'][0]['month']}' "
            f"AND date <= DATE '{analysis.as_of.isoformat()}' GROUP BY 1"
        ).fetchall()
    )
    got = {h["month"]: h["sales"] for h in data["history"] if h["sales"]}
    assert got.keys() == expected.keys()
    for month, sales in expected.items():
        assert got[month] == pytest.approx(sales)
    invoices = duckdb.sql(
        f"SELECT count(DISTINCT doc_number) FROM read_parquet('{docs}') "
        f"WHERE client_key = {int(row['client_key'])} AND doc_type = 'invoice'"
    ).fetchall()[0][0]
    assert len(data["invoices"]) == min(25, invoices)


def test_api_whatif_applies_the_hourly_cost_and_price_cut(firm_app: FirmApp) -> None:
    import ibis

    from cartera.engine.portfolio import summarise
    from cartera.scenarios.simulate import adjust_frame

    item = cached(firm_app)
    frame, settings = item.analysis.clients_frame, item.settings
    client, _csrf = firm_app.as_role("viewer")
    top = frame["id"][0]
    url = f"/api/v1/firms/alfa/whatif?lose={top}&hourly_cost=55&price_cut=0.2"
    body = client.get(url, headers={"accept": "application/json"}).json()
    chosen = settings.with_overrides(hourly_cost=55.0)
    adjusted = adjust_frame(frame, hourly_cost=55.0, old_hourly_cost=settings.hourly_cost,
                            structure_price_cut=0.2)  # fmt: skip
    before = summarise(ibis.memtable(adjusted.to_arrow()), chosen)
    after = portfolio_without(adjusted, [top], chosen)
    assert body["before"]["net_contribution"] == pytest.approx(before.net_contribution)
    assert body["after"]["net_contribution"] == pytest.approx(after.net_contribution)
    assert body["after"]["hhi"] == pytest.approx(after.hhi)
    assert body["after"]["pareto"] == after.pareto.model_dump()


def test_page_computations_run_a_few_at_a_time() -> None:
    request: Any = SimpleNamespace(app=SimpleNamespace(state=SimpleNamespace()))
    running, peak = [0], [0]
    lock = threading.Lock()

    def work() -> int:
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1
        return 1

    async def main() -> list[int]:
        results: list[int] = []

        async def one() -> None:
            results.append(await offload(request, work))

        async with anyio.create_task_group() as tg:
            for _i in range(4 * HEAVY_AT_ONCE):
                tg.start_soon(one)
        return results

    # In a thread of its own: the browser tests may leave an event loop on this one.
    done: list[list[int]] = []
    runner = threading.Thread(target=lambda: done.append(anyio.run(main)))
    runner.start()
    runner.join(timeout=60)
    assert done == [[1] * (4 * HEAVY_AT_ONCE)]
    assert peak[0] == HEAVY_AT_ONCE


def test_password_hashes_run_on_two_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from cartera.store import secrets

    running, peak = [0], [0]
    names: set[str] = set()
    lock = threading.Lock()

    class SlowHasher:
        def verify(self, _stored: str, _password: str) -> bool:
            with lock:
                names.add(threading.current_thread().name)
                running[0] += 1
                peak[0] = max(peak[0], running[0])
            time.sleep(0.1)
            with lock:
                running[0] -= 1
            return True

    monkeypatch.setattr(secrets, "password_hasher", SlowHasher)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _i: secrets.verify_password("h", "p"), range(8)))
    assert results == [True] * 8
    assert peak[0] == 2 and len(names) == 2

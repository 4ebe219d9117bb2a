"""The pages of a firm with the demo imported: figures, lists, client, what-if, settings."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import polars as pl
import pytest
from web_helpers import FirmApp

from cartera.i18n import fmt_money, language
from cartera.web.firmdata import fold


def analysis_of(fa: FirmApp):  # type: ignore[no-untyped-def]
    cache = fa.app.state.cartera.cache
    (item,) = list(cache._items.values())
    return item.analysis


def test_dashboard_shows_the_analysis_figures_and_charts(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    html = client.get("/f/alfa/").text
    analysis = analysis_of(firm_app)
    with language("es"):
        revenue = fmt_money(analysis.portfolio.revenue, analysis.currency, digits=0)
    assert revenue in html
    for chart in ("chart-pareto", "chart-segments", "chart-whale"):
        assert f'id="{chart}"' in html
    # charts come before the recommendations and the segment table
    assert html.index("chart-pareto") < html.index("recs-title") < html.index("seg-title")
    for rec in analysis.recommendations:
        if rec.clients:
            assert f"/f/alfa/clients?rec={rec.code}" in html


def test_dashboard_json_is_the_same_data(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    data = client.get("/f/alfa/?format=json").json()
    analysis = analysis_of(firm_app)
    figures = {f["key"]: f["raw"] for f in data["headline"]}
    assert figures["revenue"] == pytest.approx(analysis.portfolio.revenue)
    assert figures["hhi"] == pytest.approx(analysis.portfolio.hhi)
    assert [r["code"] for r in data["recommendations"]] == [
        r.code for r in sorted(analysis.recommendations, key=lambda r: r.priority)
    ]
    assert len(data["assumptions"]) == 6


def test_recommendation_link_lists_exactly_its_clients(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    analysis = analysis_of(firm_app)
    rec = next(r for r in analysis.recommendations if r.clients)
    rows = client.get(f"/f/alfa/clients?rec={rec.code}&per_page=500&format=json").json()["rows"]
    assert sorted(r["id"] for r in rows) == sorted(rec.clients)
    assert client.get("/f/alfa/clients?rec=no_such_code").status_code == 404


def test_clients_sort_page_and_filter(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    frame = analysis_of(firm_app).clients_frame
    data = client.get("/f/alfa/clients?sort=revenue&desc=true&per_page=10&format=json").json()
    assert data["total"] == frame.height
    assert data["pages"] == -(-frame.height // 10)
    top = frame.sort(["revenue", "rank"], descending=[True, False])["id"].head(10).to_list()
    assert [r["id"] for r in data["rows"]] == top
    page2 = client.get("/f/alfa/clients?sort=revenue&desc=true&per_page=10&page=2&format=json")
    assert [r["id"] for r in page2.json()["rows"]] == frame.sort(
        ["revenue", "rank"], descending=[True, False]
    )["id"].slice(10, 10).to_list()
    seg = frame["segment"][0]
    data = client.get(f"/f/alfa/clients?segment={seg}&per_page=500&format=json").json()
    assert data["total"] == frame.filter(pl.col("segment") == seg).height
    assert client.get("/f/alfa/clients?sort=password").status_code == 422
    assert client.get("/f/alfa/clients?segment=nope").status_code == 422


def test_search_ignores_accents_and_case(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    frame = analysis_of(firm_app).clients_frame
    accented = next(n for n in frame["name"].to_list() if n and fold(n) != n.lower())
    word = next(w for w in accented.split() if fold(w) != w.lower())
    plain = fold(word).upper()
    data = client.get(f"/f/alfa/clients?q={plain}&per_page=500&format=json").json()
    expected = [n for n in frame["name"].to_list() if fold(word) in fold(n or "")]
    assert accented in [r["cells"][1]["text"] for r in data["rows"]]
    assert data["total"] >= len(expected) >= 1


def test_htmx_gets_the_table_fragment_only(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    html = client.get("/f/alfa/clients", headers={"HX-Request": "true"}).text
    assert "<table" in html and "<html" not in html


def test_export_csv_and_xlsx_hold_numbers(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    frame = analysis_of(firm_app).clients_frame
    r = client.get("/f/alfa/clients/export?format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert len(rows) == frame.height + 1
    assert float(rows[1][5]) == pytest.approx(frame["revenue"][0])
    r = client.get("/f/alfa/clients/export?format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet.max_row == frame.height + 1
    assert isinstance(sheet.cell(2, 6).value, float)


def test_client_page_history_and_loss(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("assistant")
    analysis = analysis_of(firm_app)
    top = analysis.clients_frame.row(0, named=True)
    data = client.get(f"/f/alfa/clients/{top['id']}?format=json").json()
    assert data["name"] == top["name"]
    assert len(data["history"]) == 24
    window = analysis.window
    in_window = sum(h["sales"] for h in data["history"] if h["month"] >= window.start.isoformat())
    # the months of the window hold the client's revenue (the window starts mid-month at most)
    assert in_window == pytest.approx(top["revenue"], rel=0.25)
    after = analysis.without([top["id"]]).after.profit
    assert data["loss"]["profit_after"]["raw"] == pytest.approx(after)
    # the demo has payments: the six aging buckets are shown (without, none: decision 0948)
    assert len(data["aging"]) == 6
    assert client.get("/f/alfa/clients/NO-SUCH-CLIENT").status_code == 404


def test_whatif_losing_two_clients(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    frame = analysis_of(firm_app).clients_frame
    a, b = frame["id"][0], frame["id"][1]
    data = client.get(f"/f/alfa/whatif?lose={a}&lose={b}&format=json").json()
    revenue = {f["key"]: f for f in data["figures"]}["revenue"]
    assert revenue["after"]["raw"] == pytest.approx(
        frame["revenue"].sum() - frame["revenue"][0] - frame["revenue"][1]
    )
    assert data["lost"] == [a, b]
    # the test firm has no fixed costs: nothing is called profit or coverage
    assert analysis_of(firm_app).portfolio.fixed_costs == 0
    assert {"profit", "fixed_cost_coverage"}.isdisjoint(f["key"] for f in data["figures"])


def test_whatif_sliders_move_profit_by_hand(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    analysis = analysis_of(firm_app)
    frame, p = analysis.clients_frame, analysis.portfolio
    hours = frame["service_hours"].fill_null(0).sum()
    structure = frame.filter(pl.col("segment") == "structure")["revenue"].sum()
    fixed = 120_000.0
    url = f"/f/alfa/whatif?fixed_costs={fixed}&hourly_cost=50&price_cut=0.1&format=json"
    figures = {f["key"]: f for f in client.get(url).json()["figures"]}
    # profit = net contribution − fixed costs over the window; hours now cost 50 instead of 40
    expected_net = p.net_contribution - hours * (50 - 40) - 0.1 * structure
    assert figures["net_contribution"]["after"]["raw"] == pytest.approx(expected_net)
    window_fixed = fixed * analysis._settings.window_months / 12
    assert figures["profit"]["after"]["raw"] == pytest.approx(expected_net - window_fixed)
    assert client.get("/f/alfa/whatif?price_cut=0.95").status_code == 422


def test_settings_save_validate_and_change_the_analysis(firm_app: FirmApp) -> None:
    client, csrf = firm_app.as_role("analyst")
    page = client.get("/f/alfa/settings").text
    assert "fixed_costs" in page and "Por defecto" in page
    r = client.post("/f/alfa/settings", data={"csrf_token": csrf, "hourly_cost": "-1"})
    assert r.status_code == 422
    r = client.post("/f/alfa/settings", data={"csrf_token": csrf, "fixed_costs": "90000"})
    assert r.status_code == 200
    data = client.get("/f/alfa/?format=json").json()
    assert {f["key"]: f["raw"] for f in data["headline"]}["profit"] == pytest.approx(
        data_profit_expected(firm_app, 90000)
    )
    client.post("/f/alfa/settings", data={"csrf_token": csrf, "fixed_costs": "0"})


def data_profit_expected(fa: FirmApp, fixed: float) -> float:
    cache = fa.app.state.cartera.cache
    nets = {a.analysis.portfolio.net_contribution for a in cache._items.values()}
    (net,) = nets
    return net - fixed  # 12-month window


def test_imports_history_and_comparison(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("analyst")
    html = client.get("/f/alfa/imports").text
    assert "facturas.csv" in html
    run = client.get("/f/alfa/imports/1").text
    assert "Esta es la primera importación." in run or "This is the first import." in run
    assert re.search(r"/f/alfa/imports/1\b", html)


def test_credit_notes_table_has_no_payment_columns(firm_app: FirmApp) -> None:
    client, _csrf = firm_app.as_role("viewer")
    # any cached analysis of alfa (other tests may have cached one per settings): same returns
    frame = next(iter(firm_app.app.state.cartera.cache._items.values())).analysis.clients_frame
    returner = frame.sort("return_rate", descending=True, nulls_last=True).row(0, named=True)
    assert returner["return_rate"] > 0
    html = client.get(f"/f/alfa/clients/{returner['id']}").text
    invoices, credits = html.split("Últimas facturas y cobros")[1].split("Últimos abonos")
    head = credits.split("</thead>")[0]
    assert head.count("<th ") == 3 and "Vencimiento" not in head and "Días de cobro" not in head
    assert invoices.split("</thead>")[0].count("<th ") == 6

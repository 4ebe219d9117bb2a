"""The shared view: localised texts, formatted numbers, raw values equal to the analysis."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from cartera.errors import SettingsError
from cartera.i18n import language
from cartera.report import check_format, render
from cartera.report.charts import figures, money_affixes
from cartera.report.view import build_view, with_stress
from cartera.result import PortfolioAnalysis, StressResult
from cartera.scenarios.texts import FIXED_COSTS_HINT


def test_raw_values_are_the_analysis(analysis: PortfolioAnalysis) -> None:
    with language("en"):
        view = build_view(analysis)
    keys = [c.key for c in view.clients.columns]
    by_id = {c.id: c for c in analysis.clients}
    assert len(view.clients.rows) == len(analysis.clients)
    for cid, row in zip(view.clients.keys, view.clients.rows, strict=True):
        metrics = by_id[cid].metrics
        assert row[keys.index("revenue")].raw == metrics.revenue
        assert row[keys.index("net_contribution")].raw == metrics.net_contribution
        assert row[keys.index("rank")].raw == metrics.rank
    ranks = [r[keys.index("rank")].raw for r in view.clients.rows]
    assert ranks == sorted(ranks)  # by revenue rank
    headline = {f.key: f for f in view.headline}
    assert headline["revenue"].raw == analysis.portfolio.revenue
    assert headline["profit"].raw == analysis.portfolio.profit


@pytest.mark.parametrize(
    ("lang", "revenue", "segment", "action", "reason"),
    [
        ("es", "1.267.840\xa0€", "Estructura", "Dejar ir", "paga a 172 días (límite 120)"),
        ("en", "€1,267,840", "Structure", "Let go", "pays in 172 days (limit 120)"),
    ],
)
def test_texts_follow_the_language(
    analysis: PortfolioAnalysis, lang: str, revenue: str, segment: str, action: str, reason: str
) -> None:
    with language(lang):
        view = build_view(analysis)
    assert {f.key: f.text for f in view.headline}["revenue"] == revenue
    assert view.segments.rows[0][0].text == segment
    assert view.let_go.rows[0][4].text.startswith(reason)
    actions = {row[4].text for row in view.clients.rows}
    assert action in actions


def test_action_lists_hold_exactly_those_clients(analysis: PortfolioAnalysis) -> None:
    view = build_view(analysis)
    assert set(view.let_go.keys) == {c.id for c in analysis.clients if c.action == "let_go"}
    assert set(view.renegotiate.keys) == {
        c.id for c in analysis.clients if c.action == "renegotiate"
    }


def test_recommendations_by_priority_with_sentences(analysis: PortfolioAnalysis) -> None:
    with language("en"):
        recs = build_view(analysis).recommendations
    assert [r.priority for r in recs] == sorted(r.priority for r in recs)
    assert len(recs) == len(analysis.recommendations)
    let_go = next(r for r in recs if r.code == "let_go")
    assert "Comercial Sánchez y Cía (C009)" in let_go.text
    assert "+€5,125" in let_go.text


def test_stress_view(analysis: PortfolioAnalysis, stress: StressResult) -> None:
    with language("es"):
        view = build_view(analysis, stress)
    assert view.stress is not None
    figures_ = dict(view.stress.figures)
    assert figures_["Beneficio en el peor 5\xa0% de los años"] == "-31.000\xa0€"
    assert ("Se va el cliente más grande", "-45.000\xa0€") in view.stress.named
    assert all(name != "today" for name, _v in view.stress.named)
    assert view.stress.tail[0][0] == "Talleres Ortega e Hijos"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_chart_is_a_valid_plotly_figure(
    analysis: PortfolioAnalysis, stress: StressResult, lang: str
) -> None:
    with language(lang):
        specs = figures(build_view(analysis, stress).charts)
    assert [s["id"] for s in specs] == [
        "chart-pareto", "chart-segments", "chart-bubbles", "chart-whale",
        "chart-aging", "chart-worst", "chart-stress",
    ]  # fmt: skip
    for spec in specs:
        go.Figure(spec["figure"])  # raises on any property Plotly does not know
    pareto = specs[0]["figure"]
    refs = next(t for t in pareto["data"] if t.get("text") == ["80/10", "80/20", "80/40"])
    assert refs["x"] == [0.1, 0.2, 0.4] and refs["y"] == [0.8, 0.8, 0.8]
    assert pareto["layout"]["shapes"][0]["y0"] == 0.8
    stress_fig = specs[-1]["figure"]
    assert stress_fig["layout"]["shapes"][0]["x0"] == stress.profit_p5
    assert pareto["layout"]["separators"] == (",." if lang == "es" else ".,")


@pytest.mark.parametrize("lang", ["es", "en"])
def test_the_stress_test_added_later_gives_the_same_view(
    analysis: PortfolioAnalysis, stress: StressResult, lang: str
) -> None:
    """The Excel writer builds the view while the stress test runs and adds it after."""
    with language(lang):
        whole = build_view(analysis, stress, list_limit=3)
        before = build_view(analysis, list_limit=3)
        later = with_stress(before, analysis, stress)
    assert before != whole and before.stress is None and not before.charts.stress
    assert later == whole
    assert with_stress(before, analysis, None) is before


def test_charts_without_data_are_left_out(analysis: PortfolioAnalysis) -> None:
    analysis.whale_curve = []
    analysis.portfolio.worst_single_loss = None
    ids = [s["id"] for s in figures(build_view(analysis).charts)]
    assert "chart-whale" not in ids and "chart-worst" not in ids and "chart-stress" not in ids


def test_money_affixes_follow_the_locale() -> None:
    with language("es"):
        assert money_affixes("EUR") == ("", "\xa0€")
    with language("en"):
        assert money_affixes("EUR") == ("€", "")


def test_unknown_format_is_a_settings_error(analysis: PortfolioAnalysis, tmp_path: object) -> None:
    with pytest.raises(SettingsError):
        check_format("docx")
    check_format("all", allow_all=True)
    with pytest.raises(SettingsError):
        render("docx", analysis, "out.docx")


def test_limits_keep_counts_exact(analysis: PortfolioAnalysis) -> None:
    view = build_view(analysis, client_limit=2, list_limit=1)
    assert view.clients.keys == ["C001", "C002"]
    assert view.client_count == 16
    assert len(view.let_go.rows) == 1 and view.let_go_count == 3
    let_go = next(r for r in view.recommendations if r.code == "let_go")
    assert let_go.client_ids == ["C009", "C015", "C016"] and let_go.client_count == 3
    assert let_go.client_table is not None and let_go.client_table.keys == ["C009"]


def test_recommendation_items(analysis: PortfolioAnalysis) -> None:
    with language("en"):
        recs = {r.code: r for r in build_view(analysis).recommendations}
    assert recs["let_go"].priority_label == "High priority"
    assert recs["let_go"].money == ("Change in profit", "+€5,125")
    assert recs["let_go"].money_value == 5_125
    assert recs["renegotiate"].priority_label == "Medium priority"
    assert recs["keep_image"].priority_label == "Low priority"
    assert ("Service hours freed", "143.0") in recs["let_go"].impact


@pytest.mark.parametrize(("n", "named"), [(4, True), (5, False)])
def test_long_client_lists_are_not_cut_in_the_sentence(
    analysis: PortfolioAnalysis, n: int, named: bool
) -> None:
    """Up to four clients the sentence names them; past that it points at the full list."""
    ids = [c.id for c in analysis.clients[:n]]
    analysis.recommendations[0].clients = ids
    with language("en"):
        rec = next(r for r in build_view(analysis).recommendations if r.code == "let_go")
    assert "more" not in rec.text
    assert rec.client_ids == ids and len(rec.clients) == n
    assert ("Distribuciones Levante S.L. (C001)" in rec.text) is named
    assert ("the 5 clients listed below" in rec.text) is not named


def test_assumptions(analysis: PortfolioAnalysis, stress: StressResult) -> None:
    from cartera.settings import Settings

    analysis._settings = Settings(fixed_costs=180_000, hourly_cost=45)
    with language("en"):
        rows = {a.key: a for a in build_view(analysis, stress).assumptions}
    assert rows["window"].text == "1 Nov 2025 to 31 Oct 2026" and rows["window"].note == "12 months"
    assert rows["fixed_costs"].raw == 180_000 and rows["fixed_costs"].text == "€180,000"
    assert rows["hourly_cost"].text == "€45"
    assert rows["late_payment_days"].raw == 120
    assert rows["low_volume_share"].text == "0.10%"
    assert rows["stress_scenarios"].raw == 10_000


def test_no_developer_text(analysis: PortfolioAnalysis) -> None:
    analysis.portfolio.fixed_costs = 0
    with language("en"):
        view = build_view(analysis)
    profit = next(f for f in view.headline if f.key == "profit")
    assert "--" not in profit.note
    inputs = " ".join(v for block in view.inputs for _k, v in block.rows)
    assert "←" not in inputs and "client_id" not in inputs and "%d" not in inputs
    assert "client code: «Código cliente»" in inputs and "dd/mm/yyyy" in inputs


def test_the_terminal_names_the_options_a_report_does_not(analysis: PortfolioAnalysis) -> None:
    analysis.portfolio.fixed_costs = 0
    analysis.notes = [*analysis.notes, FIXED_COSTS_HINT]
    with language("en"):
        report = build_view(analysis)
        terminal = build_view(analysis, terminal=True)
    note = next(f for f in terminal.headline if f.key == "profit").note
    assert "--fixed-costs" in note and "--fixed-costs" in " ".join(terminal.notes)
    assert "--" not in " ".join(report.notes)


def test_recommendation_names_only_for_the_clients_a_report_shows(
    analysis: PortfolioAnalysis,
) -> None:
    """With a limit, names are looked up for the first clients only; ids and count stay whole."""
    from cartera.report.view_parts import recommendation_views

    chosen = analysis.clients[:7]
    analysis.recommendations[0].clients = [c.id for c in chosen]
    code = analysis.recommendations[0].code
    cut = next(r for r in recommendation_views(analysis, 3) if r.code == code)
    whole = next(r for r in recommendation_views(analysis) if r.code == code)
    assert cut.clients == [c.name or c.id for c in chosen[:3]]
    assert whole.clients == [c.name or c.id for c in chosen]
    assert cut.client_ids == whole.client_ids == [c.id for c in chosen]
    assert cut.client_count == whole.client_count == 7


def test_a_terminal_view_draws_no_chart(analysis: PortfolioAnalysis, stress: StressResult) -> None:
    """The dashboard prints no chart, so its view skips their data (~0.1 s at 500k
    clients); a report's view keeps it, also once the stress test is added."""
    terminal = build_view(analysis, stress, terminal=True)
    assert terminal.charts is None
    with pytest.raises(ValueError, match="no charts"):
        terminal.chart_data()
    assert with_stress(build_view(analysis, terminal=True), analysis, stress).charts is None
    report = build_view(analysis, stress)
    assert report.chart_data() is report.charts and report.chart_data().stress


def test_charts_call_it_profit_only_with_fixed_costs(analysis: PortfolioAnalysis) -> None:
    """Without fixed costs the worst-loss and stress charts show net contribution."""
    import copy

    from cartera.report.view_parts import chart_data

    with language("en"):
        given = chart_data(analysis, None).text
        bare = copy.copy(analysis)
        bare.portfolio = analysis.portfolio.model_copy(update={"fixed_costs": 0.0})
        none = chart_data(bare, None).text
    assert analysis.portfolio.fixed_costs  # the fixture gives fixed costs
    assert given["profit_now"] == "Profit now" and "profit" in given["stress"]
    assert none["profit_now"] == "Net contribution now"
    assert none["profit_after"] == "Net contribution without {client}"
    assert none["stress"].endswith("yearly net contribution")
    named = [t for k, t in none.items() if k.startswith(("profit", "stress"))]
    assert not any("profit" in t.lower() for t in named)

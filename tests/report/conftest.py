"""Fixtures of the report tests: a hand-built analysis and stress result, and Chromium."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cartera.result import (
    AgingBucket,
    ClientMetrics,
    ClientResult,
    CurvePoint,
    InputSummary,
    Pareto,
    Portfolio,
    PortfolioAnalysis,
    Reason,
    Recommendation,
    SegmentFigures,
    StressResult,
    TailClient,
    Window,
    WorstLoss,
)
from cartera.settings import Settings

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

# id, name, segment, action, revenue, margin %, hours, days to pay, return rate, reasons
_CLIENTS: list[tuple[str, str, str, str, float, float, float, float, float, list[Reason]]] = [
    ("C001", "Distribuciones Levante S.L.", "structure", "keep", 412_000, 0.14, 60, 58, 0.01, []),
    (
        "C002",
        "Hostelería Cantábrica S.A.",
        "structure",
        "renegotiate",
        265_500,
        0.09,
        140,
        131,
        0.02,
        [Reason(code="late_payment", value=131, threshold=120)],
    ),
    ("C003", "Grupo Ñandú Alimentación", "structure", "keep", 198_250, 0.16, 45, 41, 0.0, []),
    ("C004", "Talleres Ortega e Hijos", "margin", "grow", 96_400, 0.38, 12, 35, 0.0, []),
    ("C005", "Estudio Arquitectura Vela", "margin", "keep", 71_900, 0.41, 20, 29, 0.0, []),
    ("C006", "Museo de la Ciencia de Ávila", "image", "keep", 38_700, 0.12, 30, 60, 0.0, []),
    ("C007", "Fundación Cultural Mar", "image", "keep", 22_100, 0.10, 25, 45, 0.0, []),
    ("C008", "Ferretería López", "regular", "keep", 54_300, 0.24, 18, 33, 0.02, []),
    (
        "C009",
        "Comercial Sánchez y Cía",
        "regular",
        "let_go",
        31_800,
        0.06,
        120,
        172,
        0.21,
        [
            Reason(code="late_payment", value=172, threshold=120),
            Reason(code="high_returns", value=0.21, threshold=0.15),
            Reason(code="negative_contribution", value=-4_320, threshold=0),
        ],
    ),
    (
        "C010",
        "Papelería Moderna",
        "regular",
        "renegotiate",
        27_650,
        0.18,
        95,
        52,
        0.03,
        [
            Reason(code="service_burden", value=0.78, threshold=0.5),
            Reason(code="price_pressure", value=0.22, threshold=0.15),
        ],
    ),
    ("C011", "Bodegas del Sur", "regular", "keep", 24_900, 0.22, 10, 40, 0.0, []),
    ("C012", "Clínica Dental Sonrisa", "new", "grow", 12_400, 0.31, 8, 30, 0.0, []),
    ("C013", "Startup Nube Verde", "new", "keep", 6_300, 0.27, 6, 28, 0.0, []),
    (
        "C014",
        "Imprenta Gómez",
        "dormant",
        "keep",
        3_100,
        0.20,
        2,
        70,
        0.0,
        [
            Reason(code="declining", value=0.2, threshold=0.5),
        ],
    ),
    (
        "C015",
        "Kiosco La Esquina",
        "regular",
        "let_go",
        640,
        0.12,
        14,
        95,
        0.0,
        [
            Reason(code="low_volume", value=0.0005, threshold=0.001),
            Reason(code="negative_contribution", value=-495, threshold=0),
        ],
    ),
    (
        "C016",
        "Muebles Ibáñez",
        "dormant",
        "let_go",
        1_900,
        0.05,
        9,
        210,
        0.0,
        [
            Reason(code="late_payment", value=210, threshold=120),
            Reason(code="negative_contribution", value=-310, threshold=0),
        ],
    ),
]
HOURLY_COST = 40.0
FIXED_COSTS = 180_000.0


def _clients() -> list[ClientResult]:
    total = sum(c[4] for c in _CLIENTS)
    ordered = sorted(_CLIENTS, key=lambda c: -c[4])
    out, cum = [], 0.0
    for rank, (cid, name, seg, action, rev, mpct, hours, dtp, rr, reasons) in enumerate(
        ordered, start=1
    ):
        cum += rev / total
        gm = rev * mpct
        cts = hours * HOURLY_COST + 15 * 12
        neg = next((r.value for r in reasons if r.code == "negative_contribution"), None)
        net = neg if neg is not None else gm - cts
        metrics = ClientMetrics(
            revenue=rev,
            gross_margin=gm,
            margin_pct=mpct,
            orders=12,
            units=rev / 20,
            active_months=10,
            recency_days=15,
            tenure_days=900,
            return_rate=rr,
            days_to_pay=dtp,
            days_late=max(0.0, dtp - 60),
            overdue=rev * 0.02 if dtp > 90 else 0,
            service_hours=hours,
            cost_to_serve=cts,
            net_contribution=net,
            revenue_share=rev / total,
            cumulative_share=min(cum, 1.0),
            rank=rank,
        )
        out.append(
            ClientResult(
                id=cid,
                name=name,
                segment=seg,
                action=action,  # type: ignore[arg-type]
                reasons=reasons,
                metrics=metrics,
                image_candidate=seg == "image",
            )
        )
    return out


def _segments(clients: list[ClientResult]) -> dict[str, SegmentFigures]:
    out: dict[str, SegmentFigures] = {}
    for c in clients:
        s = out.setdefault(
            c.segment, SegmentFigures(clients=0, revenue=0, gross_margin=0, net_contribution=0)
        )
        s.clients += 1
        s.revenue += c.metrics.revenue
        s.gross_margin = (s.gross_margin or 0) + (c.metrics.gross_margin or 0)
        s.net_contribution = (s.net_contribution or 0) + (c.metrics.net_contribution or 0)
    return out


def make_analysis() -> PortfolioAnalysis:
    """A 16-client portfolio in every segment, with reasons and recommendations."""
    clients = _clients()
    revenue = sum(c.metrics.revenue for c in clients)
    gm = sum(c.metrics.gross_margin or 0 for c in clients)
    cts = sum(c.metrics.cost_to_serve for c in clients)
    net = sum(c.metrics.net_contribution or 0 for c in clients)
    shares = [c.metrics.revenue_share for c in clients]
    n = len(clients)
    pareto_curve = [CurvePoint(x=0.0, y=0.0)] + [
        CurvePoint(x=(i + 1) / n, y=c.metrics.cumulative_share) for i, c in enumerate(clients)
    ]
    by_net = sorted((c.metrics.net_contribution or 0 for c in clients), reverse=True)
    whale, acc = [CurvePoint(x=0.0, y=0.0)], 0.0
    for i, v in enumerate(by_net):
        acc += v
        whale.append(CurvePoint(x=(i + 1) / n, y=acc))  # in currency, as the engine gives it
    n80 = next(i + 1 for i, c in enumerate(clients) if c.metrics.cumulative_share >= 0.8)
    portfolio = Portfolio(
        clients=n,
        revenue=revenue,
        gross_margin=gm,
        margin_pct=gm / revenue,
        cost_to_serve=cts,
        net_contribution=net,
        fixed_costs=FIXED_COSTS,
        profit=net - FIXED_COSTS,
        pareto=Pareto(clients_for_80pct=n80, share_of_clients_for_80pct=n80 / n, band="typical"),
        hhi=sum((s * 100) ** 2 for s in shares),
        effective_clients=1 / sum(s * s for s in shares),
        top1_share=shares[0],
        top5_share=sum(shares[:5]),
        top10_share=sum(shares[:10]),
        large_clients=[c.id for c in clients if c.metrics.revenue_share >= 0.1],
        fixed_cost_coverage=gm / FIXED_COSTS,
        service_hours=sum(c.metrics.service_hours for c in clients),
        segments=_segments(clients),
        aging=[
            AgingBucket(bucket=b, amount=a)
            for b, a in (
                ("current", 84_200),
                ("1_30", 22_400),
                ("31_60", 9_800),
                ("61_90", 6_100),
                ("91_120", 3_900),
                ("over_120", 7_450),
            )
        ],
        whale_peak_share=max(p.y for p in whale) / net,
        worst_single_loss=WorstLoss(
            client="C001",
            profit_after=net - FIXED_COSTS - 412_000 * 0.14 + 60 * 40,
            coverage_after=0.71,
        ),
    )
    names = {c.id: c.name for c in clients}
    params = {"names": names, "currency": "EUR"}
    recs = [
        Recommendation(
            code="let_go",
            priority=1,
            clients=["C009", "C015", "C016"],
            impact={
                "count": 3,
                "profit_change": 5_125,
                "revenue_lost": 34_340,
                "hours_freed": 143,
                "hhi_before": 1876,
                "hhi_after": 1950,
            },
            params=params,
        ),
        Recommendation(
            code="renegotiate",
            priority=2,
            clients=["C002"],
            impact={
                "contribution": 18_115,
                "revenue": 265_500,
                "price_rise": None,
                "terms_days": 60,
                "current_days": 131,
                "gain": 2_610,
            },
            params=params,
        ),
        Recommendation(
            code="reduce_dependence",
            priority=1,
            clients=["C001"],
            impact={"share": shares[0], "target": 0.25, "revenue_to_add": 412_000 / 0.25 - revenue},
            params=params,
        ),
        Recommendation(
            code="seek_margin_clients",
            priority=3,
            impact={
                "count": 1,
                "gross_margin_each": 33_000,
                "current_clients": 2,
                "target_clients": 3,
            },
            params=params,
        ),
        Recommendation(
            code="keep_image",
            priority=3,
            clients=["C007"],
            impact={"contribution": 2_130},
            params=params,
        ),
    ]
    summary = InputSummary(
        tables={
            "documents": {
                "source": "facturas.csv",
                "rows_read": 6000,
                "rows_accepted": 6000,
                "rows_rejected": 0,
                "columns": {"client_id": "Código cliente", "amount": "Base imponible"},
                "conventions": {"decimal": "comma", "date": "%d/%m/%Y", "encoding": "cp1252"},
            },
            "payments": {
                "source": "cobros.csv",
                "rows_read": 5400,
                "rows_accepted": 5400,
                "rows_rejected": 0,
            },
        }
    )
    analysis = PortfolioAnalysis(
        as_of=dt.date(2026, 10, 31),
        window=Window(start=dt.date(2025, 11, 1), end=dt.date(2026, 10, 31)),
        currency="EUR",
        portfolio=portfolio,
        clients=clients,
        recommendations=recs,
        pareto_curve=pareto_curve,
        whale_curve=whale,
        input_summary=summary,
    )
    analysis._settings = Settings(fixed_costs=FIXED_COSTS)
    return analysis


def make_stress() -> StressResult:
    """A stress result with a bell-shaped histogram around a small profit."""
    centres = [-60_000 + 10_000 * i for i in range(14)]
    weights = [1, 2, 4, 8, 13, 17, 18, 14, 10, 6, 4, 2, 1, 0]
    total = sum(weights)
    return StressResult(
        expected_profit=4_300,
        profit_p5=-31_000,
        p_loss=0.38,
        p_fixed_costs_uncovered=0.41,
        scenarios=10_000,
        seed=42,
        fixed_costs=120_000.0,
        tail_clients=[
            TailClient(
                client="C004",
                name="Talleres Ortega e Hijos",
                segment="margin",
                share_of_tail_loss=0.34,
            ),
            TailClient(
                client="C005",
                name="Estudio Arquitectura Vela",
                segment="margin",
                share_of_tail_loss=0.27,
            ),
        ],
        named={"today": 21_500, "top_client_gone": -45_000, "margin_clients_gone": -12_000},
        histogram=[CurvePoint(x=c, y=w / total) for c, w in zip(centres, weights, strict=True)],
        baseline_profit=21_500,
    )


@pytest.fixture
def analysis() -> PortfolioAnalysis:
    return make_analysis()


@pytest.fixture
def stress() -> StressResult:
    return make_stress()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


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
def fixture_report(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """``fixture_report(fmt, lang)``: the fixture portfolio's report (with stress), made once."""
    from cartera.report import render

    folder = tmp_path_factory.mktemp("fixture-reports")
    made: dict[tuple[str, str], Path] = {}

    def get(fmt: str, lang: str) -> Path:
        if (fmt, lang) not in made:
            out = folder / f"report-{lang}.{fmt}"
            made[fmt, lang] = render(fmt, make_analysis(), out, make_stress(), lang=lang)
        return made[fmt, lang]

    return get


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """Shadows pytest-base-url's fixture, whose method form warns on pytest 9 (warnings are
    errors here); the report is opened by file URL, so there is no base URL."""
    return None

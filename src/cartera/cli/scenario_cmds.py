"""``cartera whatif`` and ``cartera stress``: scenarios on top of an analysis.

Both commands read the same inputs and settings flags as ``cartera analyze``,
analyse, then run the scenario; ``--format json`` prints the documented
contract (docs/scenarios.md), the default is a Rich table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console, RenderableType

from cartera.cli.common import (
    check_output_format,
    input_options,
    number_option,
    print_json,
    read_options,
    settings_from_params,
    settings_options,
    source_of,
)
from cartera.errors import SettingsError
from cartera.i18n import N_, _, fmt_money, fmt_number, fmt_pct, fmt_share
from cartera.report.labels import segment_label
from cartera.report.term_layout import NAME_MIN, Col, Prose, titled_table
from cartera.result import Portfolio, PortfolioAnalysis, StressResult, WhatIfResult
from cartera.settings import Settings
from cartera.settings.scenario import StressSettings

__all__ = ["register", "render_stress", "render_whatif"]

_BANDS = {
    "high_risk": N_("high risk (80/10)"),
    "typical": N_("typical (80/20)"),
    "low_risk_high_cost": N_("low risk, high cost (80/40)"),
    "undefined": N_("undefined"),
}
_NAMED = {
    "today": N_("Today"),
    "structure_price_drop": N_("Structure clients cut prices"),
    "margin_clients_gone": N_("All margin clients leave"),
    "crisis": N_("Crisis: margin clients leave and structure clients cut prices"),
    "top_client_gone": N_("Largest client leaves"),
}


def register(app: typer.Typer) -> None:
    io, so = input_options(), settings_options()
    fmt = typer.Option("table", "--format", help=_("Output format: table or json."))

    @app.command("whatif", help=_("What if some clients leave: the portfolio before and after."))
    def whatif(
        inputs: list[Path] | None = io["inputs"],
        lose: str | None = typer.Option(
            None, "--lose", help=_("Client ids to lose, comma-separated (e.g. C001,C002).")
        ),
        let_go: bool = typer.Option(
            False, "--let-go", help=_("Lose every client whose action is «let go».")
        ),
        output: str = fmt,
        documents: Path | None = io["documents"],
        payments: Path | None = io["payments"],
        clients: Path | None = io["clients"],
        activities: Path | None = io["activities"],
        mapping: Path | None = io["mapping"],
        decimal: str | None = io["decimal"],
        date_format: str | None = io["date_format"],
        sheet: str | None = io["sheet"],
        lang: str | None = io["lang"],
        settings_file: Path | None = so["settings_file"],
        as_of: str | None = so["as_of"],
        window_months: int | None = so["window_months"],
        hourly_cost: float | None = so["hourly_cost"],
        fixed_costs: float | None = so["fixed_costs"],
        order_cost: float | None = so["order_cost"],
        return_cost: float | None = so["return_cost"],
        annual_rate: float | None = so["annual_rate"],
        currency: str | None = so["currency"],
    ) -> None:
        check_output_format(output)
        settings = settings_from_params(locals())
        analysis = _analyse(locals(), settings)
        ids = _lost_ids(analysis, lose, let_go)
        result = analysis.without(ids)
        if output == "json":
            print_json(result.to_contract())
        else:
            render_whatif(result, analysis, Console(highlight=False))

    @app.command("stress", help=_("Crisis stress test: a Monte Carlo of client departures."))
    def stress(
        inputs: list[Path] | None = io["inputs"],
        scenarios: int | None = number_option(
            "--scenarios",
            StressSettings.model_fields["scenarios"],
            help=_("Number of simulated years (default: settings; at most 10,000,000)."),
        ),
        seed: int | None = number_option(
            "--seed",
            StressSettings.model_fields["seed"],
            help=_("Random seed; the same seed gives the same output."),
        ),
        output: str = fmt,
        documents: Path | None = io["documents"],
        payments: Path | None = io["payments"],
        clients: Path | None = io["clients"],
        activities: Path | None = io["activities"],
        mapping: Path | None = io["mapping"],
        decimal: str | None = io["decimal"],
        date_format: str | None = io["date_format"],
        sheet: str | None = io["sheet"],
        lang: str | None = io["lang"],
        settings_file: Path | None = so["settings_file"],
        as_of: str | None = so["as_of"],
        window_months: int | None = so["window_months"],
        hourly_cost: float | None = so["hourly_cost"],
        fixed_costs: float | None = so["fixed_costs"],
        order_cost: float | None = so["order_cost"],
        return_cost: float | None = so["return_cost"],
        annual_rate: float | None = so["annual_rate"],
        currency: str | None = so["currency"],
    ) -> None:
        from cartera.scenarios import stress_test

        check_output_format(output)
        settings = settings_from_params(locals())
        analysis = _analyse(locals(), settings)
        result = stress_test(analysis, settings, scenarios=scenarios, seed=seed)
        if output == "json":
            print_json(result.to_contract())
        else:
            render_stress(result, analysis.currency, Console(highlight=False))


def _analyse(args: dict[str, Any], settings: Settings) -> PortfolioAnalysis:
    """Run ``cartera.analyze`` on the command's input arguments."""
    from cartera import analyze

    source = source_of(args["inputs"])
    options = read_options(args["mapping"], args["decimal"], args["date_format"], args["sheet"])
    return analyze(
        source,
        documents=args["documents"],
        payments=args["payments"],
        clients=args["clients"],
        activities=args["activities"],
        options=options,
        settings=settings,
    )


def _lost_ids(analysis: PortfolioAnalysis, lose: str | None, let_go: bool) -> list[str]:
    ids = [part.strip() for part in (lose or "").split(",") if part.strip()]
    if let_go:
        from cartera.scenarios.letgo import let_go_clients

        ids += [str(x) for x in let_go_clients(analysis.clients_frame)["id"].to_list()]
    if not ids:
        raise SettingsError(N_("Say which clients to lose: --lose ID[,ID…] or --let-go."))
    return list(dict.fromkeys(ids))


def _rows(before: Portfolio, after: Portfolio, cur: str) -> list[tuple[str, str, str, str]]:
    def money(v: float | None) -> str:
        return "—" if v is None else fmt_money(v, cur, digits=0)

    def pct(v: float | None) -> str:
        return "—" if v is None else fmt_pct(v)

    def num(v: float | None) -> str:
        return "—" if v is None else fmt_number(v)

    def diff(a: float | None, b: float | None, f: Any, sign: bool = True) -> str:
        if a is None or b is None:
            return "—"
        text = f(b - a)
        return "+" + text if sign and b - a > 0 else text

    pairs: list[tuple[str, float | None, float | None, Any]] = [
        (_("Clients"), before.clients, after.clients, num),
        (_("Revenue"), before.revenue, after.revenue, money),
        (_("Gross margin"), before.gross_margin, after.gross_margin, money),
        (_("Net contribution"), before.net_contribution, after.net_contribution, money),
        *([(_("Profit after fixed costs"), before.profit, after.profit, money),
           (_("Fixed-cost coverage"), before.fixed_cost_coverage, after.fixed_cost_coverage,
            pct)] if before.fixed_costs else []),
        (_("HHI"), before.hhi, after.hhi, num),
        (_("Clients for 80% of sales"), before.pareto.clients_for_80pct,
         after.pareto.clients_for_80pct, num),
        (_("Share of clients for 80%"), before.pareto.share_of_clients_for_80pct,
         after.pareto.share_of_clients_for_80pct, pct),
        (_("Service hours"), before.service_hours, after.service_hours, num),
    ]  # fmt: skip
    rows = [(label, f(a), f(b), diff(a, b, f)) for label, a, b, f in pairs]
    band = (_("Pareto band"), _(_BANDS[before.pareto.band]), _(_BANDS[after.pareto.band]), "")
    return [*rows, band]


def render_whatif(result: WhatIfResult, analysis: PortfolioAnalysis, console: Console) -> None:
    """The before → after table of a what-if, with the lost clients and hours freed."""
    import polars as pl

    # The names of the lost clients shown, from the frame (not one object per client).
    names: dict[str, str] = {}
    if result.lost:
        shown = analysis.clients_frame.filter(pl.col("id").is_in(result.lost[:10]))
        names = dict(zip(shown["id"].to_list(), shown["name"].to_list(), strict=True))
    heads = (_("Figure"), _("Before"), _("After"), _("Change"))
    rows = _rows(result.before, result.after, analysis.currency)
    cols = [Col(h, [r[i] for r in rows], numeric=i > 0) for i, h in enumerate(heads)]
    lost = ", ".join(f"{names.get(i) or i} ({i})" for i in result.lost[:10])
    if len(result.lost) > 10:
        lost = _("{clients} and {n} more").format(clients=lost, n=len(result.lost) - 10)
    console.print(titled_table(_("What if these clients leave"), cols, rows, console.width))
    if not result.before.fixed_costs:
        from cartera.scenarios.texts import FIXED_COSTS_HINT

        console.print(Prose(_(FIXED_COSTS_HINT)))
    # Client names are data: printed as written (Prose is never read as Rich markup).
    console.print(Prose(_("Clients lost: {clients}").format(clients=lost)))
    hours = fmt_number(result.hours_freed, 1)
    console.print(Prose(_("Service hours freed: {hours}").format(hours=hours)))


def render_stress(result: StressResult, currency: str, console: Console) -> None:
    """Headline figures, named scenarios and the clients behind the worst years."""

    def money(v: float) -> str:
        return fmt_money(v, currency, digits=0)

    from cartera.scenarios.texts import stress_figures

    width = console.width
    figures = stress_figures(result, currency)
    cols = [Col("", [f[0] for f in figures]), Col("", [f[1] for f in figures], numeric=True)]
    console.print(titled_table(_("Crisis stress test"), cols, figures, width, header=False))
    named = [
        (_(_NAMED[key]) if key in _NAMED else key, money(profit))
        for key, profit in result.named.items()
    ]
    cols = [
        Col(_("Scenario"), [n[0] for n in named]),
        Col(_("Profit"), [n[1] for n in named], numeric=True),
    ]
    console.print(titled_table(_("Named scenarios"), cols, named, width))
    if result.tail_clients:
        console.print(_tail_table(result, width))


def _tail_table(result: StressResult, width: int) -> RenderableType:
    """The clients behind the worst years; the segment gives way first when narrow."""
    heads = (_("Client"), _("Leaves (all years)"), _("Leaves (worst 5%)"),
             _("Share of the extra loss"), _("Segment"))  # fmt: skip
    rows = [
        (
            f"{t.name or t.client} ({t.client})",
            fmt_pct(t.leave_probability or 0.0, 0),
            fmt_pct(t.tail_leave_rate or 0.0, 0),
            fmt_share(t.share_of_tail_loss),
            segment_label(t.segment),
        )
        for t in result.tail_clients
    ]
    cols = [
        Col(h, [r[i] for r in rows], numeric=0 < i < 4, least=NAME_MIN if i == 0 else 0)
        for i, h in enumerate(heads)
    ]
    return titled_table(_("Clients behind the worst years"), cols, rows, width)

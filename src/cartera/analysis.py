"""``cartera.analyze``: read, compute, decide, in one call.

Orchestration only: :mod:`cartera.io` prepares a workspace; the engine's Ibis
expressions compute the per-client frame on the chosen backend (the grouped
pass over the documents, then shares, ranks and the segment rules of
:mod:`cartera.segments`; docs/decisions/0203-engine-execution.md);
the portfolio figures and curves are numpy sums over that frame
(:class:`cartera.scenarios.simulate.Simulator`, held equal to
:mod:`cartera.engine.portfolio`'s summary by tests); and
:func:`cartera.scenarios.enrich` adds the worst loss and recommendations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import polars as pl
from pydantic import TypeAdapter

from cartera.engine.figures import MAX_CURVE_POINTS
from cartera.engine.local import (
    CLIENT_COLUMNS,
    DataProfile,
    client_metrics_frame,
    rank_and_share_frame,
)
from cartera.engine.preagg import LocalAggregates, read_aggregates
from cartera.engine.window import AGING_BUCKETS, AnalysisWindow
from cartera.errors import Problem, SettingsError
from cartera.i18n import N_
from cartera.io.options import ReadOptions
from cartera.result import (
    SCHEMA_VERSION,
    ClientMetrics,
    ClientResult,
    InputSummary,
    PortfolioAnalysis,
    TableRows,
    Window,
)
from cartera.scenarios.simulate import Simulator
from cartera.segment_rules import classify_frame, reason_values, typical_values
from cartera.settings import Settings, load_settings

if TYPE_CHECKING:  # the Ibis path imports them when it runs (a local analysis never does)
    import ibis.expr.types as ir
    import pyarrow as pa

    from cartera.engine.connect import Tables
    from cartera.engine.preagg import Aggregates

__all__ = [
    "FRAME_COLUMNS",
    "analyze",
    "analyze_aggregates",
    "analyze_tables",
    "client_frame",
    "client_results",
]

_METRICS = tuple(ClientMetrics.model_fields)
#: Columns of ``PortfolioAnalysis.clients_frame``, in order.
FRAME_COLUMNS: tuple[str, ...] = (
    "client_key",
    "id",
    "name",
    "segment",
    "action",
    "reasons",
    "image",
    *_METRICS,
    "invoiced",
    "credit_notes",
    "cost",
    "service_cost",
    "orders_cost",
    "returns_cost",
    "financing_cost",
    *(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS),
    "list_amount",
    "discount",
    "terms_days",
)

#: Columns of the clients table kept on the analysis for the reports' client profile.
CLIENT_ATTRIBUTE_COLUMNS: tuple[str, ...] = ("client_id", "sector", "region", "size", "terms_days")

NOTE_NO_DOCUMENTS = N_("There are no documents to analyse; every figure is zero.")
NOTE_EMPTY_WINDOW = N_("No invoice falls in the analysis window; every client is dormant.")
NOTE_NO_COST = N_(
    "The data has no cost or margin column: gross margin, net contribution and the "
    "margin-based rules (margin clients, low volume, service burden, negative contribution) "
    "are switched off."
)
NOTE_NO_PAYMENTS = N_(
    "The data has no payment dates: days to pay, financing cost, days late, overdue amounts "
    "and aging are not computed (add the payments file, or a paid-date column)."
)
NOTE_NO_PAYMENT_DATES = N_(
    "The data has no payment dates: days to pay, days late and financing cost are not "
    "computed; overdue amounts come from the amounts paid."
)
#: Per-client figures that need to know what was paid: without a single payment date or
#: paid amount every invoice ever issued would look open, so they are not computed; and
#: lateness needs the payment dates themselves (decision 0948).
RECEIVABLE_COLUMNS: tuple[str, ...] = (
    "overdue",
    *(f"aging_{name}" for name, _lo, _hi in AGING_BUCKETS),
)
NOTE_NO_DUE = N_(
    "The data has no due dates: days late, overdue amounts and aging are not computed."
)
NOTE_NO_IMAGE = N_(
    "Image clients cannot be recognised: the clients file has no column marking them. Add a "
    "column such as «Cliente imagen» or «Key account» (Sí/No) to the clients file, or list "
    'their ids in the settings (image_clients = ["C0001", "C0002"]).'
)
NOTE_NO_ACTIVITIES = N_(
    "There are no activities: service hours count as zero in the cost to serve."
)
NOTE_EURO_COSTS = N_(
    "The cost-to-serve defaults (40 an hour of service, 15 an order, 25 a credit note) are a "
    "Spanish firm's figures in euros, applied here in the files' currency: set the firm's own "
    "(hourly_cost, order_cost and return_cost in the settings file)."
)
#: The settings whose defaults are amounts in euros (decision 0955).
EURO_DEFAULTS: tuple[str, ...] = ("hourly_cost", "order_cost", "return_cost")


def euro_defaults_elsewhere(settings: Settings) -> bool:
    """Whether the analysis is in a currency other than the euro and uses at least one of the
    cost defaults (:data:`EURO_DEFAULTS`) that are euro amounts."""
    return settings.currency != "EUR" and not set(EURO_DEFAULTS) <= settings.model_fields_set


def analyze(
    source: str | Path | Sequence[str | Path] | None = None,
    *,
    documents: str | Path | Sequence[str | Path] | None = None,
    payments: str | Path | None = None,
    clients: str | Path | None = None,
    activities: str | Path | None = None,
    options: ReadOptions | None = None,
    settings: Settings | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> PortfolioAnalysis:
    """Analyse a workspace or a set of export files.

    ``source`` is a workspace folder, an export file, a list of files or a
    folder of export files; the explicit table arguments name files whose
    table is known. ``engine`` is ``duckdb`` (default) or ``spark``. On the
    local engine, a workspace whose pre-aggregates are of the analysis window
    is analysed from them with polars (:func:`analyze_aggregates`, no SQL);
    otherwise the engine's Ibis queries run (:func:`analyze_tables`).
    """
    from cartera.io.prepare import prepare_workspace
    from cartera.io.workspace import detected_currency, no_image_column
    from cartera.scenarios import enrich

    settings = settings or load_settings()
    workspace = prepare_workspace(
        source,
        documents=documents,
        payments=payments,
        clients=clients,
        activities=activities,
        options=options,
    )
    detected = (options.currency if options else None) or detected_currency(workspace.manifest)
    if detected:
        # The files say their currency (or --currency kept one): it replaces the default.
        settings = settings.model_copy(update={"currency": detected})
    summary = InputSummary(tables=workspace.input_summary())
    local = (
        local_aggregates(workspace.path, workspace.manifest, settings)
        if engine == "duckdb"
        else None
    )
    # One read of the clients: the local metrics' columns and the reports' client profile.
    wanted = (
        dict.fromkeys((*CLIENT_COLUMNS, *CLIENT_ATTRIBUTE_COLUMNS))
        if local
        else CLIENT_ATTRIBUTE_COLUMNS
    )
    client_table = pl.read_parquet(workspace.table_path("clients"), columns=list(wanted))
    if local is not None:
        marked = mark_image_frame(client_table, settings.image_clients)
        analysis = analyze_aggregates(local, marked, settings, input_summary=summary)
    else:
        analysis = _analyze_with_engine(workspace, settings, summary, engine, spark_master)
    if no_image_column(workspace.manifest) and not settings.image_clients:
        analysis.notes.append(NOTE_NO_IMAGE)
    if euro_defaults_elsewhere(settings):
        analysis.notes.append(NOTE_EURO_COSTS)
    analysis = enrich(analysis, settings)
    analysis._client_attributes = client_table.select(CLIENT_ATTRIBUTE_COLUMNS)
    return analysis


def local_aggregates(
    folder: Path, manifest: dict[str, Any], settings: Settings
) -> LocalAggregates | None:
    """The workspace's pre-aggregates in memory when they are of ``settings``' window."""
    return read_aggregates(folder, manifest, as_of=settings.as_of, months=settings.window_months)


def _analyze_with_engine(
    workspace: Any, settings: Settings, summary: InputSummary, engine: str, spark_master: str | None
) -> PortfolioAnalysis:
    """The analysis by the engine's Ibis queries (Spark, or no usable pre-aggregates)."""
    from cartera.engine.connect import connect, load_tables
    from cartera.engine.preagg import load_aggregates

    tables = load_tables(connect(engine, spark_master=spark_master), workspace.path)
    tables = mark_image_clients(tables, settings.image_clients)
    aggregates = load_aggregates(tables.con, workspace.path, workspace.manifest)
    analysis = analyze_tables(tables, settings, input_summary=summary, aggregates=aggregates)
    if tables.con.name == "duckdb":
        # The analysis holds its own frame: an in-process DuckDB's buffers, cached
        # reads and registered intermediate tables (hundreds of MB at 500k clients)
        # are released now rather than when the caller drops the analysis. A Spark
        # session is left running: it may be the caller's, shared with other work.
        tables.con.disconnect()
    return analysis


def _unknown_id(listed: str) -> Problem:
    return Problem(
        N_("unknown client id"), column="image_clients", value=listed, code="bad_setting"
    )


def _image_ids(listed: list[str], found: Callable[[list[str]], Iterable[str]]) -> list[str]:
    """The client ids the ``image_clients`` setting names (``found`` looks ids up in the data).

    Raises
    ------
    SettingsError
        When a listed id is no client of the data (each such id named).
    """
    from cartera.io.identity import listed_forms

    forms = listed_forms(listed)
    known = set(found(forms.get_column("form").unique().to_list()))
    matched = set(forms.filter(pl.col("form").is_in(known)).get_column("listed"))
    unknown = [i for i in listed if i not in matched]
    if unknown:
        raise SettingsError(
            N_(
                "image_clients: no client of the data has the id {ids}. Use the ids the analysis "
                "shows (codes, else tax ids, else names)."
            ),
            [_unknown_id(i) for i in unknown],
            ids=", ".join(f"«{i}»" for i in unknown),
        )
    return sorted(known)


def mark_image_clients(tables: Tables, listed: list[str]) -> Tables:
    """``tables`` whose clients listed in the ``image_clients`` setting are image clients
    (besides those the clients file marks); ids are matched as the import matches them.

    Raises
    ------
    SettingsError
        When a listed id is no client of the data (each such id named).
    """
    if not listed:
        return tables
    from cartera.engine.connect import to_arrow

    clients = tables.clients

    def found(wanted: list[str]) -> list[str]:
        rows = clients.filter(clients.client_id.isin(wanted)).select("client_id")
        return to_arrow(rows, tables.con).column("client_id").to_pylist()

    known = _image_ids(listed, found)
    image = clients.image.fill_null(False) | clients.client_id.isin(known)
    return replace(tables, clients=clients.mutate(image=image))


def mark_image_frame(clients: pl.DataFrame, listed: list[str]) -> pl.DataFrame:
    """:func:`mark_image_clients` on a clients frame (the local analysis)."""
    if not listed:
        return clients

    def found(wanted: list[str]) -> list[str]:
        return clients.filter(pl.col("client_id").is_in(wanted))["client_id"].to_list()

    known = _image_ids(listed, found)
    image = pl.col("image").fill_null(False) | pl.col("client_id").is_in(known)
    return clients.with_columns(image=image)


def analyze_aggregates(
    aggregates: LocalAggregates,
    clients: pl.DataFrame,
    settings: Settings,
    *,
    input_summary: InputSummary | None = None,
) -> PortfolioAnalysis:
    """The analysis (no enrichment) from per-client sums in memory, with polars.

    ``aggregates`` are the grouped pass's sums for the analysis window (the
    workspace's pre-aggregates, :func:`local_aggregates`) and ``clients`` the
    clients table (image clients marked). The same result as
    :func:`analyze_tables` over the lines (sums to the last bits, decision
    0253), without Ibis or SQL: the metrics (:mod:`cartera.engine.local`), the
    typical client and the rules (:mod:`cartera.segment_rules`) are column
    operations on the frame.
    """
    prof = dict(aggregates.profile)
    profile = DataProfile.from_counts(prof)
    window = aggregates.window
    metrics = client_metrics_frame(
        aggregates.documents, aggregates.hours, clients, window, settings,
        has_cost=profile.has_cost,
    )  # fmt: skip
    ranked, _total = rank_and_share_frame(metrics)
    totals = typical_values(metrics)
    del metrics
    classified = classify_frame(ranked, settings, has_cost=profile.has_cost, totals=totals)
    frame = classified.select(
        *(pl.col(c).fill_null(0.0) if c == "previous_revenue" else pl.col(c) for c in FRAME_COLUMNS)
    )
    return _from_frame(frame, prof, profile, window, settings, input_summary)


def analyze_tables(
    tables: Tables,
    settings: Settings,
    *,
    input_summary: InputSummary | None = None,
    aggregates: Aggregates | None = None,
) -> PortfolioAnalysis:
    """The analysis of canonical tables already bound to a backend (no enrichment).

    ``aggregates`` are the workspace's pre-aggregates of these tables
    (:mod:`cartera.engine.preagg`): their data profile replaces the profile
    scan, and when the analysis window is theirs, their per-client sums
    replace the grouped pass over the lines. The result is the same.
    """
    from cartera.engine.connect import to_arrow
    from cartera.engine.metrics import data_profile

    con = tables.con
    if aggregates is not None:
        prof = dict(aggregates.profile)
    else:
        prof = to_arrow(data_profile(tables.documents, tables.activities), con).to_pylist()[0]
    profile = DataProfile.from_counts(prof)
    as_of = settings.as_of or prof["last_date"] or dt.date.today()
    window = AnalysisWindow(as_of=as_of, months=settings.window_months)
    stored = None
    if aggregates is not None and aggregates.window == window:
        stored = (_as_computed(aggregates.documents, tables, window, profile), aggregates.hours)
    frame = _to_frame(_client_table(tables, settings, window, profile, stored))
    return _from_frame(frame, prof, profile, window, settings, input_summary)


def _from_frame(
    frame: pl.DataFrame,
    prof: dict[str, Any],
    profile: DataProfile,
    window: AnalysisWindow,
    settings: Settings,
    input_summary: InputSummary | None,
) -> PortfolioAnalysis:
    """The analysis of a per-client frame (:data:`FRAME_COLUMNS`, sorted by rank)."""
    unknown = [] if prof["paid_n"] else ["days_late"]
    if not prof["paid_n"] and not prof["paid_amount_n"]:
        unknown += RECEIVABLE_COLUMNS
    if unknown:
        frame = frame.with_columns(pl.lit(None, pl.Float64).alias(c) for c in unknown)
    # The portfolio and the curves from the frame's columns with numpy (the what-if's
    # sums, held equal to the engine's summary and curves by tests): the frame is
    # local whatever the engine, and each engine query would cost more than its sums.
    simulator = Simulator(frame, settings)
    pareto, whale = simulator.curves(MAX_CURVE_POINTS)
    analysis = _LazyAnalysis(
        schema=SCHEMA_VERSION,
        as_of=window.as_of,
        window=Window(start=window.start, end=window.as_of),
        currency=settings.currency,
        has_cost=profile.has_cost,
        portfolio=simulator.portfolio(settings),
        clients=[],
        notes=_notes(prof, frame, settings),
        pareto_curve=pareto,
        whale_curve=whale,
        input_summary=input_summary or InputSummary(),
    )
    analysis._frame = frame
    analysis._settings = settings
    del analysis.__dict__["clients"]  # built from the frame on first use
    simulator.keep(analysis)  # the enrichment's and later what-ifs' simulator
    return analysis


def _as_computed(
    stored: ir.Table, tables: Tables, window: AnalysisWindow, profile: DataProfile
) -> ir.Table:
    """The stored per-client sums with the types the grouped pass gives them.

    Parquet has no 128-bit integers: DuckDB writes its integer sums as doubles,
    which would turn the frame's integer columns (``orders``) into floats.
    """
    from cartera.engine.metrics import document_aggregates

    expected = document_aggregates(tables.documents, window, profile).schema()
    found = stored.schema()
    changed = {name: dtype for name, dtype in expected.items() if found.get(name) != dtype}
    return stored.cast(changed) if changed else stored


def client_frame(
    tables: Tables, settings: Settings, window: AnalysisWindow, profile: DataProfile
) -> pl.DataFrame:
    """The per-client frame (:data:`FRAME_COLUMNS`, sorted by rank), in two queries.

    The grouped pass over the documents runs first; shares, ranks and the
    rules then run over its (small) result with the portfolio totals as
    constants, so that no window over the whole table has to carry every
    column of every client.
    """
    return _to_frame(_client_table(tables, settings, window, profile))


def _client_table(
    tables: Tables,
    settings: Settings,
    window: AnalysisWindow,
    profile: DataProfile,
    aggregates: tuple[ir.Table, ir.Table] | None = None,
) -> pa.Table:
    """:func:`client_frame` as the engine's Arrow result (in the engine's row order)."""
    from cartera.engine.connect import from_arrow, release, to_arrow
    from cartera.engine.metrics import client_metrics, rank_and_share
    from cartera.segments import PortfolioTotals, classify, totals_expr, typical_expr

    con = tables.con
    metrics = client_metrics(
        tables.documents,
        tables.clients,
        tables.activities,
        window,
        settings,
        profile=profile,
        aggregates=aggregates,
    )
    base = from_arrow(to_arrow(metrics, con), con, "cartera_metrics")
    row = to_arrow(totals_expr(base), con).to_pylist()[0]
    typical = to_arrow(typical_expr(base, settings), con).to_pylist()[0]
    totals = PortfolioTotals(**typical)
    ranked = rank_and_share(base, total_positive=row["positive_revenue"] or 0.0)
    classified = classify(ranked, settings, has_cost=profile.has_cost, totals=totals)
    classified = classified.mutate(previous_revenue=classified.previous_revenue.fill_null(0.0))
    # Unsorted: _to_frame sorts by rank in polars. An ORDER BY here would hold a sorted
    # copy in DuckDB while the result is converted (measured at 500k clients: ~75 MB
    # more peak memory for the same CPU time).
    result = to_arrow(classified.select(*FRAME_COLUMNS), con)
    release(base, con)
    return result


def _to_frame(table: pa.Table) -> pl.DataFrame:
    """The Arrow result as the polars frame, sorted by rank (ranks are unique: one order)."""
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame if frame["rank"].is_sorted() else frame.sort("rank")


class _LazyAnalysis(PortfolioAnalysis):
    """A :class:`PortfolioAnalysis` whose ``clients`` objects are built on first use.

    One pydantic object per client costs tens of microseconds and a few
    kilobytes; at hundreds of thousands of clients that would dwarf the
    computation and the memory of the analysis itself, while the library and
    the what-ifs only need ``clients_frame``. The list appears, identical,
    the first time ``clients`` is read or the result is serialised.
    """

    def __getattr__(self, item: str) -> Any:
        if item == "clients" and self._frame is not None:
            clients = client_results(self._frame, self._settings)
            self.__dict__["clients"] = clients
            return clients
        return super().__getattr__(item)  # type: ignore[misc]

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        self.clients  # noqa: B018 - materialise before pydantic reads __dict__
        return super().model_dump(**kwargs)

    def model_dump_json(self, **kwargs: Any) -> str:
        self.clients  # noqa: B018 - materialise before pydantic reads __dict__
        return super().model_dump_json(**kwargs)

    def to_contract(self, *, rows: dict[str, TableRows] | None = None) -> dict[str, Any]:
        """The JSON contract; its ``clients`` come straight from the frame when not built yet."""
        if "clients" in self.__dict__ or self._frame is None:
            return super().to_contract(rows=rows)
        self.__dict__["clients"] = []  # a placeholder keeps the key in its place
        try:
            data = super().to_contract(rows=rows)
        finally:
            del self.__dict__["clients"]
        data["clients"] = _contract_clients(self._frame, self._settings)
        return data


def _notes(profile: dict[str, Any], frame: pl.DataFrame, settings: Settings) -> list[str]:
    from cartera.scenarios.texts import FIXED_COSTS_HINT

    notes: list[str] = []
    if not profile["lines"]:
        return [NOTE_NO_DOCUMENTS]
    if frame.height and frame["orders"].sum() == 0:
        notes.append(NOTE_EMPTY_WINDOW)
    if not profile["cost_n"]:
        notes.append(NOTE_NO_COST)
    elif settings.fixed_costs <= 0:  # without cost data there is no contribution to speak of
        notes.append(FIXED_COSTS_HINT)
    if not profile["paid_n"]:
        # Paid amounts without their dates still tell what is open (decision 0948).
        notes.append(NOTE_NO_PAYMENT_DATES if profile["paid_amount_n"] else NOTE_NO_PAYMENTS)
    if not profile["due_n"]:
        notes.append(NOTE_NO_DUE)
    if not profile["activities"]:
        notes.append(NOTE_NO_ACTIVITIES)
    return notes


def _metric_expr(name: str) -> pl.Expr:
    """Frame column ``name`` as pydantic's JSON mode writes the ``ClientMetrics`` field."""
    annotation = ClientMetrics.model_fields[name].annotation
    kinds = set(get_args(annotation)) | {annotation}
    col = pl.col(name)
    if float in kinds:  # NaN is "not defined" (None), as the models' validator says
        return col.cast(pl.Float64).fill_nan(None)
    if int in kinds:
        return col.cast(pl.Int64)
    if dt.date in kinds:
        return col.cast(pl.Date).dt.to_string("%Y-%m-%d")
    return col


def _contract_clients(frame: pl.DataFrame, settings: Settings) -> list[dict[str, Any]]:
    """The contract's ``clients`` list built from the frame's columns.

    Equal, key for key and value for value, to ``model_dump(mode="json")`` of
    the :class:`ClientResult` objects, without building them (tens of
    microseconds each at hundreds of thousands of clients): the metrics and
    the reasons' numbers are computed column-wise, then zipped into dicts.
    """
    numbers = reason_values(settings)
    values = frame.select(
        *(_metric_expr(k) for k in _METRICS),
        *(expr.cast(pl.Float64).alias(f"_r_{code}") for code, (expr, _th) in numbers.items()),
    )
    metric_rows = zip(*(values[k].to_list() for k in _METRICS), strict=True)
    reason_numbers = {code: values[f"_r_{code}"].to_list() for code in numbers}
    reason_codes = frame["reasons"].fill_null("").to_list()
    rows: list[dict[str, Any]] = []
    for i, (cid, name, segment, action, metrics) in enumerate(
        zip(
            frame["id"].to_list(),
            frame["name"].to_list(),
            frame["segment"].to_list(),
            frame["action"].to_list(),
            metric_rows,
            strict=True,
        )
    ):
        reasons = [
            {"code": code, "value": reason_numbers[code][i], "threshold": numbers[code][1]}
            for code in reason_codes[i].split(",")
            if code
        ]
        rows.append(
            {
                "id": cid,
                "name": name,
                "segment": segment,
                "action": action,
                "reasons": reasons,
                "metrics": dict(zip(_METRICS, metrics, strict=True)),
                "image_candidate": False,
            }
        )
    return rows


_CLIENT_LIST = TypeAdapter(list[ClientResult])
_SLICE_ROWS = 20_000


def client_results(frame: pl.DataFrame, settings: Settings) -> list[ClientResult]:
    """One :class:`ClientResult` per row of ``frame`` (the analysis frame or rows of it).

    What ``PortfolioAnalysis.clients`` holds for those rows; a page or report
    that shows some clients converts only those. Validated slice by slice so
    that only one slice's dicts exist at a time.
    """
    results: list[ClientResult] = []
    for part in frame.iter_slices(_SLICE_ROWS):
        results.extend(_CLIENT_LIST.validate_python(_contract_clients(part, settings)))
    return results

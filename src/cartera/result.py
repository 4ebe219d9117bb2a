"""The one result object that every renderer reads.

:class:`PortfolioAnalysis` mirrors the JSON contract of docs/json-contract.md
(``schema`` 2). Models are pydantic so that ``to_contract()`` is validated and
never holds NaN or infinity (``None`` stands for "not defined", e.g. a margin
when the data has no cost). The per-client table is also kept as a polars
frame for the Python API (``clients_frame``: polars, pandas, Arrow).

Renderers never compute: anything a report shows must be a field here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Sequence
from typing import Any, Literal, overload

import polars as pl
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    FieldSerializationInfo,
    PrivateAttr,
    field_serializer,
    field_validator,
)

__all__ = [
    "ACTIONS",
    "SCHEMA_VERSION",
    "SEGMENTS",
    "AgingBucket",
    "ClientMetrics",
    "ClientResult",
    "CurvePoint",
    "InputSummary",
    "Pareto",
    "Portfolio",
    "PortfolioAnalysis",
    "Reason",
    "Recommendation",
    "SegmentFigures",
    "StressResult",
    "TableRows",
    "WhatIfResult",
    "WorstLoss",
]

SCHEMA_VERSION = 2
SEGMENTS = ("structure", "margin", "image", "regular", "new", "dormant")
ACTIONS = ("keep", "grow", "win_back", "renegotiate", "let_go")
Segment = Literal["structure", "margin", "image", "regular", "new", "dormant"]
Action = Literal["keep", "grow", "win_back", "renegotiate", "let_go"]
ReasonCode = Literal[
    "late_payment",
    "high_returns",
    "low_volume",
    "service_burden",
    "price_pressure",
    "negative_contribution",
    "dependence",
    "declining",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)

    @field_validator("*", mode="before")
    @classmethod
    def _finite(cls, value: Any) -> Any:
        # JSON has no NaN/inf: an undefined figure is None.
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return value


class Reason(_Model):
    """Why a client got its action: ``late_payment: 172 days to pay > 120``."""

    code: ReasonCode
    value: float
    threshold: float


class ClientMetrics(_Model):
    revenue: float
    gross_margin: float | None
    margin_pct: float | None
    orders: int
    units: float | None
    active_months: int
    recency_days: int | None
    tenure_days: int | None
    return_rate: float | None
    days_to_pay: float | None
    days_late: float | None
    overdue: float | None
    service_hours: float
    cost_to_serve: float
    net_contribution: float | None
    revenue_share: float
    cumulative_share: float
    rank: int
    abc: Literal["A", "B", "C"] | None = None
    previous_revenue: float | None = None
    last_purchase: dt.date | None = None
    order_interval_days: float | None = None


class ClientResult(_Model):
    id: str
    name: str
    segment: Segment
    action: Action
    reasons: list[Reason] = Field(default_factory=list)
    metrics: ClientMetrics
    image_candidate: bool = False


class Pareto(_Model):
    clients_for_80pct: int
    share_of_clients_for_80pct: float | None
    band: Literal["high_risk", "typical", "low_risk_high_cost", "undefined"]


class SegmentFigures(_Model):
    clients: int
    revenue: float
    gross_margin: float | None
    net_contribution: float | None


class WorstLoss(_Model):
    client: str
    profit_after: float | None
    coverage_after: float | None


class AgingBucket(_Model):
    bucket: Literal["current", "1_30", "31_60", "61_90", "91_120", "over_120"]
    amount: float


class CurvePoint(_Model):
    """One point of a cumulative curve: share of clients (x) → cumulative value (y)."""

    x: float
    y: float


class Portfolio(_Model):
    clients: int
    revenue: float
    gross_margin: float | None
    margin_pct: float | None = None
    cost_to_serve: float
    net_contribution: float | None
    fixed_costs: float
    profit: float | None
    pareto: Pareto
    hhi: float
    effective_clients: float | None
    top1_share: float
    top5_share: float
    top10_share: float = 0.0
    large_clients: list[str] = Field(default_factory=list)
    fixed_cost_coverage: float | None = None
    service_hours: float = 0.0
    segments: dict[str, SegmentFigures] = Field(default_factory=dict)
    aging: list[AgingBucket] = Field(default_factory=list)
    whale_peak_share: float | None = None
    worst_single_loss: WorstLoss | None = None


class TableRows(Sequence[dict[str, Any]]):
    """A list of dicts kept as the polars frame of their values (one row per dict).

    What a recommendation's ``params`` hold for a list that grows with the clients
    (the let-go alternatives: tens of thousands at 500,000 clients): building every
    dict costs more than the dashboard, which reads four, ever needs. Reading an
    item or a slice builds those dicts only (``frame.row(i, named=True)``: the
    column names are the keys, in order); ``model_dump`` and ``to_contract`` give
    the plain list, and the JSON writer writes the frame with polars
    (:func:`cartera.contract_stream.rows_text`).
    """

    __slots__ = ("frame",)

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def __len__(self) -> int:
        return self.frame.height

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return self.frame[index].to_dicts()
        position = index + self.frame.height if index < 0 else index
        if not 0 <= position < self.frame.height:
            raise IndexError("TableRows index out of range")
        return self.frame.row(position, named=True)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.frame.to_dicts())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TableRows | list | tuple):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-like: equal to a list

    def __repr__(self) -> str:
        return f"TableRows({self.frame.height} rows: {', '.join(self.frame.columns)})"


#: The ``model_dump`` context key under which a writer collects the recommendations'
#: :class:`TableRows` (a dict: marker string → rows; the dump holds the marker instead).
ROWS_CONTEXT = "cartera_table_rows"


class Recommendation(_Model):
    """A suggested action; ``impact`` holds its numbers, ``params`` what the text needs."""

    # A ``params`` value may be a TableRows (the let-go alternatives): dumped, it is the
    # list of its dicts. (The docstring above is the contract schema's description.)

    code: str
    priority: int
    clients: list[str] = Field(default_factory=list)
    impact: dict[str, float | None] = Field(default_factory=dict)
    params: dict[str, Any] = Field(default_factory=dict)

    @field_serializer("params")
    def _plain_params(self, params: dict[str, Any], info: FieldSerializationInfo) -> dict[str, Any]:
        # The return type keeps the contract's schema of ``params`` (an object).
        if not any(isinstance(value, TableRows) for value in params.values()):
            return params
        context = info.context
        collected = context.get(ROWS_CONTEXT) if isinstance(context, dict) else None
        plain: dict[str, Any] = {}
        for key, value in params.items():
            if isinstance(value, TableRows):
                if collected is None:
                    value = value.frame.to_dicts()
                else:
                    marker = f"\x00cartera-rows-{len(collected)}\x00"
                    collected[marker] = value
                    value = marker
            plain[key] = value
        return plain


class InputSummary(_Model):
    """What was read and recognised (for the report's input sheet)."""

    tables: dict[str, dict[str, Any]] = Field(default_factory=dict)
    notes: list[str] = Field(default_factory=list)


class Window(_Model):
    start: dt.date
    end: dt.date


class PortfolioAnalysis(_Model):
    """Everything one analysis found. ``to_contract()`` is the JSON contract."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    schema_: int = Field(SCHEMA_VERSION, alias="schema")
    as_of: dt.date
    window: Window
    currency: str
    has_cost: bool = True
    portfolio: Portfolio
    clients: list[ClientResult]
    recommendations: list[Recommendation] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list,
        description="Message ids of things the user should know (e.g. no cost column).",
    )
    pareto_curve: list[CurvePoint] = Field(default_factory=list)
    whale_curve: list[CurvePoint] = Field(default_factory=list)
    input_summary: InputSummary = Field(default_factory=InputSummary)
    _frame: pl.DataFrame | None = PrivateAttr(default=None)
    _settings: Any = PrivateAttr(default=None)
    #: The clients file's attribute columns (``client_id, sector, region, size, terms_days``)
    #: as :func:`cartera.analyze` read them, for the reports' client profile; ``None`` when
    #: the analysis was built without a clients table.
    _client_attributes: pl.DataFrame | None = PrivateAttr(default=None)

    def to_contract(self, *, rows: dict[str, TableRows] | None = None) -> dict[str, Any]:
        """The JSON contract (docs/json-contract.md): English keys, no NaN.

        With ``rows`` (an empty dict), each :class:`TableRows` of the recommendations'
        ``params`` is left out: a marker string stands in its place, and ``rows`` maps
        it to the rows (for a writer that writes them by polars); without, they are
        lists of dicts.
        """
        data = self.model_dump(
            mode="json",
            by_alias=True,
            exclude={"pareto_curve", "whale_curve", "input_summary", "has_cost"},
            context=None if rows is None else {ROWS_CONTEXT: rows},
        )
        return data

    @property
    def clients_frame(self) -> pl.DataFrame:
        """One row per client with its metrics, segment and action (polars)."""
        if self._frame is None:
            rows = [
                {
                    "id": c.id,
                    "name": c.name,
                    "segment": c.segment,
                    "action": c.action,
                    "reasons": ",".join(r.code for r in c.reasons),
                    **c.metrics.model_dump(),
                }
                for c in self.clients
            ]
            self._frame = pl.DataFrame(rows) if rows else pl.DataFrame()
        return self._frame

    def to_pandas(self) -> Any:
        return self.clients_frame.to_pandas()

    def to_arrow(self) -> Any:
        return self.clients_frame.to_arrow()

    def client(self, client_id: str) -> ClientResult:
        for c in self.clients:
            if c.id == client_id:
                return c
        raise KeyError(client_id)

    def without(self, ids: str | list[str] | tuple[str, ...]) -> WhatIfResult:
        """What-if: the portfolio before and after losing the clients ``ids``."""
        from cartera.scenarios.whatif import what_if  # lazily: scenarios sit above result

        return what_if(self, [ids] if isinstance(ids, str) else list(ids))


class WhatIfResult(_Model):
    """``cartera whatif``: the portfolio before and after losing ``lost``."""

    before: Portfolio
    after: Portfolio
    delta: dict[str, float | None]
    lost: list[str]
    hours_freed: float = 0.0

    def to_contract(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class TailClient(_Model):
    client: str
    name: str
    segment: Segment
    share_of_tail_loss: float
    leave_probability: float | None = None
    tail_leave_rate: float | None = None


class StressResult(_Model):
    """``cartera stress``: the Monte Carlo crisis distribution and named scenarios."""

    expected_profit: float
    profit_p5: float
    p_loss: float
    p_fixed_costs_uncovered: float
    scenarios: int
    seed: int
    tail_clients: list[TailClient] = Field(default_factory=list)
    named: dict[str, float] = Field(
        default_factory=dict, description="Deterministic scenarios: name → profit."
    )
    histogram: list[CurvePoint] = Field(
        default_factory=list, description="Profit distribution: x = bin centre, y = share."
    )
    baseline_profit: float = 0.0
    #: the fixed costs the stress was run with; 0 means none given: the figures are net
    #: contribution (``baseline_profit − profit_p5`` is the contribution at risk)
    fixed_costs: float = 0.0

    def to_contract(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"histogram"})

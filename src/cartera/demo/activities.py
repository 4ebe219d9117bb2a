"""Time spent with each client (the ``actividades.csv`` table).

Most clients get a few calls and e-mails a year; structure and image clients
get regular meetings and visits. Draining clients get many long meetings and
tiny clients many support requests: their hours are set from their own gross
margin, so that at the default hourly cost the meetings eat well over half of
the margin (draining) or more than all of it (tiny).
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from cartera.demo.calendar import DORMANT_QUIET_DAYS, NEW_DAYS, Span, weekday_shift
from cartera.demo.kinds import KINDS
from cartera.settings import Settings

__all__ = ["ACTIVITY_COLUMNS", "make_activities"]

ACTIVITY_COLUMNS: Final = ("Fecha", "Código cliente", "Tipo", "Horas", "Nota")
TYPES: Final = ("Reunión", "Llamada", "Email", "Visita", "Soporte")
#: Hours of one activity of each type: (low, high).
_HOURS: Final = np.array([(1.0, 2.0), (0.25, 0.75), (0.1, 0.3), (2.0, 4.0), (0.5, 2.0)])
#: Per kind: activities per year and the chances of each type (order of TYPES).
_PROFILE: Final[dict[str, tuple[float, tuple[float, ...]]]] = {
    "structure": (30.0, (0.35, 0.35, 0.2, 0.1, 0.0)),
    "margin": (4.0, (0.3, 0.4, 0.3, 0.0, 0.0)),
    "image": (6.0, (0.3, 0.25, 0.25, 0.2, 0.0)),
    "slow_payer": (6.0, (0.1, 0.55, 0.35, 0.0, 0.0)),
    "returner": (6.0, (0.1, 0.3, 0.2, 0.0, 0.4)),
    "tiny": (0.0, (0.0, 0.25, 0.15, 0.0, 0.6)),
    "draining": (0.0, (0.75, 0.12, 0.08, 0.05, 0.0)),
    "new": (9.0, (0.4, 0.3, 0.3, 0.0, 0.0)),
    "dormant": (2.0, (0.1, 0.5, 0.4, 0.0, 0.0)),
    "regular": (0.5, (0.05, 0.5, 0.45, 0.0, 0.0)),
}
_NOTES: Final = (
    ("Reunión de seguimiento", "Revisión de pedido", "Presentación de novedades"),
    ("Consulta sobre un pedido", "Llamada de seguimiento", "Cambio de dirección de entrega"),
    ("Envío de presupuesto", "Confirmación de pedido", "Envío de catálogo"),
    ("Visita a sus instalaciones", "Visita comercial", "Demostración de producto"),
    ("Incidencia técnica", "Consulta de uso", "Configuración del equipo"),
)
#: (kind, type) → notes that replace the general ones most of the time.
_SPECIAL: Final = {
    ("slow_payer", "Llamada"): ("Reclamación de cobro", "Aplazamiento de pago solicitado"),
    ("slow_payer", "Email"): ("Recordatorio de factura vencida", "Envío de extracto de deuda"),
    ("returner", "Soporte"): ("Gestión de devolución", "Material defectuoso según el cliente"),
    ("draining", "Reunión"): (
        "Revisión de especificaciones",
        "Cambios de última hora en el pedido",
        "Revisión del presupuesto otra vez",
    ),
}
_HOURLY_COST: Final = float(Settings.model_fields["hourly_cost"].default)


def make_activities(
    codes: np.ndarray,
    client_ids: pl.Series,
    invoices: np.ndarray,
    gross_margin: np.ndarray,
    span: Span,
    rng: np.random.Generator,
) -> pl.DataFrame:
    """One row per activity.

    Parameters
    ----------
    codes
        Kind code per client.
    client_ids
        ``Código cliente`` per client.
    invoices, gross_margin
        Per client: number of invoices and gross margin over the span (euros).

    Returns
    -------
    polars.DataFrame
        :data:`ACTIVITY_COLUMNS`: ``Fecha`` (Date), ``Código cliente``, ``Tipo``,
        ``Horas`` (Float64, quarter hours), ``Nota``; in date order.
    """
    years = span.days / 365.0
    count, target = _counts(codes, invoices, gross_margin, years, rng)
    client = np.repeat(np.arange(codes.size), count)
    kind = codes[client]
    probs = np.array([_PROFILE[k][1] for k in KINDS]).cumsum(axis=1)
    kind_type = (rng.random(client.size)[:, None] > probs[kind]).sum(axis=1)
    kind_type = np.minimum(kind_type, len(TYPES) - 1)
    hours = _hours(kind_type, kind, client, target, rng)
    day = _days(kind, span, rng)
    order = np.lexsort((client, day))
    frame = pl.DataFrame(
        {
            "Fecha": pl.Series(day[order].astype(np.int32)).cast(pl.Date),
            "Código cliente": client_ids.gather(pl.Series(client[order], dtype=pl.UInt32)),
            "Tipo": pl.Series(TYPES).gather(pl.Series(kind_type[order], dtype=pl.UInt32)),
            "Horas": hours[order],
            "Nota": _notes(kind[order], kind_type[order], rng),
        }
    )
    return frame


def _counts(
    codes: np.ndarray,
    invoices: np.ndarray,
    gross_margin: np.ndarray,
    years: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray]:
    """Activities per client, and the hours they must add up to (NaN: no target)."""
    rate = np.array([_PROFILE[k][0] for k in KINDS])[codes] * years
    regular = codes == KINDS.index("regular")
    rate[regular] += 0.1 * invoices[regular]
    new = codes == KINDS.index("new")
    rate[new] *= NEW_DAYS / (365.0 * years)
    count = rng.poisson(rate)
    yearly_margin = np.maximum(gross_margin, 0.0) / years / _HOURLY_COST
    target = np.full(codes.size, np.nan)
    draining = codes == KINDS.index("draining")
    target[draining] = np.clip(
        rng.uniform(0.7, 1.1, int(draining.sum())) * yearly_margin[draining], 60.0, 1500.0
    )
    tiny = codes == KINDS.index("tiny")
    target[tiny] = np.maximum(
        rng.uniform(5.0, 12.0, int(tiny.sum())),
        rng.uniform(2.0, 4.0, int(tiny.sum())) * yearly_margin[tiny],
    )
    target *= years
    mean_hours = np.array([_PROFILE[k][1] for k in KINDS]) @ _HOURS.mean(axis=1)
    has_target = ~np.isnan(target)
    count[has_target] = np.maximum(
        np.round(target[has_target] / mean_hours[codes[has_target]]), 1
    ).astype(count.dtype)
    return count, target


def _hours(
    kind_type: np.ndarray,
    kind: np.ndarray,
    client: np.ndarray,
    target: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Hours of each activity, rounded to quarter hours; scaled to the client's target."""
    low, high = _HOURS[kind_type, 0], _HOURS[kind_type, 1]
    meeting = (kind == KINDS.index("draining")) & (kind_type == 0)
    low, high = np.where(meeting, 1.5, low), np.where(meeting, 3.0, high)
    hours = rng.uniform(low, high)
    goal = target[client]
    scaled = ~np.isnan(goal)
    if scaled.any():
        drawn = np.bincount(client, weights=hours, minlength=target.size)
        hours[scaled] *= goal[scaled] / drawn[client[scaled]]
    return np.maximum(np.round(hours * 4) / 4, 0.25)


def _days(kind: np.ndarray, span: Span, rng: np.random.Generator) -> np.ndarray:
    """Activity dates: new clients' in their first months, dormant clients' before they left."""
    n = kind.size
    offset = rng.integers(0, span.days, n)
    new = kind == KINDS.index("new")
    offset[new] = rng.integers(span.days - NEW_DAYS, span.days, int(new.sum()))
    dormant = kind == KINDS.index("dormant")
    offset[dormant] = rng.integers(0, span.days - DORMANT_QUIET_DAYS, int(dormant.sum()))
    return weekday_shift(span.first + offset, span.first)


def _notes(kind: np.ndarray, kind_type: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """A short Spanish note for each activity."""
    flat = [note for notes in _NOTES for note in notes]
    index = kind_type * 3 + rng.integers(0, 3, kind.size)
    u = rng.random(kind.size)
    for (kind_name, type_name), notes in _SPECIAL.items():  # a handful of rules
        mask = (kind == KINDS.index(kind_name)) & (kind_type == TYPES.index(type_name)) & (u < 0.8)
        pick = rng.integers(0, len(notes), kind.size)
        index = np.where(mask, len(flat) + pick, index)
        flat.extend(notes)
    return pl.Series(flat).gather(pl.Series(index, dtype=pl.UInt32))

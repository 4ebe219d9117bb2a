"""The demo's client traits and its prospect list (issue 15).

Two things that belong together, because a prospect "looks like" a kind only
if the firm's clients of that kind share traits:

* :func:`plant_traits` gives the demo clients kind-dependent sectors,
  provinces and sizes (employees, a new ``Empleados`` column): structure
  clients are mostly mid-size logistics and food firms in Madrid and
  Barcelona, margin clients small technology and energy firms in Valencia and
  Vizcaya, image clients large public, health and education bodies. Other
  kinds keep their uniform draw.
* :func:`make_prospects` draws a prospect list with look-alikes of each kind,
  prospects of no particular kind, some duplicates of existing clients (tax id
  written differently, or the name with another case, no accents and another
  legal suffix), repeats within the list, prospects without consent or source,
  and a do-not-call list (a Robinson-list style export of phones).

Everything is drawn from its own seeded stream, so the invoices, payments and
activities of a seed are the same with or without these traits.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import polars as pl

from cartera.demo.clients import _FIRST_NAMES, _FORMS, _PROVINCES, _SECTORS, _SURNAMES
from cartera.demo.export import ENCODING
from cartera.demo.kinds import KINDS

__all__ = [
    "DNC_COLUMNS",
    "PROSPECT_COLUMNS",
    "PROSPECT_FILES",
    "SIZE_COLUMN",
    "TRAITS",
    "DemoProspects",
    "Traits",
    "make_prospects",
    "plant_traits",
    "write_prospects",
]

SIZE_COLUMN: Final = "Empleados"
PROSPECT_COLUMNS: Final = (
    "Razón social", "NIF", "Sector", "Provincia", "Empleados", "Persona de contacto",
    "Teléfono", "Email", "Origen", "Consentimiento",
)  # fmt: skip
DNC_COLUMNS: Final = ("Teléfono", "Email")
#: Where ``cartera demo`` writes them: a subfolder, so that importing the demo
#: folder does not take the prospects for clients.
PROSPECT_FILES: Final = {
    "prospects": "prospects/prospects.csv",
    "do_not_call": "prospects/robinson.csv",
}
#: Employees of the EU size bands (micro, small, medium, large): low, high.
_BANDS: Final = ((1, 9), (10, 49), (50, 249), (250, 2000))
_SOURCES: Final = (
    "Feria Alimentaria 2026", "Web: formulario de contacto", "Recomendación de cliente",
    "LinkedIn", "Directorio sectorial", "Cámara de Comercio",
)  # fmt: skip
_PREFIXES: Final = (
    "Distribuciones", "Transportes", "Comercial", "Grupo", "Industrias", "Suministros",
    "Servicios", "Soluciones", "Ingeniería", "Consultores",
)  # fmt: skip
_ROBINSON_SALT: Final = 15  # the stream of this module: seed → [seed, 15]


@dataclass(frozen=True)
class Traits:
    """How the clients of one kind differ: favoured sectors and provinces, size bands."""

    sectors: tuple[str, ...] = ()
    sector_p: float = 0.0  #: chance of a favoured sector (else the uniform draw)
    provinces: tuple[str, ...] = ()
    province_p: float = 0.0
    bands: tuple[float, float, float, float] = (0.55, 0.3, 0.12, 0.03)


TRAITS: Final[dict[str, Traits]] = {
    "structure": Traits(("Logística", "Industria alimentaria"), 0.8, ("Madrid", "Barcelona"), 0.8,
                        (0.0, 0.1, 0.6, 0.3)),
    "margin": Traits(("Tecnología", "Energía"), 0.75, ("Valencia", "Vizcaya"), 0.6,
                     (0.1, 0.6, 0.3, 0.0)),
    "image": Traits(("Administración pública", "Sanidad", "Educación"), 0.8, (), 0.0,
                    (0.0, 0.0, 0.2, 0.8)),
    "tiny": Traits(bands=(0.9, 0.1, 0.0, 0.0)),
}  # fmt: skip
_PLAIN: Final = Traits()


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, _ROBINSON_SALT])


def _draw(
    kinds: list[str], sector: np.ndarray, province: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sector, province and employees after the traits of each row's kind."""
    n = len(kinds)
    kind_arr = np.array(kinds)
    sector, province = sector.astype(object), province.astype(object)
    employees = np.empty(n, dtype=np.int64)
    u_sector, u_province, u_band, u_pick = (
        rng.random(n),
        rng.random(n),
        rng.random(n),
        rng.random(n),
    )
    for kind in set(kinds):
        mask = kind_arr == kind
        t = TRAITS.get(kind, _PLAIN)
        if t.sectors:
            hit = mask & (u_sector < t.sector_p)
            sector[hit] = np.array(t.sectors, dtype=object)[
                (u_pick[hit] * len(t.sectors)).astype(int)
            ]
        if t.provinces:
            hit = mask & (u_province < t.province_p)
            province[hit] = np.array(t.provinces, dtype=object)[
                (u_pick[hit] * len(t.provinces)).astype(int)
            ]
        band = np.searchsorted(np.cumsum(t.bands), u_band[mask], side="right").clip(0, 3)
        low = np.array([b[0] for b in _BANDS])[band]
        high = np.array([b[1] for b in _BANDS])[band]
        employees[mask] = low + (rng.random(int(mask.sum())) * (high - low + 1)).astype(np.int64)
    return sector, province, employees


def plant_traits(clients: pl.DataFrame, codes: np.ndarray, seed: int) -> pl.DataFrame:
    """The demo clients with kind-dependent ``Sector``, ``Provincia`` and a new ``Empleados``.

    Self-employed people (a DNI: the tax id starts with a digit) have one employee.
    """
    rng = _rng(seed)
    kinds = [KINDS[c] for c in codes]
    sector, province, employees = _draw(
        kinds, clients["Sector"].to_numpy(), clients["Provincia"].to_numpy(), rng
    )
    person = clients["NIF"].str.contains(r"^\d").to_numpy()
    employees[person] = 1
    return clients.with_columns(
        pl.Series("Sector", sector, dtype=pl.String),
        pl.Series("Provincia", province, dtype=pl.String),
        pl.Series(SIZE_COLUMN, employees.astype(str), dtype=pl.String),
    )


@dataclass(frozen=True)
class DemoProspects:
    """The prospect list, the do-not-call list, and what was planted in each prospect row.

    ``truth`` has one row per prospect row: ``row`` (0-based), ``planted``
    (``structure``, ``margin``, ``image``, ``other``, ``client_duplicate``,
    ``prospect_duplicate``), ``client_id`` (for client duplicates) and
    ``do_not_call`` (its phone is on the list).
    """

    prospects: pl.DataFrame
    do_not_call: pl.DataFrame
    truth: pl.DataFrame


def _names(n: int, rng: np.random.Generator) -> np.ndarray:
    """``Transportes Gil y Ramos, S.L.``: the `` y `` never appears in a demo client's name."""
    prefixes = np.array(_PREFIXES)
    surnames = np.array(_SURNAMES)
    forms = np.array([f[0] for f in _FORMS])
    first = rng.integers(0, len(surnames), n)
    second = (first + 1 + rng.integers(0, len(surnames) - 1, n)) % len(surnames)
    head = np.char.add(prefixes[rng.integers(0, len(prefixes), n)], " ")
    names = np.char.add(head, np.char.add(np.char.add(surnames[first], " y "), surnames[second]))
    # Repeats get a number, so that only the planted duplicates are duplicates.
    frame = pl.DataFrame({"n": names}).with_columns(k=pl.int_range(pl.len()).over("n"))
    unique = (
        frame.select(
            pl.when(pl.col("k") > 0).then(pl.format("{} {}", "n", pl.col("k") + 1)).otherwise("n")
        )
        .to_series()
        .to_numpy()
    )
    return np.char.add(np.char.add(unique.astype(str), ", "), forms[rng.integers(0, len(forms), n)])


def _cifs(n: int, rng: np.random.Generator, taken: set[str]) -> list[str]:
    """CIFs with a right control digit, none of them a client's."""
    out: list[str] = []
    for number in rng.choice(10**7, size=n + len(taken), replace=False):
        digits = [int(d) for d in f"{number:07d}"]
        odd = sum((2 * d) // 10 + (2 * d) % 10 for d in digits[::2])
        cif = f"B{number:07d}{(10 - (odd + sum(digits[1::2])) % 10) % 10}"
        if cif not in taken:
            out.append(cif)
        if len(out) == n:
            break
    return out


def _phones(n: int, rng: np.random.Generator) -> list[str]:
    numbers = rng.choice(10**8, size=n, replace=False)
    return [f"6{x // 10**6:02d} {x // 1000 % 1000:03d} {x % 1000:03d}" for x in numbers]


def make_prospects(clients: pl.DataFrame, seed: int, prospects: int | None = None) -> DemoProspects:
    """A prospect list for the demo firm whose clients are ``clients`` (after :func:`plant_traits`).

    ``prospects`` defaults to 30 % of the clients, at least 40: a fifth look like
    structure clients, a fifth like margin clients, 15 % like image clients, the
    rest like no kind; on top come copies of clients and repeats within the list.
    """
    rng = np.random.default_rng([seed, _ROBINSON_SALT, 1])
    n = prospects if prospects is not None else max(40, round(0.3 * clients.height))
    kinds = list(rng.choice(["structure", "margin", "image", "other"], n, p=[0.2, 0.2, 0.15, 0.45]))
    weights = np.array([w for _p, w in _PROVINCES], dtype=np.float64)
    sector, province, employees = _draw(
        kinds,
        np.array(_SECTORS)[rng.integers(0, len(_SECTORS), n)],
        np.array([p for p, _w in _PROVINCES])[
            rng.choice(len(_PROVINCES), n, p=weights / weights.sum())
        ],
        rng,
    )
    names = _names(n, rng)
    contacts = [f"{a} {b}" for a, b in zip(
        np.array(_FIRST_NAMES)[rng.integers(0, len(_FIRST_NAMES), n)],
        np.array(_SURNAMES)[rng.integers(0, len(_SURNAMES), n)], strict=True)]  # fmt: skip
    consent = rng.random(n) >= 0.1
    source = np.array(_SOURCES, dtype=object)[rng.integers(0, len(_SOURCES), n)]
    source[rng.random(n) < 0.03] = ""
    frame = pl.DataFrame(
        {
            "Razón social": names,
            "NIF": _cifs(n, rng, set(clients["NIF"].to_list())),
            "Sector": pl.Series(sector, dtype=pl.String),
            "Provincia": pl.Series(province, dtype=pl.String),
            "Empleados": employees.astype(str),
            "Persona de contacto": contacts,
            "Teléfono": _phones(n, rng),
            "Email": [f"info{i + 1}@prospecto{seed}.es" for i in range(n)],
            "Origen": pl.Series(source, dtype=pl.String),
            "Consentimiento": np.where(consent, "Sí", "No"),
        }
    )
    truth = pl.DataFrame(
        {"planted": kinds, "client_id": [None] * n},
        schema={"planted": pl.String, "client_id": pl.String},
    )
    frame, truth = _with_duplicates(frame, truth, clients, rng)
    dnc_rows = rng.choice(n, size=max(3, n // 20), replace=False)
    dnc = frame[dnc_rows.tolist()].select("Teléfono", "Email")
    truth = truth.with_row_index("row").with_columns(
        do_not_call=pl.col("row").is_in(dnc_rows.tolist())
    )
    return DemoProspects(frame, dnc, truth)


def _with_duplicates(
    frame: pl.DataFrame, truth: pl.DataFrame, clients: pl.DataFrame, rng: np.random.Generator
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Append copies of clients (tax id re-written, or name only) and repeats of prospects."""
    n = frame.height
    picked = clients[rng.choice(clients.height, size=max(4, n // 20), replace=False).tolist()]
    half = picked.height // 2
    by_tax = picked.head(half).select(
        pl.col("Razón social").str.to_uppercase(),
        pl.format("ES-{}", pl.col("NIF").str.slice(0, 3) + "." + pl.col("NIF").str.slice(3)),
    )
    by_name = picked.tail(picked.height - half).select(
        pl.col("Razón social")
        .str.to_uppercase()
        .str.replace_many(
            ["Á", "É", "Í", "Ó", "Ú", "Ñ", ", S.L.", ", S.A."],
            ["A", "E", "I", "O", "U", "N", " SL", " SA"],
        ),
        pl.lit("", pl.String).alias("NIF"),
    )
    rest = picked.select(
        "Sector", "Provincia", "Empleados", "Persona de contacto", "Teléfono", "Email"
    )
    copies = (
        pl.concat([by_tax, by_name])
        .hstack(rest)
        .with_columns(Origen=pl.lit("Directorio sectorial"), Consentimiento=pl.lit("Sí"))
        .select(frame.columns)
    )
    repeats = frame[rng.choice(n, size=max(2, n // 40), replace=False).tolist()].with_columns(
        pl.col("Razón social").str.replace(", S.L.", " SL").str.to_lowercase()
    )
    truth = pl.concat([
        truth,
        pl.DataFrame({"planted": ["client_duplicate"] * copies.height,
                      "client_id": picked["Código cliente"].to_list()}),
        pl.DataFrame({"planted": ["prospect_duplicate"] * repeats.height,
                      "client_id": [None] * repeats.height},
                     schema={"planted": pl.String, "client_id": pl.String}),
    ])  # fmt: skip
    return pl.concat([frame, copies, repeats]), truth


def write_prospects(folder: Path, clients: pl.DataFrame, seed: int) -> DemoProspects:
    """Write :data:`PROSPECT_FILES` into ``folder`` (cp1252, ``;``, CRLF, as the other files)."""
    data = make_prospects(clients, seed)
    for key, frame in (("prospects", data.prospects), ("do_not_call", data.do_not_call)):
        path = folder / PROSPECT_FILES[key]
        path.parent.mkdir(parents=True, exist_ok=True)
        text = frame.write_csv(separator=";", line_terminator="\r\n", quote_style="necessary")
        path.write_bytes(text.encode(ENCODING))
    return data

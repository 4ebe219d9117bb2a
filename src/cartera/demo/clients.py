"""The clients file of the demo: Spanish companies and self-employed people.

Names, tax ids (CIF with its control digit, DNI with its letter), sectors,
provinces, contacts, e-mails and phones are drawn vectorised from small word
lists; accents and ``ñ`` are deliberate, so that the cp1252 encoding matters.
"""

from __future__ import annotations

from typing import Final

import numpy as np
import polars as pl

from cartera.demo.kinds import KINDS, SPECS

__all__ = ["CLIENT_COLUMNS", "make_clients"]

CLIENT_COLUMNS: Final = (
    "Código cliente",
    "Razón social",
    "NIF",
    "Sector",
    "Provincia",
    "Cliente imagen",
    "Persona de contacto",
    "Email",
    "Teléfono",
    "Días de pago",
)

_PREFIXES: Final = (
    "Construcciones", "Distribuciones", "Talleres", "Suministros", "Transportes",
    "Comercial", "Grupo", "Industrias", "Reformas", "Clínica", "Panadería", "Bodegas",
    "Farmacia", "Hostelería", "Electricidad", "Carpintería", "Instalaciones", "Mecanizados",
    "Frutas", "Ferretería", "Gestoría", "Asesoría", "Cerámicas", "Conservas", "Muebles",
    "Imprenta", "Óptica", "Climatización", "Logística", "Estudio",
)  # fmt: skip
_SURNAMES: Final = (
    "Muñoz", "Ibáñez", "Álvarez", "Martínez", "Núñez", "Castañeda", "Ordóñez", "Pérez",
    "López", "Sánchez", "Gómez", "Fernández", "Jiménez", "Ruiz", "Hernández", "Díaz",
    "Moreno", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez",
    "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega",
    "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Iglesias", "Medina", "Garrido",
    "Cortés", "Castillo", "Santos", "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Cruz",
    "Calvo", "Gallego", "Vidal", "León", "Márquez", "Herrera", "Peña", "Flores", "Cabrera",
    "Campos", "Vega", "Fuentes", "Carrasco", "Caballero", "Reyes", "Nieto", "Aguilar",
    "Pascual", "Montero", "Hidalgo", "Giménez", "Ferrer", "Durán", "Benítez", "Carmona",
    "Crespo", "Román", "Pastor", "Soto", "Sáez", "Velasco", "Moya", "Soler", "Parra",
    "Esteban", "Bravo", "Gallardo", "Arrieta", "Urquijo", "Echeverría", "Zúñiga",
)  # fmt: skip
_PLACES: Final = (
    "Peñalara", "Guadalquivir", "Cantábrico", "del Duero", "del Ebro", "Levante",
    "Atlántica", "Mediterránea", "Ibérica", "del Sur", "Montaña", "la Mancha",
    "Sierra Nevada", "Guadarrama", "Bierzo", "Aljarafe", "Albaicín", "Triana", "Begoña",
    "Moncayo", "Gredos", "Doñana", "Montseny", "Tramontana",
)  # fmt: skip
_ROOTS: Final = _SURNAMES + _PLACES
#: (legal form, first letter of its CIF, weight)
_FORMS: Final = (("S.L.", "B", 0.6), ("S.A.", "A", 0.25), ("S.L.U.", "B", 0.1),
                 ("S.Coop.", "F", 0.05))  # fmt: skip
_FIRST_NAMES: Final = (
    "María", "José", "Antonio", "Ana", "Begoña", "Íñigo", "Lucía", "Javier", "Carmen",
    "Jesús", "Ángela", "Raúl", "Sofía", "Andrés", "Inés", "Óscar", "Nuria", "Rubén",
    "Mónica", "Adrián", "Mercedes", "Joaquín", "Marta", "Víctor", "Elena", "Sergio",
    "Pilar", "Álvaro", "Cristina", "Martín", "Rocío", "Germán", "Sonia", "Tomás",
)  # fmt: skip
_SECTORS: Final = (
    "Hostelería", "Construcción", "Comercio minorista", "Industria alimentaria",
    "Logística", "Sanidad", "Educación", "Tecnología", "Automoción", "Agricultura",
    "Administración pública", "Energía",
)  # fmt: skip
#: (province, relative weight ~ number of firms)
_PROVINCES: Final = (
    ("Madrid", 16), ("Barcelona", 14), ("Valencia", 6), ("Sevilla", 4), ("Málaga", 4),
    ("Alicante", 4), ("Vizcaya", 3), ("Zaragoza", 3), ("A Coruña", 3), ("Murcia", 3),
    ("Cádiz", 2), ("Córdoba", 2), ("Jaén", 1), ("León", 1), ("Álava", 1), ("Ávila", 1),
    ("Castellón", 2), ("Guipúzcoa", 2), ("Navarra", 2), ("Asturias", 2), ("Cantabria", 1),
    ("Badajoz", 1), ("Cáceres", 1), ("Almería", 1), ("Logroño", 1), ("Salamanca", 1),
)  # fmt: skip
_ASCII: Final = {"á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "ñ": "n", "ü": "u",
                 "Á": "a", "É": "e", "Í": "i", "Ó": "o", "Ú": "u", "Ñ": "n", " ": ""}  # fmt: skip
_DNI_LETTERS: Final = "TRWAGMYFPDXBNJZSQVHLCKE"
#: Share of clients that are self-employed people rather than companies.
_PERSON_SHARE: Final = 0.2


def make_clients(codes: np.ndarray, rng: np.random.Generator) -> pl.DataFrame:
    """The clients table, typed, in the export layout.

    Parameters
    ----------
    codes
        Kind code (index into ``KINDS``) of each client; client ``i`` gets id ``C{i+1:05d}``.

    Returns
    -------
    polars.DataFrame
        One row per client with :data:`CLIENT_COLUMNS`; ``Cliente imagen`` is Boolean
        (true exactly for the image kind), ``Días de pago`` Float64.
    """
    n = codes.size
    person = rng.random(n) < _PERSON_SHARE
    person[codes == KINDS.index("structure")] = False  # a big account is a company
    width = max(5, len(str(n)))
    first = rng.integers(0, len(_FIRST_NAMES), n)
    sur1, sur2 = rng.integers(0, len(_SURNAMES), n), rng.integers(0, len(_SURNAMES), n)
    form = rng.choice(len(_FORMS), n, p=[f[2] for f in _FORMS])
    frame = pl.DataFrame(
        {
            "i": np.arange(1, n + 1),
            "person": person,
            "first": np.array(_FIRST_NAMES)[first],
            "sur1": np.array(_SURNAMES)[sur1],
            "sur2": np.array(_SURNAMES)[sur2],
            "company": _company_names(n, rng),
            "form": np.array([f[0] for f in _FORMS])[form],
            "nif": _tax_ids(person, form, rng),
            "Sector": np.array(_SECTORS)[rng.integers(0, len(_SECTORS), n)],
            "Provincia": _provinces(n, rng),
            "Cliente imagen": codes == KINDS.index("image"),
            "contact_first": np.array(_FIRST_NAMES)[rng.integers(0, len(_FIRST_NAMES), n)],
            "phone": rng.integers(0, 10**8, n),
            "mobile": rng.random(n) < 0.4,
            "Días de pago": _terms(codes, rng),
        }
    )
    return frame.select(
        ("C" + pl.col("i").cast(pl.String).str.zfill(width)).alias("Código cliente"),
        pl.when("person")
        .then(pl.concat_str("first", "sur1", "sur2", separator=" "))
        .otherwise(pl.concat_str("company", pl.lit(", "), "form"))
        .alias("Razón social"),
        pl.col("nif").alias("NIF"),
        "Sector",
        "Provincia",
        "Cliente imagen",
        pl.when("person")
        .then(pl.concat_str("first", "sur1", separator=" "))
        .otherwise(pl.concat_str("contact_first", "sur2", separator=" "))
        .alias("Persona de contacto"),
        _email().alias("Email"),
        _phone().alias("Teléfono"),
        "Días de pago",
    )


def _company_names(n: int, rng: np.random.Generator) -> np.ndarray:
    """Distinct ``Prefix Root`` names while the word lists allow, then numbered repeats."""
    space = len(_PREFIXES) * len(_ROOTS)
    picks = rng.choice(space, size=min(n, space), replace=False)
    if n > space:
        picks = np.concatenate([picks, rng.integers(0, space, n - space)])
    names = pl.Series(
        np.char.add(
            np.char.add(np.array(_PREFIXES)[picks // len(_ROOTS)], " "),
            np.array(_ROOTS)[picks % len(_ROOTS)],
        )
    )
    repeat = pl.int_range(pl.len()).over(names)
    return (
        pl.DataFrame({"name": names})
        .select(
            pl.when(repeat > 0)
            .then(pl.concat_str("name", pl.lit(" "), (repeat + 1).cast(pl.String)))
            .otherwise("name")
        )
        .to_series()
        .to_numpy()
    )


def _tax_ids(person: np.ndarray, form: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Unique NIFs: a DNI (8 digits + letter) for people, a CIF for companies."""
    n = person.size
    numbers = rng.choice(10**7, size=n, replace=False)
    digits = (numbers[:, None] // 10 ** np.arange(6, -1, -1)) % 10
    odd = digits[:, ::2] * 2  # positions 1, 3, 5, 7 (1-based) are doubled, digits summed
    total = (odd // 10 + odd % 10).sum(axis=1) + digits[:, 1::2].sum(axis=1)
    control = (10 - total % 10) % 10
    letters = np.array([f[1] for f in _FORMS])[form]
    cif = np.char.add(np.char.add(letters, np.char.zfill(numbers.astype(str), 7)),
                      control.astype(str))  # fmt: skip
    dni_number = 10**7 + numbers * 7  # spread over 8 digits, still unique
    dni = np.char.add(np.char.zfill(dni_number.astype(str), 8),
                      np.array(list(_DNI_LETTERS))[dni_number % 23])  # fmt: skip
    return np.where(person, dni, cif)


def _provinces(n: int, rng: np.random.Generator) -> np.ndarray:
    weights = np.array([w for _p, w in _PROVINCES], dtype=np.float64)
    return np.array([p for p, _w in _PROVINCES])[
        rng.choice(len(_PROVINCES), n, p=weights / weights.sum())
    ]


def _terms(codes: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Payment terms in days, drawn from the kind's choices."""
    choices = [np.array(SPECS[k].terms, dtype=np.float64) for k in KINDS]
    out = np.empty(codes.size, dtype=np.float64)
    for code, options in enumerate(choices):  # a loop over the 10 kinds, not over rows
        mask = codes == code
        out[mask] = rng.choice(options, int(mask.sum()))
    return out


def _ascii(expr: pl.Expr) -> pl.Expr:
    return expr.str.to_lowercase().str.replace_many(list(_ASCII), list(_ASCII.values()))


def _email() -> pl.Expr:
    domain = _ascii(pl.col("company").str.split(" ").list.last())
    person_mail = pl.concat_str(
        _ascii(pl.col("first")), pl.lit("."), _ascii(pl.col("sur1")), pl.lit("@gmail.com")
    )
    company_mail = pl.concat_str(
        _ascii(pl.col("contact_first")).str.slice(0, 1),
        pl.lit("."),
        _ascii(pl.col("sur2")),
        pl.lit("@"),
        _ascii(pl.col("company").str.split(" ").list.first()).str.slice(0, 6),
        domain,
        pl.lit(".es"),
    )
    return pl.when("person").then(person_mail).otherwise(company_mail)


def _phone() -> pl.Expr:
    digits = pl.col("phone").cast(pl.String).str.zfill(8)
    lead = pl.when("mobile").then(pl.lit("6")).otherwise(pl.lit("9"))
    return pl.concat_str(
        lead,
        digits.str.slice(0, 2),
        pl.lit(" "),
        digits.str.slice(2, 3),
        pl.lit(" "),
        digits.str.slice(5, 3),
    )

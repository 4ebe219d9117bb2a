"""A book kept by month: a month column without days is the documents' date (decision
0953), read as each month's first day; a month column beside a real date is not used."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from io_text import import_text

from cartera.errors import InputError
from cartera.i18n import language
from cartera.io import ReadOptions, import_files
from cartera.io.conventions import MONTH_ONLY, clean_date_text


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("Enero 2024", "2024-01-01"),
        ("enero de 2024", "2024-01-01"),
        ("Septiembre 2023", "2023-09-01"),
        ("setiembre 2023", "2023-09-01"),
        ("Jan-2024", "2024-01-01"),
        ("Mar. 2024", "2024-03-01"),
        ("December, 2024", "2024-12-01"),
        ("março 2024", "2024-03-01"),
        ("2024-01", "2024-01-01"),
        ("2024/7", "2024-07-01"),
        ("01/2024", "2024-01-01"),
        ("12-2024", "2024-12-01"),
        # not months: left as written
        ("Total 2024", "Total 2024"),
        ("Marca 2024", "Marca 2024"),
        ("2024.5", "2024.5"),
        ("05/01/2024", "05/01/2024"),
        ("12/25", "12/25"),  # shaped like a month, but no four-digit year
        ("2024-13", "2024-13-01"),  # a month that does not exist: a bad date later
    ],
)
def test_month_texts(text: str, iso: str) -> None:
    frame = pl.DataFrame({"s": [text]}).select(
        clean_date_text(pl.col("s")).alias("t"), pl.col("s").str.contains(MONTH_ONLY).alias("m")
    )
    assert frame["t"][0] == iso
    assert frame["m"][0] is (iso != text)


def test_a_month_column_is_the_date(tmp_path: Path, options: ReadOptions) -> None:
    text = (
        "Mes;Cliente;Ventas\n"
        "Enero 2024;Kiosko Ana;738,84\n"
        "Enero 2024;Bar Estación;549,61\n"
        "Febrero 2024;Kiosko Ana;275,70\n"
        "Marzo 2024;Kiosko Ana;100,00\n"
        "TOTAL;;1.664,15\n"
    )
    docs, rendered = import_text(tmp_path, options, text)
    assert docs["date"].to_list() == [dt.date(2024, 1, 1)] * 2 + [
        dt.date(2024, 2, 1),
        dt.date(2024, 3, 1),
    ]
    assert docs["amount"].sum() == pytest.approx(1664.15)
    assert "«Mes» holds months without a day: each is read as its first day" in rendered


def test_an_impossible_month_is_a_bad_row(tmp_path: Path, options: ReadOptions) -> None:
    text = "Periodo;Cliente;Importe\n12/2024;Acme;10,00\n13/2024;Acme;20,00\n"
    with pytest.raises(InputError) as err:
        import_text(tmp_path, options, text)
    assert [(p.row, p.value, p.code) for p in err.value.problems] == [
        (3, "13/2024", "impossible_date")
    ]


@pytest.mark.parametrize("month", ["Enero 2024", "1"])
def test_a_date_column_wins_over_a_month_column(
    tmp_path: Path, options: ReadOptions, month: str
) -> None:
    text = f"Fecha;Mes;Cliente;Importe\n15/01/2024;{month};Acme;10,00\n"
    docs, rendered = import_text(tmp_path, options, text)
    assert docs["date"].to_list() == [dt.date(2024, 1, 15)]
    assert "holds months" not in rendered


@pytest.mark.parametrize("header", ["Mes", "Month", "Periodo"])
def test_a_month_column_of_numbers_is_no_date(
    tmp_path: Path, options: ReadOptions, header: str
) -> None:
    # Month numbers alone (no year) are not dates: the file has no date, as before.
    text = f"Factura;{header};Cliente;Importe\nF1;1;Acme;10,00\nF2;2;Acme;20,00\n"
    with pytest.raises(InputError) as err:
        import_text(tmp_path, options, text)
    assert {p.code for p in err.value.problems} == {"missing_column"}


@pytest.mark.parametrize(
    ("header", "score"),
    [
        ("Mes", 20),
        ("Periodo", 20),
        ("Month", 20),
        ("Competência", 20),
        ("Mes de pago", 0),
        ("Importe mes", 0),
        ("Mes factura año", 0),  # three words: not a month column's header
        ("Fecha", 75),
        ("Fecha factura", 88),
    ],
)
def test_month_header_scores(header: str, score: float) -> None:
    from cartera.io.role_rules import RULES
    from cartera.io.words import concepts, header_words

    words = header_words(header)
    assert RULES["documents"]["date"](concepts(header), words) == score


@pytest.mark.parametrize(("score", "taken"), [(24.0, False), (25.0, True), (30.0, True)])
def test_a_ruled_out_column_is_a_fallback_from_its_score(score: float, taken: bool) -> None:
    from cartera.io.recognise import FALLBACK_MIN, _fallback
    from cartera.io.score import Candidate

    assert FALLBACK_MIN == 25
    cand = Candidate("date", 1, score, "x", {}, "its values are not dates")
    roles: dict[str, int] = {"doc_number": 0, "client_name": 2, "amount": 3}
    _fallback("documents", {"date": [cand]}, roles, {0, 2, 3})
    assert ("date" in roles) is taken


def test_the_month_note_in_spanish(tmp_path: Path, options: ReadOptions) -> None:
    (tmp_path / "f.csv").write_text("Mes;Cliente;Ventas\nEnero 2024;Kiosko Ana;738,84\n")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    with language("es"):
        rendered = " ".join(summary.render().split())
    assert "· «Mes» tiene meses sin día: cada uno se lee como su día 1 ·" in rendered

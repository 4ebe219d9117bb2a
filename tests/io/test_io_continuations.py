"""Lines without a number that continue the invoice above them (decision 0952)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cartera.io import ReadOptions, import_files


def _import(tmp_path: Path, options: ReadOptions, text: str) -> pl.DataFrame:
    (tmp_path / "f.csv").write_text(text, encoding="utf-8")
    summary = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    return summary.workspace.read("documents")


HEAD = "Nº Factura;Fecha;Cliente;Concepto;Cantidad;Precio;Importe\n"


def test_product_lines_under_a_numbered_line_are_its_lines(
    tmp_path: Path, options: ReadOptions
) -> None:
    text = HEAD + (
        "31;11/05/2024;La Parra;Tóner;9;62,00;558,00\n"
        ";;;Silla;8;89,90;719,20\n"  # no number, date or client: a line of invoice 31
        ";;;;;;1.277,20\n"  # an amount alone: a subtotal, left out
        "32;12/05/2024;Bar Pepe;Papel;1;10,00;10,00\n"
        ";;;Total factura;;;10,00\n"  # a totals label: left out
        ";;;;2;;20,00\n"  # units and an amount, no product or price: left out
    )
    docs = _import(tmp_path, options, text)
    by_doc = dict(docs.group_by("doc_number").agg(pl.col("amount").sum()).iter_rows())
    assert by_doc == {"31": pytest.approx(1277.20), "32": pytest.approx(10.0)}
    assert docs.filter(pl.col("doc_number") == "31")["client_id"].n_unique() == 1


HEAD2 = "Factura;Fecha;Cliente;Importe\n"


@pytest.mark.parametrize(
    ("second", "docs", "total"),
    [
        ("11/05/2024;La Parra;50,00", {"31": 150.0}, 150.0),  # same date and client
        ("12/05/2024;La Parra;50,00", None, None),  # another date: no number, refused
        ("11/05/2024;Bar Pepe;50,00", None, None),  # another client
    ],
)
def test_a_line_with_its_own_date_and_client_continues_only_the_same_ones(
    tmp_path: Path,
    options: ReadOptions,
    second: str,
    docs: dict[str, float] | None,
    total: float | None,
) -> None:
    from cartera.errors import InputError

    text = HEAD2 + "31;11/05/2024;La Parra;100,00\n" + ";" + second + "\n"
    if docs is None:
        with pytest.raises(InputError):
            _import(tmp_path, options, text)
        return
    out = _import(tmp_path, options, text)
    assert dict(out.group_by("doc_number").agg(pl.col("amount").sum()).iter_rows()) == docs
    assert out["amount"].sum() == pytest.approx(total)


@pytest.mark.parametrize(("restarted", "numbered_by_year"), [(2, True), (1, False)])
def test_numbers_that_start_again_each_year(
    tmp_path: Path, options: ReadOptions, restarted: int, numbered_by_year: bool
) -> None:
    from cartera.errors import InputError

    rows = ["1;10/01/2023;A;100,00", "2;10/02/2023;B;50,00", "3;10/03/2023;C;10,00"]
    rows += [f"{n};10/0{n}/2024;A;1,00" for n in range(1, restarted + 1)]
    text = HEAD2 + "\n".join(rows) + "\n"
    if not numbered_by_year:  # one number again: a duplicate, as before
        with pytest.raises(InputError):
            _import(tmp_path, options, text)
        return
    docs = _import(tmp_path, options, text)
    assert sorted(docs["doc_number"].to_list()) == [
        "2023-1",
        "2023-2",
        "2023-3",
        "2024-1",
        "2024-2",
    ]
    assert docs["amount"].sum() == pytest.approx(162.0)

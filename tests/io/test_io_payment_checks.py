"""Payments checked against their documents: refused with file, row, column, value and reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from cartera.errors import InputError
from cartera.io import ReadOptions, import_files

D = dt.date
DOCS = "Nº factura;Fecha;Código cliente;Base imponible;Total\n"
PAYS = "Nº factura;Fecha cobro;Cantidad cobrada\n"


@pytest.fixture(autouse=True, params=["runs", "group-by"])
def _document_paths(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test twice: with the fast paths for documents listed line after line (one run
    each), and with their general twins (group-by), as for documents in any order."""
    if request.param == "group-by":
        from cartera.io import assemble

        monkeypatch.setattr(assemble, "_runs", lambda docs: None)
        monkeypatch.setattr(assemble, "_contiguous_and_consistent", lambda keyed: False)


def _write(tmp_path: Path, docs: str, pays: str, *, head: str = DOCS) -> tuple[Path, Path]:
    (tmp_path / "f.csv").write_text(head + docs, encoding="utf-8")
    (tmp_path / "c.csv").write_text(PAYS + pays, encoding="utf-8")
    return tmp_path / "f.csv", tmp_path / "c.csv"


def _problems(tmp_path: Path, options: ReadOptions, docs: str, pays: str, **kw: str) -> list:
    f, c = _write(tmp_path, docs, pays, **kw)
    with pytest.raises(InputError) as err:
        import_files(documents=f, payments=c, into=tmp_path / "ws", options=options)
    return [(p.file, p.row, p.column, p.value, p.message) for p in err.value.problems]


def test_payment_before_its_invoice_is_a_bad_row(tmp_path: Path, options: ReadOptions) -> None:
    got = _problems(
        tmp_path, options, "F1;10/03/2024;C1;100;121\n",
        "F1;09/03/2024;60\nF1;10/03/2024;61\n",  # the day before: bad; the same day: fine
    )  # fmt: skip
    assert len(got) == 1
    file, row, column, value, message = got[0]
    assert (file, row, column) == ("c.csv", 2, "Fecha cobro")
    assert value.startswith("2024-03-09") and "before its document" in message


def test_negative_payment_is_a_bad_row(tmp_path: Path, options: ReadOptions) -> None:
    got = _problems(tmp_path, options, "F1;10/03/2024;C1;100;121\n", "F1;11/03/2024;-121\n")
    assert [(g[1], g[2]) for g in got] == [(2, "Cantidad cobrada")]
    assert "credit note" in got[0][4]


@pytest.mark.parametrize(
    ("paid", "bad"),
    # Total 121 with 5 % tolerance: 127.05 is the most that may be paid.
    [("127,04", False), ("127,05", False), ("127,06", True)],
)
def test_overpayment_edge(tmp_path: Path, options: ReadOptions, paid: str, bad: bool) -> None:
    f, c = _write(tmp_path, "F1;10/03/2024;C1;100;121\n", f"F1;11/03/2024;{paid}\n")
    if not bad:
        import_files(documents=f, payments=c, into=tmp_path / "ws", options=options)
        return
    with pytest.raises(InputError) as err:
        import_files(documents=f, payments=c, into=tmp_path / "ws", options=options)
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "Cantidad cobrada")]
    assert err.value.problems[0].params == {"paid": "127.06", "total": "121.0", "tolerance": "5%"}


def test_overpayment_flags_the_payment_that_crosses_and_those_after(
    tmp_path: Path, options: ReadOptions
) -> None:
    got = _problems(
        tmp_path, options, "F1;10/03/2024;C1;100;121\n",
        "F1;20/03/2024;100\nF1;11/03/2024;21\nF1;25/03/2024;50\nF1;30/03/2024;1\n",
    )  # fmt: skip
    # In date order: 21, 100 (121: settled), 50 (171 > 127.05: bad), 1 (bad).
    assert [g[1] for g in got] == [4, 5]


def test_each_document_adds_its_own_payments_by_date_then_row(
    tmp_path: Path, options: ReadOptions
) -> None:
    got = _problems(
        tmp_path, options, "F1;10/03/2024;C1;100;121\nF2;10/03/2024;C2;100;121\n",
        "F2;20/03/2024;100\nF1;20/03/2024;100\nF2;11/03/2024;21\nF1;20/03/2024;50\n"
        "F1;11/03/2024;21\n",
    )  # fmt: skip
    # F1: 21 (row 6), then on the 20th row 3 (121) before row 5 (171 > 127.05: bad); F2: 121.
    assert [g[1] for g in got] == [5]


def test_without_total_the_net_amount_leaves_room_for_tax(
    tmp_path: Path, options: ReadOptions
) -> None:
    head = "Nº factura;Fecha;Código cliente;Base imponible\n"
    f, c = _write(tmp_path, "F1;10/03/2024;C1;100\n", "F1;11/03/2024;121\n", head=head)
    import_files(documents=f, payments=c, into=tmp_path / "ws", options=options)
    got = _problems(tmp_path, options, "F1;10/03/2024;C1;100\n", "F1;11/03/2024;133\n", head=head)
    assert [g[1] for g in got] == [2]  # over 100 × (1 + 27 % + 5 %) = 132


def test_skip_bad_rows_imports_the_rest(tmp_path: Path, options: ReadOptions) -> None:
    f, c = _write(
        tmp_path, "F1;10/03/2024;C1;100;121\nF2;10/03/2024;C1;10;12,1\n",
        "F1;01/03/2024;121\nF2;11/03/2024;12,1\n",
    )  # fmt: skip
    summary = import_files(
        documents=f, payments=c, into=tmp_path / "ws",
        options=options.model_copy(update={"skip_bad_rows": True}),
    )  # fmt: skip
    docs = summary.workspace.read("documents").sort("doc_number")
    # F1's only payment was refused, so F1 stays open; F2 is paid.
    assert docs["paid_date"].to_list() == [None, D(2024, 3, 11)]
    assert summary.workspace.read("payments").height == 1
    assert isinstance(docs, pl.DataFrame)


def test_the_tolerance_is_a_read_option(tmp_path: Path, options: ReadOptions) -> None:
    f, c = _write(tmp_path, "F1;10/03/2024;C1;100;121\n", "F1;11/03/2024;133\n")
    loose = options.model_copy(update={"overpayment_tolerance": 0.1})  # 121 × 1.1 = 133.1
    import_files(documents=f, payments=c, into=tmp_path / "ws", options=loose)
    with pytest.raises(InputError):
        import_files(documents=f, payments=c, into=tmp_path / "ws2", options=options)

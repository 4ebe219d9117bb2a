"""A CSV typed in segments gives the workspace, the errors and the rejects of one pass.

Above ``SEGMENTS_FROM`` segments' worth of lines a CSV's text is spilled and typed a
segment at a time, its conventions decided over the whole file (decision 0281).
``CARTERA_SEGMENT_ROWS`` makes segments of a few rows, so every case below spans many;
each imports the same inputs both ways and compares every table, the manifest and the
rejects, or the error a strict import raises.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from io_paths import BAD
from test_io_out_of_core import CASES, _assert_same

from cartera.errors import InputError
from cartera.io import ReadOptions, import_files, load
from cartera.io.segments import SEGMENT_ENV, SEGMENT_ROWS, SEGMENTS_FROM, segment_rows
from cartera.io.workspace import Workspace

demo = pytest.importorskip("cartera.demo")


def _import(
    into: Path,
    case: dict[str, Any],
    options: ReadOptions,
    monkeypatch: pytest.MonkeyPatch,
    rows: int | None,
) -> list[int]:
    """Import ``case``; returns the rows read by each file typed in segments."""
    if rows is None:
        monkeypatch.delenv(SEGMENT_ENV, raising=False)
    else:
        monkeypatch.setenv(SEGMENT_ENV, str(rows))
    typed: list[int] = []
    original, documents = load.type_in_segments, load.documents_in_segments

    def spy(*args: Any) -> Any:
        result = original(*args)
        typed.append(result.rows_read)
        return result

    def spy_documents(*args: Any) -> Any:
        result = documents(*args)
        typed.append(result.typed.rows_read)
        return result

    monkeypatch.setattr(load, "type_in_segments", spy)
    monkeypatch.setattr(load, "documents_in_segments", spy_documents)
    args = {k: v for k, v in case.items() if k not in ("files", "skip")}
    opts = options.model_copy(update={"skip_bad_rows": case.get("skip", False)})
    import_files(case.get("files", []), into=into, options=opts, force=True, **args)
    return typed


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_segments_of_one_row_import_what_one_pass_does(
    case: str, tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _import(tmp_path / "whole", CASES[case], options, monkeypatch, None)
    assert whole == []
    parts = _import(tmp_path / "parts", CASES[case], options, monkeypatch, 1)
    if case != "xlsx":  # a workbook is read whole
        assert parts and min(parts) >= SEGMENTS_FROM
    _assert_same(tmp_path / "whole", tmp_path / "parts")


def test_a_generated_export_in_segments(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents, payments, clients and activities typed in segments of 50 rows (documents
    split across segment borders, duplicates and payment checks across segments)."""
    demo.write_demo(tmp_path / "demo", clients=120, lines=5000, seed=9)
    case = {"files": [tmp_path / "demo"]}
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    parts = _import(tmp_path / "parts", case, options, monkeypatch, 50)
    assert len(parts) == 4 and max(parts) > 5000
    _assert_same(tmp_path / "whole", tmp_path / "parts")


HEADER = "Nº factura;Fecha;Código cliente;Cliente;Base imponible;Coste\n"
#: Segments of 4 rows: the first reads both ways (``1.234``, ``01/02/2024``); the decimal
#: comma and the day-first order show only in the third segment.
EDGES = [
    "F1;01/02/2024;C1;Acme;1.234;1.000",
    "F2;02/01/2024;C2;Globex;2.500;2.000",
    "F3;03/04/2024;C1;Acme;3.750;3.000",
    "F4;04/03/2024;C3;Initech;1.100;900",  # F4's lines cross the border
    "F4;;;;2.200;1.800",  # a continuation line: client and date from its document
    ";;;;;",  # a blank row
    'F5;05/06/2024;C4;"Umbrella\nCorp";1.300;1.000',  # a record on two lines
    "F6;06/05/2024;C2;Globex;1.400;1.100",
    "F7;25/01/2024;C1;Acme;12,50;10",
    "F8;26/01/2024;C3;Initech;99,95;80",
]
#: A later segment's bad rows: a duplicate of F2 (another client), a date that does not
#: exist, an amount that is not a number, and a line without a client.
BAD_LATER = [
    "F9;27/01/2024;C1;Acme;5,00;4",
    "F2;28/01/2024;C5;Hooli;6,00;5",
    "F10;31/02/2024;C1;Acme;7,00;6",
    "F11;29/01/2024;C2;Globex;doce;6",
    "F12;30/01/2024;;;8,00;7",
    "F13;30/01/2024;C2;Globex;9,00;8",
]


def _csv(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "facturas.csv"
    path.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_conventions_shown_in_a_later_segment_decide_the_file(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {"documents": _csv(tmp_path, EDGES)}
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    assert _import(tmp_path / "parts", case, options, monkeypatch, 4) == [9]
    _assert_same(tmp_path / "whole", tmp_path / "parts")
    ws = Workspace.open(tmp_path / "parts")
    conventions = ws.manifest["tables"]["documents"]["files"][0]["conventions"]
    assert conventions == {"Base imponible": "1.234,56", "Coste": "1.234,56", "Fecha": "dd/mm/yyyy"}
    docs = ws.read("documents").group_by("doc_number").agg(pl.col("amount").sum())
    amounts = dict(zip(docs["doc_number"], docs["amount"], strict=True))
    assert amounts["F1"] == 1234 and amounts["F4"] == 3300 and amounts["F7"] == 12.5


def _problems(error: InputError) -> list[tuple[Any, ...]]:
    return [(p.file, p.row, p.column, p.message, p.value, p.params) for p in error.problems]


def test_bad_rows_in_a_later_segment_fail_a_strict_import_alike(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {"documents": _csv(tmp_path, EDGES + BAD_LATER)}
    errors = []
    for name, rows in (("whole", None), ("parts", 4)):
        with pytest.raises(InputError) as caught:
            _import(tmp_path / name, case, options, monkeypatch, rows)
        assert not (tmp_path / name).exists()
        errors.append(caught.value)
    assert _problems(errors[0]) == _problems(errors[1])
    assert errors[0].params == errors[1].params
    rows = sorted({p.row for p in errors[1].problems})
    # Record rows as a spreadsheet shows them: header 1, the two-line record counted once.
    assert rows == [13, 14, 15, 16]


def test_bad_rows_in_a_later_segment_are_skipped_alike(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {"documents": _csv(tmp_path, EDGES + BAD_LATER), "skip": True}
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    assert _import(tmp_path / "parts", case, options, monkeypatch, 4) == [15]
    _assert_same(tmp_path / "whole", tmp_path / "parts")
    table = Workspace.open(tmp_path / "parts").manifest["tables"]["documents"]
    assert (table["rows_read"], table["rows_rejected"]) == (15, 4)


@pytest.mark.parametrize("name", ["ambiguous_dates.csv", "ambiguous_decimal.csv"])
def test_an_ambiguous_file_is_refused_alike(
    name: str, tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = {"documents": BAD / name}
    errors = []
    for rows in (None, 1):
        with pytest.raises(InputError) as caught:
            _import(tmp_path / "ws", case, options, monkeypatch, rows)
        errors.append(caught.value)
    assert _problems(errors[0]) == _problems(errors[1])
    assert errors[0].render() == errors[1].render()


def test_the_segment_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SEGMENT_ENV, raising=False)
    assert segment_rows() == SEGMENT_ROWS == 1_000_000
    monkeypatch.setenv(SEGMENT_ENV, "12")
    assert segment_rows() == 12
    monkeypatch.setenv(SEGMENT_ENV, "0")
    assert segment_rows() == SEGMENT_ROWS


def test_a_file_of_two_segments_or_less_is_read_in_one_pass(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [f"F{i};15/01/2024;C{i % 3};Cliente {i % 3};{i},50;1" for i in range(1, 11)]
    case = {"documents": _csv(tmp_path, lines)}
    # 11 lines of text (header included) against segments of 6 and of 5 rows.
    assert _import(tmp_path / "a", case, options, monkeypatch, 6) == []
    assert _import(tmp_path / "b", case, options, monkeypatch, 5) == [10]


#: Payments of EDGES' documents: a negative one, one dated before its document, four
#: that pay F1 far over its amount (the third and the fourth cross the limit), one of an
#: unknown document, and good ones; checked a bucket of documents at a time.
PAYMENTS = [
    "F1;10/02/2024;1.000,00",
    "F1;11/02/2024;500,00",
    "F1;12/02/2024;300,00",
    "F1;13/02/2024;5,00",
    "F2;01/01/2023;10,00",
    "F3;01/05/2024;-5,00",
    "F6;01/06/2024;1.400,00",
    "F7;01/02/2024;12,50",
    "F99;01/02/2024;1,00",
]


@pytest.mark.parametrize("skip", [False, True], ids=["strict", "skip"])
def test_payment_checks_by_bucket_find_what_one_pass_does(
    skip: bool, tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    payments = tmp_path / "cobros.csv"
    payments.write_text(
        "Nº factura;Fecha cobro;Cantidad cobrada\n" + "\n".join(PAYMENTS) + "\n", "utf-8"
    )
    case = {"documents": _csv(tmp_path, EDGES), "payments": payments, "skip": skip}
    if not skip:
        errors = []
        for name, rows in (("whole", None), ("parts", 2)):
            with pytest.raises(InputError) as caught:
                _import(tmp_path / name, case, options, monkeypatch, rows)
            errors.append(caught.value)
        assert _problems(errors[0]) == _problems(errors[1])
        assert [p.row for p in errors[1].problems] == [4, 5, 6, 7, 10]
        return
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    assert _import(tmp_path / "parts", case, options, monkeypatch, 2) == [9, 9]
    _assert_same(tmp_path / "whole", tmp_path / "parts")


def test_the_distinct_texts_over_segments_are_the_files_in_order_of_first_appearance() -> None:
    # Texts seen in an earlier segment come again later, new ones come after (decision 0283:
    # the texts are deduplicated after each segment, not once at the end).
    from types import SimpleNamespace

    from cartera.io.segments import _distinct_base

    frame = pl.DataFrame(
        {"a": ["1", "2", None, "1", "3", "2", "4"], "d": ["x", None, "x", "y", "y", "z", None]}
    )
    raw = SimpleNamespace(col=lambda i: ["a", "d"][i])
    rec = SimpleNamespace(roles={"net": 0, "date": 1})
    whole = _distinct_base(raw, rec, [frame.lazy()])  # type: ignore[arg-type]
    assert whole["a"].to_list() == ["1", "2", "3", "4"]
    assert whole["d"].to_list() == ["x", "y", "z", None]
    for rows in (1, 2, 3, 7):
        segments = [frame.lazy().slice(start, rows) for start in range(0, frame.height, rows)]
        assert _distinct_base(raw, rec, segments).equals(whole)  # type: ignore[arg-type]


def test_the_untaxed_rule_is_decided_alike_in_segments(
    tmp_path: Path, options: ReadOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A segment's sample is the file's first lines before the exempt amounts are added to
    # the net: 7 untaxed invoices and 3 exempt-only ones are 7 of 10 either way (below the
    # share: nothing changes), not 10 of 10 because the exempt ones have a net of 0.
    head = "Fecha;Punto de Venta;Número;Cliente;Imp. Neto Gravado;Imp. Op. Exentas;IVA;Imp. Total\n"
    rows = [f"2026-10-0{n};2;{n};Paz SRL;0,00;0,00;0,00;{n}00,00\n" for n in range(1, 8)]
    rows += [f"2026-10-0{n};2;{n};Sol SA;0,00;300,00;0,00;300,00\n" for n in range(8, 10)]
    rows += ["2026-10-10;2;10;Sol SA;0,00;300,00;0,00;300,00\n"]
    rows += ["2026-10-11;2;11;Luna SA;1000,00;0,00;210,00;1210,00\n"]
    path = tmp_path / "f.csv"
    path.write_text(head + "".join(rows), encoding="utf-8")
    case = {"documents": path}
    _import(tmp_path / "whole", case, options, monkeypatch, None)
    parts = _import(tmp_path / "parts", case, options, monkeypatch, 1)
    assert parts and min(parts) >= SEGMENTS_FROM
    _assert_same(tmp_path / "whole", tmp_path / "parts")

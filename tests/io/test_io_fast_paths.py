"""The import's fast paths give exactly what the general paths give.

Parallel transcoding (children transcode parts of a big cp1252 file), the code-only
client identity, and the two sort shortcuts are checked against the plain way.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest

from cartera.errors import InputError
from cartera.io import import_files, transcode
from cartera.io.assemble import _sorted_canonical
from cartera.io.options import ReadOptions
from cartera.io.sniff import utf8_sources
from cartera.io.source import open_source, ragged_row

# Every cp1252 byte, the C1 ones (€, “ ”, –) and the five it leaves undefined included.
_TEXT = "Nº;Cliente;Importe\n" + "".join(f"F{i};Peña “Ñandú” – {i} €;{i},50\n" for i in range(3000))
_CP1252 = _TEXT.encode("cp1252") + bytes(range(0x20, 0x100)) + b"\n"


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Transcode even small files in parts, three of them (two children)."""
    monkeypatch.setattr(transcode, "_PARALLEL_FROM", 0)
    monkeypatch.setattr(transcode, "_workers", lambda: 3)


@pytest.mark.usefixtures("parallel")
def test_parts_joined_equal_one_transcoding(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_bytes(_CP1252)
    encoding, files = utf8_sources(source, tmp_path)
    assert encoding == "cp1252"
    # No quote in the file: each part starts a line and stays a file of its own.
    assert len(files) == 3
    assert all(f.read_bytes().endswith(b"\n") for f in files)
    assert b"".join(f.read_bytes() for f in files) == transcode.to_utf8(_CP1252)


@pytest.mark.usefixtures("parallel")
def test_parts_after_a_quote_are_appended(tmp_path: Path) -> None:
    # A quoted field holding line breaks runs across where the second part would start.
    lines = [f"F{i};Peña {i};{i},50\n" for i in range(3000)]
    lines[1200] = 'F1200;"Peña\n' + "\n".join(f"línea {k}" for k in range(900)) + '";1,50\n'
    data = ("Nº;Cliente;Importe\n" + "".join(lines)).encode("cp1252")
    source = tmp_path / "x.csv"
    source.write_bytes(data)
    _encoding, files = utf8_sources(source, tmp_path)
    assert len(files) == 1
    assert files[0].read_bytes() == data.decode("cp1252").encode()
    assert not list(tmp_path.glob("*.part*"))


@pytest.mark.usefixtures("parallel")
def test_records_read_from_parts_keep_their_row_numbers(
    tmp_path: Path, options: ReadOptions
) -> None:
    rows = [f"F{i};Peña {i};{i},50" for i in range(3000)]
    source = tmp_path / "x.csv"

    def write() -> None:
        text = "Título del listado\nNº;Cliente;Importe\n" + "\n".join(rows)
        source.write_bytes(text.encode("cp1252"))

    write()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    raw = open_source(source, options, tmp_path / "a")
    assert len(raw.text_paths) == 3
    frame = raw.frame.collect()
    assert frame["__row"].to_list() == list(range(3, 3003))
    assert frame["c0"].to_list() == [f"F{i}" for i in range(3000)]
    rows[2900] += ";extra"  # a ragged record in the last part
    write()
    assert ragged_row(open_source(source, options, tmp_path / "b")) == 2903


@pytest.mark.usefixtures("parallel")
def test_utf8_text_in_a_childs_part_is_a_mixed_file(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    # cp1252 at the start, UTF-8 at the end: only the last child sees the UTF-8.
    source.write_bytes(_CP1252 + "F9;Muñoz;1\n".encode())
    with pytest.raises(InputError) as err:
        utf8_sources(source, tmp_path)
    assert err.value.problems[0].code == "mixed_encoding"
    assert list(tmp_path.iterdir()) == [source]


@pytest.mark.parametrize("broken", ["executable", "script"])
@pytest.mark.usefixtures("parallel")
def test_a_child_that_cannot_run_is_done_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, broken: str
) -> None:
    if broken == "executable":
        monkeypatch.setattr(transcode.sys, "executable", str(tmp_path / "no-python"))
    else:
        monkeypatch.setattr(transcode, "__file__", str(tmp_path / "missing.py"))
    source = tmp_path / "x.csv"
    source.write_bytes(_CP1252)
    target = tmp_path / "out.csv"
    target.touch()
    assert transcode.cp1252_copy(source, target) is False
    assert target.read_bytes() == transcode.to_utf8(_CP1252)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "x.csv"]


@pytest.mark.usefixtures("parallel")
def test_import_of_a_parallel_transcoded_file(tmp_path: Path, options: ReadOptions) -> None:
    source = tmp_path / "facturas.csv"
    source.write_bytes(
        "Nº factura;Fecha;Código cliente;Cliente;Importe\n".encode("cp1252")
        + "".join(
            f"F{i};0{1 + i % 9}/02/2024;C{i % 7};Peña {i % 7};{i},5\n" for i in range(2000)
        ).encode("cp1252")
    )
    docs = import_files(documents=source, into=tmp_path / "ws", options=options).workspace.read(
        "documents"
    )
    assert docs.height == 2000
    assert docs["source_row"].sort().to_list() == list(range(2, 2002))


def test_code_only_identity_still_links_names_from_another_table(
    tmp_path: Path, options: ReadOptions
) -> None:
    # Every invoice has a code (identity by code alone); the activities have only names,
    # which must still reach the invoices' codes.
    (tmp_path / "facturas.csv").write_text(
        "Nº factura;Fecha;Código cliente;Cliente;Importe\n"
        "F1;01/02/2024;C1;Pérez Construcciones, S.L.;100\n"
        "F2;02/02/2024;C2;Bodegas Ñandú;50\n",
        encoding="utf-8",
    )
    (tmp_path / "actividades.csv").write_text(
        "Fecha;Cliente;Actividad;Horas\n03/02/2024;PEREZ CONSTRUCCIONES SL;Visita;2\n",
        encoding="utf-8",
    )
    ws = import_files(
        documents=tmp_path / "facturas.csv",
        activities=tmp_path / "actividades.csv",
        into=tmp_path / "ws",
        options=options,
    ).workspace
    assert ws.read("activities")["client_id"].to_list() == ["C1"]
    assert sorted(ws.read("clients")["client_id"].to_list()) == ["C1", "C2"]


@pytest.mark.parametrize("shuffle", [False, True])
def test_integer_key_sorts_equal_the_four_column_sort(shuffle: bool) -> None:
    rng = random.Random(5)
    rows = [(f, r) for f in range(3) for r in range(2, 400)]
    if shuffle:
        rng.shuffle(rows)
    frame = pl.DataFrame(
        {
            "client_key": [rng.randrange(20) for _ in rows],
            "date": [rng.randrange(-800, 20000) for _ in rows],
            "__file": [f for f, _ in rows],
            "__row": [r for _, r in rows],
        },
        schema={"client_key": pl.Int32, "date": pl.Int32, "__file": pl.Int64, "__row": pl.Int64},
    ).with_columns(pl.col("date").cast(pl.Date))
    schema = {"client_key": pl.Int32(), "date": pl.Date(), "source_row": pl.Int64()}
    expected = (
        frame.sort("client_key", "date", "__file", "__row")
        .with_columns(pl.col("__row").alias("source_row"))
        .select(list(schema))
    )
    assert _sorted_canonical(frame, schema).equals(expected)


def test_parts_are_appended_by_the_kernel_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, part = tmp_path / "a", tmp_path / "b"
    target.write_bytes(b"first;")
    part.write_bytes(b"second\n")

    def no_fallback(*_args: object) -> None:
        raise AssertionError("copied through memory")

    monkeypatch.setattr("shutil.copyfileobj", no_fallback)
    transcode._append(str(target), str(part))
    assert target.read_bytes() == b"first;second\n"


@pytest.mark.parametrize("cut", ["part", "chunk"])
def test_utf8_character_cut_by_a_boundary_is_still_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: str
) -> None:
    data = bytearray(_TEXT.encode("cp1252").replace("ñ".encode("cp1252"), b"n"))
    monkeypatch.setattr(transcode, "_PARALLEL_FROM", 0)
    if cut == "part":
        monkeypatch.setattr(transcode, "_workers", lambda: 2)
        # No line break looked for: the part starts right at the cut character.
        monkeypatch.setattr(transcode, "_LINE_SEARCH", 0)
        boundary = int(len(data) * transcode._FIRST_SHARE[2])
    else:
        monkeypatch.setattr(transcode, "_workers", lambda: 1)
        monkeypatch.setattr(transcode, "_CHUNK", 4096)
        boundary = 3 * 4096
    data[boundary - 1 : boundary + 1] = "ñ".encode()  # C3 | B1, one byte each side
    source, target = tmp_path / "x.csv", tmp_path / "out.csv"
    source.write_bytes(bytes(data))
    target.touch()
    assert transcode.cp1252_copy(source, target) is True


def _amount_text(cents: int, style: str) -> str:
    """``cents`` written as a Spanish export would: ``1.234,56``, ``1.234,56 €``, ``(1.234,56)``."""
    whole, frac = divmod(abs(cents), 100)
    text = f"{whole:,}".replace(",", ".") + f",{frac:02d}"
    if style == "euro":
        text += " €"
    if cents < 0:
        text = f"({text})" if style == "brackets" else "-" + text
    return text


@pytest.mark.parametrize("distinct", [40, 3000])
@pytest.mark.parametrize("style", ["plain", "euro", "brackets"])
def test_number_column_paths_read_what_they_should(
    tmp_path: Path, options: ReadOptions, distinct: int, style: str
) -> None:
    # Few distinct texts are looked up, many are parsed in place (plain) or joined back
    # (cleaned: currency signs, brackets); each way must give the same numbers and name the
    # same bad row.
    rng = random.Random(distinct)
    cents = [rng.choice([-1, 1]) * rng.randrange(1, 500_000) for _ in range(distinct)]
    rows = [rng.choice(cents) for _ in range(4000)]
    lines = [f"F{i};01/02/2024;C{i % 9};{_amount_text(c, style)}\n" for i, c in enumerate(rows)]
    lines[1777] = "F1777;01/02/2024;C4;12,3,4\n"
    source = tmp_path / "facturas.csv"
    source.write_text("Nº factura;Fecha;Código cliente;Importe\n" + "".join(lines), "cp1252")
    with pytest.raises(InputError) as err:
        import_files(documents=source, into=tmp_path / "strict", options=options)
    assert [(p.row, p.value) for p in err.value.problems] == [(1779, "12,3,4")]
    lenient = options.model_copy(update={"skip_bad_rows": True})
    docs = import_files(documents=source, into=tmp_path / "ws", options=lenient).workspace.read(
        "documents"
    )
    got = dict(zip(docs["source_row"].to_list(), docs["amount"].to_list(), strict=True))
    expected = {i + 2: c / 100 for i, c in enumerate(rows) if i != 1777}
    assert got == expected


@pytest.mark.parametrize("column", ["client_key", "date"])
def test_null_keys_or_dates_sort_within_their_client_as_the_four_column_sort(column: str) -> None:
    # A null cannot go into the integer key (it would make the whole key null and move the
    # row before every client), so a frame with one is sorted by the four columns.
    frame = pl.DataFrame(
        {
            "client_key": [2, 1, 1, 2, 1],
            "date": [dt.date(2024, 1, d) for d in (5, 4, 3, 2, 1)],
            "__file": [0, 0, 0, 0, 0],
            "__row": [2, 3, 4, 5, 6],
        },
        schema={"client_key": pl.Int32, "date": pl.Date, "__file": pl.Int64, "__row": pl.Int64},
    ).with_columns(pl.when(pl.col("__row") == 5).then(None).otherwise(pl.col(column)).alias(column))
    schema = {"client_key": pl.Int32(), "date": pl.Date(), "source_row": pl.Int64()}
    got = _sorted_canonical(frame, schema)["source_row"].to_list()
    # Nulls first, as the four-column sort puts them: a null date first within client 2.
    assert got == ([5, 6, 4, 3, 2] if column == "client_key" else [6, 4, 3, 5, 2])


def test_null_keys_sort_ties_by_file_then_row_however_they_arrive() -> None:
    # A null key takes the four-column sort. Among one client's rows of one day the first
    # file's come first (its row 6 before the second file's row 2), each file's in row order
    # though they arrive as 5, 3, 6.
    frame = pl.DataFrame(
        {
            "client_key": [1, 1, 1, None, 1],
            "date": [dt.date(2024, 1, 1)] * 5,
            "__file": [1, 0, 0, 0, 0],
            "__row": [2, 5, 3, 4, 6],
        },
        schema={"client_key": pl.Int32, "date": pl.Date, "__file": pl.Int64, "__row": pl.Int64},
    )
    schema = {"client_key": pl.Int32(), "date": pl.Date(), "source_row": pl.Int64()}
    assert _sorted_canonical(frame, schema)["source_row"].to_list() == [4, 3, 5, 6, 2]

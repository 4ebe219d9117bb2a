"""Format by content, encoding over the whole file, delimiter by consistent field counts."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from io_paths import BAD, DIALECTS

from cartera.errors import InputError
from cartera.io.sniff import detect_delimiter, detect_encoding, detect_kind, to_utf8_file


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("holded_facturas.csv", "csv"),
        ("us_sales.tsv", "csv"),
        ("ventas_titulo.xlsx", "xlsx"),
        ("libro_expedidas.xlsx", "xlsx"),
    ],
)
def test_kind_from_content(name: str, kind: str) -> None:
    assert detect_kind(DIALECTS / name) == kind


def test_workbook_renamed_csv_is_read_as_workbook(tmp_path: Path) -> None:
    renamed = tmp_path / "ventas.csv"
    renamed.write_bytes((DIALECTS / "ventas_titulo.xlsx").read_bytes())
    assert detect_kind(renamed) == "xlsx"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("report.csv", "PDF"),
        ("binary.csv", "binary"),
        ("archive.csv", "zip"),
        ("empty.csv", "empty"),
    ],
)
def test_refused_files_say_what_they_are(name: str, words: str) -> None:
    with pytest.raises(InputError) as err:
        detect_kind(BAD / name)
    assert words in err.value.render()
    assert name in err.value.render()


@pytest.mark.parametrize(
    ("name", "encoding"),
    [
        ("holded_facturas.csv", "utf-8"),
        ("a3_facturas.csv", "utf-8-sig"),
        ("sage_facturas.csv", "cp1252"),
    ],
)
def test_encoding(name: str, encoding: str) -> None:
    assert detect_encoding(DIALECTS / name) == encoding


def test_mixed_encodings_name_the_first_bad_row() -> None:
    with pytest.raises(InputError) as err:
        detect_encoding(BAD / "mixed_encoding.csv")
    assert err.value.problems[0].row == 3
    assert err.value.problems[0].code == "mixed_encoding"


def test_cp1252_bytes_0x80_to_0x9f_are_transcoded(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_bytes("Nota;Importe\n“Oferta” – 5 €;5\n".encode("cp1252") + b"raro\x81;1\n")
    target = to_utf8_file(source, "cp1252", tmp_path)
    assert target.read_text(encoding="utf-8") == "Nota;Importe\n“Oferta” – 5 €;5\nraro\x81;1\n"


def test_utf16_with_bom_is_transcoded(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_bytes(codecs.BOM_UTF16_LE + "Fecha;Cliente\n01/02/2024;Peña\n".encode("utf-16-le"))
    assert detect_kind(source) == "csv"
    assert detect_encoding(source) == "utf-16"
    assert to_utf8_file(source, "utf-16", tmp_path).read_text(encoding="utf-8").endswith("Peña\n")


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a;b;c\n1;2,5;3\n", ";"),
        ('a,b,c\n1,"2,5",3\n', ","),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ("Informe de ventas\n\nFecha;Cliente;Importe\n1/1/24;A;1,5\n2/1/24;B;2\n", ";"),
    ],
)
def test_delimiter(text: str, delimiter: str) -> None:
    assert detect_delimiter(text) == delimiter


def test_single_column_has_no_delimiter() -> None:
    assert detect_delimiter("Cliente\nAcme\nGlobex\n") is None

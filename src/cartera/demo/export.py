"""Write the demo tables as a Spanish Windows Excel would export them.

cp1252, ``;`` separator, CRLF line ends, money as ``1.234,56`` (dot thousands,
decimal comma), other decimals as ``1,5``, dates ``dd/mm/yyyy``, booleans
``Sí``/``No``. Each format exists twice: as a polars expression (the readable
reference, :func:`format_frame`) and as a NumPy byte builder
(:mod:`cartera.demo.textbuf`), which :func:`write_table` uses chunk by chunk
because it needs less than half the CPU; tests check both give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Final

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from cartera.demo import textbuf

__all__ = [
    "BUILDERS",
    "ENCODING",
    "EXPRESSIONS",
    "FORMATS",
    "format_frame",
    "reference_bytes",
    "write_table",
]

ENCODING: Final = "cp1252"
_CHUNK_ROWS: Final = 100_000


def money(name: str) -> pl.Expr:
    """``-1234.5`` → ``-1.234,50``: thousands by integer arithmetic, not Python loops."""
    cents = (pl.col(name) * 100).round(0).cast(pl.Int64)
    whole, frac = cents.abs() // 100, cents.abs() % 100

    def group(power: int) -> pl.Expr:
        return ((whole // 10**power) % 1000).cast(pl.String)

    def padded(power: int) -> pl.Expr:
        return group(power).str.zfill(3)

    grouped = (
        pl.when(whole >= 10**9)
        .then(
            pl.concat_str(
                (whole // 10**9).cast(pl.String),
                *(pl.lit("."), padded(6), pl.lit("."), padded(3), pl.lit("."), padded(0)),
            )
        )
        .when(whole >= 10**6)
        .then(pl.concat_str(group(6), pl.lit("."), padded(3), pl.lit("."), padded(0)))
        .when(whole >= 10**3)
        .then(pl.concat_str(group(3), pl.lit("."), padded(0)))
        .otherwise(group(0))
    )
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(sign, grouped, pl.lit(","), frac.cast(pl.String).str.zfill(2)).alias(name)


def decimal(name: str) -> pl.Expr:
    """``1.5`` → ``1,5``, ``17.25`` → ``17,25``, ``21.0`` → ``21`` (no thousands mark)."""
    cents = (pl.col(name) * 100).round(0).cast(pl.Int64)
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    text = pl.concat_str(
        (cents.abs() // 100).cast(pl.String),
        pl.lit(","),
        (cents.abs() % 100).cast(pl.String).str.zfill(2),
    )
    return pl.concat_str(sign, text.str.strip_chars_end("0").str.strip_chars_end(",")).alias(name)


def integer(name: str) -> pl.Expr:
    return pl.col(name).round(0).cast(pl.Int64).cast(pl.String).alias(name)


def date(name: str) -> pl.Expr:
    return pl.col(name).dt.strftime("%d/%m/%Y").alias(name)


def yes_no(name: str) -> pl.Expr:
    return pl.when(pl.col(name)).then(pl.lit("Sí")).otherwise(pl.lit("No")).alias(name)


def text(name: str) -> pl.Expr:
    return pl.col(name)


#: Polars expression of each format: the reference the fast path is tested against.
EXPRESSIONS: Final[Mapping[str, Callable[[str], pl.Expr]]] = {
    "money": money,
    "decimal": decimal,
    "integer": integer,
    "date": date,
    "yes_no": yes_no,
    "text": text,
}
#: The same formats as Arrow string columns (what :func:`write_table` uses).
BUILDERS: Final[Mapping[str, Callable[[pl.Series], pa.Array]]] = {
    "money": lambda s: textbuf.to_arrow(textbuf.numbers(s.to_numpy())),
    "decimal": lambda s: textbuf.to_arrow(
        textbuf.numbers(s.to_numpy(), thousands=False, trim=True)
    ),
    "integer": lambda s: textbuf.to_arrow(textbuf.numbers(s.to_numpy(), places=0, thousands=False)),
    "date": lambda s: textbuf.to_arrow(textbuf.dates(s.cast(pl.Int32).to_numpy())),
    "yes_no": lambda s: _arrow(s.to_frame().select(yes_no(s.name)).to_series()),
    "text": lambda s: _arrow(s),
}


def _arrow(series: pl.Series) -> pa.Array:
    array = series.to_arrow(compat_level=pl.CompatLevel.oldest())
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


#: How each column of each demo table is written (columns not listed are text).
FORMATS: Final[Mapping[str, Mapping[str, str]]] = {
    "documents": {
        "Fecha": "date",
        "Unidades": "integer",
        "Precio unidad": "money",
        "Descuento %": "decimal",
        "Base imponible": "money",
        "IVA %": "decimal",
        "Total": "money",
        "Coste": "money",
        "Fecha de vencimiento": "date",
    },
    "payments": {"Fecha cobro": "date", "Cantidad cobrada": "money"},
    "clients": {"Cliente imagen": "yes_no", "Días de pago": "integer"},
    "activities": {"Fecha": "date", "Horas": "decimal"},
}


def format_frame(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    """Every column of ``frame`` as the text the export holds, with polars expressions."""
    formats = FORMATS[table]
    return frame.select([EXPRESSIONS[formats.get(c, "text")](c) for c in frame.columns])


def reference_bytes(frame: pl.DataFrame, table: str, header: bool = True) -> bytes:
    """The file :func:`write_table` writes, made the slow, obvious way (tests compare them)."""
    buffer = io.BytesIO()
    format_frame(frame, table).write_csv(
        buffer,
        separator=";",
        line_terminator="\r\n",
        quote_style="necessary",
        include_header=header,
    )
    return buffer.getvalue().decode("utf-8").encode(ENCODING)


def write_table(frame: pl.DataFrame, table: str, path: Path) -> None:
    """Write ``frame`` (a demo table) to ``path`` as a cp1252 ``;`` CSV with CRLF.

    Chunk by chunk: values to text (NumPy), rows to CSV (Arrow's writer), UTF-8
    to cp1252 (NumPy), so memory stays bounded at any size. A chunk with text
    that must be quoted (``;``, ``"``, a newline) takes the polars path instead.
    """
    formats = FORMATS[table]
    options = pacsv.WriteOptions(
        include_header=False, delimiter=";", quoting_style="none", eol="\r\n"
    )
    with path.open("wb") as out:
        out.write((";".join(frame.columns) + "\r\n").encode(ENCODING))
        for offset in range(0, frame.height, _CHUNK_ROWS):
            chunk = frame.slice(offset, _CHUNK_ROWS)
            if _needs_quotes(chunk, formats):  # never in the demo's own text
                out.write(reference_bytes(chunk, table, header=False))
                continue
            arrays = [BUILDERS[formats.get(c, "text")](chunk[c]) for c in chunk.columns]
            buffer = io.BytesIO()
            pacsv.write_csv(pa.table(arrays, names=chunk.columns), buffer, options)
            out.write(textbuf.transcode(buffer.getvalue(), ENCODING))


def _needs_quotes(chunk: pl.DataFrame, formats: Mapping[str, str]) -> bool:
    texts = [c for c in chunk.columns if formats.get(c, "text") == "text"]
    return bool(
        chunk.select(pl.any_horizontal(pl.col(texts).str.contains(r'[;"\r\n]').any())).item()
    )

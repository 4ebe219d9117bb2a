"""The JSON contract written in streaming chunks, its ``clients`` by polars' JSON writer.

``json.dumps(analysis.to_contract(), indent=2)`` builds one dict per client and
then runs the standard library's pure-Python encoder (the C encoder is only
used without ``indent``) over every key and value: at 500,000 clients that is
most of the command's time and memory. Here the head of the contract (every
key but ``clients``) is written by :func:`_pretty`, the same text as
``json.dumps(..., ensure_ascii=False, indent=2, allow_nan=False)``, and the
``clients`` array slice by slice (``chunk_rows`` clients at a time): each slice
becomes a polars frame shaped like the contract's client objects (``reasons`` a
list of structs, ``metrics`` a struct, the keys in the contract's order) and
polars writes it as NDJSON, one compact client object per line, which becomes
the array's items by turning the newlines into ``",\\n    "`` (a newline inside
a string is escaped, so the only raw ones separate clients). No Python object
is made per client or per value.

The output parses to the same values as ``to_contract()`` (floats in their
shortest round-trip form, integers as integers, dates as ISO strings, NaN
metrics as ``null``), but is not the same text: every client is one line.
An infinite metric, or a NaN or infinite reason value, raises ``ValueError`` as
:func:`json.dumps` with ``allow_nan=False`` does.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import math
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, BinaryIO, TextIO, cast, get_args

import polars as pl

from cartera.result import ClientMetrics, PortfolioAnalysis, TableRows
from cartera.segment_rules import reason_values
from cartera.settings import Settings

__all__ = [
    "CHUNK_ROWS",
    "PER_TASK",
    "WIDE",
    "client_chunks",
    "contract_parts",
    "rows_text",
    "write_contract",
]

#: Clients per written slice: ~3.5 MB of JSON at 5,000 clients.
CHUNK_ROWS = 5_000
#: Slices per encoding task (shaped together): 40,000 clients, ~28 MB of JSON.
PER_TASK = 8
_METRICS = tuple(ClientMetrics.model_fields)
_MARK = "\x00cartera-clients\x00"
_encode_str: Callable[[str], str] = json.encoder.encode_basestring
#: Lists and objects with more members than this are written one compact member per line.
WIDE = 100
_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_c_encoder = getattr(json.encoder, "c_make_encoder", None)


def _compact_encoder() -> Callable[[Any], str]:
    """``_COMPACT.encode``, by one C encoder made once.

    ``JSONEncoder.encode`` makes a new C encoder on every call, which costs more
    than encoding a small object: the let-go recommendation's ~90,000 alternatives
    and names at 500,000 clients are one call each. The C encoder returns its
    text as a 1-tuple; without circular-reference markers (the contract has no
    cycles). Without the C accelerator, the encoder's own ``encode``.
    """
    if _c_encoder is None:  # pragma: no cover - CPython always has it
        return _COMPACT.encode
    encode = _c_encoder(None, _COMPACT.default, json.encoder.encode_basestring, None, ":", ",",
                        False, False, False)  # fmt: skip
    return lambda data: encode(data, 0)[0]


_compact: Callable[[Any], str] = _compact_encoder()
#: Threads encoding slices of clients while the previous one is written.
WORKERS = 2
#: Between two clients of the array: the contract's indentation, two levels deep.
_SEPARATOR = b",\n    "


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)


def _float_text(value: float | None) -> str:
    """``json.dumps`` of one float (``allow_nan=False``): its ``repr``, or an error."""
    if value is None:
        return "null"
    if not math.isfinite(value):
        raise ValueError("Out of range float values are not JSON compliant: " + repr(value))
    return float.__repr__(value)


def _kind(name: str) -> str:
    annotation = ClientMetrics.model_fields[name].annotation
    kinds = set(get_args(annotation)) | {annotation}
    if float in kinds:
        return "float"
    if int in kinds:
        return "int"
    if dt.date in kinds:
        return "date"
    return "str"


_KINDS = {name: _kind(name) for name in _METRICS}


def _metric(name: str) -> pl.Expr:
    """One metric column as the contract types it (NaN is null for floats)."""
    kind, column = _KINDS[name], pl.col(name)
    if kind == "float":
        return column.cast(pl.Float64).fill_nan(None)
    if kind == "int":
        return column.cast(pl.Int64)
    if kind == "date":
        return column.cast(pl.Date).dt.to_string("%Y-%m-%d")
    return column.cast(pl.String)


def _refuse_infinite(part: pl.DataFrame) -> None:
    """Raise as ``json.dumps`` does when a float metric of ``part`` is infinite."""
    floats = [name for name in _METRICS if _KINDS[name] == "float"]
    found = part.select(pl.col(n).cast(pl.Float64).is_infinite().any() for n in floats).row(0)
    for name, infinite in zip(floats, found, strict=True):
        if infinite:
            column = part[name].cast(pl.Float64)
            _float_text(column.filter(column.is_infinite())[0])


def _reasons(part: pl.DataFrame, numbers: dict[str, tuple[pl.Expr, float]]) -> pl.Series:
    """Each client's ``reasons`` as a list of ``{code, value, threshold}`` structs.

    ``part`` has ``reasons`` (comma-joined codes, in the contract's order) and the
    columns :func:`reason_values` reads; the list keeps the codes' order and is
    empty for a client without reasons.
    """
    values = {f"_v{i}": expr.cast(pl.Float64) for i, (expr, _) in enumerate(numbers.values())}
    rows = part.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        pl.col("reasons").cast(pl.String).fill_null("").str.split(",").alias("code"),
        **values,
    ).explode("code")
    listed = pl.col("code") != ""
    unknown = rows.filter(listed & ~pl.col("code").is_in(list(numbers)))
    if unknown.height:
        raise ValueError(f"Unknown reason code: {unknown['code'][0]!r}")
    value = pl.lit(None, dtype=pl.Float64)
    for i, code in reversed(list(enumerate(numbers))):
        value = pl.when(pl.col("code") == code).then(pl.col(f"_v{i}")).otherwise(value)
    thresholds = {code: threshold for code, (_, threshold) in numbers.items()}
    rows = rows.select(
        "_row",
        "code",
        value.alias("value"),
        pl.col("code").replace_strict(thresholds, default=None, return_dtype=pl.Float64)
        .alias("threshold"),
    )  # fmt: skip
    bad = rows.filter(listed & (pl.col("value").is_nan() | pl.col("value").is_infinite()))
    if bad.height:
        _float_text(bad["value"][0])  # raises as json.dumps does on the NaN or infinity
    for _, threshold in numbers.values():
        _float_text(threshold)
    grouped = rows.group_by("_row", maintain_order=True).agg(
        pl.struct("code", "value", "threshold").filter(listed).alias("reasons")
    )
    return grouped["reasons"]


def _clients(part: pl.DataFrame, numbers: dict[str, tuple[pl.Expr, float]]) -> pl.DataFrame:
    """``part`` shaped as the contract's client objects: one column per key, in order.

    Output columns ``id, name, segment, action`` (strings), ``reasons`` (list of
    structs), ``metrics`` (a struct of the :class:`ClientMetrics` fields, in order)
    and ``image_candidate`` (always false, as :class:`ClientResult` defaults it).
    """
    _refuse_infinite(part)
    return part.select(
        *(pl.col(key).cast(pl.String) for key in ("id", "name", "segment", "action")),
        _reasons(part, numbers).alias("reasons"),
        pl.struct(*(_metric(name) for name in _METRICS)).alias("metrics"),
        pl.lit(False).alias("image_candidate"),
    )


def _encoded(
    part: pl.DataFrame, numbers: dict[str, tuple[pl.Expr, float]], chunk_rows: int
) -> list[bytes]:
    """``part``'s clients as compact JSON objects, each followed by :data:`_SEPARATOR`.

    ``part`` is shaped once (shaping has a cost per call that small slices
    would pay many times) and written ``chunk_rows`` clients per item (small
    texts are written faster: they stay in the CPU's cache). One copy of each
    text besides polars' buffer (``getvalue`` hands the buffer over): at
    500,000 clients every copy is ~0.36 GB of fresh memory to fault in.
    """
    shaped, texts = _clients(part, numbers), []
    for piece in shaped.iter_slices(chunk_rows):
        buffer = io.BytesIO()
        piece.write_ndjson(buffer)
        texts.append(buffer.getvalue().replace(b"\n", _SEPARATOR))
    return texts


def client_chunks(
    frame: pl.DataFrame, settings: Settings, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[bytes]:
    """The contract's ``clients`` items as UTF-8 JSON, ``chunk_rows`` clients per chunk.

    Parameters
    ----------
    frame
        ``PortfolioAnalysis.clients_frame``: one row per client, sorted by rank,
        with ``id, name, segment, action, reasons`` (comma-joined codes), the
        :class:`ClientMetrics` columns and the columns :func:`reason_values` reads.
    settings
        The analysis settings (the reasons' thresholds).

    Yields
    ------
    bytes
        One compact JSON object per client, each followed by ``",\\n    "``
        (the caller drops the last one); no empty chunk, in order.
        :data:`WORKERS` threads encode the next :data:`PER_TASK` slices each while
        the caller writes one (polars releases the interpreter lock), so at most
        ``WORKERS + 1`` tasks' texts exist at a time.
    """
    numbers = reason_values(settings)
    with ThreadPoolExecutor(WORKERS) as pool:
        pending: deque[Future[list[bytes]]] = deque()
        for part in frame.iter_slices(chunk_rows * PER_TASK):
            if part.height:
                pending.append(pool.submit(_encoded, part, numbers, chunk_rows))
            if len(pending) > WORKERS:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _scalar(value: Any) -> str:
    if isinstance(value, str):
        return _encode_str(value)
    if value is None or value is True or value is False:
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float_text(value)
    return _dumps(value)  # anything else: json's own handling (or its TypeError)


def _pretty(data: Any, level: int = 0) -> str:
    """``data`` as JSON indented two spaces per level, ``level`` deep (no NaN, UTF-8 text).

    The text of ``json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)``,
    except that a list or object with more than :data:`WIDE` members (the ones
    that grow with the clients: the let-go alternatives and names, the clients of
    a recommendation) has one compact member per line, written by the standard
    library's C encoder; written by joins rather than the token generators that
    ``indent`` forces to pure Python.
    """
    if isinstance(data, dict):
        if not data:
            return "{}"
        if not all(isinstance(key, str) for key in data):  # json's key coercions
            return _dumps(data).replace("\n", "\n" + "  " * level)
        inner = "\n" + "  " * (level + 1)
        if len(data) > WIDE and all(type(v) is str for v in data.values()):  # names by id
            items: Iterator[str] = map(
                "{}: {}".format, map(_encode_str, data), map(_encode_str, data.values())
            )
        elif len(data) > WIDE:
            items = (_encode_str(k) + ": " + _compact(v) for k, v in data.items())
        else:
            items = (_encode_str(k) + ": " + _pretty(v, level + 1) for k, v in data.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(data, list | tuple):
        if not data:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        if len(data) <= WIDE:
            members: Iterator[str] = (_pretty(v, level + 1) for v in data)
        elif all(type(v) is str for v in data):  # ids: the C string encoder, one call each
            members = map(_encode_str, data)
        else:
            members = map(_compact, data)
        return "[" + inner + ("," + inner).join(members) + "\n" + "  " * level + "]"
    return _scalar(data)


#: Column types that polars' JSON writer writes as the standard library's encoder does.
_PLAIN_TYPES = (pl.String, pl.Boolean, pl.Null, pl.Float64, pl.Float32, pl.Int8, pl.Int16,
                pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)  # fmt: skip
#: Below this magnitude (and above 0) ``repr`` writes a float with an exponent, polars not.
_EXPONENT_BELOW = 1e-4


def _polars_writes(frame: pl.DataFrame, floats: list[str]) -> bool:
    """Whether polars' NDJSON of ``frame`` can stand for the standard library's text."""
    plain = all(dtype in _PLAIN_TYPES for dtype in frame.dtypes) and all(
        _encode_str(name) == '"' + name + '"' for name in frame.columns
    )
    if not plain or not floats:
        return plain
    finite = pl.all_horizontal(pl.col(floats).is_finite() | pl.col(floats).is_null()).all()
    return bool(frame.select(finite).item())


def rows_text(rows: TableRows, level: int = 0) -> str:
    """``_pretty(list(rows), level)``: the list's text, written by polars when it is wide.

    Polars' NDJSON writer gives the C encoder's compact text of each row (keys in
    column order; strings escaped alike; integers, booleans and null alike; floats
    in their shortest round-trip form), except that it writes a float below
    :data:`_EXPONENT_BELOW` positionally (``0.00001`` where ``repr`` gives
    ``1e-05``): the rows holding one are encoded by the standard library. A NaN or
    an infinity, a column of another type or a name to escape takes the standard
    library's path for the whole list (which raises on the former, as json does).
    """
    frame = rows.frame
    floats = [name for name, dtype in frame.schema.items() if dtype.is_float()]
    if frame.height <= WIDE or not _polars_writes(frame, floats):
        return _pretty(list(rows), level)
    tiny = [(pl.col(n).abs() < _EXPONENT_BELOW) & (pl.col(n) != 0) for n in floats]
    redo = frame.select(pl.arg_where(pl.any_horizontal(pl.lit(False), *tiny))).to_series()
    buffer = io.BytesIO()
    frame.write_ndjson(buffer)
    text = buffer.getvalue().decode("utf-8").rstrip("\n")
    inner = "\n" + "  " * (level + 1)
    if redo.len():
        lines = text.split("\n")
        for i in redo.to_list():
            lines[i] = _compact(frame.row(i, named=True))
        text = ("," + inner).join(lines)
    else:
        text = text.replace("\n", "," + inner)
    return "[" + inner + text + "\n" + "  " * level + "]"


def _with_rows(text: str, marker: str, rows: TableRows) -> str:
    """``text`` whose string ``marker`` (a value at some level of it) is ``rows``' list."""
    token = _encode_str(marker)
    at = text.index(token)
    start = text.rfind("\n", 0, at) + 1
    indent = len(text[start:at]) - len(text[start:at].lstrip(" "))
    return text[:at] + rows_text(rows, indent // 2) + text[at + len(token) :]


def _head(analysis: PortfolioAnalysis) -> str:
    """The contract without its clients, with a marker string where the array goes.

    The recommendations' :class:`TableRows` (the let-go alternatives) are written
    from their frames by :func:`rows_text`.
    """
    state = analysis.__dict__
    had = "clients" in state
    saved = state.get("clients")
    state["clients"] = []  # the lazy analysis would build every client object otherwise
    rows: dict[str, TableRows] = {}
    try:
        data = PortfolioAnalysis.to_contract(analysis, rows=rows)
    finally:
        if had:
            state["clients"] = saved
        else:
            del state["clients"]
    data["clients"] = [_MARK]
    text = _pretty(data)
    for marker, table in rows.items():
        text = _with_rows(text, marker, table)
    return text


def _binary(out: TextIO) -> BinaryIO | None:
    """``out``'s binary buffer when ``out`` encodes UTF-8 (flushed first), else ``None``."""
    buffer = getattr(out, "buffer", None)
    encoding = getattr(out, "encoding", None)
    if buffer is None or not encoding or codecs.lookup(encoding).name != "utf-8":
        return None
    out.flush()  # what was written as text goes first
    return cast(BinaryIO, buffer)


def contract_parts(analysis: PortfolioAnalysis, *, chunk_rows: int = CHUNK_ROWS) -> Iterator[bytes]:
    """``analysis``' JSON contract as UTF-8 parts, the last one ending in a newline.

    The parts joined are the text :func:`write_contract` writes: the head, then
    the ``clients`` array ``chunk_rows`` clients at a time, then the tail. The web
    API streams them, so a response holds one slice of clients at a time. Raises
    ``ValueError`` (while iterating) as :func:`write_contract` does.
    """
    settings = analysis._settings
    if analysis._frame is None or settings is None:  # built from objects: nothing to stream
        yield (_pretty(analysis.to_contract()) + "\n").encode("utf-8")
        return
    # The head first: building it while threads encode the clients was measured
    # slower (the head is Python and holds the interpreter lock the threads need).
    head = _head(analysis)
    mark = "[\n    " + _encode_str(_MARK) + "\n  ]"
    before, after = head.split(mark)
    frame = analysis.clients_frame
    if not frame.height:
        yield before.encode("utf-8")
        yield ("[]" + after + "\n").encode("utf-8")
        return
    yield (before + "[\n    ").encode("utf-8")
    chunks = client_chunks(frame, settings, chunk_rows=chunk_rows)
    last = next(chunks)
    for chunk in chunks:  # every chunk ends with a separator; the last one's is dropped
        yield last
        last = chunk
    yield last[: -len(_SEPARATOR)]
    yield ("\n  ]" + after + "\n").encode("utf-8")


def write_contract(
    analysis: PortfolioAnalysis, out: TextIO, *, chunk_rows: int = CHUNK_ROWS
) -> None:
    """Write ``analysis``' JSON contract to ``out``, plus a newline.

    The text parses to ``analysis.to_contract()``: the head is indented as
    ``json.dumps(..., indent=2)`` indents it, and the ``clients`` array holds one
    compact object per line. Memory beyond the analysis is one slice of
    ``chunk_rows`` clients. Raises ``ValueError`` on an infinite metric or an
    infinite or NaN reason value, as :func:`json.dumps` does. A result built
    from objects (no clients frame) is written whole, as ``json.dumps`` would.
    """
    binary = _binary(out)
    write = binary.write if binary else lambda data: out.write(data.decode("utf-8"))
    for part in contract_parts(analysis, chunk_rows=chunk_rows):
        write(part)
    if binary:
        binary.flush()

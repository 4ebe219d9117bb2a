"""The JSON contract written in streaming chunks, its ``clients`` straight from the frame.

``json.dumps(analysis.to_contract(), indent=2)`` builds one dict per client and
then runs the standard library's pure-Python encoder (the C encoder is only
used without ``indent``) over every key and value: at 500,000 clients that is
most of the command's time and memory. Here the head of the contract is
written by :func:`_pretty` (the same text as :mod:`json`, by joins instead of
token generators), and the ``clients`` array slice by slice
(``chunk_rows`` clients at a time) from the polars frame: each column is turned
into JSON texts once per slice (C-level ``repr`` and string escaping), and each
client is one ``%``-template filled with its row. The template is derived from
``json.dumps`` itself, so the text is the same, byte for byte, as
``json.dumps(to_contract(), ensure_ascii=False, indent=2, allow_nan=False)``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterator
from typing import Any, TextIO, get_args

import polars as pl

from cartera.result import ClientMetrics, PortfolioAnalysis
from cartera.segments import reason_values
from cartera.settings import Settings

__all__ = ["CHUNK_ROWS", "client_chunks", "write_contract"]

#: Clients per slice: a slice's texts take a few tens of MB at most.
CHUNK_ROWS = 20_000
_METRICS = tuple(ClientMetrics.model_fields)
_MARK = "\x00cartera-clients\x00"
_encode_str: Callable[[str], str] = json.encoder.encode_basestring


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


def _texts(series: pl.Series, kind: str) -> list[str]:
    """One column as JSON value texts (``null`` for nulls; NaN is null for floats).

    Columns without nulls are mapped by a C-level ``repr``/escape per value.
    """
    if kind == "float":
        series = series.cast(pl.Float64).fill_nan(None)
        if series.is_infinite().any():
            _float_text(series.filter(series.is_infinite())[0])  # raises as json.dumps does
        encode: Callable[[Any], str] = float.__repr__
    elif kind == "int":
        series, encode = series.cast(pl.Int64), int.__repr__
    else:
        if kind == "date":
            series = series.cast(pl.Date).dt.to_string("%Y-%m-%d")
        encode = _encode_str
    values = series.to_list()
    if not series.null_count():
        return list(map(encode, values))
    return ["null" if v is None else encode(v) for v in values]


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
    """``json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)``, ``level`` deep.

    Written by joins rather than the standard library's token generators (which
    ``indent`` forces to pure Python): the contract's head holds lists that grow
    with the clients (the let-go alternatives, the clients of a recommendation).
    """
    if isinstance(data, dict):
        if not data:
            return "{}"
        if not all(isinstance(key, str) for key in data):  # json's key coercions
            return _dumps(data).replace("\n", "\n" + "  " * level)
        inner = "\n" + "  " * (level + 1)
        items = (_encode_str(k) + ": " + _pretty(v, level + 1) for k, v in data.items())
        return "{" + inner + ("," + inner).join(items) + "\n" + "  " * level + "}"
    if isinstance(data, list | tuple):
        if not data:
            return "[]"
        inner = "\n" + "  " * (level + 1)
        items = (_pretty(v, level + 1) for v in data)
        return "[" + inner + ("," + inner).join(items) + "\n" + "  " * level + "]"
    return _scalar(data)


def _template(level: int, sample: dict[str, Any]) -> str:
    """The ``%s`` template of ``sample`` as ``json.dumps`` indents it ``level`` deep.

    The sample's values are marker strings ``"\\x00<n>\\x00"``; each becomes a ``%s``.
    """
    text = _dumps(sample).replace("%", "%%")
    text = text.replace("\n", "\n" + "  " * level)
    return re.sub(r'"\\u0000\d+\\u0000"', "%s", text)


def _marks(keys: tuple[str, ...], start: int = 0) -> dict[str, str]:
    return {key: f"\x00{n}\x00" for n, key in enumerate(keys, start)}


_CLIENT_KEYS = ("id", "name", "segment", "action", "reasons", "metrics", "image_candidate")
_CLIENT = _template(2, {**_marks(_CLIENT_KEYS[:5]), "metrics": _marks(_METRICS, 7),
                        "image_candidate": "\x006\x00"})  # fmt: skip
_REASON = _template(4, _marks(("code", "value", "threshold")))
_REASONS_OPEN, _REASONS_SEP, _REASONS_CLOSE = (
    "[\n" + "  " * 4,
    ",\n" + "  " * 4,
    "\n" + "  " * 3 + "]",
)


def _reasons(codes: list[str], numbers: dict[str, tuple[list[float], str]]) -> list[str]:
    """The ``reasons`` arrays' texts, one per client (``[]`` when it has none)."""
    out: list[str] = []
    for i, listed in enumerate(codes):
        if not listed:
            out.append("[]")
            continue
        items = [
            _REASON % (_encode_str(code), _float_text(numbers[code][0][i]), numbers[code][1])
            for code in listed.split(",")
            if code
        ]
        out.append(_REASONS_OPEN + _REASONS_SEP.join(items) + _REASONS_CLOSE if items else "[]")
    return out


def client_chunks(
    frame: pl.DataFrame, settings: Settings, *, chunk_rows: int = CHUNK_ROWS
) -> Iterator[str]:
    """The contract's ``clients`` items as JSON texts, ``chunk_rows`` clients per string.

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
    str
        Items indented for the contract's ``clients`` array, joined by ``",\\n    "``
        inside a chunk; the caller joins chunks the same way.
    """
    numbers = reason_values(settings)
    kinds = {name: _kind(name) for name in _METRICS}
    for part in frame.iter_slices(chunk_rows):
        reason_numbers = {  # raw: a NaN value fails as it does in json.dumps
            code: (part.select(expr.cast(pl.Float64)).to_series().to_list(), _float_text(threshold))
            for code, (expr, threshold) in numbers.items()
        }
        columns = [_texts(part[key], "str") for key in _CLIENT_KEYS[:4]]
        columns.append(_reasons(part["reasons"].fill_null("").to_list(), reason_numbers))
        columns.extend(_texts(part[name], kinds[name]) for name in _METRICS)
        columns.append(["false"] * part.height)  # the template's order: metrics, then this
        yield ",\n    ".join(_CLIENT % row for row in zip(*columns, strict=True))


def _head(analysis: PortfolioAnalysis) -> str:
    """The contract without its clients, with a marker string where the array goes."""
    state = analysis.__dict__
    had = "clients" in state
    saved = state.get("clients")
    state["clients"] = []  # the lazy analysis would build every client object otherwise
    try:
        data = PortfolioAnalysis.to_contract(analysis)
    finally:
        if had:
            state["clients"] = saved
        else:
            del state["clients"]
    data["clients"] = [_MARK]
    return _pretty(data)


def write_contract(
    analysis: PortfolioAnalysis, out: TextIO, *, chunk_rows: int = CHUNK_ROWS
) -> None:
    """Write ``analysis``' JSON contract to ``out`` as ``print_json`` would, plus a newline.

    The text equals ``json.dumps(analysis.to_contract(), ensure_ascii=False,
    indent=2, allow_nan=False) + "\\n"``; memory beyond the analysis is one
    slice of ``chunk_rows`` clients. Raises ``ValueError`` on an infinite or
    NaN reason value, as :func:`json.dumps` does.
    """
    settings = analysis._settings
    if analysis._frame is None or settings is None:  # built from objects: nothing to stream
        out.write(_pretty(analysis.to_contract()) + "\n")
        return
    head = _head(analysis)
    mark = "[\n    " + _encode_str(_MARK) + "\n  ]"
    before, after = head.split(mark)
    out.write(before)
    first = True
    for chunk in client_chunks(analysis.clients_frame, settings, chunk_rows=chunk_rows):
        if not chunk:
            continue
        out.write("[\n    " if first else ",\n    ")
        out.write(chunk)
        first = False
    out.write("[]" if first else "\n  ]")
    out.write(after + "\n")

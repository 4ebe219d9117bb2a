"""Numbers and dates as text buffers, and cp1252 transcoding: the fast export path.

A *field* is ``(offsets, data)``: ``data`` holds the ASCII bytes of every value
one after the other and value ``i`` is ``data[offsets[i]:offsets[i + 1]]`` (the
Arrow string layout), so it becomes an Arrow column without a copy per value.
Numbers and dates are written digit by digit with NumPy integer arithmetic.
It does the job of the polars string expressions with less than half the CPU
(docs/decisions/0502-demo-export-speed.md). :mod:`cartera.demo.export` keeps
the polars expressions as the reference the tests compare against.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

__all__ = ["Field", "dates", "numbers", "to_arrow", "transcode"]

Field = tuple[np.ndarray, np.ndarray]

_ZERO = ord("0")
_POWERS = 10 ** np.arange(19, dtype=np.int64)


def _field(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    offsets = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    return offsets, np.empty(int(offsets[-1]), dtype=np.uint8), offsets[1:].copy()


def numbers(
    values: np.ndarray, *, places: int = 2, thousands: bool = True, trim: bool = False,
    min_digits: int = 1,
) -> Field:  # fmt: skip
    """Decimal-comma numbers: ``-1.234,56`` (``thousands``), ``1,5`` (``trim``), ``000123``.

    ``values`` are rounded to ``places`` (0 or 2) decimals; ``trim`` drops
    trailing zeros of the decimals and the comma with them; ``min_digits`` pads
    the integer part with zeros (``zfill``).
    """
    scaled = np.round(np.asarray(values, dtype=np.float64) * 10**places).astype(np.int64)
    neg = scaled < 0
    scaled = np.abs(scaled)
    whole, frac = scaled // 10**places, scaled % 10**places
    digits = np.maximum(np.searchsorted(_POWERS, whole, side="right"), min_digits)
    groups = (digits - 1) // 3 if thousands else np.zeros_like(digits)
    if places == 0:
        decimals = np.zeros_like(digits)
    elif trim:
        decimals = np.where(frac == 0, 0, np.where(frac % 10 == 0, 1, 2))
    else:
        decimals = np.full_like(digits, 2)
    offsets, data, pos = _field(neg + digits + groups + (decimals > 0) + decimals)
    pos -= 1
    two = decimals == 2
    data[pos[two]] = _ZERO + frac[two] % 10
    pos -= two
    some = decimals > 0
    data[pos[some]] = _ZERO + frac[some] // 10
    pos -= some
    data[pos[some]] = ord(",")
    pos -= some
    rows = np.arange(scaled.size)
    for k in range(int(digits.max(initial=1))):  # one pass per digit position, not per row
        rows = rows[digits[rows] > k]
        data[pos[rows]] = _ZERO + (whole[rows] // _POWERS[k]) % 10
        pos[rows] -= 1
        if thousands and k % 3 == 2:
            dot = rows[digits[rows] > k + 1]
            data[pos[dot]] = ord(".")
            pos[dot] -= 1
    data[pos[neg]] = ord("-")
    return offsets, data


def dates(days: np.ndarray) -> Field:
    """``dd/mm/yyyy`` from days since 1970-01-01."""
    stamp = np.asarray(days, dtype="datetime64[D]")
    year = stamp.astype("datetime64[Y]").astype(np.int64) + 1970
    month = stamp.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (stamp - stamp.astype("datetime64[M]")).astype(np.int64) + 1
    matrix = np.empty((stamp.size, 10), dtype=np.uint8)
    matrix[:, 2] = matrix[:, 5] = ord("/")
    for col, (value, power) in enumerate(
        [(day, 10), (day, 1), (None, 0), (month, 10), (month, 1), (None, 0),
         (year, 1000), (year, 100), (year, 10), (year, 1)]
    ):  # fmt: skip
        if value is not None:
            matrix[:, col] = _ZERO + (value // power) % 10
    return np.arange(stamp.size + 1, dtype=np.int64) * 10, matrix.ravel()


def transcode(utf8: bytes, encoding: str = "cp1252") -> bytes:
    """UTF-8 text → ``encoding``; in NumPy when every character is in U+00A0–U+00FF.

    Those characters are two UTF-8 bytes (C2 or C3, then 80–BF) and one byte in
    Latin-1 and cp1252 alike, so the lead bytes are dropped and the second byte
    shifted. Anything else (``€``, C1 controls) goes through Python's codec.
    """
    data = np.frombuffer(utf8, dtype=np.uint8)
    high = np.flatnonzero(data >= 0x80)
    if not high.size:
        return utf8
    first = data[high]
    is_lead = (first == 0xC2) | (first == 0xC3)
    lead, follow = high[is_lead], high[~is_lead]
    if encoding.lower() != "cp1252" or not np.array_equal(follow, lead + 1):
        return utf8.decode("utf-8").encode(encoding)
    second = data[follow]
    shifted = first[is_lead] == 0xC3
    if (~shifted & (second < 0xA0)).any():  # C1 controls differ between Latin-1 and cp1252
        return utf8.decode("utf-8").encode(encoding)
    out = data.copy()
    out[follow] = second + np.where(shifted, 0x40, 0).astype(np.uint8)
    return np.delete(out, lead).tobytes()


def to_arrow(field: Field) -> pa.Array:
    """An ASCII field as an Arrow string array, without copying per value."""
    offsets, data = field
    return pa.LargeStringArray.from_buffers(
        offsets.size - 1, pa.py_buffer(offsets), pa.py_buffer(data)
    )

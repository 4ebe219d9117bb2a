"""cp1252 (Windows Spanish) bytes to UTF-8, as fast as Python allows.

polars reads only UTF-8, so a cp1252 export is transcoded in chunks to a
temporary UTF-8 copy (:func:`cartera.io.sniff.to_utf8_file`) that polars then
scans lazily, materialising only the columns used.
"""

from __future__ import annotations

import codecs
from typing import Final

__all__ = ["to_utf8"]

_NOT_C1: Final = bytes(b for b in range(256) if not 0x80 <= b <= 0x9F)


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("cartera_latin1_fallback", _latin1_fallback)


def to_utf8(chunk: bytes | bytearray) -> bytes:
    """cp1252 → UTF-8. Without bytes 0x80-0x9F cp1252 equals latin-1, whose codec is faster;
    the five bytes cp1252 leaves undefined are read as latin-1, so nothing is lost."""
    if not chunk.translate(None, _NOT_C1):
        return str(chunk, "latin-1").encode("utf-8")
    return str(chunk, "cp1252", "cartera_latin1_fallback").encode("utf-8")

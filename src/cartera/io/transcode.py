"""cp1252 (Windows Spanish) bytes to UTF-8, as fast as Python allows.

polars reads only UTF-8, so a cp1252 export is transcoded to a temporary
UTF-8 copy that polars then scans lazily, materialising only the columns used.

cp1252 is one byte per character, so the file can be cut anywhere and its
parts transcoded independently. Python's codecs hold the GIL, so a big file is
cut into one part per core and every part but the first is transcoded by a
child interpreter running this module as a script (``python -I -S
transcode.py``: standard library only, no fork of a process that holds
polars' threads). Parts start at a line break, so when no quote comes before a
part's start (no quoted field can span it) the part stays a file of its own and
polars reads the files one after the other; otherwise it is appended to the one
before. While transcoding, each part also looks for UTF-8 multibyte text, the
sign of a file that mixes two encodings, so the mixed-encoding check costs no
pass of its own.

This module imports only the standard library: the children run it as a script.
"""

from __future__ import annotations

import codecs
import os
import re
import sys

# Not ``typing.TYPE_CHECKING``, and ``subprocess`` imported where it is used: a child
# starts faster without them (``subprocess`` alone takes ~30 ms to import).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from pathlib import Path

__all__ = ["cp1252_copy", "cp1252_parts", "has_utf8_multibyte", "looks_mac_roman", "to_utf8"]

#: A C1 character (U+0080-U+009F) in UTF-8: what a byte 0x80-0x9F becomes when read as latin-1.
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
#: Small enough that a chunk, its text and its UTF-8 stay in the processor's cache while it
#: is transcoded: 512 KiB chunks transcode 145 MB in ~0.25 s against ~0.33 s for 16 MiB ones.
_CHUNK = 512 * 1024
#: Files smaller than this are transcoded in the calling process (a child costs ~20 ms).
_PARALLEL_FROM = 48 * 1024 * 1024
_MAX_WORKERS = 4
#: How far past a part's nominal start a line break is looked for (the part starts after it).
_LINE_SEARCH = 1 << 20
_FIRST_SHARE = {1: 1.0, 2: 0.58, 3: 0.38, 4: 0.28}


def _latin1_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return exc.object[exc.start : exc.end].decode("latin-1"), exc.end


codecs.register_error("cartera_latin1_fallback", _latin1_fallback)


def to_utf8(chunk: bytes | bytearray) -> bytes:
    """cp1252 → UTF-8 (see :func:`_convert`)."""
    return _convert(chunk)[0]


def _convert(chunk: bytes | bytearray) -> tuple[bytes, bool]:
    """cp1252 → UTF-8, and whether the chunk holds UTF-8 multibyte text (mixed encodings).

    Without bytes 0x80-0x9F cp1252 equals latin-1, whose codec is faster, so the chunk is
    read as latin-1 first. In the result, 0xC2 is the first byte of exactly the characters
    U+0080-U+00BF, the source bytes 0x80-0xBF: every C1 character (where cp1252 differs from
    latin-1) and every continuation byte of a UTF-8 multibyte sequence. Spanish letters
    (á é í ó ú ñ ü and capitals, 0xC0-0xFF) become 0xC3 sequences. So when the result holds
    no 0xC2 (one ``memchr``), the chunk has no C1 character and no UTF-8 text, and it is
    done. Otherwise it is checked for UTF-8 text and, if it holds C1 bytes, read again as
    cp1252. The five bytes cp1252 leaves undefined are read as latin-1, so nothing is lost.
    """
    out = str(chunk, "latin-1").encode("utf-8")
    if b"\xc2" not in out:
        return out, False
    seen = has_utf8_multibyte(chunk)
    if _C1_UTF8.search(out) is None:
        return out, seen
    return str(chunk, "cp1252", "cartera_latin1_fallback").encode("utf-8"), seen


def has_utf8_multibyte(chunk: bytes | bytearray) -> bool:
    """Whether well-formed UTF-8 multibyte sequences appear (decoded ignoring the rest)."""
    return not str(chunk, "utf-8", "ignore").isascii()


def _transcode_range(source: str, start: int, end: int, target: str) -> tuple[bool, bool]:
    """Bytes ``start..end`` of ``source`` as UTF-8, appended to ``target``; whether UTF-8
    multibyte text was seen (also across chunk boundaries), and whether a quote was."""
    seen = quoted = False
    tail = b""
    buffer = bytearray(_CHUNK)
    view = memoryview(buffer)
    with open(source, "rb", buffering=0) as src, open(target, "ab", buffering=0) as dst:
        src.seek(start)
        left = end - start
        while left > 0:
            size = src.readinto(view[: min(_CHUNK, left)])
            if not size:
                break
            chunk = buffer if size == _CHUNK else bytes(view[:size])
            out, mixed = _convert(chunk)
            # A multibyte character cut by the chunk boundary shows in the bytes around it.
            seen = seen or mixed or has_utf8_multibyte(tail + chunk[:3])
            quoted = quoted or b'"' in chunk
            tail = bytes(chunk[-3:])
            dst.write(out)
            left -= size
    return seen, quoted


#: Spanish letters as Mac Roman writes them (á é í ó ú ñ Ñ ü É Ü): bytes 0x80-0x9F, where
#: cp1252 has punctuation and rare letters (‡ Ž ’ — œ – „ Ÿ ƒ †).
_MAC_LETTERS = re.compile(rb"(?<=[A-Za-z])[\x87\x8e\x92\x97\x9c\x96\x84\x9f\x83\x86]")
#: The same letters as cp1252 (and Latin-1) writes them.
_CP1252_LETTERS = re.compile(rb"(?<=[A-Za-z])[\xe1\xe9\xed\xf3\xfa\xf1\xd1\xfc\xc9\xdc]")
_MAC_ORDINAL = re.compile(rb"\b[Nn]\xbc")
_CP1252_ORDINAL = re.compile(rb"\b[Nn]\xba")
#: How much of a file is looked at to tell Mac Roman from cp1252.
_MAC_SAMPLE = 4 << 20


def looks_mac_roman(source: Path | str) -> bool:
    """Whether a file that is not UTF-8 is Mac Roman (old Mac exports) rather than cp1252.

    Inside words, Spanish letters are bytes 0xE1-0xFC in cp1252 but 0x83-0x9F in Mac
    Roman; the ``º`` of ``Nº`` is 0xBA in cp1252, 0xBC in Mac Roman. The file is Mac Roman
    when, in its first 4 MiB, letters of the second kind follow a letter more often than
    letters of the first kind (an ``Nº`` counts twice), and at least two different ones do
    or a Mac Roman ``Nº`` is there (a lone ``’``, 0x92 in cp1252, in ``l’Hospitalet`` is not
    enough).
    """
    with open(source, "rb") as src:
        sample = src.read(_MAC_SAMPLE)
    mac = _MAC_LETTERS.findall(sample)
    # ``Nº`` (number, in headers such as «Nº factura»): º is 0xBC in Mac Roman, 0xBA in cp1252.
    mac_ordinal = len(_MAC_ORDINAL.findall(sample))
    cp_ordinal = len(_CP1252_ORDINAL.findall(sample))
    evidence = len(set(mac)) >= 2 or mac_ordinal > 0
    mac_score = len(mac) + 2 * mac_ordinal
    return evidence and mac_score > len(_CP1252_LETTERS.findall(sample)) + 2 * cp_ordinal


def _line_starts(source: str, offsets: list[int]) -> list[tuple[int, bool]]:
    """Each offset moved just past the next line break, so that a part starts a line, and
    whether it was (not when no line break comes within :data:`_LINE_SEARCH` bytes)."""
    out: list[tuple[int, bool]] = []
    with open(source, "rb") as src:
        for offset in offsets:
            src.seek(offset)
            found = src.read(_LINE_SEARCH).find(b"\n")
            out.append((offset + found + 1, True) if found >= 0 else (offset, False))
    return out


def _around(source: str, offsets: list[int]) -> bool:
    """Whether a UTF-8 multibyte character sits across one of ``offsets`` (part boundaries)."""
    with open(source, "rb") as src:
        for offset in offsets:
            src.seek(max(offset - 3, 0))
            if has_utf8_multibyte(src.read(6)):
                return True
    return False


def _append(target: str, part: str) -> None:
    """``part``'s bytes added to the end of ``target`` (a kernel copy where there is one)."""
    # Not opened for appending: copy_file_range refuses a target opened with O_APPEND.
    with open(part, "rb") as src, open(target, "r+b") as dst:
        dst.seek(0, os.SEEK_END)
        length = os.fstat(src.fileno()).st_size
        try:
            while length > 0:
                copied = os.copy_file_range(src.fileno(), dst.fileno(), length)
                if copied == 0:
                    raise OSError("copy_file_range copied nothing")
                length -= copied
        except (AttributeError, OSError):  # no kernel copy here: the rest through memory
            import shutil

            shutil.copyfileobj(src, dst, _CHUNK)


def _workers() -> int:
    if not sys.executable or getattr(sys, "frozen", False):
        return 1  # no interpreter to start children with (embedded or frozen app)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, _MAX_WORKERS))


def cp1252_copy(source: Path, target: Path) -> bool:
    """A UTF-8 copy of the cp1252 file ``source`` at ``target`` (which must exist, empty), in
    parallel parts when big. Returns whether UTF-8 multibyte text was seen (mixed encodings).
    """
    return _transcode(source, target, split=False)[1]


def cp1252_parts(source: Path, target: Path) -> tuple[list[Path], bool]:
    """The cp1252 file ``source`` as UTF-8 files that, read one after the other, are its
    records: ``target`` (which must exist, empty) and, for a big file, parts beside it that
    each start a record. Returns them and whether UTF-8 multibyte text was seen.

    A part starts a record when it starts a line and no quote comes before it (no quoted
    field can hold the line break before it); any other part is appended to the one before.
    Reading the parts as they are saves copying them into one file.
    """
    files, seen = _transcode(source, target, split=True)
    return [target.with_name(os.path.basename(f)) for f in files], seen


def _transcode(source: Path, target: Path, split: bool) -> tuple[list[str], bool]:
    """:func:`cp1252_parts`; with ``split`` false every part is appended to ``target``.

    This process transcodes the first part into ``target`` while each child writes its
    part to a file of its own.
    """
    src, dst = str(source), str(target)
    size = source.stat().st_size
    workers = _workers() if size >= _PARALLEL_FROM else 1
    # The first part is this process's: a little longer, as the children take time to start.
    first = int(size * _FIRST_SHARE[workers])
    rest = max(workers - 1, 1)
    starts = _line_starts(src, [first + (size - first) * i // rest for i in range(workers - 1)])
    bounds = [0, *(start for start, _aligned in starts), size]
    parts = [f"{dst}.part{i}" for i in range(1, workers)]
    files = [dst]
    children: list[subprocess.Popen[bytes] | None] = []
    try:
        for lo, hi, part in zip(bounds[1:-1], bounds[2:], parts, strict=True):
            children.append(_spawn(src, lo, hi, part))
        seen, quoted = _transcode_range(src, 0, bounds[1], dst)
        seen = seen or _around(src, bounds[1:-1])
        for i, (child, part) in enumerate(zip(children, parts, strict=True), start=1):
            own = split and starts[i - 1][1] and not quoted
            out = child.communicate()[0].strip() if child is not None else b""
            if child is not None and child.returncode == 0:
                seen = seen or out[:1] == b"1"
                quoted = quoted or out[1:2] != b"0"
                if own:
                    files.append(part)
                else:
                    _append(files[-1], part)
                    os.unlink(part)
            else:  # the child could not start or run: do its part here
                done = _transcode_range(src, bounds[i], bounds[i + 1], part if own else files[-1])
                seen, quoted = seen or done[0], quoted or done[1]
                if own:
                    files.append(part)
    except BaseException:
        for part in parts:
            if os.path.exists(part):
                os.unlink(part)
        raise
    finally:
        for child in children:
            if child is not None and child.poll() is None:
                child.kill()
                child.wait()
    return files, seen


def _spawn(source: str, start: int, end: int, part: str) -> subprocess.Popen[bytes] | None:
    """A child transcoding ``start..end`` into ``part`` (None when it cannot be started).

    ``-I`` keeps the script's folder off ``sys.path`` (``cartera/io/inspect.py`` would
    shadow the standard ``inspect``) and ignores the user's environment; ``-S`` skips
    site-packages, which the standard-library-only script does not need.
    """
    import subprocess

    try:
        return subprocess.Popen(
            [sys.executable, "-I", "-S", __file__, source, str(start), str(end), part],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
    except OSError:
        return None


def _main(argv: list[str]) -> int:
    """Child entry point: ``transcode.py SOURCE START END TARGET`` prints two flags: whether
    UTF-8 multibyte text was seen, and whether a quote was (``10``: UTF-8, no quote)."""
    source, start, end, target = argv
    seen, quoted = _transcode_range(source, int(start), int(end), target)
    sys.stdout.write(("1" if seen else "0") + ("1" if quoted else "0"))
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))

"""Terminal layout: wrapping that keeps numbers whole, and columns that stay readable.

Rich breaks a line at any Unicode space, the no-break space too, so Babel's
``1.188 €`` and ``0,10 %`` (number and unit joined by U+00A0) can end up on two
lines; and when a table is wider than the console, Rich narrows its widest
wrapping column without regard to the words in it (a note column of 5 characters,
one syllable per line). Here a word is what lies between ASCII spaces, so a
number and its unit are one word; :class:`Prose` wraps at those spaces only, and
:func:`fit_widths` gives each column at least its readable minimum or reports that
the columns do not fit, so that the caller lays the text out another way (a note
under its figure instead of beside it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len, chop_cells
from rich.console import Console, ConsoleOptions, Group, JustifyMethod, RenderableType, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

__all__ = [
    "NAME_MIN",
    "Col",
    "Prose",
    "fit_widths",
    "fitted_table",
    "longest_word",
    "rows_with_notes",
    "table_overhead",
    "table_with_notes",
    "titled_table",
    "words",
    "wrap",
]

#: A column of names wraps down to this width, not below (nor below its longest word).
NAME_MIN = 24

_SPACES = re.compile(r"[ \t\r\f\v]+")


def words(text: str) -> list[str]:
    """The words of ``text``: runs between ASCII white space (a no-break space joins)."""
    return [w for w in _SPACES.split(text.replace("\n", " ")) if w]


def longest_word(text: str) -> int:
    """The width in cells of the widest word of ``text`` (0 when it has none)."""
    return max((cell_len(w) for w in words(text)), default=0)


def wrap(text: str, width: int, rest: int | None = None) -> list[str]:
    """``text`` in lines of at most ``width`` cells (``rest`` cells after the first line,
    when given), broken at ASCII spaces only.

    Line breaks in ``text`` are kept; a word wider than its line (which a caller that
    sized its column with :func:`fit_widths` never passes) is folded.
    """
    lines: list[str] = []

    def room() -> int:
        return max(width if not lines or rest is None else rest, 1)

    for paragraph in text.split("\n"):
        line = ""
        for word in words(paragraph):
            if line and cell_len(line) + 1 + cell_len(word) <= room():
                line += " " + word
                continue
            if line:
                lines.append(line)
            line = word
            while cell_len(line) > room():
                head = chop_cells(line, room())[0]
                lines.append(head)
                line = line[len(head) :]
        lines.append(line)
    return lines


class Prose:
    """Text that wraps at ASCII spaces only (see the module doc); ``hang`` indents every
    line but the first, as under a bullet."""

    def __init__(
        self, text: str, style: str = "", *, justify: JustifyMethod = "default", hang: int = 0
    ):
        self.text, self.style, self.justify, self.hang = text, style, justify, hang

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(line) for line in self.text.split("\n")), default=0)
        least = longest_word(self.text) + self.hang
        return Measurement(least, max(least, longest)).with_maximum(options.max_width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.lines(options.max_width)
        yield Text(
            "\n".join(lines),
            style=self.style,
            justify=self.justify,
            no_wrap=True,
            overflow="fold",
        )

    def lines(self, width: int) -> list[str]:
        """The lines this text takes at ``width`` cells (hanging indent included)."""
        first, *rest = wrap(self.text, width, width - self.hang)
        return [first, *(" " * self.hang + line for line in rest)]


@dataclass(frozen=True)
class Col:
    """A column to size: its header and cells, whether it holds numbers, and how much of
    the spare width it takes (``weight``) and the least it may have (``least``)."""

    header: str
    cells: Sequence[str]
    numeric: bool = False
    weight: int = 1
    least: int = 0

    @property
    def minimum(self) -> int:
        """The readable minimum: numbers never wrap, words never split, and a text
        column keeps ``least`` cells (or all it needs, when less)."""
        header = longest_word(self.header)
        if self.numeric:
            return max([header, *(cell_len(c) for c in self.cells)])
        widest = max([header, *(longest_word(c) for c in self.cells)])
        return max(widest, min(self.least, self.natural))

    @property
    def natural(self) -> int:
        """The width at which nothing wraps."""
        return max([cell_len(self.header), *(cell_len(c) for c in self.cells)])


def fit_widths(cols: Sequence[Col], room: int) -> list[int] | None:
    """Content widths of ``cols`` within ``room`` cells, each at least its readable
    minimum; ``None`` when even the minimums do not fit.

    Spare width goes to the columns that wrap, by weight, never past their natural width.
    """
    widths = [c.minimum for c in cols]
    if sum(widths) > room:
        return None
    if sum(c.natural for c in cols) <= room:
        return [c.natural for c in cols]
    spare = room - sum(widths)
    while spare > 0:
        open_ = [i for i, c in enumerate(cols) if widths[i] < c.natural]
        if not open_:
            break
        total = sum(cols[i].weight for i in open_)
        given = 0
        for i in open_:
            share = max(1, spare * cols[i].weight // total)
            add = min(share, cols[i].natural - widths[i], spare - given)
            widths[i] += add
            given += add
        spare -= given
        if given == 0:
            break
    return widths


def table_overhead(columns: int, *, edge: bool = True, pad_edge: bool = True) -> int:
    """Cells a boxed Rich table with padding (0, 1) adds to its columns' content."""
    lines = (columns - 1) + (2 if edge else 0)
    padding = 2 * columns - (0 if pad_edge else 2)
    return lines + padding


def fitted_table(
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    width: int | None,
    *,
    edge: bool = True,
    pad_edge: bool = True,
    styles: Sequence[str] = (),
    header: bool = True,
) -> Table | None:
    """A Rich table of ``rows`` whose columns keep their readable minimum within
    ``width`` cells (numbers right-aligned and unbroken, text wrapped at word
    boundaries); ``None`` when they cannot, so that the caller drops a column or lays
    the rows out otherwise. ``styles`` colours the rows. ``width`` ``None``: every
    column at its minimum (a last resort; the console wraps what is too wide)."""
    overhead = table_overhead(len(cols), edge=edge, pad_edge=pad_edge)
    widths = fit_widths(cols, _room(cols, width, overhead))
    if widths is None:
        return None
    table = Table(show_edge=edge, pad_edge=pad_edge, header_style="bold", show_header=header)
    _columns(table, cols, widths)
    for r, row in enumerate(rows):
        table.add_row(*_cells(cols, row), style=styles[r] if r < len(styles) else "")
    return table


def titled_table(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    header: bool = True,
) -> RenderableType:
    """``title`` (none when empty) over :func:`fitted_table`; when the columns do not
    fit, the last ones give way (down to two), and past that the table is laid out at
    its minimums (and the console wraps it)."""
    top = [Prose(title, "italic")] if title else []
    for n in range(len(cols), 1, -1):
        kept = [row[:n] for row in rows]
        table = fitted_table(cols[:n], kept, width, header=header)
        if table is not None:
            return Group(*top, table)
    table = fitted_table(cols[:2], [r[:2] for r in rows], None, header=header, edge=False)
    return Group(*top, table or Text(""))


def table_with_notes(
    title: str,
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    note: int,
) -> RenderableType:
    """``title`` over the rows, their long text column ``note`` beside the others when it
    keeps its ``least`` width; else on the lines under each row (the columns after the
    first two giving way from the last when even that does not fit)."""
    top = [Prose(title, "italic")] if title else []
    table = fitted_table(cols, rows, width)
    if table is not None:
        return Group(*top, table)
    keep = [i for i in range(len(cols)) if i != note]
    notes = [row[note] for row in rows]
    for n in range(len(keep), 0, -1):
        kept = [cols[i] for i in keep[:n]]
        out = rows_with_notes(kept, [[row[i] for i in keep[:n]] for row in rows], notes, width)
        if out is not None:
            return Group(*top, out)
    # Not even the first column fits: at its minimum, and the console wraps it.
    first = keep[0]
    out = rows_with_notes([cols[first]], [[row[first]] for row in rows], notes, None)
    return Group(*top, out or Text(""))


def rows_with_notes(
    cols: Sequence[Col],
    rows: Sequence[Sequence[str]],
    notes: Sequence[str],
    width: int | None,
    *,
    styles: Sequence[str] = (),
) -> RenderableType | None:
    """Like :func:`fitted_table`, with each row's note (dim, indented) on the full-width
    lines under it; the first column takes the width the others leave. ``None`` when
    the columns do not fit (``width`` ``None``: at their minimums)."""
    room = _room(cols, width, 2 * (len(cols) - 1))
    widths = fit_widths(cols, room)
    if widths is None:
        return None
    widths[0] = room - sum(widths[1:])
    width = room + 2 * (len(cols) - 1)
    head = _grid(cols, widths)
    head.add_row(*(Prose(c.header, "bold", justify=_justify(c)) for c in cols))
    parts: list[RenderableType] = [head, Text("─" * width, style="dim")]
    for r, row in enumerate(rows):
        line = _grid(cols, widths)
        line.add_row(*_cells(cols, row), style=styles[r] if r < len(styles) else "")
        parts.append(line)
        if r < len(notes) and notes[r]:
            parts.append(Padding(Prose(notes[r], "dim"), (0, 0, 0, 2)))
    return Group(*parts)


def _room(cols: Sequence[Col], width: int | None, overhead: int) -> int:
    """The cells left for the columns' content; at ``None``, just their minimums."""
    return sum(c.minimum for c in cols) if width is None else width - overhead


def _justify(col: Col) -> JustifyMethod:
    return "right" if col.numeric else "left"


def _columns(table: Table, cols: Sequence[Col], widths: Sequence[int]) -> None:
    for col, w in zip(cols, widths, strict=True):
        table.add_column(Prose(col.header, justify=_justify(col)), justify=_justify(col), width=w)


def _grid(cols: Sequence[Col], widths: Sequence[int]) -> Table:
    grid = Table.grid(padding=(0, 1), collapse_padding=False, pad_edge=False)
    for col, w in zip(cols, widths, strict=True):
        grid.add_column(justify=_justify(col), width=w)
    return grid


def _cells(cols: Sequence[Col], row: Sequence[str]) -> list[RenderableType]:
    return [
        Text(cell, no_wrap=True, overflow="fold") if col.numeric else Prose(cell)
        for col, cell in zip(cols, row, strict=True)
    ]

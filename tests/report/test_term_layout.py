"""Wrapping that keeps a number and its unit together; column widths with a floor."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from cartera.report.term_layout import (
    Col,
    Prose,
    fit_widths,
    fitted_table,
    longest_word,
    rows_with_notes,
    table_overhead,
    words,
    wrap,
)


def _print(renderable: object, width: int) -> list[str]:
    buf = io.StringIO()
    Console(file=buf, width=width, color_system=None).print(renderable)
    return buf.getvalue().splitlines()


def test_a_no_break_space_joins_a_word() -> None:
    text = "se pierden 1.188\xa0€ (menos de 0,10\xa0%)"
    assert words(text) == ["se", "pierden", "1.188\xa0€", "(menos", "de", "0,10\xa0%)"]
    assert longest_word(text) == len("1.188\xa0€")
    # A word that does not fit moves down whole.
    assert wrap(text, 13) == ["se pierden", "1.188\xa0€", "(menos de", "0,10\xa0%)"]
    assert wrap(text, 1000) == [text]


def test_wrap_edges() -> None:
    assert wrap("ab cd", 5) == ["ab cd"]  # exactly the width
    assert wrap("ab cd", 4) == ["ab", "cd"]
    assert wrap("abcdef", 4) == ["abcd", "ef"]  # a word wider than the line is folded
    assert wrap("a\n\nb", 5) == ["a", "", "b"]
    assert wrap("uno dos tres", 7, rest=3) == ["uno dos", "tre", "s"]


def test_prose_hangs_and_measures_its_longest_word() -> None:
    lines = _print(Prose("• uno dos tres cuatro", hang=2), 10)
    assert [line.rstrip() for line in lines] == ["• uno dos", "  tres", "  cuatro"]
    console = Console(width=80)
    measure = Prose("uno 0,10\xa0%").__rich_measure__(console, console.options)
    assert (measure.minimum, measure.maximum) == (6, 10)


def test_fit_widths_never_below_the_minimum() -> None:
    name = Col("Cliente", ["Comercial Sánchez y Cía"], least=10)  # words of 9, 7 and 3
    money = Col("Ventas", ["31.800\xa0€"], numeric=True)
    assert (name.minimum, money.minimum) == (10, 8)
    assert (name.natural, money.natural) == (23, 8)
    assert fit_widths([name, money], 17) is None  # one cell short of the minimums
    assert fit_widths([name, money], 18) == [10, 8]
    assert fit_widths([name, money], 25) == [17, 8]  # the spare goes to the text
    assert fit_widths([name, money], 31) == [23, 8]  # natural widths
    assert fit_widths([name, money], 99) == [23, 8]


def test_a_numeric_header_wraps_but_its_numbers_do_not() -> None:
    col = Col("Contribución neta", ["-1.188\xa0€", "12.345.678\xa0€"], numeric=True)
    assert col.minimum == len("Contribución")
    table = fitted_table([col], [["12.345.678\xa0€"]], 12 + table_overhead(1))
    assert table is not None
    out = _print(table, 80)
    assert any("12.345.678\xa0€" in line for line in out)
    assert any(line.strip(" ┃").startswith("neta") for line in out)


@pytest.mark.parametrize("width", [40, 41])
def test_rows_with_notes_fill_the_width(width: int) -> None:
    cols = [Col("Cliente", ["Kiosco"], least=6), Col("Ventas", ["640\xa0€"], numeric=True)]
    note = "solo compra el <\xa00,001\xa0% de las ventas (menos de 0,10\xa0%)"
    out = _print(rows_with_notes(cols, [["Kiosco", "640\xa0€"]], [note], width), width)
    assert max(len(line) for line in out) <= width
    assert out[2].rstrip().endswith("640\xa0€") and len(out[2].rstrip()) == width
    assert all(w in "\n".join(out) for w in words(note))
    assert rows_with_notes(cols, [["Kiosco", "640\xa0€"]], [note], 6 + 2 + 5) is None

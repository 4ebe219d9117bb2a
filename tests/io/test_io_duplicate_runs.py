"""A reused document number is found however its lines interleave with another number's.

The duplicate check first compares each line with the one before it (the usual
export lists an invoice's lines together); these files put the other number's
line between, or just before, the reused number's lines, so that only a
comparison with the line right before tells the second client or date apart.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cartera.errors import InputError
from cartera.io import ReadOptions, import_files

HEAD = "Nº factura;Fecha;Código cliente;Base imponible\n"


def _problems(tmp_path: Path, options: ReadOptions, lines: str) -> list[tuple[int, str, int]]:
    (tmp_path / "f.csv").write_text(HEAD + lines, encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options)
    return [(p.row, p.value, p.params["other"]) for p in err.value.problems]


def test_a_number_split_by_another_number_with_its_client(
    tmp_path: Path, options: ReadOptions
) -> None:
    # F1's second line has F2's client: it matches the line before it, not F1's first.
    lines = "F1;15/01/2024;C1;100,00\nF2;15/01/2024;C2;50,00\nF1;15/01/2024;C2;10,00\n"
    assert _problems(tmp_path, options, lines) == [(4, "F1", 2)]


def test_a_client_that_changes_inside_a_run(tmp_path: Path, options: ReadOptions) -> None:
    # F1's two lines are one run, but the second has the client of the line two above.
    lines = "F2;15/01/2024;C2;50,00\nF1;15/01/2024;C1;100,00\nF1;15/01/2024;C2;10,00\n"
    assert _problems(tmp_path, options, lines) == [(4, "F1", 3)]


def test_a_date_that_changes_inside_a_run(tmp_path: Path, options: ReadOptions) -> None:
    # F1's two lines are one run, but the second has the date of the line two above.
    lines = "F2;16/01/2024;C1;50,00\nF1;15/01/2024;C1;100,00\nF1;16/01/2024;C1;10,00\n"
    assert _problems(tmp_path, options, lines) == [(4, "F1", 3)]

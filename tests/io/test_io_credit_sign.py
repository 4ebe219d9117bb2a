"""A document is a credit note by its type word or a negative sum of its lines, not at zero."""

from __future__ import annotations

from pathlib import Path

from cartera.io import ReadOptions, import_files


def test_a_document_summing_to_zero_is_an_invoice(tmp_path: Path, options: ReadOptions) -> None:
    (tmp_path / "f.csv").write_text(
        "Nº factura;Fecha;Código cliente;Base imponible\n"
        "F1;01/01/2024;C1;0\n"
        "F2;02/01/2024;C1;50\nF2;02/01/2024;C1;-50\n"
        "F3;03/01/2024;C1;-0,01\n",
        encoding="utf-8",
    )
    ws = import_files(documents=tmp_path / "f.csv", into=tmp_path / "ws", options=options).workspace
    docs = ws.read("documents").sort("source_row")
    assert docs["doc_type"].to_list() == ["invoice", "invoice", "invoice", "credit_note"]
    assert docs["amount"].to_list() == [0.0, 50.0, -50.0, -0.01]

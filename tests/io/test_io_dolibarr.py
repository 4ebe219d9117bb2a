"""Dolibarr's export writes its invoice statuses as codes (decision 0954): 0 draft,
1 validated, 2 paid, 3 abandoned. Read as Dolibarr's only when the file's references are
Dolibarr's."""

from __future__ import annotations

from pathlib import Path

import pytest
from io_text import import_text

from cartera.io import ReadOptions
from cartera.io.rows import DOLIBARR_SHARE, DOLIBARR_STATUS

HEAD = '"Ref. factura","Fecha facturación","Base imponible","Estado factura","Tercero"\n'


def _text(refs: list[str], statuses: list[str]) -> str:
    rows = [
        f"{r},2026-06-{i + 2:02d},100.00,{s},Acme"
        for i, (r, s) in enumerate(zip(refs, statuses, strict=True))
    ]
    return HEAD + "\n".join(rows) + "\n"


def test_the_codes() -> None:
    assert DOLIBARR_STATUS == {"0": "Borrador", "1": "Pendiente", "2": "Pagada", "3": "Abandonada"}
    assert DOLIBARR_SHARE == 0.8


def test_drafts_and_abandoned_invoices_are_left_out(tmp_path: Path, options: ReadOptions) -> None:
    refs = ["FA2606-0001", "(PROV36)", "FA2606-0002", "FA2606-0003", "AV2606-0004"]
    docs, rendered = import_text(tmp_path, options, _text(refs, ["2", "0", "3", "1", "1"]))
    assert docs["doc_number"].to_list() == ["FA2606-0001", "FA2606-0003", "AV2606-0004"]
    assert docs["paid_amount"].to_list() == [100.0, 0.0, 0.0]  # 2 paid; 1 validated, owed
    assert "«Estado factura» holds Dolibarr's status codes" in rendered


@pytest.mark.parametrize(("dolibarr", "read"), [(5, True), (4, True), (3, False)])
def test_the_codes_are_dolibarrs_only_with_its_references(
    tmp_path: Path, options: ReadOptions, dolibarr: int, read: bool
) -> None:
    # dolibarr of 5 numbers are Dolibarr's references (DOLIBARR_SHARE 0.8 = 4 of 5).
    refs = [f"FA2606-000{i}" if i < dolibarr else f"F-{i}" for i in range(5)]
    docs, _ = import_text(tmp_path, options, _text(refs, ["0", "1", "1", "1", "1"]))
    assert docs.height == (4 if read else 5)


def test_other_codes_are_not_dolibarrs(tmp_path: Path, options: ReadOptions) -> None:
    refs = [f"FA2606-000{i}" for i in range(5)]
    docs, _ = import_text(tmp_path, options, _text(refs, ["0", "1", "1", "1", "5"]))
    assert docs.height == 5

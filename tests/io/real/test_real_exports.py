"""Every kind of real export in docs/../real-exports.md, written as a fixture with its exact
headers and layout quirks and invented rows, analysed with no mapping.

Expected revenue and top client are computed by hand in each test.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import notes, run, top, write_csv, write_xlsx

from cartera.i18n import language

ODOO = (
    "Activities | Due Date | Invoice Partner Display Name | Invoice/Bill Date | Number | "
    "Payment Status | Sales Person Names | Status | Total in Currency Signed | Total Signed | "
    "Untaxed Amount Signed"
).split(" | ")
AMAL, NOUR, GREEK = "شركة الأمل", "مؤسسة النور", "Ελληνική Εταιρεία"


def _odoo_rows() -> list[list[object]]:
    return [
        ["", "2024-02-14", AMAL, "2024-01-15", "INV/2024/00001", "Paid", "Administrator",
         "Posted", 1210.0, 1210.0, 1000.0],
        ["", "2024-02-19", NOUR, "2024-01-20", "INV/2024/00002", "Not Paid", "Administrator",
         "Posted", 605.0, 605.0, 500.0],
        ["Call", "2024-03-04", AMAL, "2024-02-03", "INV/2024/00003", "In Payment",
         "Administrator", "Posted", 363.0, 363.0, 300.0],
        # A draft of 129,264 would make Nour the top client if it were counted.
        ["", "2024-03-10", NOUR, "2024-02-10", "/", "Not Paid", "Administrator", "Draft",
         156409.44, 156409.44, 129264.0],
        ["", "2024-03-11", GREEK, "2024-02-11", "INV/2024/00004", "Not Paid", "Administrator",
         "Cancelled", 2420.0, 2420.0, 2000.0],
        ["", "2024-03-12", GREEK, "2024-02-12", "INV/2024/00005", "Not Paid", "Administrator",
         "Posted", 242.0, 242.0, 200.0],
    ]  # fmt: skip


def test_odoo_invoices_xlsx_arabic_names_drafts_and_cancelled(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "account.move.xlsx", [ODOO], _odoo_rows())
    analysis = run(path)
    # Posted only, untaxed: 1000 + 500 + 300 + 200; Amal 1000 + 300 = 1300.
    assert analysis.portfolio.revenue == pytest.approx(1000 + 500 + 300 + 200, abs=0.005)
    assert top(analysis) == AMAL
    assert {c.name for c in analysis.clients} == {AMAL, NOUR, GREEK}
    text = notes(analysis)
    assert "2 documents" in text and "«Draft», «Cancelled»" in text
    assert "131264" in text  # 129264 + 2000 left out


ODOO_CREDIT = (
    "Number | Invoice Partner Display Name | Invoice/Bill Date | Due Date | Activities | "
    "Untaxed Amount Signed | Total Signed | Total in Currency Signed | Payment Status | Status"
).split(" | ")


def test_odoo_credit_notes_with_group_subtotal_rows(tmp_path: Path) -> None:
    invoices = write_xlsx(tmp_path / "invoices.xlsx", [ODOO], _odoo_rows())
    credits = write_csv(
        tmp_path / "credit_notes.csv",
        ODOO_CREDIT,
        [
            ["Administrator (2)", "", "", "", "", -150.0, -181.5, -181.5, "", ""],
            ["RINV/2024/00001", AMAL, "2024-02-20", "2024-03-20", "", -100.0, -121.0, -121.0,
             "Paid", "Posted"],
            ["RINV/2024/00002", NOUR, "2024-02-21", "2024-03-21", "", -50.0, -60.5, -60.5,
             "Not Paid", "Posted"],
        ],
    )  # fmt: skip
    analysis = run(invoices, credits)
    # Invoices 2000, credit notes -100 - 50; Amal 1300 - 100 = 1200.
    assert analysis.portfolio.revenue == pytest.approx(2000 - 100 - 50, abs=0.005)
    assert top(analysis) == AMAL
    assert "1 rows with no document number or date" in notes(analysis)


ODOO_PAYMENTS = (
    "Amount Company Currency Signed | Amount Signed | Customer/Vendor | Date | Journal | "
    "Number | Payment Method | Status"
).split(" | ")


def test_odoo_payments_without_an_invoice_reference_are_not_matched(tmp_path: Path) -> None:
    invoices = write_xlsx(tmp_path / "invoices.xlsx", [ODOO], _odoo_rows())
    payments = write_csv(
        tmp_path / "payments.csv",
        ODOO_PAYMENTS,
        [
            [1210.0, 1210.0, AMAL, "2024-02-01", "Bank", "PBNK1/2024/00001", "Manual", "Posted"],
            [363.0, 363.0, AMAL, "2024-03-01", "Bank", "PBNK1/2024/00002", "Manual", "Posted"],
        ],
    )
    analysis = run(invoices, payments)
    # The payments file is not a second documents file: revenue is the invoices' alone.
    assert analysis.portfolio.revenue == pytest.approx(2000, abs=0.005)
    pay_notes = " ".join(analysis.input_summary.tables["payments"]["notes"])
    assert "not matched" in pay_notes


FRESHBOOKS = (
    "Client Name,Invoice #,Date Issued,Invoice Status,Date Paid,Item Name,Item Description,"
    "Rate,Quantity,Discount Percentage,Line Subtotal,Tax 1 Type,Tax 1 Amount,Tax 2 Type,"
    "Tax 2 Amount,Line Total,Currency"
).split(",")


def test_freshbooks_lines_net_subtotal_not_total_with_tax(tmp_path: Path) -> None:
    rows = [
        ["Acme Corp", "0000001", "2024-03-01", "paid", "2024-03-15", "Design", "Logo", 100, 2,
         0, 200.0, "GST", 10.0, "", "", 210.0, "USD"],
        ["Acme Corp", "0000001", "2024-03-01", "paid", "2024-03-15", "Hosting", "Year", 50, 1,
         10, 45.0, "GST", 2.25, "", "", 47.25, "USD"],
        ["Globex", "0000002", "2024-03-05", "sent", "", "Consulting", "Hours", 80, 5, 0, 400.0,
         "GST", 20.0, "", "", 420.0, "USD"],
        ["Initech", "0000003", "2024-03-06", "draft", "", "Consulting", "Hours", 80, 10, 0,
         800.0, "GST", 40.0, "", "", 840.0, "USD"],
        ["Initech", "0000004", "2024-03-07", "viewed", "", "Support", "Month", 30, 1, 0, 30.0,
         "GST", 1.5, "", "", 31.5, "USD"],
    ]  # fmt: skip
    analysis = run(write_csv(tmp_path / "freshbooks.csv", FRESHBOOKS, rows))
    # Net line subtotals, the draft left out: 200 + 45 + 400 + 30.
    assert analysis.portfolio.revenue == pytest.approx(200 + 45 + 400 + 30, abs=0.005)
    assert top(analysis) == "Globex"
    assert analysis.currency == "USD"


NINJA = (
    "Client,Email,Invoice Number,Amount,Paid,PO Number,Status,Invoice Date,Due Date,Discount,"
    "Partial/Deposit,Partial Due Date,Public Notes,Private Notes,Item Product,Item Notes,"
    "Item Cost,Item Quantity"
).split(",")


def test_invoice_ninja_repeated_invoice_amount_is_not_summed_per_line(tmp_path: Path) -> None:
    rows = [
        # Invoice 0001 of Acme: 3 lines, amount 13.50 × 2 + 100 + 5 × 4 = 147 repeated.
        ["Acme", "a@acme.test", "0001", "$147.00", "$147.00", "", "Paid", "2024-04-02",
         "2024-05-02", "0", "", "", "", "", "Widget", "", "$13.50", "2"],
        ["Acme", "a@acme.test", "0001", "$147.00", "$147.00", "", "Paid", "2024-04-02",
         "2024-05-02", "0", "", "", "", "", "Setup", "", "$100.00", "1"],
        ["Acme", "a@acme.test", "0001", "$147.00", "$147.00", "", "Paid", "2024-04-02",
         "2024-05-02", "0", "", "", "", "", "Bolt", "", "$5.00", "4"],
        # Invoice 0002 of Beta: one line of 300; summing Amount per line would make Acme
        # (3 × 147 = 441) the top client instead.
        ["Beta", "b@beta.test", "0002", "$300.00", "$0.00", "", "Sent", "2024-04-10",
         "2024-05-10", "0", "", "", "", "", "Service", "", "$150.00", "2"],
        ["Beta", "b@beta.test", "0003", "$60.00", "$0.00", "", "Draft", "2024-04-11",
         "2024-05-11", "0", "", "", "", "", "Service", "", "$60.00", "1"],
    ]  # fmt: skip
    above = ["Invoice Ninja export", "Exported on 2024-04-12", ""]
    analysis = run(write_csv(tmp_path / "ninja.csv", NINJA, rows, above=above))
    assert analysis.portfolio.revenue == pytest.approx(147 + 300, abs=0.005)
    assert top(analysis) == "Beta"
    assert "«Amount» repeats each document's figure" in notes(analysis)

"""A generic amount that includes its tax (decision 0953): Razorpay's ``amount`` is its
``gross_amount`` (before tax!) plus ``tax_amount``; Invoice Ninja's «Invoice Amount» is
what clients paid; Harvest's «Invoice Amount» is the total its discount is checked on."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from io_text import import_text

from cartera.io import ReadOptions
from cartera.io.tables import GROSS_AGREEMENT, _includes_tax


def _frame(amounts: list[float], taxes: list[float], **other: list[float | None]) -> pl.DataFrame:
    return pl.DataFrame({"amount": amounts, "vat_amount": taxes, **other})


def test_the_agreement_share() -> None:
    assert GROSS_AGREEMENT == 0.8


@pytest.mark.parametrize(
    ("agree", "expected"),
    [(5, "total"), (4, "total"), (3, None)],  # of 5 taxed rows: 1.0, 0.8 and 0.6
)
def test_amount_is_another_column_plus_tax(agree: int, expected: str | None) -> None:
    amounts = [121.0] * 5
    totals = [100.0] * agree + [121.0] * (5 - agree)
    frame = _frame([*amounts, 50.0], [*[21.0] * 5, 0.0], total=[*totals, 50.0])
    assert _includes_tax(frame, None) == expected


def test_amount_plus_tax_is_the_total_the_usual_case() -> None:
    frame = _frame([100.0, 200.0], [21.0, 42.0], total=[121.0, 242.0])
    assert _includes_tax(frame, None) is None


def test_no_taxed_rows_tell_nothing() -> None:
    frame = _frame([100.0, 200.0], [0.0, 0.0], total=[100.0, 200.0], paid_amount=[100.0, 200.0])
    assert _includes_tax(frame, None) is None


@pytest.mark.parametrize(
    ("paid", "expected"),
    [
        ([121.0, 242.0, 363.0, 484.0, 605.0], "paid_amount"),  # paid the amount
        ([121.0, 242.0, 363.0, 484.0, 710.0], "paid_amount"),  # 4 of 5 paid the amount
        ([121.0, 242.0, 363.0, 568.0, 710.0], None),  # 3 of 5
        ([142.0, 284.0, 426.0, 568.0, 710.0], None),  # paid amount + tax: a net
        ([10.0, 20.0, 30.0, 40.0, 50.0], None),  # partly paid: nothing tells
    ],
)
def test_paid_in_full_shows_a_gross_amount(paid: list[float], expected: str | None) -> None:
    amounts = [121.0, 242.0, 363.0, 484.0, 605.0]
    frame = _frame(amounts, [a * 21 / 121 for a in amounts], paid_amount=paid)
    assert _includes_tax(frame, None) == expected


def test_razorpay_gross_amount_is_before_tax(tmp_path: Path, options: ReadOptions) -> None:
    text = (
        "invoice_number,customer_name,status,gross_amount,tax_amount,amount,date\n"
        "RZP/1,Aarav Mehta,paid,42000.00,7560.00,49560.00,2024-04-02\n"
        "RZP/2,Zenith Coworking,issued,118500.00,21330.00,139830.00,2024-04-07\n"
    )
    docs, rendered = import_text(tmp_path, options, text)
    assert docs["amount"].to_list() == pytest.approx([42000.0, 118500.0])
    assert "«amount» includes «tax_amount» (it equals «gross_amount» plus the tax" in rendered


def test_invoice_ninja_invoice_amount_is_what_was_paid(
    tmp_path: Path, options: ReadOptions
) -> None:
    text = (
        "Client Name,Invoice Number,Invoice Amount,Invoice Paid to Date,Invoice Date,"
        "Invoice Total Taxes\n"
        "Kestrel,0012,4998.00,4998.00,2024-04-02,798.00\n"
        "Bright Path,0013,760.00,0.00,2024-04-09,0.00\n"
    )
    docs, rendered = import_text(tmp_path, options, text)
    assert docs["amount"].to_list() == pytest.approx([4200.0, 760.0])
    assert docs["paid_amount"].to_list() == pytest.approx([4998.0, 0.0])
    assert "(the invoices paid in full were paid «Invoice Amount»)" in rendered


def test_harvest_discount_checked_on_the_invoice_amount(
    tmp_path: Path, options: ReadOptions
) -> None:
    text = (
        "Issue Date,ID,Client,Invoice Amount,Subtotal,Discount Amount,Tax Amount\n"
        "01/31/2024,501,Fieldstone,12248.44,11250.00,0.00,998.44\n"
        "02/29/2024,502,Quarry Hill,5136.75,5000.00,282.00,418.75\n"
    )
    docs, _rendered = import_text(tmp_path, options, text)
    assert docs["amount"].to_list() == pytest.approx([11250.0, 4718.0])


@pytest.mark.parametrize(
    ("header", "paid_amount", "paid_date"),
    [("Paid to Date", 70, 0), ("Invoice Paid to Date", 70, 0), ("Paid Date", 0, 85)],
)
def test_paid_to_date_is_an_amount(header: str, paid_amount: float, paid_date: float) -> None:
    from cartera.io.role_rules import RULES
    from cartera.io.words import concepts, header_words

    c, w = concepts(header), header_words(header)
    assert RULES["documents"]["paid_amount"](c, w) == paid_amount
    assert RULES["documents"]["paid_date"](c, w) == paid_date


@pytest.mark.parametrize(
    ("values", "states"),
    [
        (("paid", "voided", "past_due", "closed"), True),
        (("Paid", "Open"), True),
        (("paid",), False),  # one value: a column of one word, not a state
        (("paid", "California"), False),
        (("CA", "NY"), False),  # a region's states
    ],
)
def test_a_column_of_document_states(values: tuple[str, ...], states: bool) -> None:
    from cartera.io.score import Profile, _document_states

    profile = Profile(
        filled=1.0,
        distinct=len(values),
        numeric=0.0,
        datelike=0.0,
        max_abs=None,
        currency_codes=0.0,
        rows=len(values),
        examples=values,
        letters=1.0,
        values=values,
    )
    assert _document_states(profile) is states


def test_recurly_state_is_the_status(tmp_path: Path, options: ReadOptions) -> None:
    text = (
        "invoice_number,created_at,company_name,state,subtotal,tax_amount,total\n"
        "2201,2024-01-15T10:00:02Z,Sprocket Labs,paid,1500.00,105.00,1605.00\n"
        "2202,2024-01-22T16:41:10Z,Meridian Health,closed,4800.00,336.00,5136.00\n"
        "2206,2024-02-22T16:41:10Z,Meridian Health,voided,2200.00,154.00,2354.00\n"
        "2207,2024-03-22T16:41:10Z,Meridian Health,past_due,100.00,7.00,107.00\n"
    )
    docs, rendered = import_text(tmp_path, options, text)
    assert docs["doc_number"].to_list() == ["2201", "2202", "2207"]
    # «closed» says nothing of payment (paid in Recurly, refunded in Magento): unknown.
    assert docs["paid_amount"].to_list() == [1605.0, None, 0.0]
    assert "with status «voided» in «state» are not revenue" in rendered

"""Several taxes and withholdings, a discount in money read as a rate, and a total beside a
withholding (decision 0954): total = net − discount + taxes − withholdings decides."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from io_paths import DIALECTS
from io_text import import_text

from cartera.io import ReadOptions, import_files
from cartera.io.mapping import TableMapping
from cartera.io.recognise import EXTRA_MIN, recognise
from cartera.io.score import profile_columns
from cartera.io.taxes import SAME_FIGURE, TOTALS_AGREEMENT, total_after_withholding
from cartera.io.words import names_a_tax


def _csv(head: list[str], rows: list[list[str]]) -> str:
    lines = [";".join(["Fecha", "Cliente", "Factura", *head])]
    lines += [";".join(["15/03/2024", f"C{i % 3}", f"F{i}", *r]) for i, r in enumerate(rows, 1)]
    return "\n".join(lines) + "\n"


def _amounts(tmp_path: Path, options: ReadOptions, text: str) -> tuple[list[float], str]:
    docs, rendered = import_text(tmp_path, options, text)
    return [round(a, 2) for a in docs["amount"].to_list()], rendered


def test_the_threshold_values() -> None:
    # Written in docs/input-formats.md: a change here is a change of the documented rule.
    assert (EXTRA_MIN, SAME_FIGURE, TOTALS_AGREEMENT) == (70, 0.8, 0.8)


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ("SGST", True),
        ("IEPS", True),
        ("Recargo de equivalencia", True),
        ("Retefuente", True),
        ("IVA", False),
        ("Cuota IVA", False),
        ("Tax Amount", False),
        ("Impuestos", False),
        ("IVA Retenido", False),
    ],
)
def test_a_header_that_names_a_tax(header: str, named: bool) -> None:
    assert names_a_tax(header) is named


def _roles(headers: list[str], *rows: list[str]) -> dict[str, str]:
    sample = pl.DataFrame(list(rows), schema=headers, orient="row")
    rec = recognise(headers, "documents", profiles=profile_columns(sample, headers))
    return {role: headers[i] for role, i in rec.roles.items()}


def test_further_tax_columns_are_recognised_in_the_files_order() -> None:
    roles = _roles(
        ["Date", "Party", "Invoice", "Taxable Value", "CGST", "SGST", "IGST", "Total"],
        ["15/03/2024", "Acme", "F1", "1000.00", "90.00", "90.00", "0.00", "1180.00"],
    )
    # SGST's bare tax word scored it a weak rate (35): a tax of its own is an amount.
    assert "vat_pct" not in roles
    assert [roles.get(r) for r in ("vat_amount", "vat_amount_2", "vat_amount_3")] == [
        "CGST",
        "SGST",
        "IGST",
    ]


def test_a_further_tax_at_the_least_score() -> None:
    # Without content, «IEPS» scores exactly EXTRA_MIN (70) as a tax amount.
    headers = ["Fecha", "Cliente", "Base", "IVA", "IEPS", "Total"]
    rec = recognise(headers, "documents")
    assert rec.choices["vat_amount_2"].column == headers.index("IEPS")


def test_a_rate_named_in_the_mapping_stays(tmp_path: Path) -> None:
    headers = ["Fecha", "Cliente", "Base", "IVA", "IEPS", "Total"]
    rec = recognise(headers, "documents", TableMapping(columns={"vat_pct": "IEPS"}))
    assert rec.roles["vat_pct"] == headers.index("IEPS")
    assert "vat_amount_2" not in rec.roles


def test_a_plain_tax_word_taken_as_the_rate_stays_the_rate() -> None:
    # «Impuesto» holds 21 on two rows (too few to rule the amount out): it names no tax of
    # its own, so it stays the rate beside «IVA», the amount.
    roles = _roles(
        ["Fecha", "Cliente", "Base", "IVA", "Impuesto", "Total"],
        ["1/1/2024", "A", "1000", "210", "21", "1210"],
        ["2/1/2024", "B", "100", "21", "21", "121"],
    )
    assert (roles["vat_amount"], roles["vat_pct"]) == ("IVA", "Impuesto")
    assert "vat_amount_2" not in roles


def test_a_named_tax_whose_values_are_rates_stays_the_rate() -> None:
    # «IEPS» holding 8 on six rows: its values rule the amount out.
    roles = _roles(
        ["Fecha", "Cliente", "Base", "IVA", "IEPS", "Total"],
        *[["1/1/2024", "A", "1000", "160", "8", "1240"]] * 6,
    )
    assert roles["vat_pct"] == "IEPS"
    assert "vat_amount_2" not in roles


def test_a_further_tax_column_whose_values_are_rates_is_none() -> None:
    # «IVA %» is the rate; «IEPS» holds 8 on six rows: no amount, so no further tax.
    roles = _roles(
        ["Fecha", "Cliente", "Base", "IVA", "IVA %", "IEPS", "Total"],
        *[["1/1/2024", "A", "1000", "160", "16", "8", "1160"]] * 6,
    )
    assert roles["vat_pct"] == "IVA %"
    assert "vat_amount_2" not in roles


def test_a_summed_tax_header_is_no_further_tax() -> None:
    # «Total IVA» scores 60, below EXTRA_MIN; «IVA» (70) is the tax.
    roles = _roles(
        ["Fecha", "Cliente", "Base", "IVA", "Total IVA", "Total"],
        ["1/1/2024", "A", "100", "21", "21", "121"],
    )
    assert roles["vat_amount"] == "IVA"
    assert "vat_amount_2" not in roles


def test_a_rate_beside_the_tax_amount_stays_the_rate() -> None:
    # A bare «IVA» names no tax of its own: with «Cuota IVA» as the amount, it is the rate.
    roles = _roles(
        ["Fecha", "Cliente", "Base", "IVA", "Cuota IVA", "Total"],
        *[
            ["1/1/2024", "A", "1000", "21", "210", "1210"],
            ["2/1/2024", "B", "100", "10", "10", "110"],
        ]
        * 3,
    )
    assert (roles["vat_pct"], roles["vat_amount"]) == ("IVA", "Cuota IVA")
    assert "vat_amount_2" not in roles


def test_recargo_de_equivalencia_is_tax_without_a_net_column(
    tmp_path: Path, options: ReadOptions
) -> None:
    # 1000 + 21 % IVA + 5.2 % recargo = 1262: the net is 1000, not 1052.
    text = _csv(
        ["IVA", "Recargo equivalencia", "Total"],
        [["210,00", "52,00", "1262,00"], ["94,50", "23,40", "567,90"], ["21,00", "", "121,00"]],
    )
    amounts, rendered = _amounts(tmp_path, options, text)
    assert amounts == [1000.0, 450.0, 100.0]  # an empty recargo is none
    assert "«IVA», «Recargo equivalencia» added up as the tax amount" in rendered
    assert "minus «IVA + Recargo equivalencia»" in rendered


def test_two_taxes_that_are_equal_by_law_are_both_added(
    tmp_path: Path, options: ReadOptions
) -> None:
    text = "Date,Party,Invoice,CGST,SGST,IGST,Total\n"
    text += "15/03/2024,Acme,F1,90.00,90.00,0.00,1180.00\n"
    text += "16/03/2024,Beta,F2,0.00,0.00,90.00,590.00\n"
    amounts, _ = _amounts(tmp_path, options, text)
    assert amounts == [1000.0, 500.0]


@pytest.mark.parametrize(("same_rows", "summed"), [(5, False), (4, False), (3, True)])
def test_a_tax_written_twice_is_taken_once(
    tmp_path: Path, options: ReadOptions, same_rows: int, summed: bool
) -> None:
    # «Impuestos» equals «IVA» on same_rows of 5 rows: at 4/5 (SAME_FIGURE) it is the same
    # figure; at 3/5 it is another tax, added.
    rows = [["210,00", "210,00" if i < same_rows else "10,00", "1210,00"] for i in range(5)]
    amounts, rendered = _amounts(tmp_path, options, _csv(["IVA", "Impuestos", "Total"], rows))
    same = [1000.0] * same_rows
    if summed:
        assert amounts == [1000.0 - 210.0] * same_rows + [990.0] * (5 - same_rows)
        assert "added up as the tax amount" in rendered
    else:
        assert amounts[:same_rows] == same
        assert "«Impuestos» holds the figures of «IVA» and was not added to them" in rendered


@pytest.mark.parametrize("twin", ["Tax (EUR)", "Tax company currency"])
def test_a_tax_in_another_currency_or_sign_is_not_added(
    tmp_path: Path, options: ReadOptions, twin: str
) -> None:
    text = f"Date,Customer,Invoice,Tax,{twin},Total\n"
    text += "2024-03-15,Acme,F1,20.00,18.40,120.00\n2024-03-16,Beta,F2,10.00,9.20,60.00\n"
    amounts, rendered = _amounts(tmp_path, options, text)
    assert amounts == [100.0, 50.0]
    assert "added up" not in rendered


@pytest.mark.parametrize(("sum_rows", "alone"), [(5, True), (4, True), (3, False)])
def test_a_column_holding_the_others_sum_is_used_alone(
    tmp_path: Path, options: ReadOptions, sum_rows: int, alone: bool
) -> None:
    # «Impuestos» = «IVA» + «IEPS» on sum_rows of 5 rows (the others 1.00 more).
    rows = [
        ["160,00", "80,00", "240,00" if i < sum_rows else "241,00", "1240,00"] for i in range(5)
    ]
    amounts, rendered = _amounts(
        tmp_path, options, _csv(["IVA", "IEPS", "Impuestos", "Total"], rows)
    )
    if alone:
        assert "«Impuestos» is the sum of «IVA», «IEPS»: it was used alone" in rendered
        assert amounts[:sum_rows] == [1000.0] * sum_rows
    else:
        assert "«IVA», «IEPS», «Impuestos» added up as the tax amount" in rendered


@pytest.mark.parametrize(
    ("extra", "total", "summed"),
    [
        ("0,00", "1210,00", True),  # no row where IEPS is not zero: nothing to check
        ("10,00", "1210,00", False),  # the total leaves IEPS out
        ("10,00", "1220,00", True),  # the total includes it
        ("10,00", "9999,00", True),  # neither fits: a tie, the taxes are added
    ],
)
def test_the_totals_keep_the_first_tax_alone(
    tmp_path: Path, options: ReadOptions, extra: str, total: str, summed: bool
) -> None:
    # On the rows where «IEPS» is not zero, the totals agree with «IVA» alone more often
    # than with the sum: IEPS is left out.
    rows = [["1000,00", "210,00", "0,00", "1210,00"], ["1000,00", "210,00", extra, total]]
    _, rendered = _amounts(tmp_path, options, _csv(["Base", "IVA", "IEPS", "Total"], rows))
    assert ("«IEPS» was not added to «IVA»: the totals agree without it" in rendered) is not summed


def test_two_withholdings_let_the_discount_be_found(tmp_path: Path, options: ReadOptions) -> None:
    # Colombia: 500 − 50 + 19 % IVA − 2.5 % Retefuente − 0.966 % ReteICA = 519.90.
    rows = [
        ["1000,00", "0,00", "190,00", "25,00", "9,66", "1155,34"],
        ["500,00", "50,00", "85,50", "11,25", "4,35", "519,90"],
    ]
    head = ["Valor bruto", "Importe descuento", "IVA", "Retefuente", "ReteICA", "Total"]
    amounts, rendered = _amounts(tmp_path, options, _csv(head, rows))
    assert amounts == [1000.0, 450.0]
    assert "«Retefuente», «ReteICA» added up as the withholding" in rendered


@pytest.mark.parametrize(("money_rows", "money"), [(5, True), (4, True), (3, False)])
def test_a_discount_under_100_is_money_when_the_totals_say_so(
    tmp_path: Path, options: ReadOptions, money_rows: int, money: bool
) -> None:
    # «Descuento» 50 on 500: read as a rate by its header, money by the totals on
    # money_rows of the 5 discounted rows (TOTALS_AGREEMENT 0.8); the others fit nothing.
    rows = [
        ["500,00", "50,00", "72,00", "522,00" if i < money_rows else "530,00"] for i in range(5)
    ]
    amounts, _ = _amounts(tmp_path, options, _csv(["Subtotal", "Descuento", "IVA", "Total"], rows))
    assert amounts == ([450.0] * 5 if money else [500.0] * 5)


def test_a_discount_rate_that_fits_the_totals_stays_a_rate(
    tmp_path: Path, options: ReadOptions
) -> None:
    # 10 % off 500 = 450, + 16 % = 522: the rate fits, so 10 is no money discount.
    rows = [["500,00", "10,00", "72,00", "522,00"]] * 3
    amounts, _ = _amounts(tmp_path, options, _csv(["Subtotal", "Descuento", "IVA", "Total"], rows))
    assert amounts == [500.0] * 3


def test_a_discount_already_taken_off_stays(tmp_path: Path, options: ReadOptions) -> None:
    # Subtotal 450 is after the 50 discount: 450 + 72 = 522, no discount fits better.
    rows = [["450,00", "50,00", "72,00", "522,00"]] * 3
    amounts, _ = _amounts(tmp_path, options, _csv(["Subtotal", "Descuento", "IVA", "Total"], rows))
    assert amounts == [450.0] * 3


@pytest.mark.parametrize(
    ("total", "expected", "said"),
    [
        ("1060,00", 1000.0, "minus «IVA» plus «IRPF»"),  # what is paid: 1000 + 210 − 150
        ("1210,00", 1000.0, "«Total» is before «IRPF»"),  # 1000 + 210
    ],
)
def test_a_total_beside_a_withholding(
    tmp_path: Path, options: ReadOptions, total: str, expected: float, said: str
) -> None:
    text = _csv(["IVA", "IRPF", "Total"], [["210,00", "150,00", total]])
    amounts, rendered = _amounts(tmp_path, options, text)
    assert amounts == [expected]
    assert said in rendered


def test_a_total_is_what_is_paid_on_a_tie() -> None:
    # No row with both a tax and a withholding: nothing tells, the total is what is paid.
    sample = pl.DataFrame({"vat_amount": [0.0], "withholding": [150.0], "total": [850.0]})
    assert total_after_withholding(sample)
    # The tax is a round rate of both readings (21 % of 1000 and 10.5 % of 2000): a tie.
    tie = pl.DataFrame({"vat_amount": [210.0], "withholding": [1000.0], "total": [1210.0]})
    assert total_after_withholding(tie)


@pytest.mark.parametrize(("tax", "round_"), [("210,01", True), ("210,02", False)])
def test_a_round_rate_is_round_to_the_cent(
    tmp_path: Path, options: ReadOptions, tax: str, round_: bool
) -> None:
    # Total 1210.01 with 150 withheld: 210.01 is 21 % of 1000 to the cent (0.01 ≤ 0.011)
    # when the total is before the withholding; 210.02 on 1000.00 is 0.02 away from 21 %.
    total = f"{1000 + float(tax.replace(',', '.')):.2f}".replace(".", ",")
    sample = pl.DataFrame(
        {
            "vat_amount": [float(tax.replace(",", "."))],
            "withholding": [150.0],
            "total": [float(total.replace(",", "."))],
        }
    )
    # After the withholding the net would be 1150: 210.01 is no round rate of it.
    assert total_after_withholding(sample) is not round_


def test_a_mexican_export_reads_its_net_to_the_cent(tmp_path: Path, options: ReadOptions) -> None:
    summary = import_files(
        documents=DIALECTS / "mx_cfdi_retenciones.csv", into=tmp_path / "ws", options=options
    )
    docs = summary.workspace.read("documents")
    assert round(docs["amount"].sum(), 2) == 27049.31
    assert docs.height == 12


@pytest.mark.parametrize(
    ("tax", "equal"),
    [
        ("IGIC", False),  # another named tax: two taxes
        ("Impuestos", True),  # a plain word, and the chosen column (an alias)
        ("Impuesto", True),  # a plain word beside the chosen «IEPS»
        ("IEPS trasladado", True),  # the same tax named again
    ],
)
def test_a_named_tax_and_a_plain_tax_word_with_the_same_figures(
    tmp_path: Path, options: ReadOptions, tax: str, equal: bool
) -> None:
    # «IEPS» beside a column holding the same figures: a plain word names no other tax, so it
    # is IEPS written twice. «IVA %» is the rate, so a bare tax word is a tax amount.
    rows = [["0", "80,00", "80,00", "1160,00"], ["0", "40,00", "40,00", "580,00"]]
    amounts, _ = _amounts(tmp_path, options, _csv(["IVA %", "IEPS", tax, "Total"], rows))
    assert amounts == ([1080.0, 540.0] if equal else [1000.0, 500.0])


def test_two_named_taxes_equal_by_law_without_a_third(tmp_path: Path, options: ReadOptions) -> None:
    # CGST and SGST alone: neither is the sum of the other, whatever their figures.
    text = "Date,Party,Invoice,CGST,SGST,Total\n15/03/2024,Acme,F1,90.00,90.00,1180.00\n"
    amounts, rendered = _amounts(tmp_path, options, text)
    assert amounts == [1000.0]
    assert "«CGST», «SGST» added up as the tax amount" in rendered


@pytest.mark.parametrize(
    ("rate_rows", "money"),
    [(4, False), (3, True)],
)
def test_a_discount_the_rate_also_explains_stays_a_rate(
    tmp_path: Path, options: ReadOptions, rate_rows: int, money: bool
) -> None:
    # 50 off 100 is 50 % off too: on rate_rows of 5 rows the rate fits as well as the money.
    # At 4/5 (TOTALS_AGREEMENT) the rate is not ruled out and the discount stays a rate.
    rows = [["100,00", "50,00", "0,00", "50,00"]] * rate_rows
    rows += [["500,00", "50,00", "0,00", "450,00"]] * (5 - rate_rows)
    amounts, _ = _amounts(tmp_path, options, _csv(["Subtotal", "Descuento", "IVA", "Total"], rows))
    base = [100.0] * rate_rows + [500.0] * (5 - rate_rows)
    assert amounts == ([b - 50.0 for b in base] if money else base)


@pytest.mark.parametrize(("none_rows", "money"), [(4, False), (3, True)])
def test_a_discount_too_small_to_tell_stays_a_rate(
    tmp_path: Path, options: ReadOptions, none_rows: int, money: bool
) -> None:
    # On none_rows of 5 rows no discount fits as well as the money: at 4/5
    # (TOTALS_AGREEMENT) nothing rules «no discount» out.
    # 1 off 1000 is within the total's rounding (0.1 %), 1 % off is not: only the money and
    # no discount fit those rows.
    rows = [["1000,00", "1,00", "0,00", "1000,00"]] * none_rows
    rows += [["500,00", "50,00", "0,00", "450,00"]] * (5 - none_rows)
    docs, _ = import_text(tmp_path, options, _csv(["Subtotal", "Descuento", "IVA", "Total"], rows))
    if money:
        assert docs["amount"].to_list() == [999.0] * none_rows + [450.0] * (5 - none_rows)
    else:  # still a rate: the list price is worked out from it
        assert docs["amount"].to_list() == [1000.0] * none_rows + [500.0] * (5 - none_rows)
        assert docs["list_amount"].round(2).to_list()[0] == 1010.1


def test_a_discount_in_money_beside_a_withholding(tmp_path: Path, options: ReadOptions) -> None:
    # 500 − 50 + 16 % IVA (72) − 10 % ISR (45) = 477: the withholding is part of the check.
    rows = [["500,00", "50,00", "72,00", "45,00", "477,00"]] * 3
    head = ["Subtotal", "Descuento", "IVA", "ISR Retenido", "Total"]
    amounts, _ = _amounts(tmp_path, options, _csv(head, rows))
    assert amounts == [450.0] * 3


def test_a_discount_rate_beside_a_discount_in_money_stays(
    tmp_path: Path, options: ReadOptions
) -> None:
    # «Dto %» 10 and «Importe descuento» 50: the file says which is money.
    rows = [["500,00", "10,00", "50,00", "72,00", "522,00"]] * 3
    head = ["Subtotal", "Dto %", "Importe descuento", "IVA", "Total"]
    docs, _ = import_text(tmp_path, options, _csv(head, rows))
    assert docs["amount"].to_list() == [450.0] * 3


def test_further_taxes_without_a_total(tmp_path: Path, options: ReadOptions) -> None:
    # Nothing to check them against: they are added, and the net is the base.
    rows = [["1000,00", "210,00", "52,00"]] * 2
    amounts, rendered = _amounts(
        tmp_path, options, _csv(["Base", "IVA", "Recargo equivalencia"], rows)
    )
    assert amounts == [1000.0, 1000.0]
    assert "«IVA», «Recargo equivalencia» added up as the tax amount" in rendered


@pytest.mark.parametrize(("head", "value"), [("Importe descuento", "50,00"), ("Dto %", "10,00")])
def test_the_totals_check_takes_the_discount_off(
    tmp_path: Path, options: ReadOptions, head: str, value: str
) -> None:
    # 500 less 50 (in money or 10 %) + 21 % IVA = 544.50: the total leaves «IEPS» out.
    rows = [["500,00", value, "94,50", "10,00", "544,50"]] * 2
    _, rendered = _amounts(tmp_path, options, _csv(["Base", head, "IVA", "IEPS", "Total"], rows))
    assert "«IEPS» was not added to «IVA»: the totals agree without it" in rendered


def test_only_discounted_rows_tell_a_discount_in_money(
    tmp_path: Path, options: ReadOptions
) -> None:
    # 8 rows without a discount fit every reading; the 2 discounted ones say money.
    rows = [["500,00", "0,00", "80,00", "580,00"]] * 8 + [
        ["500,00", "50,00", "72,00", "522,00"]
    ] * 2
    amounts, _ = _amounts(tmp_path, options, _csv(["Subtotal", "Descuento", "IVA", "Total"], rows))
    assert amounts == [500.0] * 8 + [450.0] * 2

"""Reason texts (written for every client in the Excel sheet) equal Babel's, value for value.

``labels.reason_text`` formats its numbers with the cached formatters of
``cartera.i18n_fast``; these tests rebuild each text with the per-value Babel
helpers of ``cartera.i18n`` and compare, at the rounding edges.
"""

from __future__ import annotations

import pytest

from cartera.i18n import _, fmt_money, fmt_number, fmt_pct, fmt_share, language
from cartera.report.labels import _REASONS, reason_text
from cartera.result import Reason

# Rounding edges: halves at the shown precision (Babel rounds half to even on the
# shortest decimal text), just below and above them, zero, negatives, large values.
DAYS = [0.0, 0.5, 1.5, 2.5, 119.49, 119.5, 120.5, 120.51, 1234.5, 99_999.5, -3.5]
SHARES = [0.0, 0.00005, 0.0001, 0.00015, 0.000125, 0.1205, 0.1215, 0.12049, 0.12051,
          0.25, 0.999949, 0.99995, 1.0, 2.5, -0.0015,
          # the "< 0,001 %" bound of tiny shares: below, at and above half a step
          0.0000049, 0.000005, 0.0000051, 0.00001, 1e-12, -0.0000049]  # fmt: skip
MONEY = [0.0, 0.5, 1.5, 2.5, 999.5, 1000.49, 1000.5, 12_345_678.5, -0.5, -2.5, -1_234.5]


def _babel_fine(value: float) -> str:
    return fmt_share(value, 2 if abs(value) >= 0.0001 or value == 0 else 3)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_day_reasons_equal_babel(lang: str) -> None:
    with language(lang):
        for value in DAYS:
            text = reason_text(Reason(code="late_payment", value=value, threshold=120))
            expected = _("pays in {value} days (limit {threshold})").format(
                value=fmt_number(value, 0), threshold=fmt_number(120, 0)
            )
            assert text == expected, value


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("code", ["high_returns", "service_burden", "dependence", "low_volume"])
def test_share_reasons_equal_babel(lang: str, code: str) -> None:
    fine = code == "low_volume"
    with language(lang):
        for value in SHARES:
            threshold = 0.12
            text = reason_text(Reason(code=code, value=value, threshold=threshold))
            shown = _babel_fine if fine else (lambda v: fmt_pct(v, 1))
            message = _REASONS[code][0]
            assert text == _(message).format(value=shown(value), threshold=shown(threshold))


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("currency", ["EUR", "USD"])
def test_money_reasons_equal_babel(lang: str, currency: str) -> None:
    with language(lang):
        for value in MONEY:
            reason = Reason(code="negative_contribution", value=value, threshold=0)
            expected = _("loses {value} after serving it").format(
                value=fmt_money(abs(value), currency, digits=0)
            )
            assert reason_text(reason, currency) == expected, value


def test_known_texts() -> None:
    """Hand-written expectations, so the comparison is not Babel against itself only."""
    with language("es"):
        # 172.5 and 1234.5 round half to even, as Babel does
        late = reason_text(Reason(code="late_payment", value=172.5, threshold=120))
        assert late == "paga a 172 días (límite 120)"
        loss = reason_text(Reason(code="negative_contribution", value=-1234.5, threshold=0))
        assert loss == "se pierden 1.234\xa0€ tras atenderlo"
        tiny = reason_text(Reason(code="low_volume", value=0.000125, threshold=0.001))
        assert tiny == "solo compra el 0,01\xa0% de las ventas (menos de 0,10\xa0%)"
    with language("en"):
        text = reason_text(Reason(code="dependence", value=0.2535, threshold=0.25))
        assert text == "25.4% of all revenue (limit 25.0%)"
        loss = reason_text(Reason(code="negative_contribution", value=-2.5, threshold=0))
        assert loss == "loses €2 after serving it"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_table_cells_equal_babel(lang: str) -> None:
    """The view's money / pct / number cells (every table row shown) equal Babel's text."""
    from cartera.report.view import money, number, pct

    with language(lang):
        for value in [*MONEY, *DAYS]:
            assert money(value, "EUR").text == fmt_money(value, "EUR", digits=0), value
            assert number(value).text == fmt_number(value, 0), value
            assert number(value, 1).text == fmt_number(value, 1), value
        for value in SHARES:
            assert pct(value).text == fmt_pct(value, 1), value
            assert pct(value, 2).text == fmt_pct(value, 2), value
        assert money(None, "EUR").text == pct(None).text == number(None).text == "–"
        assert number(7).text == "7"  # ints (ranks) too

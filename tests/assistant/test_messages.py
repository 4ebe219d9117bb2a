"""Message templates: exact texts in both languages, sandboxed, strict about figures."""

from __future__ import annotations

import datetime as dt

import pytest

from cartera.assistant.messages import Figures, MessageError, figures_for, render
from cartera.assistant.templates import DEFAULT_TEMPLATES, PURPOSES

FIG = Figures(
    client="Bodegas Guadalquivir, S.L.", firm="Suministros Norte", sender="Ana Ruiz",
    contact="Eva", orders=14, revenue=48210.5, support_hours=38, on_time=0.96,
    next_review=dt.date(2027, 1, 22), last_order=dt.date(2026, 8, 28), overdue=3024.19,
    oldest_due=dt.date(2026, 6, 8), days_past_due=144, margin_pct=0.132,
)  # fmt: skip


def test_value_reminder_exact_in_both_languages() -> None:
    es = render("value_reminder", "es", FIG)
    assert es.subject == "Su año con Suministros Norte"
    assert es.body == (
        "Hola, Eva:\n\nUn pequeño resumen de lo que hemos hecho juntos. Este año: 14 pedidos "
        "por 48.210,50\xa0€, el 96\xa0% entregado a tiempo, 38 horas de soporte. Su próxima "
        "revisión: 22 ene 2027.\n\nUn saludo,\nAna Ruiz\nSuministros Norte\n"
    )
    en = render("value_reminder", "en", FIG)
    assert en.body == (
        "Hello Eva,\n\nA short summary of what we have done together. This year: 14 orders "
        "worth €48,210.50, 96% delivered on time, 38 hours of support. Your next review: "
        "22 Jan 2027.\n\nKind regards,\nAna Ruiz\nSuministros Norte\n"
    )


def test_optional_figures_are_left_out() -> None:
    bare = Figures(client="X", firm="F", sender="S", orders=2, revenue=100.0)
    body = render("value_reminder", "en", bare).body
    assert "This year: 2 orders worth €100.00." in body
    assert "on time" not in body and "support" not in body and "review" not in body
    assert render("satisfaction_check", "en", bare).subject == "How is everything going, X?"


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("purpose", PURPOSES)
def test_every_purpose_renders(purpose: str, lang: str) -> None:
    assert (purpose, lang) in DEFAULT_TEMPLATES
    message = render(purpose, lang, FIG)
    assert message.subject and "{{" not in message.body and "Ana Ruiz" in message.body


def test_dunning_levels_carry_the_debt() -> None:
    assert render("dunning_firm", "en", FIG).subject == "Second notice: €3,024.19 overdue"
    assert "144 días vencida" in render("dunning_firm", "es", FIG).body
    assert "desde el 8 jun 2026" in render("dunning_final", "es", FIG).body


def test_firm_overrides_are_sandboxed_and_strict() -> None:
    own = {("reactivation", "en"): ("Hi {{ client }}", "We miss you, {{ contact }}.")}
    message = render("reactivation", "en", FIG, overrides=own)
    assert (message.subject, message.body) == ("Hi Bodegas Guadalquivir, S.L.", "We miss you, Eva.")
    for body in ("{{ nonexistent }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}",
                 "{% if %}", "{{ client | money }}"):  # fmt: skip
        with pytest.raises(MessageError):
            render("reactivation", "en", FIG, overrides={("reactivation", "en"): ("s", body)})
    with pytest.raises(MessageError):
        render("reactivation", "en", Figures(client="X", firm="F", sender="S"))  # no last order
    with pytest.raises(MessageError):
        render("poem", "en", FIG)
    with pytest.raises(MessageError):
        render("reactivation", "fr", FIG)


def test_figures_from_an_analysis_row() -> None:
    row = {"id": "C1", "name": "Acme", "orders": 3, "revenue": 900.0, "service_hours": 2.5,
           "last_purchase": dt.date(2026, 9, 1), "margin_pct": 0.3}  # fmt: skip
    fig = figures_for(row, firm="F", sender="S", open_item={"overdue": 50.0,
                      "oldest_due": dt.date(2026, 8, 1), "days_past_due": 30})  # fmt: skip
    assert (fig.client, fig.orders, fig.support_hours, fig.overdue, fig.days_past_due) == (
        "Acme",
        3,
        2.5,
        50.0,
        30,
    )

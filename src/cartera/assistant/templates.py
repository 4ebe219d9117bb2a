"""Default message templates, Spanish and English, one per purpose.

Jinja2 text (rendered in a sandbox by :mod:`cartera.assistant.messages`);
``money``, ``date``, ``number`` and ``pct`` format in the message's language.
A firm overrides any of them (same keys) from its settings.
"""

from __future__ import annotations

from typing import Final

__all__ = ["DEFAULT_TEMPLATES", "PURPOSES"]

PURPOSES: Final = (
    "satisfaction_check",
    "value_reminder",
    "reactivation",
    "reference_ask",
    "dunning_friendly",
    "dunning_firm",
    "dunning_call",
    "dunning_final",
    "renegotiation",
)

_YEAR_ES = (
    "Este año: {{ orders }} pedidos por {{ revenue | money }}"
    "{% if on_time is not none %}, el {{ on_time | pct }} entregado a tiempo{% endif %}"
    "{% if support_hours %}, {{ support_hours | number }} horas de soporte{% endif %}."
    "{% if next_review %} Su próxima revisión: {{ next_review | date }}.{% endif %}"
)
_YEAR_EN = (
    "This year: {{ orders }} orders worth {{ revenue | money }}"
    "{% if on_time is not none %}, {{ on_time | pct }} delivered on time{% endif %}"
    "{% if support_hours %}, {{ support_hours | number }} hours of support{% endif %}."
    "{% if next_review %} Your next review: {{ next_review | date }}.{% endif %}"
)
_SIGN_ES = "\n\nUn saludo,\n{{ sender }}\n{{ firm }}\n"
_SIGN_EN = "\n\nKind regards,\n{{ sender }}\n{{ firm }}\n"

#: (purpose, language) → (subject, body).
DEFAULT_TEMPLATES: Final[dict[tuple[str, str], tuple[str, str]]] = {
    ("satisfaction_check", "es"): (
        "¿Cómo va todo, {{ contact or client }}?",
        "Hola, {{ contact or client }}:\n\nQueremos saber si está satisfecho con nuestro "
        "servicio y si hay algo que podamos hacer mejor. " + _YEAR_ES + _SIGN_ES,
    ),
    ("satisfaction_check", "en"): (
        "How is everything going, {{ contact or client }}?",
        "Hello {{ contact or client }},\n\nWe would like to know whether you are happy with our "
        "service and whether there is anything we could do better. " + _YEAR_EN + _SIGN_EN,
    ),
    ("value_reminder", "es"): (
        "Su año con {{ firm }}",
        "Hola, {{ contact or client }}:\n\nUn pequeño resumen de lo que hemos hecho juntos. "
        + _YEAR_ES
        + _SIGN_ES,
    ),
    ("value_reminder", "en"): (
        "Your year with {{ firm }}",
        "Hello {{ contact or client }},\n\nA short summary of what we have done together. "
        + _YEAR_EN
        + _SIGN_EN,
    ),
    ("reactivation", "es"): (
        "Hace tiempo que no sabemos de usted",
        "Hola, {{ contact or client }}:\n\nSu último pedido fue el {{ last_order | date }}. "
        "¿Tiene algún proyecto en marcha en el que podamos ayudarle?" + _SIGN_ES,
    ),
    ("reactivation", "en"): (
        "It has been a while",
        "Hello {{ contact or client }},\n\nYour last order was on {{ last_order | date }}. "
        "Do you have a project under way we could help with?" + _SIGN_EN,
    ),
    ("reference_ask", "es"): (
        "¿Nos recomendaría?",
        "Hola, {{ contact or client }}:\n\nTrabajar con {{ client }} es un orgullo para "
        "nosotros. ¿Nos permitiría citarle como cliente o escribir unas líneas sobre su "
        "experiencia?" + _SIGN_ES,
    ),
    ("reference_ask", "en"): (
        "Would you recommend us?",
        "Hello {{ contact or client }},\n\nWorking with {{ client }} makes us proud. Would you "
        "let us name you as a client, or write a few lines about your experience?" + _SIGN_EN,
    ),
    ("dunning_friendly", "es"): (
        "Recordatorio: facturas pendientes",
        "Hola, {{ contact or client }}:\n\nLe recordamos que tiene {{ overdue | money }} "
        "pendientes de pago; la factura más antigua venció el {{ oldest_due | date }}. Si ya "
        "lo ha pagado, no tenga en cuenta este mensaje." + _SIGN_ES,
    ),
    ("dunning_friendly", "en"): (
        "Reminder: unpaid invoices",
        "Hello {{ contact or client }},\n\nA reminder that {{ overdue | money }} is still "
        "unpaid; the oldest invoice was due on {{ oldest_due | date }}. If you have already "
        "paid, please disregard this message." + _SIGN_EN,
    ),
    ("dunning_firm", "es"): (
        "Segundo aviso: {{ overdue | money }} vencidos",
        "Hola, {{ contact or client }}:\n\nSeguimos sin recibir el pago de {{ overdue | money }};"
        " la factura más antigua lleva {{ days_past_due }} días vencida. Le rogamos que lo "
        "regularice esta semana." + _SIGN_ES,
    ),
    ("dunning_firm", "en"): (
        "Second notice: {{ overdue | money }} overdue",
        "Hello {{ contact or client }},\n\nWe have still not received {{ overdue | money }}; "
        "the oldest invoice is {{ days_past_due }} days overdue. Please settle it this week."
        + _SIGN_EN,
    ),
    ("dunning_call", "es"): (
        "Llamada de cobro: {{ client }}",
        "Guion: {{ client }} debe {{ overdue | money }}, la factura más antigua lleva "
        "{{ days_past_due }} días vencida. Preguntar la causa, acordar una fecha de pago y "
        "anotarla." + _SIGN_ES,
    ),
    ("dunning_call", "en"): (
        "Payment call: {{ client }}",
        "Script: {{ client }} owes {{ overdue | money }}, the oldest invoice is "
        "{{ days_past_due }} days overdue. Ask why, agree a payment date and log it." + _SIGN_EN,
    ),
    ("dunning_final", "es"): (
        "Último aviso antes de reclamar {{ overdue | money }}",
        "Hola, {{ contact or client }}:\n\nPese a los avisos anteriores, {{ overdue | money }} "
        "siguen pendientes desde el {{ oldest_due | date }}. Si no recibimos el pago en 10 días, "
        "iniciaremos la reclamación formal." + _SIGN_ES,
    ),
    ("dunning_final", "en"): (
        "Final notice before claiming {{ overdue | money }}",
        "Hello {{ contact or client }},\n\nDespite our earlier reminders, {{ overdue | money }} "
        "has been unpaid since {{ oldest_due | date }}. If we do not receive payment within 10 "
        "days we will start a formal claim." + _SIGN_EN,
    ),
    ("renegotiation", "es"): (
        "Revisemos nuestras condiciones",
        "Hola, {{ contact or client }}:\n\nEste año hemos facturado {{ revenue | money }} con un "
        "margen del {{ margin_pct | pct }}. Nos gustaría revisar con usted precios y "
        "condiciones para que la relación siga siendo buena para ambos." + _SIGN_ES,
    ),
    ("renegotiation", "en"): (
        "Let us review our terms",
        "Hello {{ contact or client }},\n\nThis year we invoiced {{ revenue | money }} at a "
        "{{ margin_pct | pct }} margin. We would like to review prices and terms with you so "
        "that the relationship stays good for both of us." + _SIGN_EN,
    ),
}

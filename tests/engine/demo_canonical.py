"""The demo's export frames turned into canonical tables, independently of cartera.io.

A deliberately plain re-implementation of what import does (payments
resolved onto documents, dense client keys, ``first_line``), so the engine's
demo tests do not depend on the reader and act as a second opinion on it.
"""

from __future__ import annotations

import polars as pl

from cartera.demo import DemoData
from cartera.schema import TABLES


def _conform(frame: pl.DataFrame, table: str) -> pl.DataFrame:
    schema = TABLES[table]
    missing = [
        pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in schema.items()
        if name not in frame.columns
    ]
    return frame.with_columns(missing).select(
        [pl.col(name).cast(dtype) for name, dtype in schema.items()]
    )


def canonical(demo: DemoData) -> dict[str, pl.DataFrame]:
    """``DemoData`` → ``{documents, payments, clients, activities}`` canonical frames."""
    ids = sorted(set(demo.clients["Código cliente"]) | set(demo.documents["Código cliente"]))
    keys = pl.DataFrame({"client_id": ids, "client_key": range(len(ids))})
    paid = demo.payments.group_by("Nº factura").agg(
        pay_sum=pl.col("Cantidad cobrada").sum(), pay_last=pl.col("Fecha cobro").max()
    )
    d = demo.documents.with_row_index("row").join(paid, on="Nº factura", how="left")
    doc_total = pl.col("Total").sum().over("Nº factura")
    d = d.with_columns(
        doc_total=doc_total,
        first_line=pl.col("row") == pl.col("row").min().over("Nº factura"),
    )
    documents = (
        d.select(
            client_id=pl.col("Código cliente"),
            doc_number=pl.col("Nº factura"),
            doc_type=pl.when(pl.col("Tipo") == "Factura")
            .then(pl.lit("invoice"))
            .otherwise(pl.lit("credit_note")),
            date=pl.col("Fecha"),
            amount=pl.col("Base imponible"),
            cost=pl.col("Coste"),
            units=pl.col("Unidades"),
            list_amount=pl.col("Unidades") * pl.col("Precio unidad"),
            total=pl.col("Total"),
            due_date=pl.col("Fecha de vencimiento"),
            paid_date=pl.when(pl.col("pay_sum") >= pl.col("doc_total") - 0.01).then(
                pl.col("pay_last")
            ),
            paid_amount=pl.col("pay_sum").fill_null(0.0) * pl.col("Total") / pl.col("doc_total"),
            first_line=pl.col("first_line"),
            source_row=pl.col("row") + 2,
        )
        .join(keys, on="client_id")
        .sort("client_key", "date")
    )
    clients = demo.clients.select(
        client_id=pl.col("Código cliente"),
        name=pl.col("Razón social"),
        tax_id=pl.col("NIF"),
        sector=pl.col("Sector"),
        region=pl.col("Provincia"),
        image=pl.col("Cliente imagen").cast(pl.String).is_in(["true", "Sí", "Si"]),
        terms_days=pl.col("Días de pago"),
    ).join(keys, on="client_id", how="right")
    activities = demo.activities.select(
        client_id=pl.col("Código cliente"),
        date=pl.col("Fecha"),
        hours=pl.col("Horas"),
        kind=pl.col("Tipo"),
        note=pl.col("Nota"),
    ).join(keys, on="client_id")
    payments = demo.payments.select(
        doc_number=pl.col("Nº factura"),
        date=pl.col("Fecha cobro"),
        amount=pl.col("Cantidad cobrada"),
    )
    return {
        "documents": _conform(documents, "documents"),
        "payments": _conform(payments, "payments"),
        "clients": _conform(clients, "clients"),
        "activities": _conform(activities, "activities"),
    }

"""The demo generator: contract of the files, determinism, and the planted kinds."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from cartera.demo import COLUMNS, FILES, KINDS, DemoData, generate, kind_counts, textbuf, write_demo
from cartera.demo.export import decimal, money, reference_bytes, write_table
from cartera.errors import SettingsError

END = dt.date(2026, 10, 31)
WINDOW_START = dt.date(2025, 11, 1)
MONEY = r"^-?\d{1,3}(\.\d{3})*,\d{2}$"
DATE = r"^\d{2}/\d{2}/\d{4}$"


@pytest.fixture(scope="module")
def data() -> DemoData:
    return generate()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    write_demo(path, clients=60, lines=4000, seed=3)
    return path


def _read(path: Path) -> pl.DataFrame:
    text = path.read_bytes().decode("cp1252")
    return pl.read_csv(io.StringIO(text), separator=";", infer_schema=False)


def _client_metrics(data: DemoData) -> pl.DataFrame:
    """Last-12-month figures per client, computed here independently of the generator."""
    docs = data.documents.filter(pl.col("Fecha") >= WINDOW_START)
    invoices = docs.filter(pl.col("Tipo") == "Factura")
    paid = data.payments.group_by("Nº factura").agg(paid_on=pl.col("Fecha cobro").max())
    days = (
        invoices.group_by("Nº factura")
        .agg(pl.col("Código cliente").first(), pl.col("Fecha").first(), pl.col("Total").sum())
        .join(paid, on="Nº factura", how="inner")
        .group_by("Código cliente")
        .agg(
            days_to_pay=(
                (pl.col("paid_on") - pl.col("Fecha")).dt.total_days() * pl.col("Total")
            ).sum()
            / pl.col("Total").sum()
        )
    )
    hours = (
        data.activities.filter(pl.col("Fecha") >= WINDOW_START)
        .group_by("Código cliente")
        .agg(hours=pl.col("Horas").sum())
    )
    per_client = docs.group_by("Código cliente").agg(
        revenue=pl.col("Base imponible").sum(),
        invoiced=pl.col("Base imponible").filter(pl.col("Tipo") == "Factura").sum(),
        credited=-pl.col("Base imponible").filter(pl.col("Tipo") == "Rectificativa").sum(),
        margin=(pl.col("Base imponible") - pl.col("Coste")).sum(),
        orders=pl.col("Nº factura").filter(pl.col("Tipo") == "Factura").n_unique(),
        months=pl.col("Fecha").dt.month().n_unique(),
    )
    out = (
        data.truth.join(per_client, left_on="client_id", right_on="Código cliente", how="left")
        .join(days, left_on="client_id", right_on="Código cliente", how="left")
        .join(hours, left_on="client_id", right_on="Código cliente", how="left")
        .with_columns(pl.col("revenue", "margin", "hours", "orders").fill_null(0))
    )
    total = out["revenue"].sum()
    return out.with_columns(
        share=pl.col("revenue") / total,
        margin_pct=pl.col("margin") / pl.col("revenue"),
        return_rate=pl.col("credited") / pl.col("invoiced"),
        net=pl.col("margin") - pl.col("hours") * 40 - pl.col("orders") * 15,
    )


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_demo(tmp_path / "a", clients=40, lines=2500, seed=11)
    write_demo(tmp_path / "b", clients=40, lines=2500, seed=11)
    write_demo(tmp_path / "c", clients=40, lines=2500, seed=12)
    for name in FILES.values():
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "facturas.csv").read_bytes() != (
        tmp_path / "c" / "facturas.csv"
    ).read_bytes()


def test_files_follow_the_export_contract(folder: Path) -> None:
    for table, name in FILES.items():
        raw = (folder / name).read_bytes()
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
        header = raw.split(b"\r\n", 1)[0].decode("cp1252")
        assert header == ";".join(COLUMNS[table])
    assert "Nº factura".encode("cp1252") in (folder / "facturas.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        (folder / "clientes.csv").read_bytes().decode("utf-8")  # accents are cp1252 bytes


def test_number_and_date_formats(folder: Path) -> None:
    docs = _read(folder / "facturas.csv")
    for column in ("Precio unidad", "Base imponible", "Total", "Coste"):
        assert docs[column].str.contains(MONEY).all(), column
    assert docs["Total"].str.contains(r"\.").any()  # some amounts reach thousands
    for column in ("Fecha", "Fecha de vencimiento"):
        assert docs[column].str.contains(DATE).all()
    assert set(docs["Tipo"]) == {"Factura", "Rectificativa"}
    assert docs["IVA %"].unique().to_list() == ["21"]
    pays = _read(folder / "cobros.csv")
    assert pays["Cantidad cobrada"].str.contains(MONEY).all()
    assert pays["Fecha cobro"].str.contains(DATE).all()
    acts = _read(folder / "actividades.csv")
    assert acts["Horas"].str.contains(r"^\d+(,\d{1,2})?$").all()
    assert acts["Horas"].str.contains(",").any()
    assert set(acts["Tipo"]) <= {"Reunión", "Llamada", "Email", "Visita", "Soporte"}
    clients = _read(folder / "clientes.csv")
    assert set(clients["Cliente imagen"]) == {"Sí", "No"}
    assert set(clients["Días de pago"]) <= {"30", "60", "90", "160"}


def test_written_values_match_the_typed_frames(folder: Path) -> None:
    data = generate(clients=60, lines=4000, seed=3)
    docs = _read(folder / "facturas.csv")
    parsed = docs.select(
        pl.col(c).str.replace_all(r"\.", "").str.replace(",", ".").cast(pl.Float64)
        for c in ("Base imponible", "Total", "Coste")
    )
    typed = data.documents.select("Base imponible", "Total", "Coste")
    assert parsed.equals(typed)
    assert docs["Fecha"].str.to_date("%d/%m/%Y").equals(data.documents["Fecha"])


def test_formatters() -> None:
    frame = pl.DataFrame({"v": [0.0, 5.5, -0.01, 999.999, 1234.5, -1234567.891, 1e9]})
    assert frame.select(money("v"))["v"].to_list() == [
        "0,00", "5,50", "-0,01", "1.000,00", "1.234,50", "-1.234.567,89", "1.000.000.000,00",
    ]  # fmt: skip
    assert frame.select(decimal("v"))["v"].to_list() == [
        "0", "5,5", "-0,01", "1000", "1234,5", "-1234567,89", "1000000000",
    ]  # fmt: skip


def test_every_kind_present_at_default_size(data: DemoData) -> None:
    counts = dict(data.truth["kind"].value_counts().iter_rows())
    assert set(counts) == set(KINDS)
    assert counts == kind_counts(400)
    assert counts["structure"] >= 3 and counts["image"] >= 2
    assert data.truth["client_id"].to_list() == data.clients["Código cliente"].to_list()
    image = data.clients.filter(pl.col("Cliente imagen"))["Código cliente"]
    assert set(image) == set(data.truth.filter(pl.col("kind") == "image")["client_id"])


def test_shape_of_the_portfolio(data: DemoData) -> None:
    docs = data.documents
    assert docs.filter(pl.col("Tipo") == "Factura").height == 30_000
    assert docs["Fecha"].min() >= dt.date(2024, 11, 1) and docs["Fecha"].max() <= END
    assert (docs["Fecha"].max() - docs["Fecha"].min()).days > 700
    notes = docs.filter(pl.col("Tipo") == "Rectificativa")
    assert notes.height > 0 and notes["Nº factura"].str.starts_with("R").all()
    assert (notes["Base imponible"] < 0).all() and (notes["Total"] < 0).all()
    assert (notes["Unidades"] < 0).all() and (notes["Coste"] < 0).all()
    invoices = docs.filter(pl.col("Tipo") == "Factura")
    assert invoices["Nº factura"].str.contains(r"^F\d{2}-\d{6}$").all()
    assert (invoices["Base imponible"] > 0).all()
    lines = invoices.group_by("Nº factura").len()["len"]
    assert lines.min() >= 1 and lines.max() <= 5
    assert (invoices["Fecha de vencimiento"] > invoices["Fecha"]).all()
    names = data.clients["Razón social"]
    assert names.str.contains("[ñáéíóú]").any() and names.str.contains(r"S\.L\.").any()
    assert data.clients["NIF"].n_unique() == data.clients.height


def test_payments_include_vat_with_partial_and_open(data: DemoData) -> None:
    totals = (
        data.documents.filter(pl.col("Tipo") == "Factura")
        .group_by("Nº factura")
        .agg(pl.col("Total").sum(), pl.col("Fecha").first())
    )
    paid = data.payments.group_by("Nº factura").agg(
        paid=pl.col("Cantidad cobrada").sum(), parts=pl.len(), first=pl.col("Fecha cobro").min()
    )
    joined = totals.join(paid, on="Nº factura", how="left")
    settled = joined.filter(pl.col("paid").is_not_null())
    assert ((settled["paid"] - settled["Total"]).abs() <= 0.005 + 1e-9).sum() > 0.9 * len(settled)
    assert (settled["paid"] <= settled["Total"] + 0.005).all()
    assert (settled["first"] > settled["Fecha"]).all()
    assert (settled["parts"] >= 2).any() and settled["parts"].max() <= 3
    assert joined["paid"].null_count() > 0  # open invoices
    assert data.payments["Fecha cobro"].max() <= END


def test_kinds_are_recoverable_by_simple_rules(data: DemoData) -> None:
    m = _client_metrics(data)
    avg_margin = m["margin"].sum() / m["revenue"].sum()

    def found(rule: pl.Expr, kind: str) -> None:
        predicted = set(m.filter(rule)["client_id"])
        truth = set(m.filter(pl.col("kind") == kind)["client_id"])
        assert predicted == truth, kind

    found((pl.col("share") >= 0.04) & (pl.col("months") >= 9), "structure")
    found(
        (pl.col("margin_pct") >= avg_margin + 0.10)
        & (pl.col("margin") / m["margin"].sum() >= 0.005)
        & (pl.col("months") <= 7),
        "margin",
    )
    found(pl.col("days_to_pay") > 120, "slow_payer")
    found((pl.col("return_rate") > 0.15) & (pl.col("kind") != "tiny"), "returner")
    found((pl.col("share") < 0.001) & (pl.col("net") < 0) & (pl.col("orders") > 0)
          & (pl.col("kind") != "returner"), "tiny")  # fmt: skip
    burden = pl.col("hours") * 40 > 0.5 * pl.col("margin")
    found(burden & (pl.col("share") >= 0.0002), "draining")
    last = data.documents.group_by("Código cliente").agg(pl.col("Fecha").max())
    margin_last = last.join(data.truth, left_on="Código cliente", right_on="client_id")
    assert (margin_last.filter(pl.col("kind") == "margin")["Fecha"] >= dt.date(2026, 6, 1)).all()
    dormant = m.filter(pl.col("kind") == "dormant")
    assert (dormant["revenue"] == 0).all()
    new_first = data.documents.group_by("Código cliente").agg(pl.col("Fecha").min())
    new = new_first.join(data.truth, left_on="Código cliente", right_on="client_id")
    assert (new.filter(pl.col("kind") == "new")["Fecha"] >= dt.date(2026, 7, 1)).all()
    assert (new.filter(pl.col("kind") != "new")["Fecha"] < dt.date(2025, 11, 1)).all()


def test_margins_and_concentration(data: DemoData) -> None:
    m = _client_metrics(data).filter(pl.col("revenue") > 0)
    by_kind = m.group_by("kind").agg(
        margin_pct=pl.col("margin").sum() / pl.col("revenue").sum(), share=pl.col("share").sum()
    )
    pct = dict(by_kind.select("kind", "margin_pct").iter_rows())
    assert 0.10 < pct["structure"] < 0.19
    assert 0.45 < pct["margin"] < 0.62
    assert 0.26 < pct["regular"] < 0.34
    assert pct["image"] < pct["regular"]
    ordered = m.sort("revenue", descending=True)["share"].cum_sum()
    n80 = int((ordered < 0.8).sum()) + 1
    assert 0.12 <= n80 / data.truth.height <= 0.30  # about 80/20
    assert m["share"].max() < 0.25


@pytest.mark.parametrize(
    ("clients", "lines"), [(10, 5000), (400, 1000)], ids=["few-clients", "few-lines"]
)
def test_too_small_is_a_settings_error(clients: int, lines: int) -> None:
    with pytest.raises(SettingsError):
        generate(clients=clients, lines=lines)


def test_fast_writer_matches_the_polars_reference(tmp_path: Path) -> None:
    data = generate(clients=40, lines=2500, seed=4)
    for table in FILES:
        path = tmp_path / f"{table}.csv"
        write_table(data.table(table), table, path)
        assert path.read_bytes() == reference_bytes(data.table(table), table), table


def test_fast_number_formats_match_the_reference() -> None:
    rng = np.random.default_rng(0)
    values = np.round(np.minimum(rng.lognormal(3, 4, 5000), 1e11) * rng.choice([-1, 1], 5000), 2)
    values = np.concatenate([values, [0, -0.01, 0.1, 999.995, 1e11 + 0.5, 1000, -1000]])
    frame = pl.DataFrame({"v": values})
    fast = pl.Series(textbuf.to_arrow(textbuf.numbers(values)))
    assert fast.to_list() == frame.select(money("v"))["v"].to_list()
    trimmed = pl.Series(textbuf.to_arrow(textbuf.numbers(values, thousands=False, trim=True)))
    assert trimmed.to_list() == frame.select(decimal("v"))["v"].to_list()
    padded = textbuf.numbers(np.array([5, 123, 1234567]), places=0, thousands=False, min_digits=6)
    assert pl.Series(textbuf.to_arrow(padded)).to_list() == ["000005", "000123", "1234567"]


def test_transcode_is_cp1252() -> None:
    for text in ("plain", "Sí, Peñalara Ávila Güell º", "precio 5 €", ""):
        assert textbuf.transcode(text.encode("utf-8")) == text.encode("cp1252")
    with pytest.raises(UnicodeEncodeError):
        textbuf.transcode("\u0085".encode())  # a C1 control has no cp1252 byte

"""The rules behind real exports: document figures, anonymous lines, currencies, statuses,
filters, names in any script, analyze --skip-bad-rows, hints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

from realfiles import TODAY, notes, run, write_csv

from cartera.analysis import analyze
from cartera.errors import InputError
from cartera.i18n import language
from cartera.io import ReadOptions, import_files, read_table

LINE = st.tuples(st.integers(1, 20), st.decimals(min_value=1, max_value=5000, places=2).map(float))
DOCUMENT = st.tuples(
    st.sampled_from(["Acme", "Beta", "Gamma"]), st.lists(LINE, min_size=1, max_size=5)
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=st.lists(DOCUMENT, min_size=1, max_size=8))
def test_repeated_document_total_is_never_summed_per_line(
    tmp_path_factory: pytest.TempPathFactory, docs: list[tuple[str, list[tuple[int, float]]]]
) -> None:
    rows = []
    for n, (client, lines) in enumerate(docs):
        total = round(sum(round(q * p, 2) for q, p in lines), 2)
        for line, (q, p) in enumerate(lines):
            rows.append([f"F{n:03d}", "2024-05-02", client, f"P{line}", q, p,
                         round(q * p, 2), total])  # fmt: skip
    path = write_csv(
        tmp_path_factory.mktemp("fig") / "lines.csv",
        ["Invoice Number", "Date", "Customer", "Product", "Quantity", "Unit Price",
         "Line Amount", "Invoice Total"],
        rows,
    )  # fmt: skip
    docs_table = read_table(path, options=ReadOptions(today=TODAY))
    assert docs_table["amount"].sum() == pytest.approx(sum(r[6] for r in rows), abs=0.01)


def _anonymous_file(tmp_path: Path, named: int, anonymous: int) -> Path:
    rows = [[f"A{i}", "2024-05-02", "Acme" if i % 2 else "Beta", 10.0] for i in range(named)]
    rows += [[f"X{i}", "2024-05-02", "", 10.0] for i in range(anonymous)]
    return write_csv(tmp_path / "sales.csv", ["Invoice", "Date", "Customer", "Amount"], rows)


@pytest.mark.parametrize("named", [19, 20])  # 1 of 20 lines is 5 % (kept), 1 of 21 below
def test_anonymous_lines_at_or_below_five_percent_are_left_out(tmp_path: Path, named: int) -> None:
    analysis = run(_anonymous_file(tmp_path, named, 1))
    assert analysis.portfolio.revenue == pytest.approx(10.0 * named)
    assert f"1 lines of {named + 1}, 10.0 in amount, have no client" in notes(analysis)


def test_anonymous_lines_above_five_percent_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        run(_anonymous_file(tmp_path, 18, 1))  # 1 of 19 = 5.3 %
    assert err.value.problems[0].code == "missing_client"


def _currencies(tmp_path: Path) -> Path:
    rows = [
        ["F1", "2024-05-02", "Acme", 100.0, "EUR"],
        ["F2", "2024-05-03", "Beta", 250.0, "USD"],
        ["F3", "2024-05-04", "Acme", 50.0, "EUR"],
    ]
    return write_csv(
        tmp_path / "multi.csv", ["Invoice", "Date", "Customer", "Subtotal", "Currency"], rows
    )


def test_mixed_currencies_are_refused_with_each_total(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        run(_currencies(tmp_path))
    with language("en"):
        text = err.value.render()
    assert "EUR: 2 lines, total 150.0" in text and "USD: 1 lines, total 250.0" in text
    assert "--currency" in text


def test_currency_option_keeps_one(tmp_path: Path) -> None:
    analysis = run(_currencies(tmp_path), currency="USD")
    assert analysis.portfolio.revenue == pytest.approx(250.0)
    assert analysis.currency == "USD"


def test_currency_from_symbols_and_header(tmp_path: Path) -> None:
    euros = write_csv(
        tmp_path / "e.csv", ["Factura", "Fecha", "Cliente", "Base Imponible (€)"],
        [["1", "02/05/2024", "Acme", "1.000,50"], ["2", "03/05/2024", "Beta", "20,00"]],
        delimiter=";",
    )  # fmt: skip
    assert run(euros).currency == "EUR"
    pounds = write_csv(
        tmp_path / "p.csv", ["Invoice", "Date", "Customer", "Net"],
        [["1", "2024-05-02", "Acme", "£1,000.50"], ["2", "2024-05-03", "Beta", "£20.00"]],
    )  # fmt: skip
    assert run(pounds).currency == "GBP"


NAMES = st.sampled_from(
    ["شركة الأمل", "Ελληνική Εταιρεία", "北京贸易有限公司", "ООО Ромашка", "חברת השלום",
     "  Ｆｕｌｌｗｉｄｔｈ Ｃｏ  ", "Ünïcödé Gmbh"]
)  # fmt: skip


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(NAMES, min_size=1, max_size=6, unique=True))
def test_names_in_any_script_round_trip(
    tmp_path_factory: pytest.TempPathFactory, names: list[str]
) -> None:
    rows = [[f"F{i}", "2024-05-02", name, 100.0 + i] for i, name in enumerate(names)]
    path = write_csv(tmp_path_factory.mktemp("names") / "n.csv",
                     ["Invoice", "Date", "Customer", "Amount"], rows)  # fmt: skip
    clients = read_table(path, "documents", options=ReadOptions(today=TODAY))
    assert clients.height == len(names)
    analysis = run(path)
    assert {c.name for c in analysis.clients} == {n.strip() for n in names}


def test_status_words_settable_in_the_mapping(tmp_path: Path) -> None:
    rows = [["F1", "2024-05-02", "Acme", 100.0, "Emitida"],
            ["F2", "2024-05-03", "Beta", 50.0, "Borrador"],
            ["F3", "2024-05-04", "Beta", 70.0, "Pendiente de revisión"]]  # fmt: skip
    path = write_csv(tmp_path / "s.csv", ["Factura", "Fecha", "Cliente", "Importe", "Estado"], rows)
    assert run(path).portfolio.revenue == pytest.approx(170.0)
    mapping = tmp_path / "m.toml"
    mapping.write_text(
        '[documents]\nexclude_status = ["Pendiente de revisión"]\n', encoding="utf-8"
    )
    assert run(path, mapping=mapping).portfolio.revenue == pytest.approx(150.0)


def test_ledger_filter_keeps_income_rows(tmp_path: Path) -> None:
    rows = [
        ["2024-05-02", "INV-1", "Acme", "Sales", "Income", 1000.0],
        ["2024-05-02", "INV-1", "Acme", "Accounts Receivable", "Asset", 1210.0],
        ["2024-05-02", "INV-1", "Acme", "VAT", "Liability", 210.0],
        ["2024-05-03", "INV-2", "Beta", "Sales", "Income", 400.0],
        ["2024-05-03", "INV-2", "Beta", "Accounts Receivable", "Asset", 484.0],
    ]
    path = write_csv(tmp_path / "ledger.csv",
                     ["Date", "Invoice Number", "Contact", "Account", "Account Type", "Amount"],
                     rows)  # fmt: skip
    mapping = tmp_path / "m.toml"
    mapping.write_text('[documents.filter]\n"Account Type" = ["Income"]\n', encoding="utf-8")
    analysis = run(path, mapping=mapping)
    assert analysis.portfolio.revenue == pytest.approx(1400.0)
    assert "kept 2 of 5 rows" in notes(analysis)


def test_analyze_skip_bad_rows_equals_import_then_analyze(tmp_path: Path) -> None:
    rows = [
        ["F1", "02/05/2024", "Acme", "100,00"],
        ["F2", "99/99/2024", "Beta", "50,00"],
        ["F3", "04/05/2024", "Beta", "abc"],
        ["F4", "05/05/2024", "Gamma", "70,00"],
    ]
    path = write_csv(tmp_path / "bad.csv", ["Factura", "Fecha", "Cliente", "Importe"], rows,
                     delimiter=";")  # fmt: skip
    options = ReadOptions(today=TODAY, skip_bad_rows=True)
    direct = analyze(path, options=options)
    import_files([path], into=tmp_path / "ws", options=options)
    via_workspace = analyze(tmp_path / "ws")
    assert direct.portfolio.revenue == via_workspace.portfolio.revenue == pytest.approx(170.0)
    assert [c.id for c in direct.clients] == [c.id for c in via_workspace.clients]


def test_analyze_cli_accepts_skip_bad_rows_and_delimiter(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cartera.cli.app import build_app

    path = tmp_path / "colon.txt"
    path.write_text("Factura:Fecha:Cliente:Importe\nF1:02/05/2024:Acme:100\nF2:99/99/2024:B:5\n",
                    encoding="utf-8")  # fmt: skip
    args = ["analyze", str(path), "--delimiter", ":", "--skip-bad-rows", "--format", "json"]
    result = CliRunner().invoke(build_app(), [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert '"revenue": 100.0' in result.output


def test_missing_role_hint_lists_both_languages_and_near_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", ["Factura", "Cliente", "Importe", "Vencimiento"],
                     [["F1", "Acme", "10", "02/05/2024"]], delimiter=";")  # fmt: skip
    with pytest.raises(InputError) as err:
        run(path)
    with language("en"):
        text = err.value.render()
    assert "«date»" in text
    assert "«Date»" in text and "«Fecha»" in text  # the user's language and the file's


def test_month_word_dates(tmp_path: Path) -> None:
    rows = [["1", "Jan 28 2021", "Acme", "10.00"], ["2", "28-ene-2021", "Beta", "20.00"],
            ["3", "3-Feb-21", "Acme", "5.00"]]  # fmt: skip
    path = write_csv(tmp_path / "m.csv", ["Invoice", "Date", "Customer", "Amount"], rows)
    docs = read_table(path, options=ReadOptions(today=TODAY))
    import datetime as dt

    # Documents are sorted by client and date: Acme's two, then Beta's.
    by_number = dict(zip(docs["doc_number"], docs["date"], strict=True))
    assert by_number == {
        "1": dt.date(2021, 1, 28),
        "2": dt.date(2021, 1, 28),
        "3": dt.date(2021, 2, 3),
    }


def test_image_clients_note_when_the_clients_file_has_no_flag(tmp_path: Path) -> None:
    docs = write_csv(tmp_path / "facturas.csv", ["Factura", "Fecha", "Código cliente", "Importe"],
                     [["F1", "02/05/2024", "C1", "10"]], delimiter=";")  # fmt: skip
    plain = write_csv(tmp_path / "clientes.csv", ["Código cliente", "Nombre", "Sector"],
                      [["C1", "Acme", "Retail"]], delimiter=";")  # fmt: skip
    analysis = run(docs, plain)
    assert any("Image clients cannot be recognised" in n for n in analysis.notes)
    flagged = write_csv(tmp_path / "clientes.csv", ["Código cliente", "Nombre", "Key account"],
                        [["C1", "Acme", "Sí"]], delimiter=";")  # fmt: skip
    analysis = run(docs, flagged)
    assert not any("Image clients" in n for n in analysis.notes)
    assert analysis.clients[0].segment == "image"


def test_repeated_documents_option_reads_every_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from cartera.cli.app import build_app

    first = write_csv(tmp_path / "2023.csv", ["Invoice", "Date", "Customer", "Amount"],
                      [["A1", "2024-01-02", "Acme", "100.00"]])  # fmt: skip
    second = write_csv(tmp_path / "2024.csv", ["Invoice", "Date", "Customer", "Amount"],
                       [["B1", "2024-02-02", "Beta", "40.00"]])  # fmt: skip
    args = ["analyze", "--documents", str(first), "--documents", str(second), "--format", "json"]
    result = CliRunner().invoke(build_app(), [*args, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert '"revenue": 140.0' in result.output


def _rates(tmp_path: Path, rates: str) -> Path:
    mapping = tmp_path / "rates.toml"
    mapping.write_text(f'[currency]\nbase = "EUR"\n[currency.rates]\n{rates}\n', encoding="utf-8")
    return mapping


def test_mapping_rates_convert_every_line_into_the_base(tmp_path: Path) -> None:
    # EUR lines unchanged (100 + 50), USD 250 × 0.92 = 230.00: revenue 380.00 EUR.
    analysis = run(_currencies(tmp_path), mapping=_rates(tmp_path, "USD = 0.92"))
    assert analysis.currency == "EUR"
    assert analysis.portfolio.revenue == pytest.approx(380.00, abs=0.005)
    by_name = {c.name: c.metrics.revenue for c in analysis.clients}
    assert by_name == {"Acme": pytest.approx(150.00), "Beta": pytest.approx(230.00)}
    assert "1 USD = 0.92 EUR (1)" in notes(analysis)


def test_mapping_rates_convert_cost_and_totals(tmp_path: Path) -> None:
    # Beta: 33.33 USD net, 10.00 cost, 40.33 total at 1.0842 → 36.136386 net, 10.842 cost.
    path = write_csv(
        tmp_path / "cost.csv",
        ["Invoice", "Date", "Customer", "Subtotal", "Cost", "Total", "Currency"],
        [["F1", "2024-05-02", "Acme", 100.0, 60.0, 121.0, "EUR"],
         ["F2", "2024-05-03", "Beta", 33.33, 10.0, 40.33, "USD"]],
    )  # fmt: skip
    table = read_table(
        path, options=ReadOptions(today=TODAY, mapping=_rates(tmp_path, "USD = 1.0842"))
    )
    rows = {r["doc_number"]: r for r in table.iter_rows(named=True)}
    assert rows["F1"]["amount"] == pytest.approx(100.0)  # the base currency unchanged
    assert rows["F1"]["cost"] == pytest.approx(60.0)
    assert rows["F2"]["amount"] == pytest.approx(36.14, abs=0.005)
    assert rows["F2"]["cost"] == pytest.approx(10.84, abs=0.005)
    assert rows["F2"]["total"] == pytest.approx(43.73, abs=0.005)  # 40.33 × 1.0842 = 43.7258


def test_a_currency_without_a_rate_is_refused_by_name(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "three.csv", ["Invoice", "Date", "Customer", "Subtotal", "Currency"],
        [["F1", "2024-05-02", "Acme", 100.0, "EUR"], ["F2", "2024-05-03", "Beta", 250.0, "USD"],
         ["F3", "2024-05-04", "Gamma", 9.0, "GBP"]],
    )  # fmt: skip
    with pytest.raises(InputError) as err:
        run(path, mapping=_rates(tmp_path, "USD = 0.92"))
    with language("en"):
        text = err.value.render()
    assert "no rate for GBP" in text and "GBP: 1 lines and no rate" in text
    assert "USD:" not in text
    assert err.value.problems[0].code == "missing_rate"
    with language("es"):
        assert "no dan tasa de cambio para GBP" in err.value.render()


def test_mixed_refusal_names_the_rates_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        run(_currencies(tmp_path))
    for lang, words in (("en", "give exchange rates"), ("es", "dé tasas de cambio")):
        with language(lang):
            assert words in err.value.render() and "[currency.rates]" in err.value.render()


def test_symbol_written_file_converted_and_currency_option_wins(tmp_path: Path) -> None:
    # $1,000.50 + $20.00 = 1,020.50 USD × 0.5 = 510.25 EUR.
    dollars = write_csv(
        tmp_path / "d.csv", ["Invoice", "Date", "Customer", "Net"],
        [["1", "2024-05-02", "Acme", "$1,000.50"], ["2", "2024-05-03", "Beta", "$20.00"]],
    )  # fmt: skip
    analysis = run(dollars, mapping=_rates(tmp_path, "USD = 0.5"))
    assert (analysis.currency, analysis.portfolio.revenue) == ("EUR", pytest.approx(510.25))
    kept = run(_currencies(tmp_path), mapping=_rates(tmp_path, "USD = 0.92"), currency="USD")
    assert (kept.currency, kept.portfolio.revenue) == ("USD", pytest.approx(250.0))


@pytest.mark.parametrize("rates", ["USD = 0", "USD = -1.0", 'USD = "x"'])
def test_rates_must_be_positive_numbers(tmp_path: Path, rates: str) -> None:
    from cartera.errors import SettingsError

    with pytest.raises(SettingsError):
        run(_currencies(tmp_path), mapping=_rates(tmp_path, rates))


@pytest.mark.parametrize("command", ["import", "analyze"])
def test_the_currency_the_refusal_names_is_an_option_of_each_command(
    tmp_path: Path, command: str
) -> None:
    """The mixed-currency refusal says «--currency CODE»: `cartera import` takes it too."""
    import json

    from cartera.cli.app import run as cli

    path = _currencies(tmp_path)
    ws = tmp_path / "ws"
    args = (
        [str(path), "--into", str(ws)] if command == "import" else [str(path), "--format", "json"]
    )
    assert cli(["--lang", "en", command, *args]) != 0
    assert cli(["--lang", "en", command, *args, "--currency", "usd"]) == 0
    if command == "import":
        manifest = json.loads((ws / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["fingerprint"]["options"]["currency"] == "USD"

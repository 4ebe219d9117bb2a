"""``cartera profile`` on the demo firm: sentences in both languages, JSON, clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartera.cli.app import run
from cartera.demo import DemoData


def test_profile_names_the_planted_traits(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    _export, ws, _data = demo_firm
    assert run(["profile", str(ws), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Structure clients (" in out
    assert "Margin clients are" in out and "more often" in out
    assert run(["profile", str(ws), "--lang", "es"]) == 0
    assert "Los clientes de margen son" in capsys.readouterr().out


def test_profile_json_counts_respect_the_minimum_support(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    _export, ws, _data = demo_firm
    assert run(["profile", str(ws), "--format", "json", "--min-support", "3", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["min_support"] == 3
    rules = [r for s in data["segments"] for r in s["rules"]]
    assert rules, "the demo's planted traits make rules"
    margin = next(s for s in data["segments"] if s["segment"] == "margin")
    assert any(r["attribute"] == "region" for r in margin["rules"])
    for r in rules:
        assert r["lift"] >= 1.5 and r["text"]
        assert r["count"] >= 3 * len(r["values"])  # each value has at least 3


def test_profile_of_a_folder_that_is_no_workspace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["profile", str(tmp_path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "is not a cartera workspace" in err and "Traceback" not in err


def test_bad_format_is_refused(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["profile", str(demo_firm[1]), "--format", "xml", "--lang", "en"]) == 2
    assert "--format" in capsys.readouterr().err


def test_prospects_import_list_and_again(
    demo_firm: tuple[Path, Path, DemoData], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from cartera.demo.prospects import make_prospects

    export, ws, data = demo_firm
    truth = make_prospects(data.clients, 11).truth
    lists = export / "prospects"
    book = tmp_path / "libro.parquet"
    args = [
        "prospects", "import", str(lists / "prospects.csv"), "--workspace", str(ws),
        "--into", str(book), "--do-not-call", str(lists / "robinson.csv"), "--lang", "es",
    ]  # fmt: skip
    assert run(args) == 0
    out = capsys.readouterr().out
    planted = truth["planted"]
    fresh = int(planted.is_in(["structure", "margin", "image", "other"]).sum())
    assert f"prospectos nuevos añadidos: {fresh}" in out
    assert f"ya son clientes (descartados): {int((planted == 'client_duplicate').sum())}" in out
    assert (
        f"repetidos en las listas (descartados): {int((planted == 'prospect_duplicate').sum())}"
        in out
    )
    assert f"añadidos pero en la lista de exclusión: {int(truth['do_not_call'].sum())}" in out
    assert run([*args[:-4], "--lang", "en"]) == 0  # the same list again: nothing new
    assert "new prospects added: 0" in capsys.readouterr().out
    assert run(["prospects", "list", str(book), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == fresh and rows[0]["id"] == "P00001"
    assert sum(r["do_not_call"] for r in rows) == int(truth["do_not_call"].sum())


def test_prospects_list_of_a_missing_book_is_a_clean_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["prospects", "list", str(tmp_path / "none.parquet"), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_prospects_score_ranks_explains_and_refuses_do_not_call(
    demo_firm: tuple[Path, Path, DemoData], capsys: pytest.CaptureFixture[str]
) -> None:
    export, ws, _data = demo_firm
    lists = export / "prospects"
    args = ["prospects", "score", str(ws), str(lists / "prospects.csv"), "--do-not-call",
            str(lists / "robinson.csv"), "--fixed-costs", "2000000", "--lang", "en"]  # fmt: skip
    assert run([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["gaps"][0]["kind"] == "structure"
    assert {m["kind"] for m in data["models"]} == {"structure", "margin", "image"}
    first = data["prospects"][0]
    assert first["kind"] == "structure" and first["callable"] and first["why"].startswith("+")
    ranks = [p["rank"] for p in data["prospects"]]
    assert ranks == list(range(1, len(ranks) + 1))
    refused = [p for p in data["prospects"] if not p["callable"]]
    assert refused and all(p["rank"] > first["rank"] for p in refused)
    assert {d["status"] for d in data["duplicates"]} == {"client", "repeat"}
    assert run([*args, "--format", "csv"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("rank,name,tax_id,phone,kind,probability,gap")
    assert run([*args[:-2], "--lang", "es", "--top", "5"]) == 0
    out = capsys.readouterr().out
    assert "Lista de llamadas" in out
    assert "regresión logística" in out or "Bayes ingenuo" in out


def test_scoring_a_book_keeps_ids_and_honours_its_do_not_call_flags(
    demo_firm: tuple[Path, Path, DemoData], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export, ws, _data = demo_firm
    lists, book = export / "prospects", tmp_path / "book.parquet"
    dnc = str(lists / "robinson.csv")
    args = ["--workspace", str(ws), "--into", str(book), "--do-not-call", dnc]
    assert run(["prospects", "import", str(lists / "prospects.csv"), *args]) == 0
    capsys.readouterr()
    assert run(["prospects", "score", str(ws), str(book), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    flagged = {r["id"] for r in data["prospects"] if r["refused"] == "do_not_call"}
    assert run(["prospects", "list", str(book), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert flagged == {r["id"] for r in rows if r["do_not_call"]} and flagged
    assert data["duplicates"] == []  # the book holds no client and no repeat


def test_campaign_from_first_call_to_booked_meeting(
    demo_firm: tuple[Path, Path, DemoData], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import polars as pl
    from icalendar import Calendar

    export, ws, _data = demo_firm
    lists, book = export / "prospects", tmp_path / "book.parquet"
    dnc = str(lists / "robinson.csv")
    args = ["--workspace", str(ws), "--into", str(book), "--do-not-call", dnc]
    assert run(["prospects", "import", str(lists / "prospects.csv"), *args]) == 0
    rows = pl.read_parquet(book)
    ok = rows.filter(pl.col("consent") & ~pl.col("do_not_call") & pl.col("source").is_not_null())
    a, b = ok["id"][0], ok["id"][1]
    calls = tmp_path / "llamadas.csv"
    calls.write_text(
        "Prospecto;Fecha;Resultado;Desenlace;Volver a llamar;Reunión;Asistente;Nota\n"
        f"{a};02/11/2026 10:00;sin respuesta;;;;Lucía;\n"
        f"{a};04/11/2026 10:05;contactado;reunión;;10/11/2026 11:00;Lucía;Quiere muestras\n"
        f"{b};02/11/2026 10:10;buzón de voz;;;;Lucía;\n",
        encoding="utf-8",
    )
    ics = tmp_path / "reuniones.ics"
    status = ["campaign", "status", str(book), "--kind", "margin", "--calls", str(calls),
              "--now", "03/11/2026 10:00", "--ics", str(ics)]  # fmt: skip
    capsys.readouterr()
    assert run([*status, "--format", "json", "--lang", "en"]) == 0
    data = json.loads(capsys.readouterr().out)
    states = {s["prospect_id"]: s for s in data["states"]}
    assert states[a]["stage"] == "meeting" and states[b]["stage"] == "retry"
    assert states[b]["next_call"] == "2026-11-04T10:10:00"
    assert b not in data["due"] and a not in data["due"]  # b is due tomorrow
    assert data["funnel"][0]["called"] == 2 and data["funnel"][0]["meeting"] == 1
    refused = {r["prospect"] for r in data["refused"]}
    assert set(rows.filter(pl.col("do_not_call"))["id"].to_list()) <= refused
    event = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")[0]
    assert "Quiere muestras" in str(event["description"])
    assert run([*status, "--lang", "es"]) == 0
    out = capsys.readouterr().out
    # A stage and its count are one word (a no-break space): never split across lines.
    assert "reunión concertada:\xa01" in out and "Por llamar ahora" in out


def test_a_call_to_a_do_not_call_prospect_is_refused(
    demo_firm: tuple[Path, Path, DemoData], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import polars as pl

    export, ws, _data = demo_firm
    lists, book = export / "prospects", tmp_path / "book.parquet"
    args = [
        "--workspace",
        str(ws),
        "--into",
        str(book),
        "--do-not-call",
        str(lists / "robinson.csv"),
    ]
    assert run(["prospects", "import", str(lists / "prospects.csv"), *args]) == 0
    blocked = pl.read_parquet(book).filter(pl.col("do_not_call"))["id"][0]
    calls = tmp_path / "calls.csv"
    calls.write_text(
        f"Prospect;Date;Result\n{blocked};02/11/2026 10:00;no answer\n", encoding="utf-8"
    )
    capsys.readouterr()
    code = run(["campaign", "status", str(book), "--kind", "image", "--calls", str(calls),
                "--lang", "en"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 1 and "on the do-not-call list" in err and blocked in err


def test_a_bad_call_log_names_row_and_column(tmp_path: Path) -> None:
    from cartera.errors import InputError
    from cartera.study.calls import read_calls

    calls = tmp_path / "calls.csv"
    calls.write_text(
        "Prospect;Date;Result;Outcome\nP1;32/11/2026 10:00;no answer;\nP1;02/11/2026;maybe;\n"
        "P1;02/11/2026 10:00;reached;\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        read_calls(calls)
    found = [(p.row, p.column, p.value) for p in err.value.problems]
    assert found == [(2, "Date", "32/11/2026 10:00"), (3, "Result", "maybe"), (4, None, None)]


def test_campaign_script_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["campaign", "script", "--kind", "structure", "--firm", "Acme", "--prospect", "Gil SA",
            "--assistant", "Lucía"]  # fmt: skip
    assert run([*base, "--lang", "en"]) == 0
    assert "steady deliveries" in capsys.readouterr().out
    assert run([*base, "--lang", "es"]) == 0
    assert "entregas constantes" in capsys.readouterr().out
    assert run([*base[:3], "vip", *base[4:], "--lang", "en"]) == 2

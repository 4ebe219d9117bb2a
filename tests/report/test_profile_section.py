"""The reports' "who your clients of each kind are" section (issue 15, point 1).

The fixture portfolio gets hand-chosen regions and sectors, so the expected lifts
are computed here by hand; every format and both languages are read back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import polars as pl
import pytest
from pypdf import PdfReader

from cartera.i18n import language
from cartera.report import render
from cartera.report.profile_view import profile_view
from cartera.result import PortfolioAnalysis

DATA = Path(__file__).resolve().parents[1] / "data"

# The 16 fixture clients: structure C001–C003, margin C004–C005, image C006–C007,
# regular C008–C011 and C015, new C012–C013, dormant C014 and C016.
REGIONS = {
    "C001": "Madrid", "C002": "Madrid", "C003": "Madrid", "C008": "Madrid",
    "C004": "Sevilla", "C005": "Sevilla", "C006": "Sevilla",
    "C007": "Valencia", "C009": "Valencia", "C010": "Valencia", "C011": "Valencia",
    "C012": "Bilbao", "C013": "Bilbao", "C014": "Bilbao", "C015": "Bilbao", "C016": "Bilbao",
}  # fmt: skip
# Margin clients' sector is unknown for C005: it leaves the sector counts.
SECTORS = {"C001": "Distribución", "C002": "Distribución", "C003": "Distribución",
           "C004": "Ingeniería", "C005": None}  # fmt: skip

# Structure: Madrid 3 of 3 against 4 of 16 clients -> lift (3/3)/(4/16) = 4.0.
# Structure: Distribución 3 of 3 against 3 of 4 known sectors -> (3/3)/(3/4) = 1.33 < 1.5: no rule.
# Regular: Valencia 3 of 5 against 4 of 16 -> (3/5)/(4/16) = 2.4.
EXPECTED = {
    "en": [
        "Structure clients are 4.0× more often in Madrid: 3 of 3 (100%), against 25% of all "
        "clients.",
        "Regular clients are 2.4× more often in Valencia: 3 of 5 (60%), against 25% of all "
        "clients.",
    ],
    "es": [
        "Los clientes de estructura son 4,0 veces más a menudo de Madrid: 3 de 3 (100 %), frente "
        "al 25 % de todos los clientes.",
        "Los clientes habituales son 2,4 veces más a menudo de Valencia: 3 de 5 (60 %), frente al "
        "25 % de todos los clientes.",
    ],
}
TITLE = {"en": "Who your clients of each kind are", "es": "Quiénes son sus clientes de cada tipo"}
NOTE_START = {"en": "Add a sector, region", "es": "Añada al fichero de clientes"}
SHEET = {"en": "Client profile", "es": "Perfil de clientes"}
LANGS = ("en", "es")


def with_attributes(analysis: PortfolioAnalysis, *, known: bool = True) -> PortfolioAnalysis:
    """``analysis`` with a clients table: the regions and sectors above, or all unknown."""
    ids = sorted(REGIONS)
    analysis._client_attributes = pl.DataFrame(
        {
            "client_id": ids,
            "sector": [SECTORS.get(i) if known else None for i in ids],
            "region": [REGIONS[i] if known else None for i in ids],
            "size": [None] * len(ids),
            "terms_days": [None] * len(ids),
        },
        schema={"client_id": pl.String, "sector": pl.String, "region": pl.String,
                "size": pl.String, "terms_days": pl.Float64},
    )  # fmt: skip
    return analysis


def _flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def _pdf_text(path: Path) -> str:
    return _flat(" ".join(page.extract_text() or "" for page in PdfReader(path).pages))


def _sheet(path: Path, name: str) -> list[tuple[object, ...]] | None:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book[name].iter_rows(values_only=True)) if name in book.sheetnames else None
    finally:
        book.close()


def _reports(analysis: PortfolioAnalysis, folder: Path, lang: str) -> dict[str, Path]:
    return {
        fmt: render(fmt, analysis, folder / f"r.{fmt}", lang=lang)
        for fmt in ("html", "pdf", "xlsx")
    }


def test_lifts_and_counts_are_the_hand_computed_ones(analysis: PortfolioAnalysis) -> None:
    with language("en"):
        view = profile_view(with_attributes(analysis))
    assert view is not None and not view.note
    rows = {(r[0], r[2]): r for r in view.rows}
    madrid = rows["Structure", "Madrid"]
    assert madrid[3:7] == (3, 3, 1.0, 4 / 16)
    assert madrid[7] == pytest.approx((3 / 3) / (4 / 16))
    valencia = rows["Regular", "Valencia"]
    assert valencia[3:5] == (3, 5)
    assert valencia[7] == pytest.approx((3 / 5) / (4 / 16))
    # Distribución: lift 4/3 is under 1.5; Sevilla for margin clients: 2 of 2 but support 3.
    assert ("Structure", "Distribución") not in rows
    assert ("Margin", "Sevilla") not in rows
    headings = [s.title for s in view.segments]
    assert headings[:3] == ["Structure: 3 clients", "Margin: 2 clients", "Image: 2 clients"]
    assert "Dormant: 2 clients" in headings


@pytest.mark.parametrize("lang", LANGS)
def test_the_section_is_in_every_format(
    analysis: PortfolioAnalysis, tmp_path: Path, lang: str
) -> None:
    reports = _reports(with_attributes(analysis), tmp_path, lang)
    html = _flat(reports["html"].read_text(encoding="utf-8"))
    pdf = _pdf_text(reports["pdf"])
    rows = _sheet(reports["xlsx"], SHEET[lang])
    assert rows is not None
    cells = [_flat(str(c)) for row in rows for c in row if c is not None]
    for text in (html, pdf):
        assert TITLE[lang] in text
        assert NOTE_START[lang] not in text
    assert 'id="profile"' in html
    for sentence in EXPECTED[lang]:
        assert sentence in html
        assert sentence in pdf
        assert sentence in cells
    assert cells[0] == TITLE[lang]
    madrid = next(row for row in rows if row[2] == "Madrid")
    assert madrid[3:7] == (3, 3, 1, 0.25)
    assert madrid[7] == pytest.approx(4.0)


@pytest.mark.parametrize("lang", LANGS)
def test_without_attributes_the_section_says_which_columns_give_it(
    analysis: PortfolioAnalysis, tmp_path: Path, lang: str
) -> None:
    reports = _reports(with_attributes(analysis, known=False), tmp_path, lang)
    html = _flat(reports["html"].read_text(encoding="utf-8"))
    pdf = _pdf_text(reports["pdf"])
    rows = _sheet(reports["xlsx"], SHEET[lang])
    assert rows is not None
    for text in (html, pdf, _flat(str(rows[1][0]))):
        assert NOTE_START[lang] in text
    for sentence in EXPECTED[lang]:
        assert sentence not in html
    assert len(rows) == 2


def test_without_a_clients_table_there_is_no_section(
    analysis: PortfolioAnalysis, tmp_path: Path
) -> None:
    # built by hand: what the clients file held is unknown, so nothing is said
    assert profile_view(analysis) is None
    html = render("html", analysis, tmp_path / "r.html", lang="en").read_text(encoding="utf-8")
    assert 'id="profile"' not in html
    book = openpyxl.load_workbook(render("xlsx", analysis, tmp_path / "r.xlsx", lang="en"))
    assert SHEET["en"] not in book.sheetnames


@pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")
def test_analyze_keeps_the_clients_attributes(tmp_path: Path) -> None:
    from cartera import analyze

    # An invoice export alone: the clients table has names only -> the note.
    bare = analyze(DATA / "dialects" / "a3_facturas.csv")
    with language("en"):
        view = profile_view(bare)
    assert view is not None and view.note.startswith(NOTE_START["en"])
    # With a customers file: its industries and regions are kept for the profile.
    full = analyze(
        DATA / "dialects" / "english_invoices.csv", clients=DATA / "dialects" / "customers.csv"
    )
    table = full._client_attributes
    assert table is not None and table["region"].drop_nulls().len() > 0
    with language("en"):
        view = profile_view(full)
    assert view is not None and not view.note


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("width", [1280, 390])
def test_the_section_reads_in_chromium(
    page: Any, analysis: PortfolioAnalysis, tmp_path: Path, artifacts: Path, width: int
) -> None:
    """Each segment a visible card with its sentences; no sideways scroll on a phone."""
    path = render("html", with_attributes(analysis), tmp_path / "r.html", lang="es")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())
    section = page.locator("#profile")
    section.scroll_into_view_if_needed()
    assert section.is_visible()
    cards = section.locator(".profile-segment")
    assert cards.count() == 6
    structure = section.locator(".profile-segment[data-segment='structure']")
    box = structure.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 40
    assert _flat(structure.inner_text()).endswith(EXPECTED["es"][0])
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    section.screenshot(path=str(artifacts / f"report-profile-es-{width}.png"))

"""Every message id has a translation in both catalogs; formatting follows the locale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from cartera.i18n import (
    _,
    detect_language,
    fmt_date,
    fmt_money,
    fmt_pct,
    language,
)
from cartera.i18n_catalog import catalog_ids, settings_descriptions, source_messages


@pytest.mark.parametrize("lang", ["es", "en"])
def test_every_message_is_translated(lang: str) -> None:
    catalog = catalog_ids(lang)
    wanted = {m: f"{p.name}:{n}" for m, p, n in source_messages()}
    wanted.update({d: "settings" for d in settings_descriptions()})
    missing = sorted(f"{where}: {msg!r}" for msg, where in wanted.items() if not catalog.get(msg))
    assert not missing, f"{len(missing)} untranslated ids in {lang}:\n" + "\n".join(missing[:40])


def test_placeholders_survive_translation() -> None:
    import string

    es = catalog_ids("es")
    fmt = string.Formatter()
    for msgid, msgstr in es.items():
        if not msgstr:
            continue
        want = {f for _t, f, _s, _c in fmt.parse(msgid) if f}
        got = {f for _t, f, _s, _c in fmt.parse(msgstr) if f}
        assert want == got, (msgid, msgstr)


def test_money_and_numbers_follow_locale() -> None:
    assert fmt_money(1234.56, "EUR", lang="es") == "1.234,56\xa0€"
    assert fmt_money(1234.56, "EUR", lang="en") == "€1,234.56"
    assert fmt_pct(0.253, lang="es") == "25,3\xa0%"
    assert fmt_pct(0.253, lang="en") == "25.3%"
    assert fmt_date(dt.date(2026, 11, 23), lang="en") == "23 Nov 2026"
    assert fmt_date(dt.date(2026, 11, 23), lang="es") == "23 nov 2026"


def test_language_choice_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert detect_language("es", "en") == "es"
    assert detect_language(None, "en") == "en"
    assert detect_language(None, None) == "en"
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    assert detect_language(None, None) == "es"  # C means no preference: Spanish
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert detect_language("de", None) in ("es", "en")


def test_switching_language_translates() -> None:
    with language("es"):
        assert _("row {row}") == "fila {row}"
    with language("en"):
        assert _("row {row}") == "row {row}"


@pytest.mark.parametrize("lang", ["es", "en"])
def test_compiled_catalog_matches_the_po_files(lang: str) -> None:
    import json

    from cartera.i18n import COMPILED, po_messages

    compiled = Path(__file__).parent.parent / "src/cartera/locale" / lang / COMPILED
    assert json.loads(compiled.read_text(encoding="utf-8")) == po_messages(lang), (
        f"{compiled} is out of date: run `python scripts/po_sync.py --compile`"
    )


@pytest.mark.parametrize("lang", ["es", "en"])
def test_one_translation_per_message_across_areas(lang: str) -> None:
    """The areas' catalogs are compiled into one: an id translated two ways in two
    areas would show whichever was compiled last."""
    from babel.messages.pofile import read_po

    import cartera.i18n as i18n_module

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    folder = Path(i18n_module.__file__).parent / "locale" / lang
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as handle:
            for message in read_po(handle):
                if not message.id or not message.string:
                    continue
                key = str(message.id)
                if key in seen and seen[key][1] != message.string:
                    clashes.append(f"{key!r}: {seen[key][0]} vs {po.name}")
                seen.setdefault(key, (po.name, str(message.string)))
    assert not clashes, "\n".join(clashes)

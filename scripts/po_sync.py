"""Add missing message ids to one area's catalogs.

    python scripts/po_sync.py AREA [FILES...]

AREA is one of core, io, engine, scenarios, report, web (the file
src/cartera/locale/<lang>/<AREA>.po). Ids found in FILES (default: every
source file) that no catalog of a language has yet are appended to that
area's file: English gets the id itself, Spanish an empty string that must be
translated (tests/test_i18n.py fails until it is). With --settings, settings
help texts are included too. Every run then recompiles each language's
catalog.json, the file the program loads.

    python scripts/po_sync.py --compile

only recompiles catalog.json (after editing a .po file by hand).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from cartera.i18n import compile_catalog
from cartera.i18n_catalog import PACKAGE_DIR, catalog_ids, settings_descriptions, source_messages


def main(argv: list[str]) -> int:
    if argv == ["--compile"]:
        for lang in ("es", "en"):
            print(f"{compile_catalog(lang)}: compiled")
        return 0
    with_settings = "--settings" in argv
    args = [a for a in argv if a != "--settings"]
    area, files = args[0], [Path(f) for f in args[1:]]
    ids = [m for m, _p, _l in source_messages(files or None)]
    if with_settings:
        ids.extend(settings_descriptions())
    for lang in ("es", "en"):
        known = catalog_ids(lang)
        path = PACKAGE_DIR / "locale" / lang / f"{area}.po"
        with path.open("rb") as fh:
            catalog: Catalog = read_po(fh, locale=lang)
        added = 0
        for msgid in dict.fromkeys(ids):
            if msgid not in known:
                catalog.add(msgid, msgid if lang == "en" else "")
                added += 1
        with path.open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=False)
        print(f"{path}: {added} added")
        print(f"{compile_catalog(lang)}: compiled")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

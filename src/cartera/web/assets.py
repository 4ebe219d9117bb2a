"""The front-end libraries the pages load, served from the app itself (never a CDN).

``htmx.min.js`` is installed from the npm registry at an exact version by
``make web-assets`` into ``web/static/vendor`` (not kept in git);
``plotly.min.js`` is read from the installed Python ``plotly`` package, the
same build the HTML reports embed. :func:`check_assets` fails with the fix
when a file is missing, so a broken install never serves half a page.
"""

from __future__ import annotations

from pathlib import Path

from cartera.errors import SettingsError
from cartera.i18n import N_

__all__ = ["STATIC_DIR", "VENDOR_FILES", "check_assets", "plotly_path"]

STATIC_DIR = Path(__file__).parent / "static"
VENDOR_FILES = ("htmx.min.js",)


def plotly_path() -> Path:
    """plotly.min.js inside the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def check_assets(static_dir: Path = STATIC_DIR) -> None:
    """Raise :class:`SettingsError` naming the missing files and how to install them."""
    missing = [name for name in VENDOR_FILES if not (static_dir / "vendor" / name).is_file()]
    if not plotly_path().is_file():
        missing.append(str(plotly_path()))
    if missing:
        raise SettingsError(
            N_(
                "The web app's front-end files are missing ({files}). Install them with "
                "`make web-assets` (needs npm) from the Cartera source folder."
            ),
            files=", ".join(missing),
        )

"""Colours shared by every renderer, so a segment looks the same everywhere.

The segment colours are distinguishable with the common colour-vision
deficiencies (blue/orange/purple axes rather than red/green alone); colour is
never the only cue (tables also print the segment name).
"""

from __future__ import annotations

__all__ = ["ACCENT", "BAD", "GOOD", "GRID", "MUTED", "SEGMENT_COLOURS", "SEGMENT_TINTS"]

SEGMENT_COLOURS: dict[str, str] = {
    "structure": "#1f5fa8",
    "margin": "#e07b00",
    "image": "#7b3fa6",
    "regular": "#5f6b7a",
    "new": "#0f9d8a",
    "dormant": "#a89f91",
}

#: Light backgrounds of the same hues (table rows, Excel cells).
SEGMENT_TINTS: dict[str, str] = {
    "structure": "#dfe9f6",
    "margin": "#fdebd3",
    "image": "#ede2f4",
    "regular": "#eceef1",
    "new": "#d9f2ee",
    "dormant": "#f3f1ed",
}

ACCENT = "#1f5fa8"
GOOD = "#2e7d32"
BAD = "#c62828"
MUTED = "#8a94a3"
GRID = "#e3e6ea"

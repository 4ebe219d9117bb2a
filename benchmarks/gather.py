"""Gather benchmarks/results/*.md into benchmarks/RESULTS.md, headline table first.

    python benchmarks/gather.py

The headline table is written by hand in HEADLINE below from the latest runs;
the sections after it are the result files exactly as the benchmarks wrote them.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = [
    "commands",
    "json_contract",
    "json_writer",
    "import",
    "import_scale",
    "analysis",
    "stress",
    "demo",
    "reports",
    "reports_overlap",
    "cluster",
    "web",
    "web_whatif",
    "web_whatif_500k",
]
HEADLINE = HERE / "headline.md"


def main() -> None:
    parts = [HEADLINE.read_text(encoding="utf-8").rstrip()]
    for name in ORDER:
        path = HERE / "results" / f"{name}.md"
        if path.exists():
            text = path.read_text(encoding="utf-8").rstrip()
            # Demote the file's headings one level under this page's title.
            parts.append(
                "\n".join(
                    "#" + line if line.startswith("#") else line for line in text.splitlines()
                )
            )
    (HERE / "RESULTS.md").write_text("\n\n".join(parts) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

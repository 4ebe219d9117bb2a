"""Per-module summary of a mutmut 3 run (``make mutation``).

    python scripts/mutation_summary.py [--mutants DIR] [--equivalent FILE] [--min PCT] [--markdown]

Reads the verdicts mutmut keeps next to each mutated file (``mutants/<path>.meta``,
key ``exit_code_by_key``) and prints, per mutated source file and in total: mutants,
killed, survived, equivalent, timeout, no tests, not run and the kill rate.

Equivalent mutants (a change no input can observe) are listed in docs/quality.md, one
per line as ``- `cartera.module.x_function__mutmut_N`: reason``; they are counted apart
and left out of the rate. The rate is killed / (run to a verdict − equivalent): a
survivor, a timeout and a mutant no selected test reaches all count against it.

With ``--min PCT`` the exit status is 1 when a module with verdicts is below PCT % or
has mutants not run yet.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

#: mutmut 3's exit codes (``mutmut.stats.status_by_exit_code``), grouped for the summary;
#: any other code is mutmut's "suspicious".
_STATUS: dict[int | None, str] = {
    None: "not_run",
    0: "survived",
    1: "killed",
    3: "killed",
    5: "no_tests",
    33: "no_tests",
    34: "skipped",
    36: "timeout",
    24: "timeout",
    -24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "killed",  # caught by the type checker (mypy, which `make test` runs too)
}

_EQUIVALENT_LINE = re.compile(r"^\s*[-*]\s+`(?P<name>[\w.]+__mutmut_\d+)`")


def status(exit_code: int | None) -> str:
    """The summary's status of one mutmut exit code."""
    return _STATUS.get(exit_code, "suspicious")


@dataclass
class Tally:
    """Verdict counts of one module (or of all)."""

    module: str
    counts: dict[str, int] = field(default_factory=dict)
    equivalent: int = 0

    def add(self, verdict: str) -> None:
        self.counts[verdict] = self.counts.get(verdict, 0) + 1

    def get(self, verdict: str) -> int:
        return self.counts.get(verdict, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values()) + self.equivalent

    @property
    def run(self) -> int:
        """Mutants with a verdict (equivalent ones included)."""
        return self.total - self.get("not_run") - self.get("skipped")

    @property
    def rate(self) -> float | None:
        """Killed share of the mutants with a verdict that are not equivalent (None: none)."""
        judged = self.run - self.equivalent
        return None if judged <= 0 else self.get("killed") / judged


def equivalent_names(text: str) -> set[str]:
    """The mutant names listed as equivalent in a Markdown text (see the module doc)."""
    return {m["name"] for line in text.splitlines() if (m := _EQUIVALENT_LINE.match(line))}


def tally(
    verdicts: Mapping[str, Mapping[str, int | None]], equivalent: Iterable[str] = ()
) -> list[Tally]:
    """Per-module tallies (sorted by module) and a last one named ``all``.

    ``verdicts`` maps a module path to its mutants' exit codes. A mutant listed as
    equivalent counts as such only when it did not get killed (a listed mutant that a
    test kills is simply killed).
    """
    known = set(equivalent)
    rows: list[Tally] = []
    whole = Tally("all")
    for module in sorted(verdicts):
        row = Tally(module)
        for name, code in verdicts[module].items():
            verdict = status(code)
            if name in known and verdict in ("survived", "no_tests"):
                row.equivalent += 1
                whole.equivalent += 1
                continue
            row.add(verdict)
            whole.add(verdict)
        rows.append(row)
    return [*rows, whole]


def read_verdicts(mutants: Path) -> dict[str, dict[str, int | None]]:
    """Module path (``src/cartera/...py``) → mutant name → exit code, from mutmut's files."""
    out: dict[str, dict[str, int | None]] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        codes = data.get("exit_code_by_key") or {}
        if codes:
            out[meta.relative_to(mutants).as_posix().removesuffix(".meta")] = dict(codes)
    return out


_COLUMNS = ("killed", "survived", "timeout", "no_tests", "suspicious", "not_run")


def render(rows: list[Tally]) -> str:
    """The summary as a fixed-width text table."""
    head = ("module", "total", *_COLUMNS, "equivalent", "kill rate")
    lines: list[tuple[str, ...]] = [head]
    for r in rows:
        rate = "-" if r.rate is None else f"{100 * r.rate:.1f} %"
        counts = (str(r.get(c)) for c in _COLUMNS)
        lines.append((r.module, str(r.total), *counts, str(r.equivalent), rate))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if i == 0 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in lines
    )


def render_markdown(rows: list[Tally]) -> str:
    """The summary as a Markdown table (for docs/quality.md)."""
    head = ("module", "mutants", "killed", "survived", "equivalent", "timeout", "no tests",
            "not run", "kill rate")  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in rows:
        rate = "–" if r.rate is None else f"{100 * r.rate:.1f} %"
        name = f"`{r.module.removeprefix('src/cartera/')}`" if r.module != "all" else "all"
        cells = (name, r.total, r.get("killed"), r.get("survived"), r.equivalent,
                 r.get("timeout"), r.get("no_tests"), r.get("not_run"), rate)  # fmt: skip
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--equivalent", type=Path, default=Path("docs/quality.md"))
    parser.add_argument("--min", type=float, default=None, dest="minimum")
    parser.add_argument("--markdown", action="store_true", help="a Markdown table")
    args = parser.parse_args(argv)
    verdicts = read_verdicts(args.mutants)
    if not verdicts:
        print(f"no mutmut results under {args.mutants}/: run `make mutation` first")
        return 1
    listed = args.equivalent.read_text(encoding="utf-8") if args.equivalent.exists() else ""
    rows = tally(verdicts, equivalent_names(listed))
    print(render_markdown(rows) if args.markdown else render(rows))
    if args.minimum is None:
        return 0
    short = [
        r.module
        for r in rows[:-1]
        if r.get("not_run") or (r.rate is not None and 100 * r.rate < args.minimum)
    ]
    if short:
        print(f"below {args.minimum:g} % or not complete: {', '.join(short)}")
    return 1 if short else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The summary `make mutation` prints (scripts/mutation_summary.py) on a small sample."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from script_module import load_script


@pytest.fixture(scope="module")
def summary() -> ModuleType:
    return load_script("mutation_summary")


QUALITY = """\
### Equivalent mutants

- `cartera.segments.x__drop__mutmut_6`: a null condition is false in `CASE WHEN`.
- `cartera.segments.x__any__mutmut_1` — `NULL OR x` is true exactly when `x` is.
Not a list line: `cartera.segments.x__any__mutmut_9`.
"""


def _write_meta(root: Path, module: str, codes: dict[str, int | None]) -> None:
    meta = root / f"{module}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": codes, "durations_by_key": {}}))


def test_equivalent_names_are_read_from_list_lines_only(summary: ModuleType) -> None:
    assert summary.equivalent_names(QUALITY) == {
        "cartera.segments.x__drop__mutmut_6",
        "cartera.segments.x__any__mutmut_1",
    }


def test_rate_leaves_out_equivalent_and_not_run_and_counts_the_rest(
    summary: ModuleType, tmp_path: Path
) -> None:
    seg = "cartera.segments.x_"
    _write_meta(tmp_path, "src/cartera/segments.py", {
        f"{seg}_drop__mutmut_6": 0,     # survived, listed equivalent
        f"{seg}_any__mutmut_1": 33,     # no tests, listed equivalent
        f"{seg}_sold__mutmut_1": 1,     # killed
        f"{seg}_sold__mutmut_2": 1,
        f"{seg}_sold__mutmut_3": 3,     # pytest internal error: killed
        f"{seg}_sold__mutmut_4": 0,     # survived
        f"{seg}_sold__mutmut_5": 36,    # timeout
        f"{seg}_sold__mutmut_6": None,  # not run
    })  # fmt: skip
    _write_meta(tmp_path, "src/cartera/io/parse.py", {
        "cartera.io.parse.x_number__mutmut_1": 1,
        "cartera.io.parse.x_number__mutmut_2": 5,  # no tests
        "cartera.io.parse.x_number__mutmut_3": -11,  # segfault: suspicious
    })  # fmt: skip
    _write_meta(tmp_path, "src/cartera/engine/window.py", {})  # nothing mutated: left out
    verdicts = summary.read_verdicts(tmp_path)
    rows = summary.tally(verdicts, summary.equivalent_names(QUALITY))
    by = {r.module: r for r in rows}
    assert list(by) == ["src/cartera/io/parse.py", "src/cartera/segments.py", "all"]
    seg_row = by["src/cartera/segments.py"]
    assert (seg_row.total, seg_row.run, seg_row.equivalent) == (8, 7, 2)
    assert (seg_row.get("killed"), seg_row.get("survived"), seg_row.get("timeout")) == (3, 1, 1)
    assert seg_row.rate == pytest.approx(3 / 5)
    parse_row = by["src/cartera/io/parse.py"]
    assert (parse_row.get("no_tests"), parse_row.get("suspicious")) == (1, 1)
    assert parse_row.rate == pytest.approx(1 / 3)
    assert by["all"].rate == pytest.approx(4 / 8)
    table = summary.render(rows)
    assert "60.0 %" in table and "33.3 %" in table and "50.0 %" in table
    markdown = summary.render_markdown(rows).splitlines()
    assert markdown[2] == "| `io/parse.py` | 3 | 1 | 0 | 0 | 0 | 1 | 0 | 33.3 % |"
    assert markdown[3] == "| `segments.py` | 8 | 3 | 1 | 2 | 1 | 0 | 1 | 60.0 % |"


def test_an_equivalent_listed_mutant_that_a_test_kills_counts_as_killed(
    summary: ModuleType,
) -> None:
    rows = summary.tally(
        {"m.py": {"cartera.segments.x__drop__mutmut_6": 1}}, ["cartera.segments.x__drop__mutmut_6"]
    )
    assert (rows[0].get("killed"), rows[0].equivalent, rows[0].rate) == (1, 0, 1.0)


def test_minimum_fails_below_the_target_or_with_mutants_not_run(
    summary: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = tmp_path / "quality.md"
    docs.write_text(QUALITY)
    mutants = tmp_path / "mutants"
    codes = {f"cartera.segments.x_f__mutmut_{i}": 1 for i in range(9)}
    _write_meta(mutants, "src/cartera/segments.py", {**codes, "cartera.segments.x_f__mutmut_9": 0})
    args = ["--mutants", str(mutants), "--equivalent", str(docs), "--min", "90"]
    assert summary.main(args) == 0  # 9 of 10 = 90 %: at the target passes
    more = {"cartera.segments.x_f__mutmut_9": 0, "cartera.segments.x_f__mutmut_10": 0}
    _write_meta(mutants, "src/cartera/segments.py", {**codes, **more})
    assert summary.main(args) == 1  # 9 of 11 = 81.8 %
    _write_meta(
        mutants, "src/cartera/segments.py", {**codes, "cartera.segments.x_f__mutmut_9": None}
    )
    assert summary.main(args) == 1  # 100 % of those run, but one not run
    assert "not complete: src/cartera/segments.py" in capsys.readouterr().out
    assert summary.main(["--mutants", str(tmp_path / "none")]) == 1

"""Lists kept as frames (:class:`TableRows`): read as lists, dumped as lists, written by polars."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartera.contract_stream import WIDE, _head, _pretty, contract_parts, rows_text
from cartera.result import ROWS_CONTEXT, PortfolioAnalysis, Recommendation, TableRows

#: Floats at the edges of the exponent form (``repr`` writes 1e-05, polars 0.00001).
EDGES = [0.0, -0.0, 1e-4, -1e-4, 9.999999999999999e-05, -1e-5, 1.2e-7, 5e-324, 1e-10,
         0.00012, 1e15, 1e16, -2884.4724917808217, 1 / 3, None]  # fmt: skip
NAMES = ["Ana", 'Comillas "dobles"', "barra \\ y\nsalto", "\x00\x1f\x7f", "é😀\u2028", ""]


def _frame(size: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "client": [f"C{i}" for i in range(size)],
            "name": [NAMES[i % len(NAMES)] for i in range(size)],
            "contribution": [EDGES[i % len(EDGES)] for i in range(size)],
            "terms_days": [None if i % 4 else i for i in range(size)],
            "gain": [EDGES[(i * 7) % len(EDGES)] for i in range(size)],
            "flag": [i % 3 == 0 for i in range(size)],
        },
        schema_overrides={"contribution": pl.Float64, "gain": pl.Float64},
    )


def test_rows_read_like_the_list_of_dicts() -> None:
    frame = _frame(5)
    rows, dicts = TableRows(frame), frame.to_dicts()
    assert len(rows) == 5 and list(rows) == dicts and rows == dicts and rows == tuple(dicts)
    assert rows[0] == dicts[0] and rows[-1] == dicts[-1] and rows[-5] == dicts[0]
    assert rows[1:3] == dicts[1:3] and rows[::2] == dicts[::2] and rows[:10] == dicts
    for outside in (5, -6):
        with pytest.raises(IndexError):
            rows[outside]
    assert rows != dicts[:4] and rows != "rows" and TableRows(frame.head(0)) == []
    assert list(rows[0]) == frame.columns  # the keys in the columns' order


def test_a_recommendation_dumps_its_rows_as_a_list() -> None:
    frame = _frame(3)
    rec = Recommendation(code="let_go", priority=1, params={"a": 1, "rows": TableRows(frame)})
    expected = {"a": 1, "rows": frame.to_dicts()}
    assert rec.model_dump()["params"] == expected
    assert list(rec.model_dump(mode="json")["params"]) == ["a", "rows"]
    assert json.loads(rec.model_dump_json())["params"] == json.loads(json.dumps(expected))
    collected: dict[str, TableRows] = {}
    marked = rec.model_dump(mode="json", context={ROWS_CONTEXT: collected})["params"]
    assert marked == {"a": 1, "rows": next(iter(collected))}
    assert collected[marked["rows"]] is rec.params["rows"]


@pytest.mark.parametrize("size", [1, WIDE, WIDE + 1, 3 * WIDE + 7])
@pytest.mark.parametrize("level", [0, 3])
def test_rows_text_is_the_lists_text(size: int, level: int) -> None:
    rows = TableRows(_frame(size))
    assert rows_text(rows, level) == _pretty(rows.frame.to_dicts(), level)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        st.tuples(st.floats(allow_nan=False, allow_infinity=False) | st.none(), st.text()),
        min_size=WIDE + 1,
        max_size=WIDE + 40,
    )
)
def test_random_rows_are_written_as_json_writes_them(
    values: list[tuple[float | None, str]],
) -> None:
    frame = pl.DataFrame(values, schema={"x": pl.Float64, "s": pl.String}, orient="row")
    assert rows_text(TableRows(frame), 2) == _pretty(frame.to_dicts(), 2)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_non_finite_rows_fail_like_json(bad: float) -> None:
    frame = _frame(WIDE + 1).with_columns(gain=pl.when(pl.int_range(pl.len()) == 50).then(bad)
                                          .otherwise(pl.col("gain")))  # fmt: skip
    with pytest.raises(ValueError, match="Out of range float"):
        rows_text(TableRows(frame))


def test_other_columns_take_the_standard_librarys_path() -> None:
    quoted = _frame(WIDE + 1).rename({"name": 'na"me'})
    assert rows_text(TableRows(quoted), 1) == _pretty(quoted.to_dicts(), 1)
    dated = _frame(WIDE + 1).with_columns(day=pl.lit(dt.date(2026, 1, 1)))
    with pytest.raises(TypeError, match="not JSON serializable"):
        rows_text(TableRows(dated))


def _with_wide_alternatives(analysis: PortfolioAnalysis) -> PortfolioAnalysis:
    copy = analysis.model_copy(deep=True)
    frame = _frame(2 * WIDE)
    copy.recommendations.append(Recommendation(
        code="let_go", priority=1, clients=frame["client"].to_list(),
        params={"alternatives": TableRows(frame), "target_terms": 60},
    ))  # fmt: skip
    return copy


def test_the_let_go_alternatives_are_frames(analysis: PortfolioAnalysis) -> None:
    listed = [r for r in analysis.recommendations if "alternatives" in r.params]
    assert listed and all(isinstance(r.params["alternatives"], TableRows) for r in listed)


def test_the_head_writes_wide_rows_as_the_plain_list(analysis: PortfolioAnalysis) -> None:
    wide = _with_wide_alternatives(analysis)
    plain = wide.to_contract()
    assert plain["recommendations"][-1]["params"]["alternatives"] == _frame(2 * WIDE).to_dicts()
    plain["clients"] = ["\x00cartera-clients\x00"]
    assert _head(wide) == _pretty(plain)
    written = json.loads(b"".join(contract_parts(wide)))
    assert (
        written["recommendations"] == json.loads(json.dumps(wide.to_contract()))["recommendations"]
    )

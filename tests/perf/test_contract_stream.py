"""The streamed JSON contract is, byte for byte, what ``json.dumps(to_contract())`` writes."""

from __future__ import annotations

import io
import json

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cartera.analysis import analyze
from cartera.contract_stream import _pretty, client_chunks, write_contract
from cartera.demo import write_demo
from cartera.io import import_files
from cartera.result import PortfolioAnalysis


@pytest.fixture(scope="module")
def analysis(tmp_path_factory: pytest.TempPathFactory) -> PortfolioAnalysis:
    """One lazy analysis (serialising it, either way, builds no client objects)."""
    root = tmp_path_factory.mktemp("stream")
    write_demo(root / "data", clients=150, lines=8_000, seed=5)
    return analyze(import_files([root / "data"], into=root / "ws").workspace.path)


def _expected(analysis: PortfolioAnalysis) -> str:
    """What ``cartera analyze --format json`` prints today (cli.common.print_json)."""
    return json.dumps(analysis.to_contract(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _streamed(analysis: PortfolioAnalysis, chunk_rows: int = 20_000) -> str:
    out = io.StringIO()
    write_contract(analysis, out, chunk_rows=chunk_rows)
    return out.getvalue()


def _with_frame(analysis: PortfolioAnalysis, frame: pl.DataFrame) -> PortfolioAnalysis:
    copy = analysis.model_copy()
    copy._frame = frame
    return copy


@pytest.mark.parametrize("chunk_rows", [1, 7, 149, 150, 151, 20_000])
def test_same_bytes_as_json_dumps(analysis: PortfolioAnalysis, chunk_rows: int) -> None:
    streamed = _streamed(analysis, chunk_rows)
    assert streamed == _expected(analysis)
    parsed = json.loads(streamed)
    assert len(parsed["clients"]) == 150
    assert any(c["reasons"] for c in parsed["clients"])  # the reasons' layout is covered
    assert any(not c["reasons"] for c in parsed["clients"])


def test_streaming_does_not_build_client_objects(analysis: PortfolioAnalysis) -> None:
    _streamed(analysis)
    assert "clients" not in analysis.__dict__


def test_materialised_clients_are_kept(analysis: PortfolioAnalysis) -> None:
    built = analysis.model_copy()
    first = built.clients[0]
    assert "clients" in built.__dict__
    assert _streamed(built) == _expected(analysis)
    assert built.clients[0] is first


def test_no_clients(analysis: PortfolioAnalysis) -> None:
    empty = _with_frame(analysis, analysis.clients_frame.head(0))
    streamed = _streamed(empty)
    assert streamed == _expected(empty)
    assert json.loads(streamed)["clients"] == []
    assert list(client_chunks(empty.clients_frame, empty._settings)) == []


def test_awkward_names_are_escaped_alike(analysis: PortfolioAnalysis) -> None:
    names = ['Ñandú "el" \\ 50% S.L.', "tab\there\nline", "\x00\x1f\u2028€", "%s %(x)s", "日本"]
    frame = analysis.clients_frame.head(len(names)).with_columns(name=pl.Series(names))
    odd = _with_frame(analysis, frame)
    assert _streamed(odd, chunk_rows=2) == _expected(odd)


def test_missing_numbers_are_null(analysis: PortfolioAnalysis) -> None:
    frame = analysis.clients_frame.head(3).with_columns(
        days_to_pay=pl.Series([None, float("nan"), 12.5]),
        recency_days=pl.Series([None, 3, 4], dtype=pl.Int64),
        last_purchase=pl.Series([None, None, None], dtype=pl.Date),
    )
    holes = _with_frame(analysis, frame)
    streamed = _streamed(holes)
    assert streamed == _expected(holes)
    metrics = [c["metrics"] for c in json.loads(streamed)["clients"]]
    assert [m["days_to_pay"] for m in metrics] == [None, None, 12.5]
    assert [m["recency_days"] for m in metrics] == [None, 3, 4]


def test_infinite_values_fail_like_json(analysis: PortfolioAnalysis) -> None:
    frame = analysis.clients_frame.head(2).with_columns(revenue=pl.Series([1.0, float("inf")]))
    bad = _with_frame(analysis, frame)
    with pytest.raises(ValueError, match="Out of range float"):
        _expected(bad)
    with pytest.raises(ValueError, match="Out of range float"):
        _streamed(bad)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(data=_JSON, level=st.integers(0, 3))
def test_pretty_equals_json_dumps(data: object, level: int) -> None:
    expected = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    assert _pretty(data, level) == expected.replace("\n", "\n" + "  " * level)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_pretty_rejects_what_json_rejects(bad: float) -> None:
    with pytest.raises(ValueError, match="Out of range float"):
        _pretty({"a": [1, bad]})


def test_pretty_coerces_keys_like_json() -> None:
    data = {"x": {1: "a", 2.5: None, False: [()]}}
    assert _pretty(data) == json.dumps(data, ensure_ascii=False, indent=2)

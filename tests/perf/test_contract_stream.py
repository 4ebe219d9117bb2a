"""The streamed JSON contract parses to what ``json.dumps(to_contract())`` writes."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path
from typing import Any, get_args

import jsonschema
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartera.contract_stream import WIDE, _pretty, client_chunks, contract_parts, write_contract
from cartera.result import ClientMetrics, PortfolioAnalysis, ReasonCode

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "schema" / "analysis.schema.json"
CODES = get_args(ReasonCode)


def _expected(analysis: PortfolioAnalysis) -> Any:
    """What ``json.dumps(to_contract())`` parses back to (it raises on NaN and infinity)."""
    return json.loads(json.dumps(analysis.to_contract(), ensure_ascii=False, allow_nan=False))


def _streamed(analysis: PortfolioAnalysis, chunk_rows: int = 20_000) -> str:
    out = io.StringIO()
    write_contract(analysis, out, chunk_rows=chunk_rows)
    return out.getvalue()


def _with_frame(analysis: PortfolioAnalysis, frame: pl.DataFrame) -> PortfolioAnalysis:
    copy = analysis.model_copy()
    copy._frame = frame
    return copy


def _same(left: Any, right: Any) -> bool:
    """Equal JSON values, with ``-0.0`` told from ``0.0`` and ``1`` from ``1.0``."""
    if isinstance(left, float) and isinstance(right, float):
        return left == right and math.copysign(1, left) == math.copysign(1, right)
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    return bool(left == right)


@pytest.mark.parametrize("chunk_rows", [1, 7, 149, 150, 151, 20_000])
def test_same_values_as_json_dumps(analysis: PortfolioAnalysis, chunk_rows: int) -> None:
    streamed = _streamed(analysis, chunk_rows)
    parsed = json.loads(streamed)
    assert _same(parsed, _expected(analysis))
    jsonschema.validate(parsed, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert len(parsed["clients"]) == 150
    assert any(c["reasons"] for c in parsed["clients"])  # the reasons' layout is covered
    assert any(not c["reasons"] for c in parsed["clients"])
    assert streamed.endswith("}\n")


@pytest.mark.parametrize("chunk_rows", [7, 150, 151])
def test_parts_are_the_written_text(analysis: PortfolioAnalysis, chunk_rows: int) -> None:
    """What the web API streams, part by part, is what the command writes."""
    parts = list(contract_parts(analysis, chunk_rows=chunk_rows))
    assert b"".join(parts).decode("utf-8") == _streamed(analysis, chunk_rows)
    assert len(parts) == 2 + -(-150 // chunk_rows)  # head, one part per slice, tail


def test_one_client_per_line(analysis: PortfolioAnalysis) -> None:
    """The array's items are compact objects, one per line, indented as the contract is."""
    lines = _streamed(analysis, chunk_rows=7).split("\n")
    start = lines.index('  "clients": [')
    items = lines[start + 1 : start + 151]
    assert lines[start + 151 :] == ["  ]", "}", ""]  # the last key
    ids = [c["id"] for c in _expected(analysis)["clients"]]
    for n, (line, cid) in enumerate(zip(items, ids, strict=True)):
        assert line.startswith('    {"id":') and line.endswith("}," if n < 149 else "}")
        assert json.loads(line.strip().rstrip(","))["id"] == cid


def test_head_is_indented_as_json_dumps(analysis: PortfolioAnalysis) -> None:
    """Everything before the clients is ``json.dumps(..., indent=2)``'s text (small lists)."""
    streamed = _streamed(analysis)
    full = json.dumps(analysis.to_contract(), ensure_ascii=False, indent=2, allow_nan=False)
    head = full[: full.index('\n  "clients": [')]
    assert streamed.startswith(head + '\n  "clients": [\n    {"id":')


def test_streaming_does_not_build_client_objects(analysis: PortfolioAnalysis) -> None:
    _streamed(analysis)
    assert "clients" not in analysis.__dict__


def test_materialised_clients_are_kept(analysis: PortfolioAnalysis) -> None:
    built = analysis.model_copy()
    first = built.clients[0]
    assert "clients" in built.__dict__
    assert _same(json.loads(_streamed(built)), _expected(analysis))
    assert built.clients[0] is first


def test_no_clients(analysis: PortfolioAnalysis) -> None:
    empty = _with_frame(analysis, analysis.clients_frame.head(0))
    parsed = json.loads(_streamed(empty))
    assert _same(parsed, _expected(empty))
    assert parsed["clients"] == []
    assert list(client_chunks(empty.clients_frame, empty._settings)) == []


def test_a_result_built_from_objects_is_written_whole(analysis: PortfolioAnalysis) -> None:
    dumped = analysis.model_copy().model_dump(by_alias=True)  # the copy builds the objects
    rebuilt = PortfolioAnalysis.model_validate(dumped)
    assert rebuilt._frame is None
    streamed = _streamed(rebuilt)
    assert streamed == _pretty(rebuilt.to_contract()) + "\n"
    assert _same(json.loads(streamed), _expected(rebuilt))
    assert '  "clients": [\n    {"id":' in streamed  # more than WIDE: one per line too


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_text_streams_with_a_buffer(analysis: PortfolioAnalysis, encoding: str) -> None:
    """UTF-8: the head through the text layer, the clients to its buffer, in order; else text."""
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding=encoding)
    write_contract(analysis, out, chunk_rows=40)
    out.flush()
    assert raw.getvalue().decode(encoding) == _streamed(analysis)


def test_awkward_names_are_escaped(analysis: PortfolioAnalysis) -> None:
    names = ['Ñandú "el" \\ 50% S.L.', "tab\there\nline", "\x00\x1f\x7f\u2028€", "%s", "日本"]
    frame = analysis.clients_frame.head(len(names)).with_columns(name=pl.Series(names))
    odd = _with_frame(analysis, frame)
    streamed = _streamed(odd, chunk_rows=2)
    assert [c["name"] for c in json.loads(streamed)["clients"]] == names
    assert _same(json.loads(streamed), _expected(odd))
    assert "\x00" not in streamed and "\n    " + '{"id"' in streamed


def test_missing_numbers_are_null(analysis: PortfolioAnalysis) -> None:
    frame = analysis.clients_frame.head(3).with_columns(
        days_to_pay=pl.Series([None, float("nan"), 12.5]),
        recency_days=pl.Series([None, 3, 4], dtype=pl.Int64),
        last_purchase=pl.Series([None, None, None], dtype=pl.Date),
    )
    holes = _with_frame(analysis, frame)
    parsed = json.loads(_streamed(holes))
    assert _same(parsed, _expected(holes))
    metrics = [c["metrics"] for c in parsed["clients"]]
    assert [m["days_to_pay"] for m in metrics] == [None, None, 12.5]
    assert [m["recency_days"] for m in metrics] == [None, 3, 4]
    assert [m["last_purchase"] for m in metrics] == [None, None, None]


@pytest.mark.parametrize("bad", [float("inf"), float("-inf")])
def test_infinite_metrics_fail_like_json(analysis: PortfolioAnalysis, bad: float) -> None:
    frame = analysis.clients_frame.head(2).with_columns(revenue=pl.Series([1.0, bad]))
    wrong = _with_frame(analysis, frame)
    with pytest.raises(ValueError, match="Out of range float"):
        _expected(wrong)
    with pytest.raises(ValueError, match="Out of range float"):
        _streamed(wrong)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_reason_values_fail_like_json(analysis: PortfolioAnalysis, bad: float) -> None:
    """A NaN reason value fails (the metrics' NaN is null, a reason's value is not)."""
    frame = analysis.clients_frame.head(2).with_columns(
        reasons=pl.Series(["", "price_pressure"]), discount=pl.Series([0.0, bad])
    )
    wrong = _with_frame(analysis, frame)
    with pytest.raises(ValueError, match="Out of range float"):
        _expected(wrong)
    with pytest.raises(ValueError, match="Out of range float"):
        _streamed(wrong)


def test_unlisted_reason_values_may_be_nan(analysis: PortfolioAnalysis) -> None:
    """Only the listed codes' numbers are written: a NaN behind another code is harmless."""
    frame = analysis.clients_frame.head(2).with_columns(
        reasons=pl.Series(["", "late_payment"]), discount=pl.Series([float("nan")] * 2)
    )
    odd = _with_frame(analysis, frame)
    assert _same(json.loads(_streamed(odd)), _expected(odd))


def test_unknown_reason_code_fails(analysis: PortfolioAnalysis) -> None:
    frame = analysis.clients_frame.head(1).with_columns(reasons=pl.lit("price_pressure,vip"))
    with pytest.raises(ValueError, match="vip"):
        _streamed(_with_frame(analysis, frame))


_FLOAT_EDGES = [-0.0, 0.0, 1e-7, 1e16, 1e22, 5e-324, 1.7976931348623157e308, 0.1, 1 / 3]
_FLOATS = (
    st.none()
    | st.sampled_from([*_FLOAT_EDGES, float("nan")])
    | st.floats(allow_nan=True, allow_infinity=False)
)
_INTS = (
    st.none()
    | st.sampled_from([0, -1, 2**53 + 1, 2**63 - 1, -(2**63)])
    | st.integers(-(2**63), 2**63 - 1)
)
_TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from('"\\\n\r\t\x00\x1f\u2028\u2029'))


def _kind(name: str) -> str:
    text = str(ClientMetrics.model_fields[name].annotation)
    return next((k for k in ("float", "int", "date") if k in text), "str")


@st.composite
def _frames(draw: st.DrawFn, base: pl.DataFrame) -> pl.DataFrame:
    """``base``'s first rows with random names, ids, reasons and metrics (NaN, nulls, edges)."""
    n = draw(st.integers(1, 6))
    columns: dict[str, pl.Series] = {
        "id": pl.Series(draw(st.lists(_TEXT, min_size=n, max_size=n)), dtype=pl.String),
        "name": pl.Series(draw(st.lists(_TEXT, min_size=n, max_size=n)), dtype=pl.String),
        "reasons": pl.Series(
            [",".join(draw(st.lists(st.sampled_from(CODES), max_size=3))) for _ in range(n)]
        ),
    }
    values = {
        "float": (_FLOATS, pl.Float64),
        "int": (_INTS, pl.Int64),
        "date": (st.none() | st.dates(), pl.Date),
    }
    for name in draw(st.lists(st.sampled_from(list(ClientMetrics.model_fields)), max_size=8)):
        if (kind := _kind(name)) in values:
            strategy, dtype = values[kind]
            columns[name] = pl.Series(draw(st.lists(strategy, min_size=n, max_size=n)), dtype=dtype)
    for name in ("discount", "service_cost"):  # two reason numbers read beyond the metrics
        floats = draw(st.lists(_FLOATS, min_size=n, max_size=n))
        columns[name] = pl.Series(floats, dtype=pl.Float64)
    return base.head(n).with_columns(**columns)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), chunk_rows=st.integers(1, 4))
def test_random_frames_parse_to_the_contract(
    analysis: PortfolioAnalysis, data: st.DataObject, chunk_rows: int
) -> None:
    frame = data.draw(_frames(analysis.clients_frame))
    random = _with_frame(analysis, frame)
    try:
        expected = _expected(random)
    except ValueError:  # a NaN or infinite reason value, or an overflowing ratio
        with pytest.raises(ValueError, match="Out of range float"):
            _streamed(random, chunk_rows)
        return
    assert _same(json.loads(_streamed(random, chunk_rows)), expected)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(data=_JSON, level=st.integers(0, 3))
def test_pretty_equals_json_dumps(data: object, level: int) -> None:
    """Below :data:`WIDE` members per container, the text of ``json.dumps(indent=2)``."""
    expected = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False)
    assert _pretty(data, level) == expected.replace("\n", "\n" + "  " * level)


@pytest.mark.parametrize("size", [WIDE, WIDE + 1])
def test_wide_containers_have_one_compact_member_per_line(size: int) -> None:
    items = [{"client": f"C{i}", "gain": i / 3, "terms": None} for i in range(size)]
    data = {"alternatives": items, "names": {f"C{i}": f'"{i}"\n' for i in range(size)}}
    text = _pretty(data)
    assert json.loads(text) == data
    if size <= WIDE:
        assert text == json.dumps(data, ensure_ascii=False, indent=2)
    else:
        lines = text.split("\n")
        assert lines[2] == '    {"client":"C0","gain":0.0,"terms":null},'
        assert lines[size + 4] == '    "C0": "\\"0\\"\\n",'
        assert len(lines) == 2 * size + 6


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), float("-inf")])
def test_pretty_rejects_what_json_rejects(bad: float) -> None:
    with pytest.raises(ValueError, match="Out of range float"):
        _pretty({"a": [1, bad]})
    with pytest.raises(ValueError, match="Out of range float"):
        _pretty({"a": [{"x": bad}] * (WIDE + 1)})


def test_pretty_coerces_keys_like_json() -> None:
    data = {"x": {1: "a", 2.5: None, False: [()]}}
    assert _pretty(data) == json.dumps(data, ensure_ascii=False, indent=2)


def test_the_docs_state_the_layout() -> None:
    docs = (SCHEMA.parents[1] / "json-contract.md").read_text(encoding="utf-8")
    assert f"more than {WIDE} members" in " ".join(docs.split())
    assert "one compact client object per line" in " ".join(docs.split())


def _one_per_line(opening: str, members: list[str], closing: str, level: int) -> str:
    inner = "\n" + "  " * (level + 1)
    return opening + inner + ("," + inner).join(members) + "\n" + "  " * level + closing


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


AWKWARD = ["plain", 'quote " here', "back\\slash", "new\nline", "tab\t", "ñandú €", "\x01", ""]


@pytest.mark.parametrize("extra", [0, 1])
def test_wide_lists_of_strings_one_per_line(extra: int) -> None:
    """More than WIDE strings: each written as json writes it (the C string encoder's path)."""
    ids = [AWKWARD[i % len(AWKWARD)] + str(i) for i in range(WIDE + extra)]
    text = _pretty({"clients": ids}, 0)
    assert json.loads(text) == {"clients": ids}
    if extra:  # one more than WIDE: one compact member per line
        body = _one_per_line("[", [_compact(v) for v in ids], "]", 1)
        assert text == '{\n  "clients": ' + body + "\n}"
    else:  # WIDE members: json.dumps' own indentation
        assert text == json.dumps({"clients": ids}, ensure_ascii=False, indent=2)


def test_a_wide_list_with_one_non_string_takes_the_compact_path() -> None:
    values: list[Any] = [str(i) for i in range(WIDE)] + [1.5, None, {"a": 1}]
    text = _pretty(values, 2)
    assert text == _one_per_line("[", [_compact(v) for v in values], "]", 2)
    assert json.loads(text) == values


@pytest.mark.parametrize("odd", [None, 3, 'x"y'])
def test_wide_objects_one_member_per_line(odd: Any) -> None:
    """Names by id (all strings) and any other wide object: ``"key": compact value`` lines."""
    names: dict[str, Any] = {f"C{i}": AWKWARD[i % len(AWKWARD)] for i in range(WIDE)}
    names["last"] = odd
    text = _pretty(names, 1)
    members = [_compact(k) + ": " + _compact(v) for k, v in names.items()]
    assert text == _one_per_line("{", members, "}", 1)
    assert json.loads(text) == names

"""Survey tokens: expired, reused, tampered, other firm's → refused; answers checked."""

from __future__ import annotations

import datetime as dt

import pytest

from cartera.assistant.surveys import (
    SurveyError,
    answer,
    csat_share,
    hash_token,
    issue,
    nps,
    verify,
)

NOW = dt.datetime(2026, 11, 2, 9, 0)


def _issued() -> tuple[str, dict]:
    raw, record = issue("firm-1", "C001", "csat", NOW, days=14, lang="en")
    return raw, {record.token_hash: record}


def _refused(raw: str, store: dict, *, firm: str = "firm-1",
             when: dt.datetime = NOW) -> str:  # fmt: skip
    with pytest.raises(SurveyError) as info:
        verify(raw, firm, store, when)
    return info.value.reason


def test_a_fresh_token_verifies_and_is_stored_hashed() -> None:
    raw, store = _issued()
    record = verify(raw, "firm-1", store, NOW)
    assert record.client_id == "C001" and record.lang == "en"
    assert record.token_hash == hash_token(raw) and len(record.token_hash) == 64
    assert raw not in repr(record) and "C001" not in raw
    assert len(raw) >= 43  # 32 random bytes, URL-safe
    assert issue("firm-1", "C001", "csat", NOW)[0] != raw


def test_expiry_edges() -> None:
    raw, store = _issued()
    expires = NOW + dt.timedelta(days=14)
    assert verify(raw, "firm-1", store, expires - dt.timedelta(seconds=1)).client_id == "C001"
    assert _refused(raw, store, when=expires) == "expired"
    assert _refused(raw, store, when=expires + dt.timedelta(seconds=1)) == "expired"


def test_tampered_other_firm_and_reused_are_refused() -> None:
    raw, store = _issued()
    tampered = raw[:-1] + ("A" if raw[-1] != "A" else "B")
    assert _refused(tampered, store) == "unknown"
    assert _refused("", store) == "unknown"
    assert _refused("x" * 500, store) == "unknown"
    assert _refused(raw, store, firm="firm-2") == "other_firm"
    used, entry = answer(verify(raw, "firm-1", store, NOW), 5, NOW)
    store[used.token_hash] = used
    assert _refused(raw, store) == "used"
    assert (entry.kind, entry.outcome, entry.client_id, entry.when) == (
        "survey",
        "csat:5",
        "C001",
        NOW.date(),
    )


@pytest.mark.parametrize(
    ("scale", "score", "ok"),
    [("csat", 0, False), ("csat", 1, True), ("csat", 5, True), ("csat", 6, False),
     ("nps", -1, False), ("nps", 0, True), ("nps", 10, True), ("nps", 11, False),
     ("nps", True, False)],
)  # fmt: skip
def test_answer_range(scale: str, score: int, ok: bool) -> None:
    _raw, record = issue("f", "C", scale, NOW)  # type: ignore[arg-type]
    if ok:
        assert answer(record, score, NOW)[1].outcome == f"{scale}:{score}"
    else:
        with pytest.raises(SurveyError) as info:
            answer(record, score, NOW)
        assert info.value.reason == "bad_score"


def test_nps_and_csat_aggregates() -> None:
    assert nps([10, 9, 8, 7, 6, 0]) == pytest.approx(100 * (2 - 2) / 6)
    assert nps([10, 10, 6]) == pytest.approx(100 / 3)
    assert nps([]) is None
    assert csat_share([5, 4, 3, 1]) == 0.5
    assert csat_share([]) is None
    with pytest.raises(SurveyError):
        issue("f", "C", "stars", NOW)  # type: ignore[arg-type]

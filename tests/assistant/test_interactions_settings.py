"""The interaction log's shape and checks; the assistant settings from TOML."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from cartera.assistant.interactions import (
    INTERACTION_SCHEMA,
    check_interactions,
    from_activities,
)
from cartera.assistant.settings import AssistantSettings, load_assistant_settings
from cartera.errors import InputError, SettingsError
from cartera.i18n import language


def test_activities_become_interactions() -> None:
    acts = pl.DataFrame({
        "client_id": ["A", "B", "C"], "date": [dt.date(2026, 1, 2)] * 3,
        "kind": ["call", "dance", None], "hours": [0.5, 1.0, 2.0], "note": ["hola", None, "x"],
    })  # fmt: skip
    log = from_activities(acts)
    assert dict(log.schema) == INTERACTION_SCHEMA
    assert log["kind"].to_list() == ["call", "note", "note"]
    assert log["channel"].to_list() == ["phone", None, None]
    assert log["note"].to_list() == ["hola", None, "x"]
    assert log["rule"].null_count() == 3
    bare = from_activities(acts.drop("note"))
    assert bare["note"].null_count() == 3


def test_check_names_each_bad_row() -> None:
    frame = pl.DataFrame({"client_id": ["A", None, "C"], "when": ["2026-01-02", "2026-01-03", "x"],
                          "kind": ["call", "visit", "telepathy"]})  # fmt: skip
    with pytest.raises(InputError) as info:
        check_interactions(frame.with_columns(pl.col("when").str.to_date(strict=False)), "log.csv")
    found = {(p.row, p.column, p.value) for p in info.value.problems}
    assert found == {(2, "client_id", None), (3, "when", None), (3, "kind", "telepathy")}
    with language("es"):
        assert "El registro de interacciones tiene filas incorrectas." in info.value.render()
    with pytest.raises(InputError) as missing:
        check_interactions(pl.DataFrame({"client_id": ["A"]}))
    assert [p.column for p in missing.value.problems] == ["when", "kind"]
    ok = check_interactions(pl.DataFrame({"client_id": ["A"], "when": [dt.date(2026, 1, 1)],
                                          "kind": ["call"]}))  # fmt: skip
    assert ok.columns == list(INTERACTION_SCHEMA)


def test_settings_from_toml_and_their_checks(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('window_months = 12\n[assistant]\nstructure_call_days = 14\n'
                    '[assistant.churn]\nat_risk_quantile = 0.9\n', encoding="utf-8")  # fmt: skip
    s = load_assistant_settings(path)
    assert (s.structure_call_days, s.churn.at_risk_quantile, s.regular_days) == (14, 0.9, 182)
    assert load_assistant_settings(None) == AssistantSettings()
    path.write_text("[assistant]\nstructure_call_days = 0\n", encoding="utf-8")
    with pytest.raises(SettingsError) as info:
        load_assistant_settings(path)
    assert info.value.problems[0].params["setting"] == "assistant.structure_call_days"
    path.write_text("[assistant.health]\nsatisfaction = 0.5\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        load_assistant_settings(path)  # weights no longer add up to 1
    bad_ladder = ('[[assistant.dunning]]\nname = "firm"\ndays = 15\nchannel = "email"\n'
                  'template = "dunning_firm"\n[[assistant.dunning]]\nname = "friendly"\ndays = 1\n'
                  'channel = "email"\ntemplate = "dunning_friendly"\n')  # fmt: skip
    path.write_text(bad_ladder, encoding="utf-8")
    with pytest.raises(SettingsError):
        load_assistant_settings(path)
    with pytest.raises(SettingsError):
        load_assistant_settings(tmp_path / "missing.toml")
    path.write_text("[assistant\n", encoding="utf-8")
    with pytest.raises(SettingsError):
        load_assistant_settings(path)

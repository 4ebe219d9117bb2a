"""The committed mutation verdicts (scripts/mutation_state.py): saved, then restored only
where mutmut would keep them itself."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from script_module import load_script

FP = {"test_execution": "a1", "test_selection": "b2", "timeout": "c3", "type_check": "d4"}
SEG = "cartera.segments"


@pytest.fixture(scope="module")
def state() -> ModuleType:
    return load_script("mutation_state")


def _meta(
    root: Path, codes: dict[str, int | None], hashes: dict[str, str], path: str = "segments.py"
) -> Path:
    meta = root / "src" / "cartera" / f"{path}.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(
        json.dumps({
            "exit_code_by_key": codes,
            "hash_by_function_name": hashes,
            "type_check_error_by_key": {},
            "durations_by_key": {},
            "estimated_durations_by_key": {},
        })
    )  # fmt: skip
    return meta


def _codes(meta: Path) -> dict[str, Any]:
    codes: dict[str, Any] = json.loads(meta.read_text())["exit_code_by_key"]
    return codes


RUN = {
    f"{SEG}.x_drop__mutmut_1": 1,  # killed
    f"{SEG}.x_drop__mutmut_2": 0,  # survived
    f"{SEG}.x_drop__mutmut_3": 36,  # timeout
    f"{SEG}.x_drop__mutmut_4": 37,  # type checker: found again by every run
    f"{SEG}.x_drop__mutmut_5": None,  # not run
    f"{SEG}.xǁRulesǁpick__mutmut_1": 1,
}
HASHES = {"x_drop": "h-drop", "xǁRulesǁpick": "h-pick"}


def _saved(state: ModuleType, tmp_path: Path, fp: dict[str, str] = FP) -> Path:
    _meta(tmp_path / "run", RUN, HASHES)
    out = tmp_path / "verdicts.json"
    assert state.save(tmp_path / "run", out, fp) == 0
    return out


def test_a_save_restores_every_decided_verdict_but_the_type_checkers(
    state: ModuleType, tmp_path: Path
) -> None:
    out = _saved(state, tmp_path)
    saved = json.loads(out.read_text())
    assert saved["config_fingerprint"] == FP
    assert saved["files"]["src/cartera/segments.py"]["x_drop"] == {
        "module": SEG,
        "hash": "h-drop",
        "verdicts": {"1": 1, "2": 0, "3": 36},
    }
    fresh = tmp_path / "fresh"
    assert state.restore(fresh, out, FP) == 0
    meta = fresh / "src" / "cartera" / "segments.py.meta"
    assert _codes(meta) == {
        f"{SEG}.x_drop__mutmut_1": 1,
        f"{SEG}.x_drop__mutmut_2": 0,
        f"{SEG}.x_drop__mutmut_3": 36,
        f"{SEG}.xǁRulesǁpick__mutmut_1": 1,
    }
    # The saved hashes go with them: mutmut resets a function whose source hash differs.
    assert json.loads(meta.read_text())["hash_by_function_name"] == HASHES


@pytest.mark.parametrize("group", ["test_execution", "test_selection"])
def test_nothing_is_restored_when_the_tests_run_differently(
    state: ModuleType, tmp_path: Path, group: str
) -> None:
    out = _saved(state, tmp_path)
    fresh = tmp_path / "fresh"
    assert state.restore(fresh, out, {**FP, group: "changed"}) == 0
    assert not (fresh / "src" / "cartera" / "segments.py.meta").exists()


def test_changed_timeouts_drop_the_timeouts_only(state: ModuleType, tmp_path: Path) -> None:
    out = _saved(state, tmp_path)
    fresh = tmp_path / "fresh"
    state.restore(fresh, out, {**FP, "timeout": "changed", "type_check": "changed"})
    codes = _codes(fresh / "src" / "cartera" / "segments.py.meta")
    assert f"{SEG}.x_drop__mutmut_3" not in codes
    assert codes[f"{SEG}.x_drop__mutmut_2"] == 0


def test_a_function_mutmut_has_since_seen_changed_keeps_its_own_verdicts(
    state: ModuleType, tmp_path: Path
) -> None:
    out = _saved(state, tmp_path)
    here = tmp_path / "here"
    meta = _meta(
        here,
        {f"{SEG}.x_drop__mutmut_1": None, f"{SEG}.xǁRulesǁpick__mutmut_1": 0},
        {"x_drop": "h-drop-new", "xǁRulesǁpick": "h-pick"},
    )
    state.restore(here, out, FP)
    codes = _codes(meta)
    assert codes[f"{SEG}.x_drop__mutmut_1"] is None  # its source changed: run again
    assert f"{SEG}.x_drop__mutmut_2" not in codes
    assert codes[f"{SEG}.xǁRulesǁpick__mutmut_1"] == 0  # a newer verdict is never replaced
    assert json.loads(meta.read_text())["hash_by_function_name"]["x_drop"] == "h-drop-new"


def test_a_not_run_mutant_of_an_unchanged_function_gets_its_saved_verdict(
    state: ModuleType, tmp_path: Path
) -> None:
    out = _saved(state, tmp_path)
    here = tmp_path / "here"
    meta = _meta(here, {f"{SEG}.x_drop__mutmut_2": None}, {"x_drop": "h-drop"})
    state.restore(here, out, FP)
    assert _codes(meta)[f"{SEG}.x_drop__mutmut_2"] == 0


def test_a_later_save_keeps_earlier_verdicts_of_functions_it_did_not_run(
    state: ModuleType, tmp_path: Path
) -> None:
    out = _saved(state, tmp_path)
    later = tmp_path / "later"
    _meta(
        later,
        {f"{SEG}.x_drop__mutmut_2": 1, f"{SEG}.x_drop__mutmut_5": 0},
        {"x_drop": "h-drop"},
    )
    _meta(later, {"cartera.engine.x_f__mutmut_1": 1}, {"x_f": "h-f"}, "engine.py")
    state.save(later, out, FP)
    files = json.loads(out.read_text())["files"]
    seg = files["src/cartera/segments.py"]
    # This run's verdicts win; the earlier ones of the same function fill the gaps.
    assert seg["x_drop"]["verdicts"] == {"1": 1, "2": 1, "3": 36, "5": 0}
    assert seg["xǁRulesǁpick"]["verdicts"] == {"1": 1}
    assert files["src/cartera/engine.py"]["x_f"]["verdicts"] == {"1": 1}


def test_a_later_save_drops_earlier_verdicts_of_a_changed_function_or_configuration(
    state: ModuleType, tmp_path: Path
) -> None:
    out = _saved(state, tmp_path)
    later = tmp_path / "later"
    _meta(later, {f"{SEG}.x_drop__mutmut_1": 0}, {"x_drop": "h-drop-new"})
    state.save(later, out, FP)
    seg = json.loads(out.read_text())["files"]["src/cartera/segments.py"]
    assert seg["x_drop"] == {"module": SEG, "hash": "h-drop-new", "verdicts": {"1": 0}}
    assert "xǁRulesǁpick" in seg  # untouched function: kept
    state.save(later, out, {**FP, "test_selection": "changed"})
    seg = json.loads(out.read_text())["files"]["src/cartera/segments.py"]
    assert list(seg) == ["x_drop"]  # another configuration: only this run's verdicts


def test_without_a_saved_file_or_a_run_nothing_happens(state: ModuleType, tmp_path: Path) -> None:
    assert state.restore(tmp_path / "m", tmp_path / "absent.json", FP) == 0
    assert not (tmp_path / "m").exists()
    assert state.save(tmp_path / "absent", tmp_path / "v.json", FP) == 1
    assert not (tmp_path / "v.json").exists()

"""Keep mutmut's verdicts in the repository, so a mutation run resumes on any checkout.

    python scripts/mutation_state.py save [--mutants DIR] [--out FILE]
    python scripts/mutation_state.py restore [--mutants DIR] [--state FILE]

mutmut 3 keeps its verdicts in ``mutants/<path>.meta`` (``exit_code_by_key``) next to
the hash of each mutated function (``hash_by_function_name``), and ``mutants/`` is not
committed: a fresh clone starts the whole run again, hours of machine time.

``save`` writes every verdict with its function's hash and mutmut's configuration
fingerprint (the pyproject settings that can change a verdict) to
``docs/mutation-verdicts.json``. ``restore`` (``make mutation`` runs it first) puts them
back where mutmut reads them, under the same rule mutmut applies to its own cache: a
verdict is kept only while its function's source is unchanged (same hash); a changed
function's mutants are run again. It restores nothing when the test selection or the
way tests run changed (the fingerprint's ``test_execution`` and ``test_selection``),
drops timeouts when the timeouts changed, and never restores the type checker's verdicts
(mutmut's type-check filter finds them again on every run). A verdict already in
``mutants/`` is never overwritten.

What mutmut's cache does not see, this file does not either: a killed verdict stays
killed if the test that killed it is later deleted. Run ``make mutation MUTANTS=...``
by name to re-check after removing tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

#: Where the verdicts are kept (committed).
STATE = Path("docs/mutation-verdicts.json")
#: mutmut's exit codes for the type checker's verdict and for a timeout.
_TYPE_CHECK = 37
_TIMEOUTS = frozenset({24, -24, 36, 152, 255})
#: The fingerprint groups that decide whether any verdict can be reused.
_GLOBAL_GROUPS = ("test_execution", "test_selection")


def _function(key: str) -> tuple[str, str]:
    """(module, mangled function) of a mutant's key, as mutmut splits it."""
    mangled = key.partition("__mutmut_")[0]
    module, _, function = mangled.rpartition(".")
    return module, function


def _number(key: str) -> str:
    return key.rpartition("__mutmut_")[2]


def _metas(mutants: Path) -> list[Path]:
    return sorted(mutants.rglob("*.py.meta"))


def _source_of(meta: Path, mutants: Path) -> str:
    """The source path a meta file describes (``mutants/src/x.py.meta`` → ``src/x.py``)."""
    return meta.relative_to(mutants).as_posix().removesuffix(".meta")


def fingerprint() -> dict[str, str]:
    """mutmut's configuration fingerprint for this checkout's pyproject."""
    from mutmut.configuration import config

    return dict(config().config_fingerprint())


def collect(mutants: Path) -> dict[str, Any]:
    """Every decided verdict under ``mutants``, grouped by file and function."""
    files: dict[str, Any] = {}
    for meta in _metas(mutants):
        data = json.loads(meta.read_text())
        hashes: Mapping[str, str] = data.get("hash_by_function_name", {})
        functions: dict[str, Any] = {}
        for key, code in data.get("exit_code_by_key", {}).items():
            if code is None or code == _TYPE_CHECK:
                continue
            module, function = _function(key)
            if function not in hashes:
                continue
            entry = functions.setdefault(
                function, {"module": module, "hash": hashes[function], "verdicts": {}}
            )
            entry["verdicts"][_number(key)] = code
        if functions:
            files[_source_of(meta, mutants)] = dict(sorted(functions.items()))
    return files


def _git_head() -> str | None:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip() or None


def save(mutants: Path, out: Path, fp: Mapping[str, str]) -> int:
    if not mutants.is_dir():
        print(f"No {mutants}/ folder: nothing to save.", file=sys.stderr)
        return 1
    files = collect(mutants)
    previous = _load(out)
    if previous is not None and previous.get("config_fingerprint") == dict(fp):
        # Verdicts saved earlier for functions this run did not reach keep their place
        # (a run by name, or one stopped early, only adds to what is known).
        for path, functions in previous.get("files", {}).items():
            merged = files.setdefault(path, {})
            for name, entry in functions.items():
                mine = merged.get(name)
                if mine is None:
                    merged[name] = entry
                elif mine["hash"] == entry["hash"]:
                    mine["verdicts"] = {**entry["verdicts"], **mine["verdicts"]}
            files[path] = dict(sorted(merged.items()))
    state = {
        "about": "mutmut verdicts by function hash; scripts/mutation_state.py",
        "mutmut": _mutmut_version(),
        "config_fingerprint": dict(fp),
        "commit": _git_head(),
        "saved": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": dict(sorted(files.items())),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, indent=1, sort_keys=False) + "\n")
    tmp.replace(out)
    count = sum(len(f["verdicts"]) for fs in state["files"].values() for f in fs.values())
    print(f"Saved {count} verdicts of {len(state['files'])} files to {out}.")
    return 0


def _mutmut_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("mutmut")
    except PackageNotFoundError:
        return None


def _load(path: Path) -> dict[str, Any] | None:
    if not path.exists():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def restore(mutants: Path, state_path: Path, fp: Mapping[str, str]) -> int:
    state = _load(state_path)
    if state is None:
        print(f"No {state_path}: the run starts from nothing.")
        return 0
    saved_fp, current_fp = state.get("config_fingerprint", {}), fp
    changed = [g for g in _GLOBAL_GROUPS if saved_fp.get(g) != current_fp.get(g)]
    if changed:
        print(
            f"Not restoring {state_path}: mutmut's {', '.join(changed)} settings changed "
            "since it was saved, so every mutant runs again."
        )
        return 0
    keep_timeouts = saved_fp.get("timeout") == current_fp.get("timeout")
    restored = skipped = 0
    for source, functions in state.get("files", {}).items():
        meta = mutants / f"{source}.meta"
        data: dict[str, Any] = (
            json.loads(meta.read_text())
            if meta.exists()
            else {
                "exit_code_by_key": {},
                "hash_by_function_name": {},
                "type_check_error_by_key": {},
                "durations_by_key": {},
                "estimated_durations_by_key": {},
            }
        )
        codes, hashes = data["exit_code_by_key"], data["hash_by_function_name"]
        for function, entry in functions.items():
            if function in hashes and hashes[function] != entry["hash"]:
                skipped += len(entry["verdicts"])  # mutmut already knows a newer source
                continue
            # An absent hash is written as saved: mutmut compares it with the source's
            # when it generates the file, and resets the function's verdicts if they differ.
            hashes.setdefault(function, entry["hash"])
            for number, code in entry["verdicts"].items():
                if code in _TIMEOUTS and not keep_timeouts:
                    continue
                key = f"{entry['module']}.{function}__mutmut_{number}"
                if codes.get(key) is None:
                    codes[key] = code
                    restored += 1
        meta.parent.mkdir(parents=True, exist_ok=True)
        meta.write_text(json.dumps(data, indent=4))
    print(
        f"Restored {restored} verdicts from {state_path} (saved {state.get('saved')} at "
        f"{(state.get('commit') or '?')[:9]}); mutmut keeps those whose function is unchanged."
        + (f" {skipped} were older than mutants/ and left out." if skipped else "")
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("save", "restore"))
    parser.add_argument("--mutants", type=Path, default=Path("mutants"))
    parser.add_argument("--state", "--out", dest="state", type=Path, default=STATE)
    args = parser.parse_args(argv)
    if args.action == "save":
        return save(args.mutants, args.state, fingerprint())
    return restore(args.mutants, args.state, fingerprint())


if __name__ == "__main__":
    sys.exit(main())

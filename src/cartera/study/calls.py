"""A call log kept as a spreadsheet: one row per call, read into :class:`Call` objects.

Until the web app stores calls, an assistant can keep them in a CSV or Excel
sheet: prospect id, date and time, result, outcome, callback date, meeting
date, assistant, note. Results and outcomes are accepted as the codes or as
the Spanish and English words of :data:`RESULT_WORDS` and :data:`OUTCOME_WORDS`.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Final

from cartera.errors import InputError, Problem
from cartera.i18n import N_
from cartera.io.aliases import normalise_header, normalise_word
from cartera.io.options import ReadOptions
from cartera.io.source import ROW, open_source
from cartera.study.campaign import Call

__all__ = ["CALL_ALIASES", "OUTCOME_WORDS", "RESULT_WORDS", "parse_moment", "read_calls"]

CALL_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "prospect": ("Prospecto", "Id prospecto", "Prospect", "Prospect id", "Id"),
    "at": ("Fecha", "Fecha y hora", "Llamada", "Date", "Called at", "When"),
    "result": ("Resultado", "Result"),
    "outcome": ("Desenlace", "Respuesta", "Outcome"),
    "callback_at": ("Volver a llamar", "Rellamada", "Callback", "Call back"),
    "meeting_at": ("Reunión", "Cita", "Meeting"),
    "assistant": ("Asistente", "Agente", "Assistant", "Agent"),
    "note": ("Nota", "Notas", "Note", "Notes"),
}
RESULT_WORDS: Final = {
    "no_answer": ("no_answer", "no answer", "sin respuesta", "no contesta"),
    "voicemail": ("voicemail", "buzón de voz", "buzón", "contestador"),
    "busy": ("busy", "comunica", "ocupado"),
    "wrong_number": ("wrong_number", "wrong number", "número equivocado", "equivocado"),
    "reached": ("reached", "contactado", "hablado", "atendida"),
}
OUTCOME_WORDS: Final = {
    "meeting_booked": ("meeting_booked", "meeting booked", "reunión", "cita", "reunión concertada"),
    "call_back": ("call_back", "call back", "volver a llamar", "rellamar"),
    "not_interested": ("not_interested", "not interested", "no interesado", "no le interesa"),
    "not_a_fit": ("not_a_fit", "not a fit", "no encaja", "no es cliente objetivo"),
}
_FORMATS: Final = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%d %H:%M")


def _lookup(words: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_word(w): code for code, ws in words.items() for w in ws}


def parse_moment(text: str) -> dt.datetime | None:
    """``25/11/2026 10:30``, ``25/11/2026`` or ISO 8601; None when it is none of them."""
    text = text.strip()
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    for fmt in _FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def read_calls(path: str | Path, options: ReadOptions | None = None) -> list[Call]:
    """Every call of a call-log sheet, in file order.

    Raises
    ------
    InputError
        When the prospect or date column is missing, or a row has a date,
        result or outcome that cannot be read, or breaks a rule of
        :class:`Call` (each bad row listed with its row and column).
    """
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="cartera-calls-") as work:
        raw = open_source(path, options or ReadOptions(), Path(work))
        frame = raw.frame.collect()
    index = {normalise_header(a): role for role, al in CALL_ALIASES.items() for a in al}
    roles: dict[str, int] = {}
    for i, header in enumerate(raw.headers):
        role = index.get(normalise_header(header))
        if role and role not in roles:
            roles[role] = i
    missing = [r for r in ("prospect", "at", "result") if r not in roles]
    if missing:
        raise InputError(
            N_("{file}: a call log needs a prospect, a date and a result column; missing: "
               "{roles}."),
            file=path.name, roles=", ".join(missing),
        )  # fmt: skip
    calls, problems = [], []
    for record in frame.iter_rows(named=True):
        cells = {r: (record[f"c{i}"] or "").strip() for r, i in roles.items()}
        if not any(cells.values()):
            continue
        try:
            calls.append(_call(cells, raw.headers, roles, path.name, record[ROW]))
        except _BadCell as bad:
            problems.append(bad.problem)
        except InputError as exc:
            problems.append(Problem(exc.message, file=path.name, row=record[ROW],
                                    params=exc.params))  # fmt: skip
    if problems:
        raise InputError(N_("{file}: some calls cannot be read."), problems[:50],
                         total=len(problems), file=path.name)  # fmt: skip
    return calls


class _BadCell(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _call(
    cells: dict[str, str], headers: list[str], roles: dict[str, int], file: str, row: int
) -> Call:
    def bad(role: str, expected: str) -> _BadCell:
        return _BadCell(Problem(expected, file=file, row=row, column=headers[roles[role]],
                                value=cells[role]))  # fmt: skip

    def moment(role: str) -> dt.datetime | None:
        if not cells.get(role):
            return None
        value = parse_moment(cells[role])
        if value is None:
            raise bad(role, N_("not a date and time; expected dd/mm/yyyy hh:mm"))
        return value

    at = moment("at")
    if at is None or not cells["prospect"]:
        raise bad("at" if at is None else "prospect", N_("a call needs a prospect and a date"))
    result = _lookup(RESULT_WORDS).get(normalise_word(cells["result"]))
    if result is None:
        raise bad("result", N_("not a call result; expected no answer, voicemail, busy, "
                               "wrong number or reached"))  # fmt: skip
    outcome = None
    if cells.get("outcome"):
        outcome = _lookup(OUTCOME_WORDS).get(normalise_word(cells["outcome"]))
        if outcome is None:
            raise bad("outcome", N_("not an outcome; expected meeting booked, call back, not "
                                    "interested or not a fit"))  # fmt: skip
    return Call(
        prospect_id=cells["prospect"],
        at=at,
        result=result,  # type: ignore[arg-type]
        outcome=outcome,  # type: ignore[arg-type]
        assistant=cells.get("assistant") or None,
        callback_at=moment("callback_at"),
        meeting_at=moment("meeting_at"),
        note=cells.get("note", ""),
    )

"""Typed errors of the core, rendered once per adapter in the user's language.

Every user mistake is a :class:`CarteraError`. Input problems carry a list of
:class:`Problem` records naming the file, the spreadsheet row (header = row 1),
the column as written in the file, the value, and what was expected.
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from cartera.i18n import N_, _

__all__ = [
    "AmbiguousFormatError",
    "CarteraError",
    "InputError",
    "MissingExtraError",
    "OutputError",
    "Problem",
    "SettingsError",
    "UnknownClientError",
    "os_error_text",
]

#: How many problems an error lists before summarising the rest.
MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input.

    ``message`` is an English message id (translated at render time) formatted
    with ``params``; the location fields are optional because some problems
    concern a whole file.
    """

    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None
    params: Mapping[str, Any] = field(default_factory=dict)
    code: str = "invalid"

    def text(self) -> str:
        """The localised description without the location."""
        return _(self.message).format(**self.params)

    def render(self) -> str:
        """The localised one-line description with its location."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.row is not None:
            parts.append(_("row {row}").format(row=self.row))
        if self.column is not None:
            parts.append(_("column «{column}»").format(column=self.column))
        if self.value is not None:
            parts.append(_("value «{value}»").format(value=self.value))
        where = ", ".join(parts)
        return f"{where}: {self.text()}" if where else self.text()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.text(),
        }


class CarteraError(Exception):
    """Base of every error a user can cause. ``render()`` gives the localised text."""

    exit_code = 1

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.params = params

    def render(self) -> str:
        return _(self.message).format(**self.params)


class InputError(CarteraError):
    """The input cannot be used as it is; ``problems`` lists every reason found."""

    def __init__(
        self,
        message: str,
        problems: Iterable[Problem] = (),
        total: int | None = None,
        **params: Any,
    ) -> None:
        super().__init__(message, **params)
        self.problems = list(problems)
        self.total = total if total is not None else len(self.problems)

    def render(self) -> str:
        lines = [super().render()]
        shown = self.problems[:MAX_LISTED_PROBLEMS]
        lines.extend(f"  - {p.render()}" for p in shown)
        hidden = self.total - len(shown)
        if hidden > 0:
            lines.append("  " + _("… and {n} more problems.").format(n=hidden))
        return "\n".join(lines)


class AmbiguousFormatError(InputError):
    """A column's convention (decimal mark, date order) cannot be decided from the data."""

    exit_code = 2


class SettingsError(InputError):
    """A settings file or flag has a value that cannot be used."""

    exit_code = 2


class UnknownClientError(CarteraError):
    """Client ids that are not in the portfolio, with close matches."""

    def __init__(self, unknown: list[str], suggestions: Mapping[str, list[str]]) -> None:
        super().__init__(N_("Unknown client id: {ids}."), ids=", ".join(unknown))
        self.unknown = unknown
        self.suggestions = dict(suggestions)

    def render(self) -> str:
        lines = [super().render()]
        for cid in self.unknown:
            close = self.suggestions.get(cid) or []
            if close:
                lines.append(
                    "  "
                    + _("«{id}»: did you mean {matches}?").format(id=cid, matches=", ".join(close))
                )
        return "\n".join(lines)


class MissingExtraError(CarteraError):
    """An optional part (Spark, PDF) is not installed."""

    def __init__(self, extra: str, package: str) -> None:
        super().__init__(
            N_(
                "This needs the optional package «{package}». "
                "Install it with: pip install 'cartera[{extra}]'"
            ),
            package=package,
            extra=extra,
        )


#: Why a write failed, by ``errno`` (message ids).
_WRITE_REASONS: dict[int, str] = {
    errno.ENOSPC: N_("the disk is full; free some space and run again"),
    errno.EDQUOT: N_("the disk quota is used up; free some space and run again"),
    errno.EACCES: N_("permission denied; choose a folder you can write to"),
    errno.EPERM: N_("permission denied; choose a folder you can write to"),
    errno.EROFS: N_("the disk is read-only; choose another folder"),
    errno.ENOENT: N_("the folder does not exist"),
    errno.ENOTDIR: N_("a part of the path is a file, not a folder"),
    errno.ENAMETOOLONG: N_("the name is too long"),
}
#: The same reasons told by their text, for libraries that report a failed write as text.
_WRITE_TEXTS: dict[str, int] = {
    "no space left on device": errno.ENOSPC,
    "disk quota exceeded": errno.EDQUOT,
    "permission denied": errno.EACCES,
    "read-only file system": errno.EROFS,
}


def os_error_text(exc: OSError) -> str:
    """A localised one-line description of an operating-system error and its file."""
    reason = _(_WRITE_REASONS[exc.errno]) if exc.errno in _WRITE_REASONS else exc.strerror
    reason = reason or str(exc)
    return f"{exc.filename}: {reason}" if exc.filename else reason


class OutputError(CarteraError):
    """A file or folder cannot be written: no room, no permission, no such folder."""

    def __init__(self, path: object, reason: str, translate: bool) -> None:
        super().__init__(N_("Cannot write {path}: {reason}."), path=str(path), reason=reason)
        self.translate = translate

    @classmethod
    def writing(cls, path: object, exc: BaseException) -> OutputError:
        """The error for a failed write of ``path`` (an ``OSError`` or a library's error)."""
        code = exc.errno if isinstance(exc, OSError) else None
        if code not in _WRITE_REASONS:
            text = str(exc).lower()
            code = next((c for t, c in _WRITE_TEXTS.items() if t in text), None)
        if code is not None and code in _WRITE_REASONS:
            return cls(path, _WRITE_REASONS[code], translate=True)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return cls(path, " ".join(detail.split())[:200], translate=False)

    @classmethod
    def from_failure(cls, path: object, exc: BaseException) -> OutputError | None:
        """:meth:`writing` when ``exc`` (or what caused it) is a failed write, else None."""
        seen: BaseException | None = exc
        while seen is not None:
            if isinstance(seen, OSError):
                return cls.writing(path, seen)
            if any(text in str(seen).lower() for text in _WRITE_TEXTS):
                return cls.writing(path, seen)
            seen = seen.__cause__ or seen.__context__
        return None

    def render(self) -> str:
        reason = self.params["reason"]
        return _(self.message).format(
            path=self.params["path"], reason=_(reason) if self.translate else reason
        )

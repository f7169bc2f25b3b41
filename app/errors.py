"""Typed, expected failures. Each carries a message a non-programmer can read (Chinese).

The base class and the storage failure live in db.errors (db/ imports nothing of app/).
"""

from db.errors import DatabaseError, LedgerError

__all__ = [
    "ConflictError", "DatabaseError", "FieldErrors", "LedgerError", "LockedError", "NotFoundError", "PermissionDeniedError",
    "StaleError", "ValidationError",
]


class ValidationError(LedgerError):
    """Input that breaks a rule; nothing was written."""


class FieldErrors(ValidationError):
    """Every problem of one form at once, each with the field it belongs to ("" for the form as a whole),
    so a dialog can show each beside its field; as text, one line naming them all."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("；".join(dict.fromkeys(m for _k, m in problems)))


class NotFoundError(LedgerError):
    """A referenced organisation, item, record… does not exist."""


class ConflictError(LedgerError):
    """The write would contradict existing data (duplicate code, non-empty database…)."""


class StaleError(ConflictError):
    """Saved over a value someone else changed since it was read (two people on one cell)."""


class PermissionDeniedError(LedgerError):
    """The current user's role does not allow this action."""


class LockedError(LedgerError):
    """The target month/period is locked against changes."""

"""Typed, expected failures. Each carries a message a non-programmer can read (Chinese)."""


class LedgerError(Exception):
    """Base of every expected failure; ``str(err)`` is the user-facing message."""


class ValidationError(LedgerError):
    """Input that breaks a rule; nothing was written."""


class NotFoundError(LedgerError):
    """A referenced organisation, item, record… does not exist."""


class ConflictError(LedgerError):
    """The write would contradict existing data (duplicate code, non-empty database…)."""


class PermissionDeniedError(LedgerError):
    """The current user's role does not allow this action."""


class LockedError(LedgerError):
    """The target month/period is locked against changes."""


class DatabaseError(LedgerError):
    """The database file cannot be used (too new, corrupt, locked by another instance)."""

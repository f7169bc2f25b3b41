"""The failures the storage layer raises, below app/ so that db/ imports nothing of it.

``LedgerError`` is the base of every expected failure in the program (app.errors adds the rest);
``str(err)`` is a message a non-programmer can read (Chinese).
"""


class LedgerError(Exception):
    """Base of every expected failure; ``str(err)`` is the user-facing message."""


class DatabaseError(LedgerError):
    """The database file cannot be used (too new, corrupt, locked by another instance)."""

"""PySide6 desktop interface. Talks to the ledger only through app.services (never SQLAlchemy)."""

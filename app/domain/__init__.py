"""Pure domain: frozen dataclasses and rule functions. Imports neither Qt nor SQLAlchemy."""

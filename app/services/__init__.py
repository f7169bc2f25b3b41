"""Use cases, one package per capability: one transaction per call — validate → check permission →
write → audit → return frozen dataclasses. The UI and the CLI talk to the ledger only through these.

Packages, top to bottom (a package imports only those below it; see docs/architecture.md):
opening → exchange | imports | overview → assessment | book | safety → scoring → register → kernel.
"""

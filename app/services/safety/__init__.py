"""Keeping the data file trustworthy: integrity and seal checks (integrity), the `check` report
(health), backups and restore (backups), accounts and log-in (users), and reading the audit trail
(audit_query)."""

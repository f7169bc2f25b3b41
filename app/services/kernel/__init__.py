"""The shared kernel every capability uses: the Ledger context, input validation, the audit trail,
role permissions, settings and month locks. It imports no capability package."""

"""Tables for accounts, roles and other data-safety state (filled by the data-safety work)."""

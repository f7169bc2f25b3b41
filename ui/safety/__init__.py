"""Data-safety screens: login, accounts, backup and restore, audit log, month locks, start-up checks."""

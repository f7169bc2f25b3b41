"""Fixtures for the data-safety tests: fast scrypt so account tests stay quick."""

import pytest


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch):
    # The real cost (n=2^14) is exercised once in test_users.py; elsewhere a cheap one keeps the suite fast.
    from app.services.safety import users

    monkeypatch.setattr(users, "KDF", "scrypt:n=1024,r=8,p=1")

"""党建积分台账 — the core of the ledger (no widgets)."""

__version__ = "0.1.0"
APP_NAME = "党建积分台账"
APP_ID = "dangjian-ledger"

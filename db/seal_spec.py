"""What the row seals cover and how a seal is computed: shared by db/seals.py (a SQLite file) and
db/seals_pg.py (the county server)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# The trusted columns per table. Derived columns (record_count, effective) are rechecked by
# recomputation instead (app/services/health.py), so they are not sealed.
SEALED: dict[str, tuple[str, ...]] = {
    "monthly_scores": ("uuid", "org_id", "item_id", "year", "month", "manual_points", "manual_count"),
    "org_classes": ("uuid", "org_id", "year", "category", "source"),
    "annual_grades": ("uuid", "org_id", "year", "score", "computed_class", "final_class", "veto",
                      "override_reason", "confirmed_at", "confirmed_by"),
    "work_records": ("uuid", "org_id", "type_code", "date", "year", "month"),
    "month_locks": ("year", "month", "locked_by", "locked_at", "scope"),  # scope: 0018_seal_scope
    "users": ("name", "role", "salt", "pw_hash", "kdf", "active", "scope"),
    "organizations": ("uuid", "code", "name", "kind", "sector", "parent_id", "established_on", "closed_on", "status"),
    "warnings": ("uuid", "org_id", "year", "quarter", "level", "quarter_score", "reasons", "issued_on", "notice_no",
                 "rect_measures", "rect_deadline", "rect_verified_by", "rect_closed_on"),
    "schemes": ("uuid", "year", "yellow_below", "orange_below", "red_below", "consecutive", "lines_inclusive",
                "grade_a_min", "grade_b_min"),
    "scheme_categories": ("uuid", "scheme_id", "code", "kind", "max_points"),
    "scheme_items": ("uuid", "scheme_id", "category_id", "code", "kind", "points", "monthly_cap", "yearly_cap",
                     "record_type"),
    "settings": ("key", "value"),
}
SEALED.update({  # 结果运用: the rules, the confirmed 奖补 / 绩效 and the money granted
    "incentive_rules": ("uuid", "year", "sector", "grade", "kind", "amount", "result"),
    "incentive_results": ("uuid", "org_id", "year", "score", "final_class", "veto", "kind", "amount", "result",
                          "confirmed_at", "confirmed_by"),
    "grants": ("uuid", "org_id", "purpose", "amount", "date"),
})
# The row id column of each table; settings has a text key, so its rowid is used (the app never VACUUMs).
ID_COLUMN: dict[str, str] = {"settings": "rowid"}

# The key is per installation (db/keys.py, beside the file, never in the source). LEGACY_KEY is what
# files made before that were sealed with; it is used once, to check such a file before it is re-sealed.
LEGACY_KEY = b"dangjian-ledger/row-seal/v1"
KEY_MARK = "#key"  # row_seals(tbl='#key', row_id=0): the key id the file is sealed with


def digest(key: bytes, table: str, row_id: int, canon: str) -> str:
    h = hashlib.blake2b(key=key, digest_size=16)
    h.update(f"{table}\x1f{row_id}\x1f{canon}".encode())
    return h.hexdigest()


CHUNK_ROWS = 1024  # rows per chunk seal: the fast whole-table check reads rows and hashes them in blocks


def chunk_key(table: str) -> str:
    """Chunk seals live in row_seals too, under this name, with row_id = the chunk number (id // CHUNK_ROWS)."""
    return f"{table}#chunk"


def _chunk_digest(key: bytes, table: str, chunk: int, rows: list[tuple]) -> str:
    h = hashlib.blake2b(key=key, digest_size=16)
    h.update(f"{table}\x1f{chunk}\x1f".encode())
    h.update(repr(rows).encode())  # raw column values as SQLite returns them, ids included
    return h.hexdigest()


def before_rows(rows: list[tuple], old: dict[int, tuple | None]) -> list[tuple]:
    """A chunk's rows as they were before this transaction: ``rows`` as they are now (id first), ``old`` the values
    each row this transaction touched had before its first change (None: the row did not exist yet)."""
    by_id = {r[0]: tuple(r) for r in rows}
    for rid, values in old.items():
        if values is None:
            by_id.pop(rid, None)
        else:
            by_id[rid] = (rid, *values)
    return [by_id[k] for k in sorted(by_id)]


def old_table(table: str) -> str:
    """The TEMP table in which the triggers keep each touched row's values before its first change."""
    return f"seal_old_{table}"


# The tables sealed before per-installation keys (checked with LEGACY_KEY once, before re-sealing).
LEGACY_TABLES = ("monthly_scores", "org_classes", "annual_grades", "work_records", "month_locks", "users")


@dataclass(frozen=True)
class SealProblem:
    table: str
    row_id: int
    kind: str  # "changed" | "unsealed" (added outside) | "deleted" | "seal" (a chunk seal itself was altered)


KEY_INFO = "seal_key"  # where db.engine puts the installation's key on each pooled connection


BROKEN = "0" * 32  # a digest no key produces in practice: the row keeps being reported

"""Merge the Excel/exchange branch (0002_io) and the data-safety branch (0004_seal_chunks).

Revision ID: 0005_merge
Revises: 0002_io, 0004_seal_chunks
"""

revision = "0005_merge"
down_revision = ("0002_io", "0004_seal_chunks")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

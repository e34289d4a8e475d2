"""attempts.retry_of: the interrupted attempt a web server grades again after a restart.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

Matches ``Attempt.retry_of`` in lmschool/store/models.py (tests/test_store_migrations.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("retry_of", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attempts") as batch:
        batch.drop_column("retry_of")

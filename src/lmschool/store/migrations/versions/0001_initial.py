"""Initial schema: learners, attempts, hint_views, solution_views.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Written by hand to match lmschool/store/models.py; tests/test_store_migrations.py
fails if the two drift apart. Literal sizes and names on purpose: a migration is a
frozen record and must not change when the models do. Names are wrapped in op.f()
because they are already final: the models' naming convention must not apply twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("current_exercise", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learners")),
        sa.UniqueConstraint("name", name=op.f("uq_learners_name")),
    )

    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("duration_ms", sa.Float(), nullable=True),
        sa.Column("error_kind", sa.String(length=64), nullable=True),
        sa.Column("grader_pid", sa.Integer(), nullable=True),
        sa.Column("grader_host", sa.String(length=255), nullable=True),
        sa.CheckConstraint(
            "status IN ('running', 'done', 'interrupted')", name=op.f("ck_attempts_status")
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_attempts_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attempts")),
    )
    op.create_index(op.f("ix_attempts_exercise_id"), "attempts", ["exercise_id"])
    op.create_index(op.f("ix_attempts_status"), "attempts", ["status"])
    op.create_index(
        op.f("ix_attempts_learner_id_exercise_id"), "attempts", ["learner_id", "exercise_id"]
    )

    op.create_table(
        "hint_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=200), nullable=False),
        sa.Column("hint_index", sa.Integer(), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint(
            "learner_id",
            "exercise_id",
            "hint_index",
            name=op.f("uq_hint_views_learner_id_exercise_id_hint_index"),
        ),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_hint_views_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hint_views")),
    )

    op.create_table(
        "solution_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("learner_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=200), nullable=False),
        sa.Column("viewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["learner_id"],
            ["learners.id"],
            name=op.f("fk_solution_views_learner_id_learners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_solution_views")),
    )
    op.create_index(
        op.f("ix_solution_views_learner_id_exercise_id"),
        "solution_views",
        ["learner_id", "exercise_id"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_solution_views_learner_id_exercise_id"), table_name="solution_views")
    op.drop_table("solution_views")
    op.drop_table("hint_views")
    op.drop_index(op.f("ix_attempts_learner_id_exercise_id"), table_name="attempts")
    op.drop_index(op.f("ix_attempts_status"), table_name="attempts")
    op.drop_index(op.f("ix_attempts_exercise_id"), table_name="attempts")
    op.drop_table("attempts")
    op.drop_table("learners")

"""indexes that make the interaction log's version two index seeks

Revision ID: 0004
Revises: 0003
The web app asks for a firm's log version on every agenda and client page; with a
count over the firm's interactions that cost ~1.9 s at a few million rows.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_interactions_firm_id", "interactions", ["firm_id", "id"])
    op.create_index("ix_interactions_firm_updated", "interactions", ["firm_id", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_interactions_firm_updated", table_name="interactions")
    op.drop_index("ix_interactions_firm_id", table_name="interactions")

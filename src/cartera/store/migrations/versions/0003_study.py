"""prospects, do-not-call list, campaigns and calls

Revision ID: 0003
Revises: 0002
Issue 15 (study and communication): a firm's prospects, its do-not-call list,
call campaigns with their assistants, members and calls.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cartera.store.base

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "campaigns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("scripts", sa.JSON(), nullable=False),
        sa.Column("window_days", sa.JSON(), nullable=False),
        sa.Column("window_start", sa.String(length=5), nullable=False),
        sa.Column("window_end", sa.String(length=5), nullable=False),
        sa.Column("retry_attempts", sa.Integer(), nullable=False),
        sa.Column("retry_gap_days", sa.Integer(), nullable=False),
        sa.Column("meeting_minutes", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('structure', 'margin', 'image')", name=op.f("ck_campaigns_kind")
        ),
        sa.CheckConstraint(
            "status IN ('active', 'paused', 'closed')", name=op.f("ck_campaigns_status")
        ),
        sa.CheckConstraint(
            "retry_attempts >= 1 AND retry_gap_days >= 0", name=op.f("ck_campaigns_retry")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_campaigns_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firms.id"], name=op.f("fk_campaigns_firm_id_firms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaigns")),
    )
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_campaigns_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "do_not_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("list_name", sa.String(length=200), nullable=False),
        sa.Column("added_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('phone', 'email')", name=op.f("ck_do_not_call_kind")),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firms.id"], name=op.f("fk_do_not_call_firm_id_firms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_do_not_call")),
        sa.UniqueConstraint("firm_id", "kind", "value", name="uq_do_not_call_firm_kind_value"),
    )
    with op.batch_alter_table("do_not_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_do_not_call_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "prospects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("tax_id", sa.String(length=40), nullable=True),
        sa.Column("sector", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("size", sa.String(length=100), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=60), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("consent", sa.Boolean(), nullable=True),
        sa.Column("do_not_call", sa.Boolean(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("origin", sa.JSON(), nullable=False),
        sa.Column("client_id", sa.String(length=100), nullable=True),
        sa.Column("won_origin", sa.JSON(), nullable=True),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'not_interested', 'won')", name=op.f("ck_prospects_status")
        ),
        sa.ForeignKeyConstraint(
            ["firm_id"], ["firms.id"], name=op.f("fk_prospects_firm_id_firms"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prospects")),
        sa.UniqueConstraint("firm_id", "code", name="uq_prospects_firm_code"),
    )
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prospects_firm_id"), ["firm_id"], unique=False)

    op.create_table(
        "campaign_assistants",
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_assistants_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_campaign_assistants_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("campaign_id", "user_id", name=op.f("pk_campaign_assistants")),
    )
    op.create_table(
        "campaign_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("prospect_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=16), nullable=False),
        sa.Column("next_call", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("moves", sa.JSON(), nullable=False),
        sa.Column("added_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_members_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prospect_id"],
            ["prospects.id"],
            name=op.f("fk_campaign_members_prospect_id_prospects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_members")),
        sa.UniqueConstraint(
            "campaign_id", "prospect_id", name="uq_campaign_members_campaign_prospect"
        ),
    )
    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_members_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_members_prospect_id"), ["prospect_id"], unique=False
        )

    op.create_table(
        "campaign_calls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("result", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("callback_at", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("meeting_at", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("scheduled_item_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "outcome IS NULL OR outcome IN "
            "('meeting_booked', 'call_back', 'not_interested', 'not_a_fit')",
            name=op.f("ck_campaign_calls_outcome"),
        ),
        sa.CheckConstraint(
            "result IN ('no_answer', 'voicemail', 'busy', 'wrong_number', 'reached')",
            name=op.f("ck_campaign_calls_result"),
        ),
        sa.ForeignKeyConstraint(
            ["scheduled_item_id"],
            ["scheduled_items.id"],
            name=op.f("fk_campaign_calls_scheduled_item_id_scheduled_items"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaigns.id"],
            name=op.f("fk_campaign_calls_campaign_id_campaigns"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["campaign_members.id"],
            name=op.f("fk_campaign_calls_member_id_campaign_members"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_campaign_calls_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_campaign_calls")),
    )
    with op.batch_alter_table("campaign_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_campaign_calls_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_campaign_calls_member_id"), ["member_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_calls_member_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_calls_campaign_id"))

    op.drop_table("campaign_calls")
    with op.batch_alter_table("campaign_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaign_members_prospect_id"))
        batch_op.drop_index(batch_op.f("ix_campaign_members_campaign_id"))

    op.drop_table("campaign_members")
    op.drop_table("campaign_assistants")
    with op.batch_alter_table("prospects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_prospects_firm_id"))

    op.drop_table("prospects")
    with op.batch_alter_table("do_not_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_do_not_call_firm_id"))

    op.drop_table("do_not_call")
    with op.batch_alter_table("campaigns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_campaigns_firm_id"))

    op.drop_table("campaigns")

"""follow-up assistant: interactions, agenda states, scheduled items, surveys, reminders

Revision ID: 0002
Revises: 0001
The follow-up assistant's tables (docs/decisions/0810-followup-store.md): interactions and
their revisions, agenda states, scheduled items, survey tokens, the sent ledger and
calendar feeds; and the firm's assistant settings (``firm_settings.assistant``).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import cartera.store.base

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("firm_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("assistant", sa.JSON(), server_default=sa.text("'{}'"), nullable=False)
        )
    op.create_table(
        "agenda_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=250), nullable=False),
        sa.Column("snoozed_until", sa.Date(), nullable=True),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("done_at", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
            name=op.f("fk_agenda_states_firm_id_firms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_agenda_states_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_agenda_states_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_states")),
        sa.UniqueConstraint("firm_id", "item_key", name="uq_agenda_states_firm_key"),
    )
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
            name=op.f("fk_calendar_feeds_firm_id_firms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_calendar_feeds_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_feeds")),
        sa.UniqueConstraint("firm_id", "user_id", name="uq_calendar_feeds_firm_user"),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_feeds_token_hash")),
    )
    op.create_table(
        "interactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("outcome", sa.String(length=200), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("next_step", sa.Text(), nullable=True),
        sa.Column("next_step_on", sa.Date(), nullable=True),
        sa.Column("rule", sa.String(length=32), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("who_name", sa.String(length=200), nullable=True),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("import_key", sa.String(length=64), nullable=True),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('call', 'email', 'meeting', 'visit', 'note', 'support', 'survey', 'letter')",
            name=op.f("ck_interactions_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
            name=op.f("fk_interactions_firm_id_firms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_interactions_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interactions")),
        sa.UniqueConstraint("firm_id", "import_key", name="uq_interactions_firm_import_key"),
    )
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.create_index("ix_interactions_firm_client", ["firm_id", "client_id"], unique=False)

    op.create_table(
        "scheduled_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("subject_kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=200), nullable=False),
        sa.Column("subject_name", sa.String(length=200), nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("at", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.String(length=500), nullable=False),
        sa.Column("owner_user_id", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("calendar_uid", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("done_at", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "subject_kind IN ('client', 'prospect')", name=op.f("ck_scheduled_items_subject_kind")
        ),
        sa.CheckConstraint("sequence >= 0", name=op.f("ck_scheduled_items_sequence")),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
            name=op.f("fk_scheduled_items_firm_id_firms"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_user_id"],
            ["users.id"],
            name=op.f("fk_scheduled_items_owner_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_items")),
        sa.UniqueConstraint("calendar_uid", name=op.f("uq_scheduled_items_calendar_uid")),
    )
    with op.batch_alter_table("scheduled_items", schema=None) as batch_op:
        batch_op.create_index("ix_scheduled_items_firm_due", ["firm_id", "due"], unique=False)

    op.create_table(
        "sent_reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=250), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("sent_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("channel IN ('email', 'ics')", name=op.f("ck_sent_reminders_channel")),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
            name=op.f("fk_sent_reminders_firm_id_firms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminders")),
    )
    with op.batch_alter_table("sent_reminders", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sent_reminders_firm_key", ["firm_id", "item_key", "channel"], unique=False
        )

    op.create_table(
        "survey_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("firm_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("scale", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("expires_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", cartera.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("scale IN ('csat', 'nps')", name=op.f("ck_survey_tokens_scale")),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_survey_tokens_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["firm_id"],
            ["firms.id"],
            name=op.f("fk_survey_tokens_firm_id_firms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_survey_tokens_token_hash")),
    )
    with op.batch_alter_table("survey_tokens", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_tokens_firm_client", ["firm_id", "client_id"], unique=False
        )

    op.create_table(
        "interaction_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", cartera.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interactions.id"],
            name=op.f("fk_interaction_revisions_interaction_id_interactions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_interaction_revisions_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interaction_revisions")),
    )
    with op.batch_alter_table("interaction_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_interaction_revisions_interaction_id"), ["interaction_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("interaction_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_revisions_interaction_id"))

    op.drop_table("interaction_revisions")
    with op.batch_alter_table("survey_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_survey_tokens_firm_client")

    op.drop_table("survey_tokens")
    with op.batch_alter_table("sent_reminders", schema=None) as batch_op:
        batch_op.drop_index("ix_sent_reminders_firm_key")

    op.drop_table("sent_reminders")
    with op.batch_alter_table("scheduled_items", schema=None) as batch_op:
        batch_op.drop_index("ix_scheduled_items_firm_due")

    op.drop_table("scheduled_items")
    with op.batch_alter_table("interactions", schema=None) as batch_op:
        batch_op.drop_index("ix_interactions_firm_client")

    op.drop_table("interactions")
    op.drop_table("calendar_feeds")
    op.drop_table("agenda_states")
    with op.batch_alter_table("firm_settings", schema=None) as batch_op:
        batch_op.drop_column("assistant")

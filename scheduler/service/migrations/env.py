"""Alembic's entry: migrate the connection the service hands over (no alembic.ini, no URL here)."""

from alembic import context

from scheduler.service.db.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()

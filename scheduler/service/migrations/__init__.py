"""Alembic migrations of the service's database, applied by `serve` and `admin` at start."""

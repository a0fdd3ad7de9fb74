"""Alembic migrations of the project file; one revision per schema version."""

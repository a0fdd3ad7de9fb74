"""Alembic environment: always run on the connection the project file hands over.

The project file opens the database itself (locking, pragmas) and runs every pending
revision inside its own exclusive transaction, so this environment never creates an
engine and never commits on its own.
"""

from alembic import context

from d4a_desktop.storage.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running alembic by hand
    raise RuntimeError("run migrations through d4a_desktop.storage.projectfile")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
context.run_migrations()

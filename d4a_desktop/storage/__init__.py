"""The project file: SQLite through SQLAlchemy, migrations, locking, backups.

Only plain core dataclasses leave this package; ORM rows stay inside a short session.
"""

from d4a_desktop.storage.errors import ProjectFileError
from d4a_desktop.storage.projectfile import ProjectFile

__all__ = ["ProjectFile", "ProjectFileError"]

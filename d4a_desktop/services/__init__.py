"""Use cases, shared by the desktop program and the ``d4a`` command. Qt-free."""

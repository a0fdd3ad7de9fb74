"""Passwords for WebDAV sync targets: in the system keyring, nowhere else.

A password is never written to the project file, the settings or any file of ours. It
comes from ``D4A_WEBDAV_PASSWORD`` (for scripts and tests), or from the system keyring
(Secret Service, macOS Keychain, Windows Credential Locker) through ``keyring``. Where no
keyring is available (a bare Linux session) nothing is stored: the program asks each time.
Keyring back ends that keep passwords in a plain file are treated as none.
"""

from __future__ import annotations

import contextlib
import os
import urllib.parse

SERVICE = "d4a-desktop-webdav"
ENVIRONMENT = "D4A_WEBDAV_PASSWORD"


def _key(url: str, user: str) -> str:
    """One entry per user and server (scheme, host and port), not per folder."""
    parts = urllib.parse.urlsplit(url)
    return f"{user}@{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def _keyring() -> object | None:
    """The system keyring, or None when there is no safe one."""
    try:
        import keyring
        from keyring.backends import chainer, fail
    except Exception:  # a broken keyring install is "no keyring"
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:
        return None
    if isinstance(backend, fail.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    name = type(backend).__name__.lower()
    if "plaintext" in name or "uncrypted" in name or "null" in name:
        return None
    return backend


def keyring_available() -> bool:
    return _keyring() is not None


def password(url: str, user: str) -> str | None:
    """The password to use for ``user`` on ``url``, or None (then ask the user)."""
    from_environment = os.environ.get(ENVIRONMENT)
    if from_environment:
        return from_environment
    backend = _keyring()
    if backend is None:
        return None
    try:
        found = backend.get_password(SERVICE, _key(url, user))  # type: ignore[attr-defined]
    except Exception:  # a locked or broken keyring: ask instead
        return None
    return found or None


def remember(url: str, user: str, secret: str) -> bool:
    """Keep the password in the system keyring; False when there is none (not stored)."""
    backend = _keyring()
    if backend is None:
        return False
    try:
        backend.set_password(SERVICE, _key(url, user), secret)  # type: ignore[attr-defined]
    except Exception:
        return False
    return True


def forget(url: str, user: str) -> None:
    """Remove a stored password (after the server refused it)."""
    backend = _keyring()
    if backend is None:
        return
    with contextlib.suppress(Exception):  # nothing stored, or a locked keyring
        backend.delete_password(SERVICE, _key(url, user))  # type: ignore[attr-defined]

"""SHA-1 digests for names and cache keys, without loading OpenSSL at every start.

``hashlib`` loads the OpenSSL library when it is imported (7–17 ms of a start measured
here) and then answers SHA-1 from it; Python's own ``_sha1`` module gives the very same
digest and loads nothing. The program hashes only short texts and its small roadmap
sources at a start (the name of its single-instance socket, cache keys), so it takes the
built-in module where there is one. Digests that must stay the same across versions
(folder and socket names) do: SHA-1 is SHA-1 from either source.
"""

from __future__ import annotations

import uuid
from typing import Protocol


class Hash(Protocol):
    def update(self, data: bytes, /) -> None: ...

    def digest(self) -> bytes: ...

    def hexdigest(self) -> str: ...


def sha1(data: bytes = b"") -> Hash:
    try:
        from _sha1 import sha1 as built_in
    except ImportError:  # a Python built without its own SHA-1
        from hashlib import sha1 as from_openssl

        return from_openssl(data)
    return built_in(data)


def uuid5(namespace: uuid.UUID, name: str) -> uuid.UUID:
    """``uuid.uuid5`` (the same UUID), whose own SHA-1 comes from ``hashlib``."""
    return uuid.UUID(bytes=sha1(namespace.bytes + name.encode("utf-8")).digest()[:16],
                     version=5)

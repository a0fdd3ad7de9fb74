"""A small WebDAV client for sync targets (Nextcloud, ownCloud, any RFC 4918 server).

Written on the standard library's ``http.client``: sync needs five methods (PROPFIND,
PUT, MOVE, GET with a byte range, DELETE), streaming in chunks with progress and cancel,
and exact control over what happens when a server goes away mid-transfer; a general HTTP
library would add a dependency without removing any of that code.

A password goes only over HTTPS (or to this computer, for tests and local servers).
Server answers become :class:`ExchangeError` with a translated line: ``auth`` (401),
``forbidden`` (403), ``not-found`` (404), ``full`` (507), ``server`` (5xx, others);
a server that cannot be reached is ``unreachable``, one that goes away mid-transfer
``interrupted``: the sync waits quietly on those two.
"""

from __future__ import annotations

import base64
import builtins
import contextlib
import datetime as dt
import email.utils
import http.client
import socket
import ssl
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from d4a_desktop.i18n import _
from d4a_desktop.services.exchange.errors import Cancelled, ExchangeError

CHUNK = 1 << 16
TIMEOUT = 30.0
MAX_LISTING = 8 << 20
_PROPFIND = (b'<?xml version="1.0" encoding="utf-8"?>'
             b'<d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/><d:getcontentlength/>'
             b"<d:getetag/><d:getlastmodified/></d:prop></d:propfind>")
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class Remote:
    """A file in a sync target."""

    name: str
    size: int
    #: Changes whenever the file does (an ETag, or size and time).
    version: str
    modified: dt.datetime | None = None


def unreachable(where: str) -> ExchangeError:
    return ExchangeError(_("{target} cannot be reached now; packages wait in the outbox "
                           "until it can.").format(target=where), "unreachable", where)


def interrupted(where: str) -> ExchangeError:
    return ExchangeError(_("The connection to {target} was lost during a transfer; the next "
                           "sync resumes it.").format(target=where), "interrupted", where)


class WebDav:
    """One WebDAV folder, such as ``https://cloud.example.org/remote.php/dav/files/anna/D4A/``."""

    def __init__(self, url: str, user: str = "", password: str = "", *,
                 timeout: float = TIMEOUT):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ExchangeError(_("{url} is not the address of a WebDAV folder (it must start "
                                  "with https://)").format(url=url), "usage", url)
        if user and parts.scheme != "https" and parts.hostname not in _LOOPBACK:
            raise ExchangeError(_("{url} would send your password unencrypted; use an "
                                  "address that starts with https://").format(url=url),
                                "usage", url)
        self.url = url if url.endswith("/") else url + "/"
        self.scheme = parts.scheme
        self.host = parts.hostname
        self.port = parts.port
        self.base = parts.path.rstrip("/") + "/"
        self.user = user
        self.timeout = timeout
        self._auth = ""
        if user:
            token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
            self._auth = f"Basic {token}"

    def describe(self) -> str:
        return self.url

    # --- plumbing --------------------------------------------------------------------------

    def _connect(self) -> http.client.HTTPConnection:
        if self.scheme == "https":
            return http.client.HTTPSConnection(self.host, self.port, timeout=self.timeout,
                                               context=ssl.create_default_context())
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def _path(self, name: str = "") -> str:
        return self.base + urllib.parse.quote(name)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": "d4a-desktop"}
        if self._auth:
            headers["Authorization"] = self._auth
        headers.update(extra or {})
        return headers

    def _start(self, method: str, name: str, headers: dict[str, str],
               body: bytes | None = None) -> tuple[http.client.HTTPConnection,
                                                   http.client.HTTPResponse]:
        conn = self._connect()
        try:
            conn.request(method, self._path(name), body=body, headers=self._headers(headers))
            return conn, conn.getresponse()
        except (ConnectionRefusedError, socket.gaierror, TimeoutError,
                ssl.SSLCertVerificationError) as exc:
            conn.close()
            if isinstance(exc, ssl.SSLCertVerificationError):
                raise ExchangeError(_("{target} did not prove who it is (its certificate is "
                                      "not trusted); nothing was sent.").format(
                    target=self.url), "certificate", self.url) from exc
            raise unreachable(self.url) from exc
        except (http.client.HTTPException, OSError) as exc:
            conn.close()
            raise unreachable(self.url) from exc

    def _call(self, method: str, name: str = "", headers: dict[str, str] | None = None,
              body: bytes | None = None, limit: int = MAX_LISTING) -> tuple[int, bytes]:
        conn, response = self._start(method, name, headers or {}, body)
        try:
            data = response.read(limit + 1)
        except (http.client.HTTPException, OSError) as exc:
            raise interrupted(self.url) from exc
        finally:
            conn.close()
        if len(data) > limit:
            raise ExchangeError(_("{target} sent an answer far larger than expected").format(
                target=self.url), "server", self.url)
        return response.status, data

    def check(self, status: int, name: str = "") -> None:
        """Raise the translated error for a status that is not a success."""
        if 200 <= status < 300:
            return
        where = self.url + name
        if status == 401:
            raise ExchangeError(_("{target} did not accept the user name or password.")
                                .format(target=self.url), "auth", self.url)
        if status == 403:
            raise ExchangeError(_("{target} does not let this user read or write there.")
                                .format(target=self.url), "forbidden", self.url)
        if status in (404, 409):
            raise ExchangeError(_("{target} does not exist on the server; check the address.")
                                .format(target=where), "not-found", self.url)
        if status == 507:
            raise ExchangeError(_("{target} has no space left for the package; ask the "
                                  "administrator of the server.").format(target=self.url),
                                "full", self.url)
        if status in (301, 302, 307, 308):
            raise ExchangeError(_("{target} has moved; use the address the server names "
                                  "(status {status}).").format(target=self.url, status=status),
                                "server", self.url)
        raise ExchangeError(_("{target} reported an error (status {status}); try again "
                              "later.").format(target=self.url, status=status),
                            "server", self.url)

    # --- the five operations --------------------------------------------------------------

    def list(self) -> list[Remote]:
        """The files in the folder (also temporary ones). A folder that does not exist yet
        is made, if the server allows it."""
        status, data = self._call("PROPFIND", headers={
            "Depth": "1", "Content-Type": "application/xml; charset=utf-8"}, body=_PROPFIND)
        if status == 404:
            made, _body = self._call("MKCOL")
            if made in (200, 201):
                return []
            self.check(404)
        self.check(status)
        return self._parse(data)

    def _parse(self, data: bytes) -> builtins.list[Remote]:
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise ExchangeError(_("{target} sent an answer that is not a WebDAV listing")
                                .format(target=self.url), "server", self.url)
        try:
            root = ET.fromstring(data)
        except ET.ParseError as exc:
            raise ExchangeError(_("{target} sent an answer that is not a WebDAV listing")
                                .format(target=self.url), "server", self.url) from exc
        found = []
        for response in root.iter("{DAV:}response"):
            href = response.findtext("{DAV:}href") or ""
            path = urllib.parse.unquote(urllib.parse.urlsplit(href).path)
            name = path.rstrip("/").rsplit("/", 1)[-1]
            if path.rstrip("/") + "/" == urllib.parse.unquote(self.base) or not name:
                continue
            prop = response.find("{DAV:}propstat/{DAV:}prop")
            if prop is None or prop.find("{DAV:}resourcetype/{DAV:}collection") is not None:
                continue
            try:
                size = int(prop.findtext("{DAV:}getcontentlength") or "0")
            except ValueError:
                size = 0
            modified = _http_date(prop.findtext("{DAV:}getlastmodified") or "")
            etag = (prop.findtext("{DAV:}getetag") or "").strip()
            version = etag or f"{size}-{modified.isoformat() if modified else ''}"
            found.append(Remote(name, size, version, modified))
        return found

    def upload(self, source: Path, name: str, temporary: str,
               progress: Callable[[int], None] | None = None,
               cancel: threading.Event | None = None) -> None:
        """PUT under ``temporary``, then MOVE to ``name``: a partner never sees half a file."""
        size = source.stat().st_size
        conn = self._connect()
        try:
            try:
                conn.putrequest("PUT", self._path(temporary), skip_accept_encoding=True)
                for key, value in self._headers({
                        "Content-Length": str(size),
                        "Content-Type": "application/octet-stream"}).items():
                    conn.putheader(key, value)
                conn.endheaders()
            except (ConnectionRefusedError, socket.gaierror, TimeoutError) as exc:
                raise unreachable(self.url) from exc
            except OSError as exc:
                raise unreachable(self.url) from exc
            sent = 0
            try:
                with source.open("rb") as fh:
                    while chunk := fh.read(CHUNK):
                        if cancel is not None and cancel.is_set():
                            raise Cancelled()
                        conn.send(chunk)
                        sent += len(chunk)
                        if progress is not None:
                            progress(sent)
                response = conn.getresponse()
                response.read(MAX_LISTING)
            except (http.client.HTTPException, OSError) as exc:
                raise interrupted(self.url) from exc
        except BaseException:
            conn.close()
            self._forget(temporary)
            raise
        conn.close()
        if response.status not in (200, 201, 204):
            self._forget(temporary)
            self.check(response.status, temporary)
        status, _body = self._call("MOVE", temporary, headers={
            "Destination": self._absolute(name), "Overwrite": "T"})
        if status not in (200, 201, 204):
            self._forget(temporary)
            self.check(status, name)

    def _absolute(self, name: str) -> str:
        port = f":{self.port}" if self.port else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}{port}{self._path(name)}"

    def _forget(self, name: str) -> None:
        """Remove a temporary upload, if the server is still there to ask."""
        with contextlib.suppress(ExchangeError):
            self._call("DELETE", name)

    def delete(self, name: str) -> None:
        status, _body = self._call("DELETE", name)
        if status != 404:
            self.check(status, name)

    def download(self, remote: Remote, offset: int = 0) -> tuple[Iterator[bytes], int]:
        """The file's bytes from ``offset`` when the server can resume (and the file is
        the same version), else from the start; returns the chunks and where they start."""
        headers = {}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if remote.version.startswith(('"', 'W/"')):
                headers["If-Range"] = remote.version
        conn, response = self._start("GET", remote.name, headers)
        if response.status not in (200, 206):
            conn.close()
            self.check(response.status, remote.name)
        start = offset if response.status == 206 else 0
        expected = response.length  # from Content-Length; None when the server sends chunks

        def chunks() -> Iterator[bytes]:
            got = 0
            try:
                while True:
                    try:
                        chunk = response.read(CHUNK)
                    except (http.client.HTTPException, OSError) as exc:
                        raise interrupted(self.url) from exc
                    if not chunk:
                        break
                    got += len(chunk)
                    yield chunk
            finally:
                conn.close()
            # http.client reads a connection closed too early as the end of the body
            if expected is not None and got != expected:
                raise interrupted(self.url)
        return chunks(), start


def _http_date(text: str) -> dt.datetime | None:
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed

"""Exchange packages (``.d4ax``): a whole project in one file for a partner, and back.

A package is a ZIP with ``manifest.json`` (format, project, program, author, time, and
the SHA-256 and size of every member) and ``project.json`` (the project's snapshot, see
``storage/snapshot.py``); the ZIP's comment seals the whole file with a SHA-256 of every
byte before it. ``docs/exchange.md`` describes the format and its compatibility rule.

A package is untrusted input. :func:`read_package` checks the file, then every ZIP entry
(names, links, duplicates, encryption, sizes and compression ratio from the header and
again while decompressing), the seal, the manifest, every member's size and hash, the
JSON (duplicate keys, NaN, nesting, huge texts, counts), the schema and the ids, and only
then returns the data. Nothing is written while reading; a package that fails any check
raises :class:`ExchangeError` with one translated line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import stat
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from d4a_desktop import __version__, paths
from d4a_desktop.core import kinds as kinds_mod
from d4a_desktop.i18n import _, format_date, format_list
from d4a_desktop.services.exchange import errors
from d4a_desktop.services.exchange import schema as schema_mod
from d4a_desktop.services.exchange.errors import Cancelled, ExchangeError
from d4a_desktop.services.exchange.schema import FORMAT, LEAVE_OUT
from d4a_desktop.storage import atomic, snapshot
from d4a_desktop.storage import errors as storage_errors
from d4a_desktop.storage.projectfile import SCHEMA

if TYPE_CHECKING:
    from d4a_desktop.services.projects import ProjectSession

SUFFIX = ".d4ax"
MANIFEST = "manifest.json"
PROJECT = "project.json"
PROGRAM = "D4A Roadmap Desktop"
#: The ZIP comment: this prefix and the hex SHA-256 of every byte of the file before it.
SEAL = b"d4ax-sha256:"
_SEAL_LENGTH = len(SEAL) + 64
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_CHUNK = 1 << 16
_MIB = 1 << 20


@dataclass(frozen=True)
class Limits:
    """How much a package may hold; beyond these it is refused as hostile or broken."""

    package_bytes: int = 256 * _MIB   # the .d4ax file
    member_bytes: int = 128 * _MIB    # one member, decompressed
    total_bytes: int = 256 * _MIB     # every member, decompressed
    ratio: int = 200                  # decompressed / compressed, beyond ratio_floor
    ratio_floor: int = _MIB
    members: int = 1000
    manifest_bytes: int = _MIB
    records: int = 200_000            # records of every kind and answers about the roadmap
    changes: int = 500_000            # change-log entries
    depth: int = 64                   # nesting of JSON values
    text: int = 1_000_000             # characters in any one text


LIMITS = Limits()
#: Called with (bytes done, bytes in all); for the GUI's progress bar.
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class Member:
    """One file inside a package as the manifest lists it: its size and SHA-256 are checked against
    what the ZIP actually holds before the member is read as JSON."""

    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says of a package: which project and program made it, what it left
    out, and its members. A newer ``format`` is still read when ``min_reader_format`` allows it."""

    format: int
    min_reader_format: int
    project_id: str
    program_name: str
    program_version: str
    project_schema: int
    roadmap_version: str
    author: str
    installation: str
    exported_at: dt.datetime
    left_out: tuple[str, ...]
    members: tuple[Member, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": self.format, "min_reader_format": self.min_reader_format,
            "project_id": self.project_id,
            "program": {"name": self.program_name, "version": self.program_version},
            "project_schema": self.project_schema, "roadmap_version": self.roadmap_version,
            "author": self.author, "installation": self.installation,
            "exported_at": self.exported_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "left_out": list(self.left_out),
            "members": [{"name": m.name, "size": m.size, "sha256": m.sha256}
                        for m in self.members],
        }

    @property
    def newer(self) -> bool:
        """Made by a newer program than this one (a newer package or project format)."""
        return self.format > FORMAT or self.project_schema > SCHEMA.version


@dataclass(frozen=True)
class Package:
    """A package read and checked: its manifest and its project, as this program knows it."""

    path: Path
    manifest: Manifest
    #: ``project.json``, validated; for a newer package, only what this program knows.
    snapshot: dict[str, Any]
    size: int = 0

    @property
    def partial(self) -> bool:
        """True when a newer program wrote it: what this program does not know was left
        out, so it can be looked at but not merged or imported."""
        return self.manifest.newer

    @property
    def project(self) -> dict[str, Any]:
        return self.snapshot["project"]

    @property
    def project_id(self) -> str:
        return self.manifest.project_id


# --- writing ---------------------------------------------------------------------------------

def check_leave_out(leave_out: Iterable[str]) -> tuple[str, ...]:
    """The parts to leave out, in the documented order; ExchangeError for an unknown one."""
    chosen = set(leave_out)
    unknown = sorted(chosen - set(LEAVE_OUT))
    if unknown:
        raise ExchangeError(_("“{name}” cannot be left out; choose from {names}").format(
            name=unknown[0], names=format_list(LEAVE_OUT, "or")), "usage")
    return tuple(p for p in LEAVE_OUT if p in chosen)


def _personal_fields() -> dict[str, set[str]]:
    return {k.name: {f.name for f in k.fields if f.personal} for k in kinds_mod.KINDS}


def _dropped(kind: str, leave_out: set[str]) -> set[str]:
    """The fields of ``kind`` (a record kind or a state kind) a package leaves out."""
    names: set[str] = set()
    if "notes" in leave_out:
        names |= {"note", "notes", "na_reason"}
    if leave_out & {"owners", "personal"}:
        names |= {"owner", "owner_person"}
    if "personal" in leave_out:
        names |= _personal_fields().get(kind, set())
    return names


def withhold(snap: dict[str, Any], leave_out: Iterable[str]) -> dict[str, Any]:
    """Make sure nothing left out travels in the change log either.

    The snapshot drops the fields themselves; a record's ``create`` change still carries
    all its first values, and a change to a personal field its old and new value. Those
    are cleared here (and marked ``withheld``), so a package that leaves out people's names
    holds no name anywhere.
    """
    skip = set(leave_out)
    if not skip:
        return snap
    for entry in snap["changes"]:
        dropped = _dropped(entry["kind"], skip)
        if entry["op"] == "create" and isinstance(entry.get("new"), dict):
            gone = dropped & set(entry["new"])
            if gone:
                entry["new"] = {k: v for k, v in entry["new"].items() if k not in gone}
                entry["withheld"] = True
        elif entry.get("field") in dropped and not entry.get("withheld"):
            entry["old"] = entry["new"] = None
            entry["withheld"] = True
    return snap


def project_bytes(snap: Mapping[str, Any]) -> bytes:
    return json.dumps(snap, ensure_ascii=False, separators=(",", ":"),
                      allow_nan=False).encode("utf-8")


def build(session: ProjectSession, *, leave_out: Iterable[str] = (),
          author: str | None = None, now: dt.datetime | None = None) -> tuple[bytes, Manifest]:
    """A package of the open project, as bytes (nothing is written)."""
    from d4a_desktop.services.projects import default_author

    parts = check_leave_out(leave_out)
    snap = withhold(snapshot.take(session.file, leave_out=parts), parts)
    who = "" if "personal" in parts else (default_author() if author is None else author)
    return pack(snap, leave_out=parts, author=who, installation=paths.installation_id(),
                now=now)


def pack(snap: Mapping[str, Any], *, leave_out: tuple[str, ...] = (), author: str = "",
         installation: str = "", now: dt.datetime | None = None) -> tuple[bytes, Manifest]:
    """A snapshot (already stripped of what is left out) as a sealed package."""
    data = project_bytes(snap)
    when = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0, tzinfo=None)
    manifest = Manifest(
        format=FORMAT, min_reader_format=FORMAT, project_id=snap["project"]["id"],
        program_name=PROGRAM, program_version=__version__, project_schema=SCHEMA.version,
        roadmap_version=str(snap["project"].get("roadmap_version") or ""),
        author=author[:200], installation=installation, exported_at=when,
        left_out=leave_out,
        members=(Member(PROJECT, len(data), hashlib.sha256(data).hexdigest()),))
    return seal(_zip(manifest, {PROJECT: data}, when)), manifest


def _zip(manifest: Manifest, members: Mapping[str, bytes], when: dt.datetime) -> bytes:
    buffer = io.BytesIO()
    stamp = when.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        entries = {MANIFEST: json.dumps(manifest.as_json(), ensure_ascii=False,
                                        indent=2).encode("utf-8"), **members}
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, data)
        archive.comment = b"\0" * _SEAL_LENGTH
    return buffer.getvalue()


def seal(data: bytes) -> bytes:
    """Put the SHA-256 of everything before the ZIP comment into the comment."""
    body = data[:-_SEAL_LENGTH]
    return body + SEAL + hashlib.sha256(body).hexdigest().encode("ascii")


def export_package(session: ProjectSession, path: Path | str, *,
                   leave_out: Iterable[str] = (), author: str | None = None) -> Manifest:
    """Write a package of the open project to ``path`` (atomically: a reader sees the old
    file or the whole new one)."""
    path = Path(path)
    data, manifest = build(session, leave_out=leave_out, author=author)
    try:
        atomic.write_bytes(path, data)
    except OSError as exc:
        raise ExchangeError(_("{name} could not be written: {reason}").format(
            name=path, reason=exc.strerror or exc), "cannot-write", path) from exc
    return manifest


# --- reading ---------------------------------------------------------------------------------

def read_package(path: Path | str, *, limits: Limits = LIMITS,
                 cancel: threading.Event | None = None) -> Package:
    """Read and check a package completely; ExchangeError says why one cannot be used."""
    path = Path(path)
    data = _read_file(path, limits)
    return parse_package(path, data, limits=limits, cancel=cancel)


def _read_file(path: Path, limits: Limits) -> bytes:
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ExchangeError(_("The file {name} does not exist.").format(name=path),
                            "missing", path) from None
    except OSError as exc:
        raise ExchangeError(_("{name} cannot be read: {reason}").format(
            name=path, reason=exc.strerror or exc), "unreadable", path) from exc
    if stat.S_ISDIR(st.st_mode):
        raise errors.package(path, _("it is a folder"), "not-package")
    if not stat.S_ISREG(st.st_mode):
        raise errors.package(path, _("it is not an ordinary file"), "not-package")
    if st.st_size > limits.package_bytes:
        raise errors.package(path, _("it is larger than {size} MB").format(
            size=limits.package_bytes // _MIB), "too-large")
    try:
        with path.open("rb") as fh:
            return fh.read(limits.package_bytes + 1)
    except OSError as exc:
        raise ExchangeError(_("{name} cannot be read: {reason}").format(
            name=path, reason=exc.strerror or exc), "unreadable", path) from exc


def parse_package(path: Path, data: bytes, *, limits: Limits = LIMITS,
                  cancel: threading.Event | None = None) -> Package:
    """Check a package's bytes as :func:`read_package` does (``path`` names it)."""
    fail = _failer(path)
    if len(data) > limits.package_bytes:
        raise fail(_("it is larger than {size} MB").format(size=limits.package_bytes // _MIB),
                   "too-large")
    if not data.startswith(b"PK\x03\x04"):
        raise fail(_("it is not a D4A exchange package (not a ZIP file)"), "not-package")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise fail(_("the ZIP file is damaged or incomplete"), "damaged") from exc
    with archive:
        _check_seal(fail, data, archive)
        infos = _check_entries(fail, archive, limits)
        if MANIFEST not in infos:
            raise fail(_("it has no manifest.json"), "no-manifest")
        raw_manifest = _read_member(fail, archive, infos[MANIFEST], limits.manifest_bytes,
                                    limits, [0], cancel)
        manifest = _manifest(fail, raw_manifest)
        listed = {m.name for m in manifest.members}
        for name in infos:
            if name != MANIFEST and name not in listed:
                raise fail(_("it holds {member}, which its manifest does not list").format(
                    member=name), "unlisted")
        total = [len(raw_manifest)]
        contents: dict[str, bytes] = {}
        for member in manifest.members:
            info = infos.get(member.name)
            if info is None:
                raise fail(_("its manifest lists {member}, which it does not hold").format(
                    member=member.name), "missing-member")
            content = _read_member(fail, archive, info, limits.member_bytes, limits, total,
                                   cancel)
            if len(content) != member.size:
                raise fail(_("{member} does not have the size its manifest gives").format(
                    member=member.name), "mismatch")
            if hashlib.sha256(content).hexdigest() != member.sha256:
                raise fail(_("{member} does not match its checksum in the manifest; the "
                             "file was changed or damaged").format(member=member.name),
                           "mismatch")
            contents[member.name] = content
    if PROJECT not in contents:
        raise fail(_("it has no project.json"), "missing-member")
    snap = _project(fail, contents[PROJECT], manifest, limits)
    return Package(path, manifest, snap, len(data))


def _failer(path: Path) -> Callable[[str, str], ExchangeError]:
    def fail(reason: str, kind: str = "damaged") -> ExchangeError:
        return errors.package(path, reason, kind)
    return fail


Fail = Callable[[str, str], ExchangeError]


def _check_seal(fail: Fail, data: bytes, archive: zipfile.ZipFile) -> None:
    comment = archive.comment
    if not comment.startswith(SEAL) or len(comment) != _SEAL_LENGTH or \
            not data.endswith(comment):
        raise fail(_("it is not sealed as a D4A exchange package; it was changed, damaged, "
                     "or not written by a program that makes packages"), "damaged")
    expected = hashlib.sha256(data[:-_SEAL_LENGTH]).hexdigest().encode("ascii")
    if comment[len(SEAL):] != expected:
        raise fail(_("its seal does not match its content; the file was changed or damaged "
                     "on the way"), "damaged")


def _check_entries(fail: Fail, archive: zipfile.ZipFile,
                   limits: Limits) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > limits.members:
        raise fail(_("it holds more than {count} files").format(count=limits.members),
                   "too-large")
    found: dict[str, zipfile.ZipInfo] = {}
    folded: set[str] = set()
    for info in infos:
        name = info.filename
        if not _safe_name(info.orig_filename) or not _safe_name(name):
            raise fail(_("it holds a file named “{member}”, which would be written outside "
                         "its folder").format(member=_printable(info.orig_filename)),
                       "unsafe-path")
        if name.endswith("/"):
            raise fail(_("it holds a folder ({member}), which packages do not have").format(
                member=name), "unlisted")
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: the writer did not say
        if kind and kind != stat.S_IFREG:
            raise fail(_("it holds a link or a special file ({member})").format(member=name),
                       "link")
        if name.casefold() in folded:
            raise fail(_("it holds two files named {member}").format(member=name),
                       "duplicate")
        folded.add(name.casefold())
        if info.flag_bits & 0x1:
            raise fail(_("{member} is encrypted").format(member=name), "encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise fail(_("{member} is compressed in a way packages do not use").format(
                member=name), "damaged")
        if info.file_size > limits.member_bytes:
            raise fail(_("{member} would take more than {size} MB unpacked").format(
                member=name, size=limits.member_bytes // _MIB), "too-large")
        if info.file_size > limits.ratio_floor and \
                info.file_size > limits.ratio * max(info.compress_size, 1):
            raise fail(_("{member} unpacks to far more than it takes packed (a ZIP bomb)")
                       .format(member=name), "bomb")
        found[name] = info
    if sum(i.file_size for i in infos) > limits.total_bytes:
        raise fail(_("its files would take more than {size} MB unpacked").format(
            size=limits.total_bytes // _MIB), "too-large")
    return found


def _safe_name(name: str) -> bool:
    """A member name that stays inside the folder it would be unpacked to, on any system."""
    if not name or len(name) > 255 or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name) or any(ord(c) < 32 for c in name):
        return False
    parts = name.rstrip("/").split("/")
    return all(p not in ("", ".", "..") for p in parts)


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:80]


def _read_member(fail: Fail, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int,
                 limits: Limits, total: list[int], cancel: threading.Event | None) -> bytes:
    """A member's bytes, counting while decompressing: the header's sizes are only claims."""
    chunks = []
    size = 0
    try:
        with archive.open(info) as fh:
            while True:
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
                chunk = fh.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                total[0] += len(chunk)
                if size > limit:
                    raise fail(_("{member} is larger than {size} MB").format(
                        member=info.filename, size=max(1, limit // _MIB)), "too-large")
                if total[0] > limits.total_bytes:
                    raise fail(_("its files would take more than {size} MB unpacked").format(
                        size=limits.total_bytes // _MIB), "too-large")
                if size > limits.ratio_floor and size > limits.ratio * max(info.compress_size, 1):
                    raise fail(_("{member} unpacks to far more than it takes packed (a ZIP "
                                 "bomb)").format(member=info.filename), "bomb")
                chunks.append(chunk)
    except ExchangeError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError, RuntimeError) as exc:
        raise fail(_("{member} is damaged").format(member=info.filename), "damaged") from exc
    return b"".join(chunks)


class _DuplicateKey(ValueError):
    pass


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _json(fail: Fail, member: str, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise fail(_("{member} is not UTF-8 text").format(member=member), "invalid-json") \
            from exc
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except _DuplicateKey as exc:
        raise fail(_("{member} names “{key}” twice in one place").format(
            member=member, key=_printable(str(exc))[:40]), "invalid-json") from exc
    except RecursionError as exc:
        raise fail(_("{member} is nested too deeply").format(member=member), "too-deep") \
            from exc
    except json.JSONDecodeError as exc:
        raise fail(_("{member} is not valid JSON (line {line}, column {column})").format(
            member=member, line=exc.lineno, column=exc.colno), "invalid-json") from exc
    except ValueError as exc:  # NaN or Infinity, which JSON does not have
        raise fail(_("{member} is not valid JSON").format(member=member), "invalid-json") \
            from exc


def _manifest(fail: Fail, raw: bytes) -> Manifest:
    from d4a_desktop.services.exchange import validate

    data = _json(fail, MANIFEST, raw)
    if not isinstance(data, dict) or not isinstance(data.get("format"), int) or \
            isinstance(data.get("format"), bool):
        raise fail(_("its manifest.json has no format version"), "invalid")
    fmt = data["format"]
    min_reader = data.get("min_reader_format", fmt)
    if fmt > FORMAT and not (isinstance(min_reader, int) and min_reader <= FORMAT):
        raise fail(_("it was made by a newer version of D4A Roadmap Desktop (package format "
                     "{version}; this version reads up to {supported}). Update the program "
                     "to open it.").format(version=fmt, supported=FORMAT), "too-new")
    if fmt > FORMAT:  # newer, but readable: check what this program knows of it
        data = validate.known(data, validate.manifest_validator().schema)
    problem = validate.first_problem(validate.manifest_validator(), data)
    if problem:
        raise fail(_("its manifest.json does not follow the package format at {where} "
                     "({reason})").format(where=problem[0], reason=problem[1]), "invalid")
    names = [m["name"] for m in data["members"]]
    if len(set(names)) != len(names) or MANIFEST in names:
        raise fail(_("its manifest.json lists a file twice"), "invalid")
    for name in names:
        if not _safe_name(name):
            raise fail(_("it holds a file named “{member}”, which would be written outside "
                         "its folder").format(member=_printable(name)), "unsafe-path")
    if not _UUID.fullmatch(data["project_id"]):
        raise fail(_("its manifest.json does not name a project"), "invalid")
    return Manifest(
        format=fmt, min_reader_format=data["min_reader_format"],
        project_id=data["project_id"], program_name=data["program"]["name"],
        program_version=data["program"]["version"], project_schema=data["project_schema"],
        roadmap_version=data["roadmap_version"], author=data["author"],
        installation=data["installation"],
        exported_at=dt.datetime.strptime(data["exported_at"], "%Y-%m-%dT%H:%M:%SZ"),
        left_out=tuple(data["left_out"]),
        members=tuple(Member(m["name"], m["size"], m["sha256"]) for m in data["members"]))


def _project(fail: Fail, raw: bytes, manifest: Manifest, limits: Limits) -> dict[str, Any]:
    from d4a_desktop.services.exchange import validate

    # A cheap upper bound before parsing: every record and change has an "id".
    if raw.count(b'"id"') > limits.records + limits.changes + 1:
        raise fail(_("project.json holds more records than a project can have (more than "
                     "{count})").format(count=format_number_plain(limits.records)),
                   "too-many")
    data = _json(fail, PROJECT, raw)
    if not isinstance(data, dict):
        raise fail(_("project.json does not follow the package format at {where} "
                     "({reason})").format(where="/", reason=_("wrong kind of value")),
                   "invalid")
    count = validate.count_records(data)
    if count > limits.records:
        raise fail(_("project.json holds more records than a project can have (more than "
                     "{count})").format(count=format_number_plain(limits.records)),
                   "too-many")
    changes = data.get("changes")
    if isinstance(changes, list) and len(changes) > limits.changes:
        raise fail(_("project.json holds more changes than a project can have (more than "
                     "{count})").format(count=format_number_plain(limits.changes)),
                   "too-many")
    if manifest.newer:
        data = validate.known(data, schema_mod.project_schema())
        data["format"] = FORMAT
    try:
        problem = validate.project_checker().first_problem(data)
    except RecursionError as exc:
        raise fail(_("{member} is nested too deeply").format(member=PROJECT), "too-deep") \
            from exc
    if problem:
        raise fail(_("project.json does not follow the package format at {where} "
                     "({reason})").format(where=problem[0], reason=problem[1]), "invalid")
    # The schema bounds every text of a declared field. What it leaves free (the values of
    # JSON fields, the change log's old and new values) is checked for nesting and size;
    # the whole document only when its text escapes a NUL or a surrogate.
    escaped = bool(_ESCAPES.search(raw))
    trouble = validate.walk(data if escaped else validate.free_values(data), limits,
                            characters=escaped)
    if trouble:
        raise fail(trouble, "invalid")
    reason = validate.check_ids(data)
    if reason:
        raise fail(reason, "invalid")
    if data["project"]["id"] != manifest.project_id:
        raise fail(_("project.json and manifest.json name different projects"), "invalid")
    return data


#: JSON escapes of a NUL or a UTF-16 surrogate: the only ways to write either in valid JSON.
_ESCAPES = re.compile(rb"\\u(0000|[dD][89a-fA-F][0-9a-fA-F]{2})")


def format_number_plain(value: int) -> str:
    from d4a_desktop.i18n import format_number

    return format_number(value)


# --- using a package -----------------------------------------------------------------------

def check_importable(package: Package) -> None:
    """Refuse a package that would lose data if made into a project file or merged: one
    that a newer program wrote (this program read only what it knows of it)."""
    if package.partial:
        raise errors.package(package.path, _(
            "it was made by a newer version of D4A Roadmap Desktop ({program}); this version "
            "can show it but not import or merge it without losing what it does not know. "
            "Update the program.").format(program=package.manifest.program_version),
            "too-new")


def check_mergeable(package: Package, session: ProjectSession) -> None:
    """What a merge must know before it starts: the same project, a package this program
    reads in full, and no record id that the open project uses for another kind."""
    if package.project_id != session.file.project_id:
        raise errors.package(package.path, _(
            "it holds another project ({title}, {municipality}); open it to look at it "
            "instead").format(title=package.project.get("title", ""),
                              municipality=package.project.get("municipality", "")),
            "other-project")
    check_importable(package)
    kinds_here = {r.id: k.name for k in kinds_mod.KINDS
                  for r in session.file.records(k, include_deleted=True)}
    for kind, entries in package.snapshot["records"].items():
        for entry in entries:
            here = kinds_here.get(entry["id"])
            if here is not None and here != kind:
                raise errors.package(package.path, _(
                    "a record in it has the id of a record of another register in your "
                    "project ({kind}); it cannot be merged").format(
                        kind=kinds_mod.kind(here).plural_text()), "id-collision")


def import_package(package_path: Path | str, target: Path | str, *,
                   author: str | None = None, limits: Limits = LIMITS) -> Package:
    """Make a new project file from a package: the same project (same ids, same history).

    The file is built under a temporary name beside the target and renamed when complete;
    an existing file is never replaced.
    """
    from d4a_desktop.services.projects import default_author

    target = Path(target).absolute()
    package = read_package(package_path, limits=limits)
    check_importable(package)
    if target.exists():
        raise storage_errors.exists(target)
    if not target.parent.is_dir():
        raise storage_errors.missing(target.parent)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                suffix=".importing.d4a")
    os.close(fd)
    tmp = Path(name)
    try:
        tmp.unlink()
        file = snapshot.create_from(tmp, package.snapshot,
                                    author=default_author() if author is None else author,
                                    installation=paths.installation_id())
        file.close()
        if target.exists():
            raise storage_errors.exists(target)
        os.replace(tmp, target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
            leftover.unlink(missing_ok=True)
    return package


# --- the partner view: a package opened for reading --------------------------------------------

@dataclass
class PartnerView:
    """A partner's package opened read-only, as a project session every page can show.

    The project lives in a temporary folder that :meth:`close` removes; nothing of the
    package is written anywhere else.
    """

    package: Package
    session: ProjectSession
    folder: Path
    closed: bool = field(default=False)

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            self.session.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PartnerView:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


PARTNER_PREFIX = "d4a-partner-"


def open_partner(path: Path | str, *, limits: Limits = LIMITS) -> PartnerView:
    """Open a package for looking at: a read-only session of the project it holds."""
    return view_of(read_package(path, limits=limits))


def view_of(package: Package) -> PartnerView:
    """A package already read and checked, made into a read-only session (the GUI reads a
    package once, off the window's thread, then decides whether to merge or to show it)."""
    from d4a_desktop.services.projects import read_project

    _remove_stale_views()
    folder = Path(tempfile.mkdtemp(prefix=PARTNER_PREFIX, dir=_views_dir()))
    try:
        project = folder / "partner.d4a"
        snapshot.create_from(project, package.snapshot).close()
        session = read_project(project)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    session.read_only_reason = _(
        "This is {municipality}'s package {name}, open for reading only.").format(
        municipality=package.project.get("municipality") or "?", name=package.path.name)
    return PartnerView(package, session, folder)


def _views_dir() -> Path:
    folder = paths.user_cache_dir() / "partner-views"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _remove_stale_views(max_age: dt.timedelta = dt.timedelta(days=1)) -> None:
    """Temporary projects left behind by a program that crashed while showing one."""
    try:
        entries = list(_views_dir().iterdir())
    except OSError:
        return
    now = dt.datetime.now().timestamp()
    for entry in entries:
        try:
            old = now - entry.stat().st_mtime > max_age.total_seconds()
        except OSError:
            continue
        if entry.name.startswith(PARTNER_PREFIX) and old:
            shutil.rmtree(entry, ignore_errors=True)


def describe(package: Package) -> str:
    """One line that names a package for lists and messages."""
    project = package.project
    left = package.manifest.left_out
    text = _("{title} — {municipality} ({country}), exported on {date}").format(
        title=project.get("title", ""), municipality=project.get("municipality", ""),
        country=project.get("country", ""),
        date=format_date(package.manifest.exported_at.date()))
    if left:
        text += " " + _("(leaves out: {parts})").format(
            parts=format_list([leave_out_label(p) for p in left]))
    return text


def leave_out_label(part: str) -> str:
    """What a part that a package can leave out is called in the interface."""
    labels = {"notes": _("notes"), "owners": _("owners"), "comments": _("comments"),
              # Translators: what a package leaves out: names and contacts of people.
              "personal": _("names and contacts of people")}
    return labels.get(part, part)

"""Consortium sync over a folder and over a real WebDAV server on 127.0.0.1: sending,
fetching, waiting quietly, resuming after a server that disappeared, and every refusal."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from d4a_desktop import paths
from d4a_desktop.services.exchange import Cancelled, ExchangeError, credentials, read_package, sync
from d4a_desktop.services.exchange import package as pkg
from d4a_desktop.services.exchange.webdav import WebDav
from d4a_desktop.services.projects import ProjectSession
from tests.conftest import sha256
from tests.services.exchange.davserver import PASSWORD, USER, DavServer
from tests.services.exchange.projects import minimal_snapshot, record


@pytest.fixture
def dav(tmp_path: Path) -> Iterator[DavServer]:
    server = DavServer(tmp_path / "dav").start()
    yield server
    server.close()


@pytest.fixture
def laptop(home: Path) -> Path:
    """This test's own user data folder (outbox, inbox, installation id)."""
    return home


def partner_package(folder: Path, *, big: bool = False, project_id: str | None = None,
                    name: str | None = None) -> Path:
    """Another partner's package, placed in ``folder`` (a sync target)."""
    snap = minimal_snapshot()
    snap["project"]["id"] = project_id or str(uuid.uuid4())
    snap["project"]["municipality"] = "Vejle"
    for n in range(40 if big else 1):
        snap["records"]["datasets"].append(record(
            title=f"Set {n}", description=os.urandom(5000).hex() if big else "small"))
    data, _manifest = pkg.pack(snap, installation=str(uuid.uuid4()))
    path = folder / (name or f"d4a_{snap['project']['id']}_partner.d4ax")
    path.write_bytes(data)
    return path


def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- a folder ----------------------------------------------------------------------------

def test_sync_with_a_folder_sends_and_fetches(rich: ProjectSession, laptop: Path,
                                              tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    other = partner_package(share)
    same = partner_package(share, project_id=rich.file.project_id, name="d4a_same_b.d4ax")
    seen: list[tuple[str, int, int]] = []
    result = sync.sync(rich, sync.FolderTarget(share),
                       progress=lambda what, done, total: seen.append((what, done, total)))
    own = sync.package_name(rich.file.project_id)
    assert result.reachable and not result.interrupted and result.message == ""
    assert result.sent == [own] and result.waiting == []
    assert own in files(share) and not [n for n in files(share) if n.startswith(".")]
    assert read_package(share / own).project_id == rich.file.project_id
    received = {r.name: r for r in result.received}
    assert set(received) == {other.name, same.name}
    assert received[same.name].same_project and not received[other.name].same_project
    assert "Vejle" in received[other.name].description
    box = sync.inbox(rich.file.project_id)
    assert sha256(box / other.name) == sha256(other)
    assert sync.inbox_packages(rich.file.project_id) == sorted([box / other.name,
                                                                box / same.name])
    assert seen and seen[-1][1] == seen[-1][2]
    again = sync.sync(rich, sync.FolderTarget(share))
    assert again.sent == [own] and again.received == []
    assert str(laptop) in str(box)


def test_a_folder_that_is_not_there_makes_the_package_wait(rich: ProjectSession,
                                                           laptop: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    result = sync.sync(rich, sync.FolderTarget(share))
    own = sync.package_name(rich.file.project_id)
    assert not result.reachable and not result.interrupted
    assert result.waiting == [own] and result.sent == []
    assert "cannot be reached" in result.message
    share.mkdir()
    later = sync.exchange(rich.file.project_id, sync.FolderTarget(share))
    assert later.sent == [own] and later.waiting == []


def test_a_broken_package_in_the_target_is_refused_once_and_not_kept(
        rich: ProjectSession, laptop: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    (share / "evil.d4ax").write_bytes(b"PK\x03\x04 not really")
    (share / ".hidden.d4ax").write_bytes(b"x")
    (share / "notes.txt").write_text("not a package")
    result = sync.sync(rich, sync.FolderTarget(share))
    assert [n for n, _reason in result.rejected] == ["evil.d4ax"]
    assert "evil.d4ax" in result.rejected[0][1]
    assert ".part" not in result.rejected[0][1]  # the partner's name, not a temporary one
    assert sync.inbox_packages(rich.file.project_id) == []
    assert [p.name for p in sync.inbox(rich.file.project_id).iterdir()] == [".versions.json"]
    again = sync.sync(rich, sync.FolderTarget(share))
    assert [n for n, _reason in again.rejected] == ["evil.d4ax"]


def test_unsafe_names_are_never_used_as_file_names() -> None:
    assert sync.is_safe_name("d4a_x_y.d4ax")
    for name in ("../x.d4ax", "a/b.d4ax", ".x.d4ax", "x.d4ax.part", "x..d4ax", "C:x.d4ax",
                 "a\\b.d4ax", ""):
        assert not sync.is_safe_name(name), name


def test_cancel_leaves_the_outbox_and_the_target_as_they_were(
        rich: ProjectSession, laptop: Path, tmp_path: Path) -> None:
    share = tmp_path / "share"
    share.mkdir()
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        sync.sync(rich, sync.FolderTarget(share), cancel=cancel,
                  progress=lambda *_args: cancel.set())
    assert files(share) == []
    assert sync.waiting(rich.file.project_id)


# --- WebDAV ----------------------------------------------------------------------------

def test_two_laptops_exchange_over_webdav(rich: ProjectSession, dav: DavServer,
                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setenv("D4A_HOME", str(tmp_path / "laptop-a"))
    first = sync.sync(rich, WebDav(dav.url, USER, PASSWORD))
    own_a = sync.package_name(rich.file.project_id)
    assert first.sent == [own_a] and first.received == []
    monkeypatch.setenv("D4A_HOME", str(tmp_path / "laptop-b"))
    second = sync.sync(rich, WebDav(dav.url, USER, PASSWORD))
    own_b = sync.package_name(rich.file.project_id)
    assert own_b != own_a and second.sent == [own_b]
    assert [(r.name, r.same_project) for r in second.received] == [(own_a, True)]
    monkeypatch.setenv("D4A_HOME", str(tmp_path / "laptop-a"))
    third = sync.sync(rich, WebDav(dav.url, USER, PASSWORD))
    assert [r.name for r in third.received] == [own_b]
    assert files(dav.folder) == sorted([own_a, own_b])
    data = third.as_json()
    assert data["sent"] == [own_a] and data["received"] == [own_b]
    assert data["merged"] == [] and data["conflicted"] == []


@pytest.mark.parametrize(("method", "status", "kind"), [
    ("PROPFIND", 401, "auth"), ("PROPFIND", 403, "forbidden"), ("PROPFIND", 500, "server"),
    ("PUT", 507, "full"), ("PUT", 500, "server"), ("MOVE", 507, "full"), ("GET", 404, "not-found"),
])
def test_server_refusals_are_clear_and_keep_the_outbox(
        rich: ProjectSession, laptop: Path, dav: DavServer, method: str, status: int,
        kind: str) -> None:
    partner_package(dav.folder)
    dav.status[method] = status
    with pytest.raises(ExchangeError) as caught:
        sync.sync(rich, WebDav(dav.url, USER, PASSWORD))
    assert caught.value.kind == kind and "\n" not in caught.value.message
    assert dav.url in caught.value.message
    assert sync.waiting(rich.file.project_id) or method == "GET"
    assert not [n for n in files(dav.folder) if n.startswith(".")]


def test_a_wrong_password_and_a_wrong_address(rich: ProjectSession, laptop: Path,
                                              dav: DavServer) -> None:
    with pytest.raises(ExchangeError) as caught:
        sync.sync(rich, WebDav(dav.url, USER, "wrong"))
    assert caught.value.kind == "auth"
    with pytest.raises(ExchangeError) as caught:
        sync.sync(rich, WebDav(dav.url + "missing/deeper/", USER, PASSWORD))
    assert caught.value.kind == "not-found"
    made = sync.sync(rich, WebDav(dav.url + "new-folder/", USER, PASSWORD))
    assert made.sent and (dav.folder / "new-folder" / made.sent[0]).is_file()


def test_a_server_that_is_gone_makes_the_package_wait(rich: ProjectSession, laptop: Path,
                                                     dav: DavServer) -> None:
    dav.disappear()
    result = sync.sync(rich, WebDav(dav.url, USER, PASSWORD))
    assert not result.reachable and result.waiting == [sync.package_name(rich.file.project_id)]
    dav.start()
    assert sync.exchange(rich.file.project_id, WebDav(dav.url, USER, PASSWORD)).sent


def test_a_download_cut_off_resumes_where_it_stopped(rich: ProjectSession, laptop: Path,
                                                     dav: DavServer) -> None:
    big = partner_package(dav.folder, big=True)
    assert big.stat().st_size > 150_000
    target = WebDav(dav.url, USER, PASSWORD)
    sync.sync(rich, target)  # sends ours; fetches the big one …
    (sync.inbox(rich.file.project_id) / big.name).unlink()  # … which we drop again
    sync.inbox(rich.file.project_id).joinpath(".versions.json").unlink()
    dav.cut["down"] = 120_000
    cut = sync.exchange(rich.file.project_id, target)
    assert cut.reachable and cut.interrupted and cut.received == []
    assert "lost" in cut.message
    part = sync.inbox(rich.file.project_id) / f".{big.name}.part"
    kept = part.stat().st_size
    assert 0 < kept < big.stat().st_size
    dav.start()
    resumed = sync.exchange(rich.file.project_id, target)
    assert [r.name for r in resumed.received] == [big.name]
    assert ("GET", f"/share/{big.name}", f"bytes={kept}-") in dav.requests
    assert sha256(sync.inbox(rich.file.project_id) / big.name) == sha256(big)
    assert not part.exists()


def test_a_download_restarts_when_the_package_changed_meanwhile(
        rich: ProjectSession, laptop: Path, dav: DavServer) -> None:
    big = partner_package(dav.folder, big=True)
    target = WebDav(dav.url, USER, PASSWORD)
    dav.cut["down"] = 120_000
    assert sync.sync(rich, target).interrupted
    dav.start()
    partner_package(dav.folder, big=True, name=big.name)  # a new version, same name
    result = sync.exchange(rich.file.project_id, target)
    assert [r.name for r in result.received] == [big.name]
    assert sha256(sync.inbox(rich.file.project_id) / big.name) == sha256(big)


def test_an_upload_cut_off_is_never_seen_half_and_is_sent_again(
        rich: ProjectSession, laptop: Path, dav: DavServer) -> None:
    for n in range(60):  # a package of some size
        rich.file.create_record("datasets", str(uuid.uuid4()),
                                {"title": f"Set {n}", "description": os.urandom(3000).hex()})
    own = sync.package_name(rich.file.project_id)
    target = WebDav(dav.url, USER, PASSWORD)
    dav.cut["up"] = 100_000
    cut = sync.sync(rich, target)
    assert cut.interrupted and cut.sent == [] and cut.waiting == [own]
    assert own not in files(dav.folder)  # at most a temporary name, never the real one
    # What a cut-off upload may leave (the server decides): ours is cleared, another
    # laptop's (perhaps still uploading) is left alone.
    ours = f".{own}.{paths.installation_id()}.0badcafe.uploading"
    theirs = f".{own}.{uuid.uuid4()}.0badcafe.uploading"
    for name in (ours, theirs):
        (dav.folder / name).write_bytes(b"half a package")
    dav.start()
    again = sync.exchange(rich.file.project_id, target)
    assert again.sent == [own]
    assert [n for n in files(dav.folder) if not n.startswith(".")] == [own]
    assert ours not in files(dav.folder) and theirs in files(dav.folder)
    assert read_package(dav.folder / own).project_id == rich.file.project_id


def test_progress_and_cancel_over_webdav(rich: ProjectSession, laptop: Path,
                                         dav: DavServer) -> None:
    big = partner_package(dav.folder, big=True)
    cancel = threading.Event()
    seen: list[int] = []

    def progress(what: str, done: int, total: int) -> None:
        seen.append(done)
        if what.startswith("Fetching") and done > 65_536:
            cancel.set()
    with pytest.raises(Cancelled):
        sync.sync(rich, WebDav(dav.url, USER, PASSWORD), progress=progress, cancel=cancel)
    assert not (sync.inbox(rich.file.project_id) / big.name).exists()
    assert seen == sorted(seen) or len(seen) > 1
    result = sync.exchange(rich.file.project_id, WebDav(dav.url, USER, PASSWORD))
    assert [r.name for r in result.received] == [big.name]


def test_passwords_only_go_encrypted_to_other_computers() -> None:
    with pytest.raises(ExchangeError) as caught:
        WebDav("http://cloud.example.org/dav/", USER, PASSWORD)
    assert caught.value.kind == "usage" and "https://" in caught.value.message
    with pytest.raises(ExchangeError):
        WebDav("ftp://cloud.example.org/dav/")
    WebDav("https://cloud.example.org/dav/", USER, PASSWORD)
    WebDav("http://127.0.0.1:8080/dav/", USER, PASSWORD)
    assert isinstance(sync.target_for("https://cloud.example.org/d4a"), WebDav)
    assert isinstance(sync.target_for("/mnt/share"), sync.FolderTarget)


# --- credentials --------------------------------------------------------------------------

class MemoryKeyring:
    """A keyring back end in memory, standing in for the system's."""

    priority = 1

    def __init__(self) -> None:
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, user: str) -> str | None:
        return self.store.get((service, user))

    def set_password(self, service: str, user: str, secret: str) -> None:
        self.store[(service, user)] = secret

    def delete_password(self, service: str, user: str) -> None:
        self.store.pop((service, user), None)


def test_passwords_come_from_the_environment_or_the_keyring(
        monkeypatch: pytest.MonkeyPatch) -> None:
    url = "https://cloud.example.org/remote.php/dav/files/anna/D4A/"
    monkeypatch.delenv(credentials.ENVIRONMENT, raising=False)
    store = MemoryKeyring()
    monkeypatch.setattr(credentials, "_keyring", lambda: store)
    assert credentials.password(url, "anna") is None
    assert credentials.remember(url, "anna", "s3cret")
    assert credentials.password("https://cloud.example.org/other/", "anna") == "s3cret"
    assert credentials.password(url, "bob") is None
    monkeypatch.setenv(credentials.ENVIRONMENT, "from-env")
    assert credentials.password(url, "anna") == "from-env"
    monkeypatch.delenv(credentials.ENVIRONMENT)
    credentials.forget(url, "anna")
    assert credentials.password(url, "anna") is None
    monkeypatch.setattr(credentials, "_keyring", lambda: None)
    assert not credentials.remember(url, "anna", "s3cret")
    assert credentials.password(url, "anna") is None


def test_no_keyring_and_plain_file_keyrings_count_as_none(
        monkeypatch: pytest.MonkeyPatch, laptop: Path) -> None:
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert not credentials.keyring_available()

    class PlaintextKeyring(MemoryKeyring):
        pass
    monkeypatch.setattr(keyring, "get_keyring", lambda: PlaintextKeyring())
    assert not credentials.keyring_available()
    assert not credentials.remember("https://x.example/", "anna", "pw")
    assert not [p for p in laptop.rglob("*") if p.is_file() and b"pw" in p.read_bytes()]
    assert paths.user_data_dir().is_relative_to(laptop)

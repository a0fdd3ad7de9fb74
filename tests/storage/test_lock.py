"""One program holds a file, whatever else reads it; a dead holder's lock is stale.

POSIX locks end when the process closes *any* descriptor of the file: the lock file
beside the project is what keeps a second window out (``storage/lock.py``).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from d4a_desktop.storage import ProjectFile, ProjectFileError, lock
from d4a_desktop.storage import projectfile as pf
from tests.storage.badfiles import make_project

ROOT = Path(__file__).resolve().parents[2]

OPEN_IN_CHILD = """
import sys
from d4a_desktop.storage import ProjectFile, ProjectFileError
try:
    f = ProjectFile.open(sys.argv[1])
except ProjectFileError as exc:
    print(exc.kind)
    sys.exit(3)
print("opened", flush=True)
if len(sys.argv) > 2:
    sys.stdin.read()  # hold the file until told
f.close()
"""


def open_in_child(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(path)],
                          capture_output=True, text=True, timeout=60, cwd=ROOT)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project.d4a")


def test_reading_the_file_in_this_process_does_not_unlock_it(project: Path) -> None:
    """What a file dialog or a thumbnailer does: open, read, close. A POSIX lock would be
    gone after it; the lock file is not."""
    with ProjectFile.open(project) as f:
        for _n in range(3):
            with project.open("rb") as fh:
                fh.read(4096)
        pf.read_header(project)
        child = open_in_child(project)
        assert child.returncode == 3 and child.stdout.strip() == "locked", child.stdout
        f.update_item("c1.a1.i1", {"note": "still mine"})
    assert open_in_child(project).returncode == 0  # released on close


def test_the_lock_names_its_holder_and_goes_away_on_close(project: Path) -> None:
    with ProjectFile.open(project):
        data = json.loads(lock.lock_path(project).read_text())
        assert data["pid"] == os.getpid() and data["host"] == socket.gethostname()
    assert not lock.lock_path(project).exists()


def test_a_crashed_holder_leaves_a_stale_lock_that_is_taken_over(project: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", OPEN_IN_CHILD, str(project), "hold"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "opened"
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(project)
    assert info.value.kind == "locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    assert lock.lock_path(project).exists()  # the dead process could not remove it
    with ProjectFile.open(project) as f:  # opens at once: the lock is stale
        assert f.get_item("c1.a1.i1").done is True


def test_a_reused_process_id_does_not_keep_a_lock_alive(project: Path) -> None:
    """A lock naming this very process id but another start time is stale."""
    me = lock.me()
    lock.lock_path(project).write_text(json.dumps({**me.__dict__, "started": "1"}))
    with ProjectFile.open(project):
        pass


def test_a_lock_cut_short_by_a_crash_is_stale(project: Path) -> None:
    path = lock.lock_path(project)
    path.write_text('{"host": "')
    os.utime(path, (1, 1))  # written long ago
    with ProjectFile.open(project):
        pass


def test_a_lock_being_written_right_now_is_respected(project: Path) -> None:
    lock.lock_path(project).write_text("")
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(project)
    assert info.value.kind == "locked"


def test_a_lock_of_another_computer_is_respected_unless_taken_over(project: Path) -> None:
    other = {"host": "laptop-of-anna", "user": "anna", "pid": 4242, "started": "9",
             "since": "2026-12-01T09:00:00+00:00", "program": "d4a-desktop"}
    lock.lock_path(project).write_text(json.dumps(other))
    with pytest.raises(ProjectFileError) as info:
        ProjectFile.open(project)
    assert info.value.kind == "locked-elsewhere"
    assert "anna@laptop-of-anna" in info.value.message
    with ProjectFile.open(project, take_over=True):
        assert json.loads(lock.lock_path(project).read_text())["pid"] == os.getpid()


def test_reading_ignores_the_lock_and_leaves_it(project: Path) -> None:
    with ProjectFile.open(project) as f:
        f.update_item("c2.a1.i1", {"owner": "Ines"})
        with ProjectFile.open(project, read_only=True) as r:
            assert r.get_item("c2.a1.i1").owner == "Ines"
        assert lock.lock_path(project).exists()
        f.update_item("c2.a1.i1", {"owner": "Ines B."})


def test_a_folder_that_cannot_take_the_lock_means_read_only(project: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write into any folder")
    project.parent.chmod(0o555)
    try:
        with pytest.raises(ProjectFileError) as info:
            ProjectFile.open(project)
        assert info.value.kind == "read-only"
    finally:
        project.parent.chmod(0o755)

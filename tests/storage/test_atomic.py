"""Atomic writes: whole or not at all, also when the writer is killed half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from d4a_desktop.storage import atomic

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("unnamed", [True, False], ids=["unnamed-file", "named-temp"])
def test_new_and_replaced_files_get_the_whole_content_and_the_usual_mode(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unnamed: bool) -> None:
    if not unnamed:
        monkeypatch.setattr(atomic, "_unnamed", lambda folder: None)
    target = tmp_path / "report.pdf"
    atomic.write_bytes(target, b"first")
    atomic.write_bytes(target, b"second, longer")
    assert target.read_bytes() == b"second, longer"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(b"old")

    def broken(fd: int, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", broken)
    with pytest.raises(OSError):
        atomic.write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_what_a_killed_writer_left_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = tmp_path / f".report.pdf.{dead.pid}-abcd.tmp"
    stale.write_bytes(b"%PDF half")
    live = tmp_path / f".report.pdf.{os.getppid()}-efgh.tmp"  # a writer still at work
    live.write_bytes(b"%PDF busy")
    other = tmp_path / f".other.pdf.{dead.pid}-ijkl.tmp"  # another target's: not ours
    other.write_bytes(b"x")
    atomic.write_bytes(target, b"%PDF whole")
    assert not stale.exists()
    assert live.exists() and other.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGKILL")
def test_a_writer_killed_half_way_leaves_nothing_beside_the_target(tmp_path: Path) -> None:
    """A large write killed while it runs: no partial file, under any name."""
    target = tmp_path / "big.pdf"
    code = ("import sys\nfrom d4a_desktop.storage import atomic\n"
            "print('writing', flush=True)\n"
            "while True:\n    atomic.write_bytes(sys.argv[1], b'%PDF' + b'x' * 60_000_000)\n")
    killed = 0
    for delay in (0.0, 0.02, 0.05, 0.1, 0.2):
        proc = subprocess.Popen([sys.executable, "-c", code, str(target)],
                                stdout=subprocess.PIPE, text=True, cwd=ROOT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        killed += proc.returncode == -signal.SIGKILL
        left = sorted(p.name for p in tmp_path.iterdir())
        assert left in ([], ["big.pdf"]), left
        if left:
            assert target.stat().st_size == 4 + 60_000_000  # whole, never half
    assert killed == 5

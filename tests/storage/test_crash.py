"""Proved, not assumed: kill -9 during edits, opening, upgrading and backing up.

A child process (``tests/storage/crashwork.py``) edits a project and says after each edit
that it returned; the parent kills it with SIGKILL at a random moment and checks that
the file passes ``integrity_check``, holds every acknowledged edit and nothing half-done
(it equals the same edits replayed without a crash, up to the last acknowledged one or
the one after it), and opens again at once: no stale lock, no false "damaged".

``benchmarks/crash.py`` runs the same trials by the thousand.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop.storage import ProjectFile, ProjectFileError
from tests.storage import crashwork
from tests.storage.badfiles import make_project

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
TRIALS = int(os.environ.get("D4A_CRASH_TRIALS", "50"))
EDITS = 30


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A fast folder (memory-backed where the machine has one): a kill -9 test is about
    the process dying, not the disk, and fsync on a real disk makes each edit slow."""
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="d4a-crash-", dir=base))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Outcome:
    acks: int
    phase: str          # the last line the child printed
    exit_status: int


def run_child(path: Path, seed: int, count: int, *, kill_after: str | None,
              delay: float, backup: bool = False, home: Path) -> Outcome:
    """Start the child; kill it ``delay`` seconds after it printed ``kill_after``."""
    env = dict(os.environ, D4A_HOME=str(home), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "tests.storage.crashwork", str(path), str(seed), str(count)]
    if backup:
        cmd.append("--backup")
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    lines: list[str] = []
    marked = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            if kill_after is not None and line.strip() == kill_after:
                marked.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if kill_after is not None:
        marked.wait(timeout=60)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=120)
    reader.join(timeout=10)
    assert proc.stderr is not None
    err = proc.stderr.read()
    if kill_after is None or proc.returncode != -signal.SIGKILL:
        assert proc.returncode == 0, err
    acks = max([int(line.split()[1]) for line in lines if line.startswith("ack ")], default=0)
    return Outcome(acks, lines[-1] if lines else "", proc.returncode)


class Replay:
    """The oracle: the same edits applied to a copy of the starting file, without a crash."""

    def __init__(self, start: Path, seed: int, count: int, folder: Path):
        self.commands = crashwork.edits(seed, count)
        self.start = start
        self.path = folder / f"replay-{seed}.d4a"

    def matches(self, actual: dict[str, Any], acks: int) -> int | None:
        """Which of "after ``acks``" or "after ``acks + 1``" edits the file shows."""
        shutil.copyfile(self.start, self.path)
        with ProjectFile.open(self.path, author="crash-test") as f:
            for command in self.commands[:acks]:
                command.apply(f)
            if crashwork.snapshot(f) == actual:
                return acks
            if acks < len(self.commands):
                self.commands[acks].apply(f)
                if crashwork.snapshot(f) == actual:
                    return acks + 1
        return None


def check_after_kill(path: Path, replay: Replay, outcome: Outcome) -> None:
    # Opens at once: the dead child's lock is stale, its journal is rolled back.
    try:
        file = ProjectFile.open(path, author="checker")
    except ProjectFileError as exc:
        pytest.fail(f"after a kill at {outcome.phase!r}: {exc.kind}: {exc.message}")
    with file:
        assert file.integrity_check() == []
        assert file.check_values() == []
        actual = crashwork.snapshot(file)
    found = replay.matches(actual, outcome.acks)
    assert found is not None, (
        f"killed after {outcome.acks} acknowledged edits ({outcome.phase!r}): the file "
        f"matches neither {outcome.acks} nor {outcome.acks + 1} edits")
    leftovers = [p.name for p in path.parent.iterdir()
                 if p.name.startswith((path.name + "-", f".{path.name}"))]
    assert leftovers == [], leftovers


def test_the_child_runs_to_the_end_and_matches_the_replay(scratch: Path, tmp_path: Path) -> None:
    """Without a kill, the child's file equals the replay: the oracle itself works."""
    start = make_project(scratch / "start-0.d4a")
    path = scratch / "plain.d4a"
    shutil.copyfile(start, path)
    replay = Replay(start, 7, 12, scratch)
    outcome = run_child(path, 7, 12, kill_after=None, delay=0, home=tmp_path)
    assert (outcome.acks, outcome.phase) == (12, "closed")
    with ProjectFile.open(path) as f:
        assert replay.matches(crashwork.snapshot(f), 12) == 12
        assert replay.matches(crashwork.snapshot(f), 3) is None  # the check can fail


@pytest.mark.slow
def test_kill_at_random_moments(scratch: Path, tmp_path: Path) -> None:
    rnd = random.Random(20261204)
    start = make_project(scratch / "start.d4a")
    golden = scratch / "golden-v2.d4a"
    shutil.copyfile(GOLDEN / "schema-v2.d4a", golden)
    upgraded = scratch / "golden-upgraded.d4a"
    shutil.copyfile(golden, upgraded)
    ProjectFile.open(upgraded).close()  # the oracle starts from the upgraded file
    counts = {"opening": 0, "upgrade": 0, "editing": 0, "closing": 0}
    for trial in range(TRIALS):
        seed = rnd.randrange(10**6)
        old_file = trial % 5 == 0  # every fifth trial starts from an older file
        path = scratch / f"trial-{trial}.d4a"
        shutil.copyfile(golden if old_file else start, path)
        replay = Replay(upgraded if old_file else start, seed, EDITS, scratch)
        phase = ["opening", "opened", "ack", "ack", "ack", "closing"][trial % 6]
        kill_after = f"ack {rnd.randrange(1, EDITS)}" if phase == "ack" else phase
        delay = rnd.random() * (0.25 if phase != "opening" else 0.03)
        outcome = run_child(path, seed, EDITS, kill_after=kill_after, delay=delay,
                            backup=True, home=tmp_path / f"home-{trial}")
        counts["upgrade" if old_file and outcome.phase == "opening" else
               "opening" if outcome.phase == "opening" else
               "closing" if outcome.phase in ("closing", "closed") else "editing"] += 1
        check_after_kill(path, replay, outcome)
        path.unlink()
        replay.path.unlink(missing_ok=True)
    # The trials reached every phase, so each was really tried.
    assert counts["opening"] + counts["upgrade"] and counts["editing"] and counts["closing"], \
        counts

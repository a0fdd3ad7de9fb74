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
              delay: float, backup: bool = False, home: Path, work: Path | None = None,
              package: Path | None = None) -> Outcome:
    """Start the child; kill it ``delay`` seconds after it printed ``kill_after``. With
    ``work``, some of its steps are imports, merges (of ``package``) and PDF exports."""
    env = dict(os.environ, D4A_HOME=str(home), PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "tests.storage.crashwork", str(path), str(seed), str(count)]
    if backup:
        cmd.append("--backup")
    if work is not None:
        work.mkdir(parents=True, exist_ok=True)
        cmd += ["--work", str(work)]
    if package is not None:
        cmd += ["--package", str(package)]
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
    """The oracle: the same edits applied to a copy of the starting file, without a crash.

    With ``work``, the steps that were operations replay the edit the child kept for them
    (an import's or a merge's: their new ids differ from run to run); a PDF changes nothing.
    """

    def __init__(self, start: Path, seed: int, count: int, folder: Path,
                 work: Path | None = None):
        self.commands = crashwork.edits(seed, count, operations=work is not None)
        self.start = start
        self.work = work
        self.path = folder / f"replay-{seed}.d4a"

    def _apply(self, f: ProjectFile, number: int) -> None:
        command = self.commands[number - 1]
        if isinstance(command, crashwork.Operation):
            assert self.work is not None
            command = crashwork.operation_edit(command, self.work, number)
            if command is None:
                return
        command.apply(f)

    def matches(self, actual: dict[str, Any], acks: int) -> int | None:
        """Which of "after ``acks``" or "after ``acks + 1``" edits the file shows."""
        shutil.copyfile(self.start, self.path)
        with ProjectFile.open(self.path, author="crash-test") as f:
            for number in range(1, acks + 1):
                self._apply(f, number)
            if crashwork.snapshot(f) == actual:
                return acks
            if acks < len(self.commands):
                self._apply(f, acks + 1)
                if crashwork.snapshot(f) == actual:
                    return acks + 1
        return None


def pdf_problems(work: Path) -> list[str]:
    """What is wrong with the PDF exports in ``work``: anything but whole PDF files."""
    folder = work / "pdf"
    if not folder.is_dir():
        return []
    problems = []
    for entry in sorted(folder.iterdir()):
        data = entry.read_bytes()
        if not entry.name.startswith("document-") or entry.suffix != ".pdf":
            problems.append(f"left beside the PDF: {entry.name} ({len(data)} bytes)")
        elif not (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")):
            problems.append(f"a partial PDF: {entry.name} ({len(data)} bytes)")
    return problems


def check_after_kill(path: Path, replay: Replay, outcome: Outcome) -> None:
    if replay.work is not None:
        assert pdf_problems(replay.work) == [], outcome.phase
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


def test_imports_merges_and_pdfs_replay_to_the_same_file(scratch: Path, tmp_path: Path) -> None:
    """The oracle also holds for the operations: without a kill, the file the child made
    with an import, a PDF export and a merge equals the replay of their kept edits."""
    folder = scratch / "ops"
    folder.mkdir()
    trials = Trials.prepare(folder)
    path = folder / "plain.d4a"
    shutil.copyfile(trials.start, path)
    work = folder / "work"
    replay = Replay(trials.start, 20, 20, folder, work)
    assert {c.kind for c in replay.commands if isinstance(c, crashwork.Operation)} == \
        set(crashwork.OPERATIONS)
    outcome = run_child(path, 20, 20, kill_after=None, delay=0, home=tmp_path, work=work,
                        package=trials.packages[trials.start])
    assert (outcome.acks, outcome.phase) == (20, "closed")
    assert sorted(p.name for p in (work / "pdf").iterdir()) and pdf_problems(work) == []
    with ProjectFile.open(path) as f:
        actual = crashwork.snapshot(f)
    assert replay.matches(actual, 20) == 20
    changed = {n: c.kind for n, c in enumerate(replay.commands, 1)
               if isinstance(c, crashwork.Operation)
               and crashwork.operation_edit(c, work, n) is not None}
    # The import and the (first) merge did change the project; a second merge of the same
    # package finds nothing new.
    assert set(changed.values()) == {"import", "merge"}, changed
    imported = next(n for n, kind in changed.items() if kind == "import")
    (work / f"step-{imported}.pickle").unlink()  # without the import's edit …
    assert replay.matches(actual, 20) is None  # … the replay differs: the check can fail


#: What a trial kills: a step in rotation. "operation" is an import, a merge or a PDF.
PHASES = ("opening", "opened", "ack", "ack", "operation", "operation", "closing")


@dataclass
class Trials:
    """The starting files of the trials, and a partner's package of each for the merges."""

    folder: Path
    start: Path
    golden: Path
    upgraded: Path
    packages: dict[Path, Path]

    @classmethod
    def prepare(cls, folder: Path) -> Trials:
        start = make_project(folder / "start.d4a")
        golden = folder / "golden-v2.d4a"
        shutil.copyfile(GOLDEN / "schema-v2.d4a", golden)
        upgraded = folder / "golden-upgraded.d4a"
        shutil.copyfile(golden, upgraded)
        ProjectFile.open(upgraded).close()  # the oracle starts from the upgraded file
        packages = {s: crashwork.make_package(s, folder) for s in (start, upgraded)}
        return cls(folder, start, golden, upgraded, packages)

    def run(self, trial: int, rnd: random.Random, home: Path) -> tuple[str, Outcome, Replay]:
        """One trial: where the child was killed, how far it came, and the oracle."""
        seed = rnd.randrange(10**6)
        old_file = trial % 5 == 0  # every fifth trial starts from an older file
        path = self.folder / "trial.d4a"
        shutil.copyfile(self.golden if old_file else self.start, path)
        origin = self.upgraded if old_file else self.start
        work = self.folder / "work"
        shutil.rmtree(work, ignore_errors=True)
        replay = Replay(origin, seed, EDITS, self.folder, work)
        phase = PHASES[trial % len(PHASES)]
        delay = rnd.random() * (0.25 if phase != "opening" else 0.03)
        kill_after = phase
        if phase == "operation":
            ops = [(n, c.kind) for n, c in enumerate(replay.commands, 1)
                   if isinstance(c, crashwork.Operation)]
            wanted = crashwork.OPERATIONS[(trial // len(PHASES)) % len(crashwork.OPERATIONS)]
            ops = [op for op in ops if op[1] == wanted] or ops
            if ops:
                number, kind = rnd.choice(ops)
                kill_after = f"begin {number} {kind}"
                # A PDF takes a while to lay out; the file is written at its end.
                delay = rnd.random() * (1.0 if kind == "pdf" else 0.15)
            else:
                phase = "ack"
        if phase in ("ack", "operation") and not kill_after.startswith("begin"):
            kill_after = f"ack {rnd.randrange(1, EDITS)}"
        outcome = run_child(path, seed, EDITS, kill_after=kill_after, delay=delay,
                            backup=True, home=home, work=work, package=self.packages[origin])
        last = outcome.phase.split()
        where = ("upgrade" if old_file and outcome.phase == "opening" else
                 "opening" if outcome.phase == "opening" else
                 "closing" if outcome.phase in ("closing", "closed") else
                 last[2] if last[0] == "begin" else "editing")
        return where, outcome, replay


@pytest.mark.slow
def test_kill_at_random_moments(scratch: Path, tmp_path: Path) -> None:
    """Kills while opening, upgrading, editing, importing, merging, exporting a PDF and
    closing with a backup."""
    rnd = random.Random(20261204)
    trials = Trials.prepare(scratch)
    counts: dict[str, int] = {}
    path = scratch / "trial.d4a"
    for trial in range(TRIALS):
        where, outcome, replay = trials.run(trial, rnd, tmp_path / f"home-{trial}")
        counts[where] = counts.get(where, 0) + 1
        check_after_kill(path, replay, outcome)
        path.unlink()
        replay.path.unlink(missing_ok=True)
    # The trials reached every phase, so each was really tried.
    assert counts.get("opening", 0) + counts.get("upgrade", 0) and counts.get("editing") \
        and counts.get("closing"), counts
    assert sum(counts.get(kind, 0) for kind in crashwork.OPERATIONS), counts

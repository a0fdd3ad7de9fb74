"""Kill -9 during edits, many times: the long run of tests/storage/test_crash.py.

    python benchmarks/crash.py [--trials 1000] [--edits 30] [--seed N]

Each trial copies a project (every fifth an older golden file, which the child upgrades
first), starts a child that edits it, kills it with SIGKILL at a random moment (while it
opens, upgrades, edits or closes with a backup) and checks the file: integrity, every
acknowledged edit there and nothing half-done, opens again at once. Prints a table of
trials per phase and outcome; the last line counts the failures. Not a test: the CI runs
50 trials through pytest.
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from d4a_desktop.storage import ProjectFile, ProjectFileError  # noqa: E402
from tests.storage import crashwork  # noqa: E402
from tests.storage.badfiles import make_project  # noqa: E402
from tests.storage.test_crash import GOLDEN, Replay, run_child  # noqa: E402


def judge(path: Path, replay: Replay, acks: int) -> str:
    """"ok", or what went wrong."""
    try:
        file = ProjectFile.open(path, author="checker")
    except ProjectFileError as exc:
        return f"refused ({exc.kind})"
    with file:
        if file.integrity_check():
            return "integrity"
        if file.check_values():
            return "damaged values"
        actual = crashwork.snapshot(file)
    if replay.matches(actual, acks) is None:
        return "lost or half-done edit"
    return "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="d4a-crash-bench-", dir=base))
    start = make_project(folder / "start.d4a")
    golden = folder / "golden.d4a"
    shutil.copyfile(GOLDEN / "schema-v2.d4a", golden)
    upgraded = folder / "upgraded.d4a"
    shutil.copyfile(golden, upgraded)
    ProjectFile.open(upgraded).close()
    table: collections.Counter[tuple[str, str]] = collections.Counter()
    began = time.perf_counter()
    try:
        for trial in range(args.trials):
            seed = rnd.randrange(10**6)
            old = trial % 5 == 0
            path = folder / "trial.d4a"
            shutil.copyfile(golden if old else start, path)
            replay = Replay(upgraded if old else start, seed, args.edits, folder)
            phase = ["opening", "opened", "ack", "ack", "ack", "closing"][trial % 6]
            mark = f"ack {rnd.randrange(1, args.edits)}" if phase == "ack" else phase
            delay = rnd.random() * (0.25 if phase != "opening" else 0.03)
            outcome = run_child(path, seed, args.edits, kill_after=mark, delay=delay,
                                backup=True, home=folder / "home")
            where = ("upgrade" if old and outcome.phase == "opening" else
                     "opening" if outcome.phase == "opening" else
                     "closing" if outcome.phase in ("closing", "closed") else "editing")
            table[(where, judge(path, replay, outcome.acks))] += 1
            if (trial + 1) % 50 == 0:
                print(f"  {trial + 1} trials, {time.perf_counter() - began:.0f} s",
                      file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{'killed while':14} {'outcome':26} {'trials':>7}")
    for (where, outcome), count in sorted(table.items()):
        print(f"{where:14} {outcome:26} {count:7}")
    failures = sum(n for (_w, outcome), n in table.items() if outcome != "ok")
    print(f"failures: {failures} of {args.trials} trials")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Kill -9 during edits, many times: the long run of tests/storage/test_crash.py.

    python benchmarks/crash.py [--trials 1000] [--seed N]

Each trial copies a project (every fifth an older golden file, which the child upgrades
first), starts a child that edits it, kills it with SIGKILL at a random moment (while it
opens, upgrades, edits, imports a spreadsheet, merges a partner's package, exports a PDF
or closes with a backup) and checks the file: integrity, every acknowledged edit there and
nothing half-done, opens again at once, and no partial PDF beside the target. Prints a
table of trials per phase and outcome; the last line counts the failures. Not a test: the
CI runs 50 trials through pytest.
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
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from d4a_desktop.storage import ProjectFile, ProjectFileError  # noqa: E402
from tests.storage import crashwork  # noqa: E402
from tests.storage.test_crash import Replay, Trials, pdf_problems  # noqa: E402


def judge(path: Path, replay: Replay, acks: int) -> str:
    """"ok", or what went wrong."""
    if replay.work is not None and pdf_problems(replay.work):
        return "partial PDF left"
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
    if [p for p in path.parent.iterdir() if p.name.startswith((path.name + "-", f".{path.name}"))]:
        return "files left beside it"
    return "ok"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261204)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    base = Path("/dev/shm") if Path("/dev/shm").is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="d4a-crash-bench-", dir=base))
    table: collections.Counter[tuple[str, str]] = collections.Counter()
    failed: list[Any] = []
    began = time.perf_counter()
    try:
        trials = Trials.prepare(folder)
        for trial in range(args.trials):
            where, outcome, replay = trials.run(trial, rnd, folder / "home")
            verdict = judge(folder / "trial.d4a", replay, outcome.acks)
            table[(where, verdict)] += 1
            if verdict != "ok":
                failed.append((trial, where, outcome.phase, verdict))
            replay.path.unlink(missing_ok=True)
            if (trial + 1) % 50 == 0:  # counts so far, for a run that is stopped early
                so_far = ", ".join(f"{w} {o}: {n}" for (w, o), n in sorted(table.items()))
                print(f"  {trial + 1} trials, {time.perf_counter() - began:.0f} s; {so_far}",
                      file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for trial, where, phase, verdict in failed[:20]:
        print(f"trial {trial}: killed while {where} (last line {phase!r}): {verdict}")
    print(f"{'killed while':14} {'outcome':26} {'trials':>7}")
    for (where, outcome), count in sorted(table.items()):
        print(f"{where:14} {outcome:26} {count:7}")
    failures = sum(n for (_w, outcome), n in table.items() if outcome != "ok")
    print(f"failures: {failures} of {args.trials} trials")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

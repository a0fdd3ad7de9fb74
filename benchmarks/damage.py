"""Single-byte damage, many times: never a traceback from reading a damaged project.

    python benchmarks/damage.py [--flips 2000] [--seed 1]

Writes the demo project once, then flips one bit at a random offset past the header (the
header has its own checks) and, for each damaged copy, runs ``d4a info`` and ``d4a check``
and opens it through the services, reading its state and every register. Every outcome must
be an answer: the file opened (damaged values named), or refused with a ``ProjectFileError``;
an exit code of 0, 1 or 2 without "Traceback". Prints the outcomes with their counts and,
last, ``failures: N``. ``tests/storage/test_damage.py`` runs 50 such flips; this runs
thousands (3,600 random flips once found 11 damaged copies, of two kinds, that 50 did not
reach). Damaged copies that fail are kept in the printed folder.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

os.environ.setdefault("D4A_HOME", tempfile.mkdtemp(prefix="d4a-damage-"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flips", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    from d4a_desktop import cli
    from d4a_desktop.core import kinds
    from d4a_desktop.services.demo import write_demo
    from d4a_desktop.services.projects import open_project
    from d4a_desktop.storage import ProjectFileError

    folder = Path(tempfile.mkdtemp(prefix="d4a-flips-"))
    source = folder / "demo.d4a"
    write_demo(source).close()
    data = source.read_bytes()
    rnd = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    failures = 0
    started = time.perf_counter()
    for _flip in range(args.flips):
        path = folder / "flip.d4a"
        damaged = bytearray(data)
        offset = rnd.randrange(100, len(data))
        damaged[offset] ^= 1 << rnd.randrange(8)
        path.write_bytes(bytes(damaged))
        wrong: list[str] = []
        for command in ("info", "check"):
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    code = cli.main([command, str(path)])
            except BaseException:  # a traceback is what this looks for
                wrong.append(f"d4a {command} raised:\n{traceback.format_exc()}")
                continue
            if code not in (0, 1, 2) or "Traceback" in err.getvalue():
                wrong.append(f"d4a {command} exit {code}:\n{err.getvalue()}")
        try:
            session = open_project(path)
        except ProjectFileError as exc:
            outcomes[f"refused: {exc.kind}"] += 1
        except Exception:
            wrong.append(f"opening raised:\n{traceback.format_exc()}")
        else:
            try:
                session.state()
                for kind in kinds.KINDS:
                    session.records(kind.name)
                outcomes["opened"] += 1
            except Exception:
                wrong.append(f"reading raised:\n{traceback.format_exc()}")
            finally:
                session.close()
        if wrong:
            failures += 1
            kept = folder / f"failure-{failures}-offset-{offset}.d4a"
            shutil.copy(path, kept)
            print(f"FAILURE at offset {offset} (kept as {kept.name}):", file=sys.stderr)
            for text in wrong:
                print("  " + text.strip().replace("\n", "\n  "), file=sys.stderr)
    took = time.perf_counter() - started
    print(f"{args.flips} flips of {len(data):,} bytes (seed {args.seed}) in {took:.0f} s; "
          f"folder {folder}")
    for outcome, count in sorted(outcomes.items()):
        print(f"  {count:6d}  {outcome}")
    print(f"failures: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""One edit that grows the file, for the fault-injection tests.

    python -m tests.storage.faultwork FILE [--retry]

Opens FILE for work and applies :func:`growing_edit` (a long note and a batch of new
records in one transaction), printing ``done`` when it returned. With ``--retry`` an edit
refused with a ProjectFileError is reported (``refused KIND``) and tried once more, as a
user would after freeing space; then ``done`` or ``refused`` again.
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from d4a_desktop.core import commands as c

NOTE = "Counters drop out at night; gaps flagged – æøå ÄÖÜ ĳ. " * 300


def growing_edit() -> c.Batch:
    records = tuple(
        c.CreateRecord("datasets", str(uuid.UUID(int=n + 1, version=4)),
                       {"title": f"Dataset {n}", "description": NOTE[:1500]})
        for n in range(8))
    return c.Batch((c.SetItemFields("c1.a1.i2", {"note": NOTE}), *records), "grow", "")


def main(argv: list[str]) -> int:
    from d4a_desktop.services.projects import open_project
    from d4a_desktop.storage import ProjectFileError

    session = open_project(Path(argv[0]), author="fault-test")
    print("opened", flush=True)
    attempts = 2 if "--retry" in argv else 1
    for _n in range(attempts):
        try:
            session.execute(growing_edit())
        except ProjectFileError as exc:
            print(f"refused {exc.kind}", flush=True)
            continue
        print("done", flush=True)
        break
    session.file.modified = False  # no backup on closing: only the edit's writes count
    session.close()
    print("closed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

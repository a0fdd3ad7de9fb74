"""Exchange packages: export, import and merge of a large project.

    python benchmarks/exchange.py [--runs 5]

The large project of the records issue is built first: 2,000 datasets, 300 decisions,
500 risks, every checklist item answered and every activity given a status. Then, each
``--runs`` times and interleaved so that drift hits all alike:

- export: the project to a sealed package file (snapshot, JSON, ZIP, write);
- read: the package read and checked in full (seal, hashes, limits, JSON Schema, ids);
- import: a new project file made from the package (read and check included);
- merge: the package merged into a copy of the project (``services.merging``);
- floor: the same project.json written and read with the standard library's json.

Prints a table of min/median/max seconds and the ratio of medians to the floor; the last
line is ``export+import+merge: R x json floor``. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from d4a_desktop.core.vocab import Status  # noqa: E402
from d4a_desktop.services.exchange import package  # noqa: E402
from d4a_desktop.services.merging import merge_package  # noqa: E402
from d4a_desktop.services.projects import (  # noqa: E402
    NewProject,
    ProjectSession,
    create_project,
    open_project,
    read_project,
)
from d4a_desktop.services.roadmap import english_roadmap  # noqa: E402
from d4a_desktop.storage import snapshot  # noqa: E402


def _merge(session: ProjectSession, path: Path) -> Any:
    """How a package is merged into the open project (every conflict decided for theirs)."""
    return merge_package(session, path, prefer="theirs")


MERGE: Callable[[ProjectSession, Path], Any] | None = _merge


def build(path: Path) -> None:
    """The large project of the records issue."""
    session = create_project(path, NewProject(title="Large", municipality="Kortrijk",
                                              country="BE", domain="Mobility"), author="Bench")
    file = session.file
    roadmap = english_roadmap()
    themes = ("tran", "envi", "regi")
    with file.transaction():
        for n in range(2000):
            file.create_record("datasets", str(uuid.uuid4()), {
                "title": f"Dataset {n}", "description": f"Counts of station {n}. " * 5,
                "publisher": "Stad Kortrijk", "contact_point": "data@kortrijk.be",
                "keywords": "cycling, counts", "themes": themes[: 1 + n % 3],
                "spatial_coverage": "Kortrijk", "temporal_start": dt.date(2020, 1, 1),
                "update_frequency": "daily", "access_url": f"https://data.example/{n}",
                "format": "CSV", "licence": "cc-by-4-0", "access_rights": "public",
                "quality": "Some gaps in winter.", "owner_department": "Mobility",
                "owner_person": "Els", "personal_data": False,
                "publication_status": "published", "activities": ("c3.a1",)})
        for n in range(300):
            file.create_record("decisions", str(uuid.uuid4()), {
                "question": f"Decision {n}?", "options": "A or B", "choice": "A",
                "rationale": "Cheaper and sooner. " * 4, "date": dt.date(2026, 1, 1),
                "decided_by": "Council", "activity": "c2.a1"})
        for n in range(500):
            file.create_record("risks", str(uuid.uuid4()), {
                "description": f"Risk {n}", "category": "technology",
                "likelihood": 1 + n % 5, "impact": 1 + (n // 5) % 5, "owner": "Jan",
                "mitigation": "Watch it. " * 5, "status": "open",
                "review_date": dt.date(2026, 6, 1)})
    with file.transaction():
        for n, item in enumerate(roadmap.items()):
            file.update_item(item.id, {"done": n % 2 == 0, "owner": "Els",
                                       "due_date": dt.date(2026, 5, 1), "note": f"Note {n}"})
        for act in roadmap.activities():
            file.update_activity(act.id, {"status": Status.IN_PROGRESS})
    session.close()


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="d4a-bench-exchange-"))
    import os

    os.environ["D4A_HOME"] = str(work / "home")
    try:
        project = work / "large.d4a"
        started = time.perf_counter()
        build(project)
        built = time.perf_counter() - started
        pkg_path = work / "large.d4ax"
        session = read_project(project)
        snap = snapshot.take(session.file)
        json_path = work / "project.json"
        results: dict[str, list[float]] = {"export": [], "read": [], "import": [],
                                           "merge": [], "json floor": []}

        def floor() -> None:
            json_path.write_text(json.dumps(snap, ensure_ascii=False), encoding="utf-8")
            json.loads(json_path.read_text(encoding="utf-8"))

        def do_import() -> None:
            target = work / "imported.d4a"
            target.unlink(missing_ok=True)
            package.import_package(pkg_path, target)

        for _ in range(args.runs):
            results["export"].append(timed(lambda: package.export_package(session, pkg_path)))
            results["read"].append(timed(lambda: package.read_package(pkg_path)))
            results["import"].append(timed(do_import))
            if MERGE is not None:
                copy = work / "merge.d4a"
                shutil.copyfile(project, copy)
                target_session = open_project(copy)
                try:
                    results["merge"].append(timed(lambda s=target_session: MERGE(s, pkg_path)))
                finally:
                    target_session.close()
            results["json floor"].append(timed(floor))
        session.close()
        counts = {k: len(v) for k, v in snap["records"].items() if v}
        print(f"project: {counts}, {len(snap['state']['item'])} item answers, "
              f"{len(snap['changes'])} changes; built in {built:.1f} s")
        print(f"package {pkg_path.stat().st_size / 1e6:.2f} MB, project.json "
              f"{json_path.stat().st_size / 1e6:.2f} MB; runs: {args.runs}, "
              f"python {sys.version.split()[0]}")
        base = statistics.median(results["json floor"])
        print(f"{'case':12} {'min s':>7} {'median s':>9} {'max s':>7} {'x floor':>8}")
        for name, runs in results.items():
            if not runs:
                print(f"{name:12} {'not measured: the MERGE hook in this file is empty':>42}")
                continue
            med = statistics.median(runs)
            print(f"{name:12} {min(runs):7.3f} {med:9.3f} {max(runs):7.3f} {med / base:8.2f}")
        total = sum(statistics.median(results[k]) for k in ("export", "import", "merge")
                    if results[k])
        print(f"export+import+merge: {total / base:.1f} x json floor")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A large project against the demo: does the size of the registers show?

    python benchmarks/large_project.py [--runs 7]

Builds a project with 2,000 datasets, 300 decisions, 500 risks and every checklist item
set (done, owner, due date, note), then measures in one process, interleaved so that drift
hits every case alike:

- opening the demo and opening the large project, until the dashboard is shown, painted
  and the event loop is idle;
- opening the large project's data inventory (2,000 rows) until it is painted and idle;
- one edit of a dataset there (of the row selected, as a user edits), and one checklist
  tick on an activity page, each until the view is refreshed and idle;
- a raw ``sqlite3`` read of the same 2,000 dataset rows: the floor.

Prints a table of min/median/max and, as its last line, ``open-to-dashboard large/demo:
R x`` with R the ratio of the medians. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

os.environ.setdefault("D4A_HOME", tempfile.mkdtemp(prefix="d4a-bench-"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATASETS, DECISIONS, RISKS = 2000, 300, 500


def build_large(path: Path) -> None:
    """The large project, written in one transaction through the ordinary commands."""
    from d4a_desktop.core.commands import Batch, CreateRecord, SetItemFields
    from d4a_desktop.services.projects import NewProject, create_project
    from d4a_desktop.services.roadmap import english_roadmap

    session = create_project(path, NewProject("Large", "Aarhus", "DK"), author="bench")
    start = dt.date(2026, 1, 5)
    commands: list[object] = []
    for n, item in enumerate(english_roadmap().items()):
        commands.append(SetItemFields(item.id, {
            "done": n % 3 == 0, "owner": f"Person {n % 17}",
            "due_date": start + dt.timedelta(days=3 * n), "note": f"Note on {item.id}"}))
    themes = ("tran", "envi", "gove", "regi")
    for n in range(DATASETS):
        commands.append(CreateRecord("datasets", str(uuid.uuid4()), {
            "title": f"Dataset {n:04d} of the inventory", "publisher": f"Department {n % 23}",
            "description": " ".join(["Counts per hour from sensors along the routes."] * 3),
            "themes": (themes[n % 4],), "owner_person": f"Person {n % 41}",
            "personal_data": n % 5 == 0, "licence": "cc-by-4-0",
            "publication_status": "published", "temporal_start": start,
            "activities": ("c1.a3", "c4.a3")}))
    for n in range(DECISIONS):
        commands.append(CreateRecord("decisions", str(uuid.uuid4()), {
            "question": f"Question {n}?", "choice": "Yes", "decided_by": "Council",
            "date": start + dt.timedelta(days=n), "activity": "c3.a2"}))
    for n in range(RISKS):
        commands.append(CreateRecord("risks", str(uuid.uuid4()), {
            "description": f"Risk {n}", "likelihood": 1 + n % 5, "impact": 1 + (n // 5) % 5,
            "status": "open", "owner": f"Person {n % 13}", "category": "technology"}))
    session.execute(Batch(tuple(commands), "large"))  # type: ignore[arg-type]
    session.file.modified = False
    session.close()


def idle() -> None:
    """Process everything pending, including what that posts, until nothing is left."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


def timed(action: Callable[[], object], window: object) -> float:
    start = time.perf_counter()
    action()
    idle()
    window.repaint()  # type: ignore[attr-defined]  # painted, not only laid out
    idle()
    return time.perf_counter() - start


def raw_read(path: Path) -> float:
    start = time.perf_counter()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT * FROM dataset WHERE deleted = 0 "
                            "ORDER BY created_at, rowid").fetchall()
    finally:
        conn.close()
    assert len(rows) == DATASETS
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    from d4a_desktop.app import STYLE

    app.setStyleSheet(STYLE)  # type: ignore[attr-defined]
    from d4a_desktop.core.commands import SetItemFields
    from d4a_desktop.gui.mainwindow import MainWindow
    from d4a_desktop.gui.settings import Settings
    from d4a_desktop.services import records as records_service
    from d4a_desktop.services.demo import write_demo
    from d4a_desktop.services.roadmap import roadmap

    folder = Path(tempfile.mkdtemp(prefix="d4a-large-"))
    demo, large = folder / "demo.d4a", folder / "large.d4a"
    started = time.perf_counter()
    write_demo(demo).close()
    build_large(large)
    print(f"built the projects in {time.perf_counter() - started:.1f} s "
          f"({large.stat().st_size / 1e6:.1f} MB)")

    window = MainWindow(Settings())
    window.resize(1280, 800)
    window.show()
    idle()
    item = roadmap().activity("c2.a1").items[0].id
    results: dict[str, list[float]] = {
        "open demo to dashboard": [], "open large to dashboard": [],
        "large: data inventory page (2,000 rows)": [], "large: one dataset edit": [],
        "large: one checklist tick": [], "raw sqlite3 read of 2,000 rows (floor)": []}
    for run in range(args.runs + 1):  # the first round warms caches and is not counted
        times: dict[str, float] = {}
        times["raw sqlite3 read of 2,000 rows (floor)"] = raw_read(large)
        times["open demo to dashboard"] = timed(lambda: window.open_path(demo), window)
        window.close_project()
        times["open large to dashboard"] = timed(lambda: window.open_path(large), window)
        times["large: data inventory page (2,000 rows)"] = timed(
            lambda: window.select("datasets"), window)
        session = window.session
        assert session is not None
        record = session.records("datasets")[run % DATASETS]
        # As a user edits: the row is selected first (which shows its comments), then
        # its form changes the title.
        window.register("datasets").select(record.id)
        idle()
        edit = records_service.edit_record(record, {"title": f"{record.get('title')} (edited)"})
        times["large: one dataset edit"] = timed(partial(window.edit, edit), window)
        window.select("c2.a1")
        idle()
        tick = SetItemFields(item, {"done": not session.state().item(item).done})
        times["large: one checklist tick"] = timed(partial(window.edit, tick), window)
        window.close_project()
        if run:
            for name, value in times.items():
                results[name].append(value)
    floor = statistics.median(results["raw sqlite3 read of 2,000 rows (floor)"])
    print(f"platform: {os.environ.get('QT_QPA_PLATFORM', 'xcb')}, runs: {args.runs}, "
          f"python {sys.version.split()[0]}")
    print(f"{'case':44} {'min ms':>8} {'median ms':>10} {'max ms':>8} {'x floor':>8}")
    for name, values in results.items():
        med = statistics.median(values)
        print(f"{name:44} {min(values) * 1e3:8.1f} {med * 1e3:10.1f} {max(values) * 1e3:8.1f} "
              f"{med / floor:8.1f}")
    ratio = statistics.median(results["open large to dashboard"]) / \
        statistics.median(results["open demo to dashboard"])
    print(f"open-to-dashboard large/demo: {ratio:.2f} x")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Search as you type: time per keystroke to show the hits, before and after.

    python benchmarks/search.py [--rounds 5] [--lang en]

Types a set of queries one character at a time against the demo project's search index and
shows each keystroke's hits in a result list of 300 × 700 pixels, timed until the pending
events (layout, paint) are processed, in four ways measured in the same run:

- the search alone (SQLite FTS5, no widget): what any list costs at least;
- plain QListWidget items with the hit's text (the floor for showing the hits);
- one rich-text QLabel per hit in a QListWidget (how the program did it before);
- the program's list now: a model and a delegate that paints title, kind and snippet.

Prints min, median, 90th and 99th percentile and maximum per keystroke, and the median
as a multiple of the floor. Runs on the offscreen platform unless a display is set. Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from html import escape
from pathlib import Path

QUERIES = ("data", "dashboard", "personal data", "telraam counts", "quality check",
           "stakeholder", "open data portal", "pilot", "procurement", "monitoring plan",
           "dpia", "sensor", "budget", "architecture", "licence")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ["D4A_HOME"] = tempfile.mkdtemp(prefix="d4a-bench-")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QListWidgetItem

    from d4a_desktop import i18n
    from d4a_desktop.gui.search import SearchResults
    from d4a_desktop.services.demo import write_demo
    from d4a_desktop.services.roadmap import roadmap
    from d4a_desktop.services.search import MARK_END, MARK_START, Hit, SearchIndex

    app = QApplication.instance() or QApplication([])
    i18n.set_language(args.lang)
    rm = roadmap()
    session = write_demo(Path(os.environ["D4A_HOME"]) / "demo.d4a")
    index = SearchIndex(rm, session.state())
    session.close()

    def plain(widget: QListWidget, hits: list[Hit]) -> None:
        widget.clear()
        for hit in hits:
            act = rm.activity(hit.activity_id)
            text = hit.snippet.replace(MARK_START, "").replace(MARK_END, "")
            widget.addItem(QListWidgetItem(f"{act.title}\n{text}"))

    def labels(widget: QListWidget, hits: list[Hit]) -> None:
        """The program's list before: a rich-text QLabel per hit."""
        widget.clear()
        for hit in hits:
            act = rm.activity(hit.activity_id)
            comp = rm.component(act.component_id)
            snippet = escape(hit.snippet).replace(MARK_START, "<b>").replace(MARK_END, "</b>")
            html = (f"<b>{comp.number}.{act.number} {escape(act.title)}</b>"
                    f" <span style='color:#6b7680'>· {escape(hit.kind)}</span>"
                    f"<br><span>{snippet}</span>")
            item = QListWidgetItem()
            label = QLabel(html)
            label.setWordWrap(True)
            label.setContentsMargins(6, 3, 6, 3)
            label.setTextFormat(Qt.TextFormat.RichText)
            widget.addItem(item)
            widget.setItemWidget(item, label)
            item.setSizeHint(label.sizeHint())

    before = QListWidget()
    before.setSpacing(2)
    before.setWordWrap(True)
    floor = QListWidget()
    floor.setWordWrap(True)
    now = SearchResults()
    cases: dict[str, tuple[object | None, Callable[[list[Hit]], None]]] = {
        "search only (FTS5)": (None, lambda hits: None),
        "plain QListWidget items (floor)": (floor, lambda hits: plain(floor, hits)),
        "QLabel per hit (before)": (before, lambda hits: labels(before, hits)),
        "model + delegate (now)": (now, lambda hits: now.show_hits(rm, hits)),
    }
    for widget, _show in cases.values():
        if widget is not None:
            widget.resize(300, 700)  # type: ignore[attr-defined]
            widget.show()  # type: ignore[attr-defined]
    app.processEvents()

    keystrokes = [q[:n] for q in QUERIES for n in range(1, len(q) + 1)]
    times: dict[str, list[float]] = {name: [] for name in cases}
    hit_counts: list[int] = []
    for _round in range(args.rounds):
        for name, (widget, show) in cases.items():  # interleaved: same machine load
            for text in keystrokes:
                start = time.perf_counter()
                hits = index.search(text)
                show(hits)
                if widget is not None:
                    app.processEvents()  # lays out and paints, as the event loop would
                times[name].append(time.perf_counter() - start)
                if name == "search only (FTS5)" and _round == 0:
                    hit_counts.append(len(hits))

    print(f"{len(keystrokes)} keystrokes × {args.rounds} rounds, language {args.lang}, "
          f"{statistics.mean(hit_counts):.0f} hits per keystroke on average "
          f"(at most {max(hit_counts)}); list 300 × 700 px, "
          f"platform {app.platformName()}")  # type: ignore[attr-defined]
    header = (f"{'per keystroke, ms':34} {'min':>6} {'median':>7} {'p90':>6} {'p99':>6} "
              f"{'max':>6} {'× floor':>8}")
    print(header)
    print("-" * len(header))
    floor_median = statistics.median(times["plain QListWidget items (floor)"])
    for name, values in times.items():
        ms = [v * 1000 for v in values]
        print(f"{name:34} {min(ms):6.2f} {statistics.median(ms):7.2f} "
              f"{_percentile(ms, 0.9):6.2f} {_percentile(ms, 0.99):6.2f} {max(ms):6.2f} "
              f"{statistics.median(values) / floor_median:8.2f}")
    index.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

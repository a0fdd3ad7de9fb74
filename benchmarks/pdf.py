"""PDF: the blank whole-roadmap checklist beside raw reportlab laying out the same text.

    python benchmarks/pdf.py [--runs 15] [--lang en]

The floor is measured in the same run: reportlab's SimpleDocTemplate laying out the very
paragraphs of the checklist (same text, same styles, same embedded font, same page size
and margins) with nothing else: no boxes, writing lines, header, footer, outline or
contents. Both build the whole PDF in memory, paragraph parsing and font subsetting
included. Runs alternate so drift hits both alike. Times are the CPU time of this process
(both cases are single-threaded), which a machine shared with other work disturbs far
less than wall time; the median wall time is shown beside them. The last line is the
median of the ratios of each run to the floor run just before it. Not a test: nothing here
asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from typing import Any

from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Table

from d4a_desktop import i18n
from d4a_desktop.services import printing
from d4a_desktop.services.printing import checklists
from d4a_desktop.services.printing.flowables import Stack
from d4a_desktop.services.roadmap import roadmap

TODAY = dt.date(2026, 1, 15)


def paragraphs(story: Iterable[Any]) -> Iterator[Paragraph]:
    """Every paragraph of a story, including those inside blocks, tables and groups kept
    together."""
    for flowable in story:
        if isinstance(flowable, Paragraph):
            yield flowable
        elif isinstance(flowable, Stack):
            yield from paragraphs(flowable.parts)
        elif isinstance(flowable, Table):
            for row in flowable._cellvalues:
                for cell in row:
                    yield from paragraphs(cell if isinstance(cell, list | tuple) else [cell])
        elif isinstance(flowable, KeepTogether):
            yield from paragraphs(flowable._content)


def ours() -> int:
    return printing.build(printing.Request("checklist", blank=True), roadmap(),
                          today=TODAY).pages


def floor(texts: list[tuple[str, Any, str | None]], spec: Any) -> int:
    side, top, bottom = spec.margins
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=spec.pagesize, leftMargin=side, rightMargin=side,
                            topMargin=top, bottomMargin=bottom)
    doc.build([Paragraph(text, style, bulletText=bullet) for text, style, bullet in texts])
    return doc.page


def demo_report() -> tuple[Any, list[tuple[str, Any, str | None]], Any]:
    """The demo project's snapshot (read once: reading the file is not printing), and the
    paragraphs of its report for the floor."""
    import tempfile
    from pathlib import Path

    from d4a_desktop.services.demo import write_demo
    from d4a_desktop.services.printing import report

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo.d4a"
        write_demo(path).close()
        snap = printing.read_project(path)
    story, spec = report.report(roadmap(), snap, TODAY, "a4", "")
    return snap, [(p.text, p.style, p.bulletText) for p in paragraphs(story) if p.text], spec


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--lang", default="en")
    args = parser.parse_args()
    i18n.set_language(args.lang)
    rm = roadmap()
    scope = checklists.scope_of(rm, "")
    story = checklists.checklist_story(rm, scope, None, True, TODAY)
    spec = checklists.checklist_spec(scope, None, True, TODAY, "a4", "")
    texts = [(p.text, p.style, p.bulletText) for p in paragraphs(story) if p.text]
    ours()  # warm up: fonts registered, roadmap localised, modules loaded
    floor(texts, spec)
    snap, report_texts, report_spec = demo_report()

    def report_pdf() -> int:
        return printing.build(printing.Request("report"), roadmap(), snap, today=TODAY).pages

    cases = {"raw reportlab, same paragraphs (floor)": lambda: floor(texts, spec),
             "blank whole-roadmap checklist": ours,
             "raw reportlab, report's paragraphs": lambda: floor(report_texts, report_spec),
             "demo project report": report_pdf}
    report_pdf()
    floor(report_texts, report_spec)
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    wall: dict[str, list[float]] = {name: [] for name in cases}
    pages = {}
    for _ in range(args.runs):  # interleaved, so drift hits both alike
        for name, run in cases.items():
            start_cpu, start_wall = time.process_time(), time.perf_counter()
            pages[name] = run()
            cpu[name].append(time.process_time() - start_cpu)
            wall[name].append(time.perf_counter() - start_wall)
    names = list(cases)
    print(f"language: {args.lang}, runs: {args.runs}, paragraphs: {len(texts)}, "
          f"python {sys.version.split()[0]}; times are CPU seconds of this process "
          "(the median wall time beside them)")
    print(f"{'case':40} {'pages':>5} {'min s':>7} {'median s':>9} {'max s':>7} "
          f"{'median wall':>12} {'x floor':>8}")
    for n, name in enumerate(names):
        med = statistics.median(cpu[name])
        base = statistics.median(cpu[names[n - n % 2]])  # each case beside its own floor
        print(f"{name:40} {pages[name]:5d} {min(cpu[name]):7.3f} {med:9.3f} "
              f"{max(cpu[name]):7.3f} {statistics.median(wall[name]):12.3f} "
              f"{med / base:8.2f}")

    # Each run of ours is set against the floor measured just before it, and the median of
    # those ratios is taken: a machine shared with other work slows both alike within a pair.
    def ratio(floor_name: str, name: str) -> float:
        return statistics.median(o / f for f, o in zip(cpu[floor_name], cpu[name], strict=True))

    print(f"demo project report ({len(report_texts)} paragraphs, with tables and charts): "
          f"{ratio(names[2], names[3]):.2f} x raw reportlab")
    print(f"whole-roadmap checklist: {ratio(names[0], names[1]):.2f} x raw reportlab")
    return 0


if __name__ == "__main__":
    sys.exit(main())

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
from collections.abc import Iterator
from typing import Any

from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from d4a_desktop import i18n
from d4a_desktop.services import printing
from d4a_desktop.services.printing import checklists
from d4a_desktop.services.printing.flowables import Stack
from d4a_desktop.services.roadmap import roadmap

TODAY = dt.date(2026, 1, 15)


def paragraphs(story: list[Flowable]) -> Iterator[Paragraph]:
    """Every paragraph of a story, including those inside blocks."""
    for flowable in story:
        if isinstance(flowable, Paragraph):
            yield flowable
        elif isinstance(flowable, Stack):
            yield from paragraphs(flowable.parts)


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
    cases = {"raw reportlab, same paragraphs (floor)": lambda: floor(texts, spec),
             "blank whole-roadmap checklist": ours}
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
    base = statistics.median(cpu[names[0]])
    print(f"language: {args.lang}, runs: {args.runs}, paragraphs: {len(texts)}, "
          f"python {sys.version.split()[0]}; times are CPU seconds of this process "
          "(the median wall time beside them)")
    print(f"{'case':40} {'pages':>5} {'min s':>7} {'median s':>9} {'max s':>7} "
          f"{'median wall':>12} {'x floor':>8}")
    for name in names:
        med = statistics.median(cpu[name])
        print(f"{name:40} {pages[name]:5d} {min(cpu[name]):7.3f} {med:9.3f} "
              f"{max(cpu[name]):7.3f} {statistics.median(wall[name]):12.3f} "
              f"{med / base:8.2f}")
    # Each run of ours is set against the floor measured just before it, and the median of
    # those ratios is taken: a machine shared with other work slows both alike within a pair.
    ratio = statistics.median(o / f for f, o in zip(cpu[names[0]], cpu[names[1]], strict=True))
    print(f"whole-roadmap checklist: {ratio:.2f} x raw reportlab")
    return 0


if __name__ == "__main__":
    sys.exit(main())

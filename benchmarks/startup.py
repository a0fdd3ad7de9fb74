"""Start-up: process start until the demo project's dashboard is shown, painted, and the
loop is idle.

    python benchmarks/startup.py [--runs 7]

Measured beside a floor taken in the same run: a bare QMainWindow that is shown, painted,
and quits when the event loop is idle. (Until December 2026 both quit on the loop's first
pass, which runs before the first paint: the dashboard's paint was not measured.) Both run
as whole processes (interpreter start included) on the offscreen platform unless a display
is set. Prints a table of min/median/max wall time and the peak resident memory
(``ru_maxrss`` of each child) of both; the last line is the ratio of the median wall times,
``start-to-idle: R x bare window`` (the goal is R <= 2.5, and peak memory at most twice the
bare window's). Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800); w.show()
QTimer.singleShot(0, lambda: (app.processEvents(), app.quit()))  # painted, as the program
app.exec()
"""


def _run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Wall time, peak resident memory (MiB) and CPU time (user + system) of one whole
    process. CPU time varies less than wall time on a machine others use too."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[-1]} exited with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ)
    if not env.get("DISPLAY"):
        env["QT_QPA_PLATFORM"] = "offscreen"
    env["D4A_HOME"] = tempfile.mkdtemp(prefix="d4a-bench-")
    env["D4A_EXIT_WHEN_IDLE"] = "1"
    # An installed program has its bytecode compiled (the installer does it); a checkout
    # run with PYTHONDONTWRITEBYTECODE would compile every module on every start and
    # measure the compiler. The first start below writes the bytecode.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    py = sys.executable
    cases = {
        "bare QMainWindow (floor)": [py, "-c", BARE],
        "d4a-desktop --demo, first start (writes the demo)": None,
        "d4a-desktop --demo": [py, "-m", "d4a_desktop", "gui", "--demo"],
        "d4a-desktop (welcome screen, no project)": [py, "-m", "d4a_desktop", "gui"],
    }
    first = _run([py, "-m", "d4a_desktop", "gui", "--demo"], env)  # writes the demo file
    results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in cases}
    results["d4a-desktop --demo, first start (writes the demo)"].append(first)
    for _ in range(args.runs):  # interleaved, so drift hits both alike
        for name, cmd in cases.items():
            if cmd is not None:
                results[name].append(_run(cmd, env))
    bare = results["bare QMainWindow (floor)"]
    floor = statistics.median(w for w, _m, _c in bare)
    floor_mem = statistics.median(m for _w, m, _c in bare)
    floor_cpu = statistics.median(c for _w, _m, c in bare)
    print(f"platform: {env.get('QT_QPA_PLATFORM', 'xcb')}, runs: {args.runs}, "
          f"python {sys.version.split()[0]}")
    print(f"{'case':50} {'min s':>6} {'median s':>8} {'max s':>6} {'x floor':>7} "
          f"{'peak MiB':>8} {'x floor':>7} {'CPU s':>6} {'x floor':>7}")
    for name, runs in results.items():
        walls = [w for w, _m, _c in runs]
        med = statistics.median(walls)
        mem = statistics.median(m for _w, m, _c in runs)
        cpu = statistics.median(c for _w, _m, c in runs)
        print(f"{name:50} {min(walls):6.3f} {med:8.3f} {max(walls):6.3f} {med / floor:7.2f} "
              f"{mem:8.1f} {mem / floor_mem:7.2f} {cpu:6.3f} {cpu / floor_cpu:7.2f}")
    print("(medians over the runs; peak MiB: the child's ru_maxrss; CPU: user + system)")
    demo = statistics.median(w for w, _m, _c in results["d4a-desktop --demo"])
    print(f"start-to-idle: {demo / floor:.2f} x bare window")
    return 0


if __name__ == "__main__":
    sys.exit(main())

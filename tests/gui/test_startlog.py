"""The d4a-desktop command's log: every start writes it, --debug tells more."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    return {**env, "D4A_HOME": str(home), **extra}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "d4a_desktop", "gui", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_debug_is_offered_in_the_help(tmp_path: Path) -> None:
    done = _run(["--help"], _env(tmp_path))
    assert done.returncode == 0 and "--debug" in done.stdout, done.stderr
    swedish = _run(["--lang", "sv", "--help"], _env(tmp_path))
    assert swedish.returncode == 0 and "skriv en detaljerad logg" in swedish.stdout


@pytest.mark.slow
def test_a_start_is_logged_and_debug_tells_more(tmp_path: Path) -> None:
    log = tmp_path / "log" / "d4a-desktop.log"
    env = _env(tmp_path, QT_QPA_PLATFORM="offscreen", D4A_EXIT_WHEN_IDLE="1")
    done = _run(["--demo"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    text = log.read_text("utf-8")
    assert "INFO d4a.app" in text and "start: d4a-desktop" in text and "exit 0" in text
    assert "wrote a fresh demo" in text and "closing" in text
    assert " DEBUG " not in text
    done = _run(["--demo", "--debug"], env)
    assert done.returncode == 0
    assert " DEBUG d4a.instance" in log.read_text("utf-8")
    assert "DEBUG d4a.instance" in done.stderr  # --debug also writes to the terminal

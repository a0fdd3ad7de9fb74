"""The program's log and the report of an unexpected error, without Qt."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from d4a_desktop import __version__
from d4a_desktop.services import diagnostics


@pytest.fixture
def logger(home: Path) -> Iterator[logging.Logger]:
    yield logging.getLogger("d4a")
    root = logging.getLogger("d4a")
    for handler in list(root.handlers):
        if getattr(handler, "_d4a", False):
            root.removeHandler(handler)
            handler.close()
    root.propagate = True
    root.setLevel(logging.NOTSET)


def test_log_goes_to_the_user_log_folder(logger: logging.Logger, home: Path) -> None:
    target = diagnostics.setup_logging()
    assert target == home / "log" / "d4a-desktop.log"
    logging.getLogger("d4a.window").info("opened %s", "x.d4a")
    logging.getLogger("d4a.window").debug("detail")
    text = target.read_text("utf-8")
    assert "INFO d4a.window" in text and "opened x.d4a" in text
    assert "detail" not in text
    diagnostics.setup_logging(debug=True)  # set up again: one file handler, more detail
    logging.getLogger("d4a.window").debug("detail")
    assert target.read_text("utf-8").count("opened x.d4a") == 1
    assert "detail" in target.read_text("utf-8")


def test_log_rotates(logger: logging.Logger, home: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(diagnostics, "LOG_BYTES", 2000)
    target = diagnostics.setup_logging()
    assert target is not None
    for n in range(400):
        logging.getLogger("d4a.window").info("edit SetItemFields item c1.a1.i%d", n)
    files = sorted(p.name for p in target.parent.iterdir())
    assert files == ["d4a-desktop.log", "d4a-desktop.log.1", "d4a-desktop.log.2",
                     "d4a-desktop.log.3"]
    assert all(p.stat().st_size <= 2200 for p in target.parent.iterdir())


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes any folder")
def test_no_log_folder_no_log_and_no_failure(logger: logging.Logger, home: Path) -> None:
    home.chmod(0o500)
    try:
        assert diagnostics.setup_logging() is None
        logging.getLogger("d4a.window").info("still fine")
    finally:
        home.chmod(0o700)


def test_log_in_a_file_where_the_folder_should_be(logger: logging.Logger, home: Path) -> None:
    (home / "log").write_text("a file, not a folder")
    assert diagnostics.setup_logging() is None
    logging.getLogger("d4a.window").info("still fine")


NOTE = "Anna's secret note about the council"


def _fail_deep(note: str) -> None:
    title = note  # a local holding project content: never in a report
    try:
        {}["missing-key"]
    except KeyError as exc:
        raise RuntimeError("could not refresh the page " + "x" * 500) from exc
    print(title)


def test_report_has_versions_steps_and_traceback_but_no_content() -> None:
    try:
        _fail_deep(NOTE)
    except RuntimeError:
        exc_type, exc, tb = sys.exc_info()
    assert exc_type is not None and exc is not None
    report = diagnostics.technical_report(exc_type, exc, tb, steps=["14:02:11 Tick item"],
                                          extra_versions={"Qt": "6.11.3"})
    assert f"D4A Roadmap Desktop: {__version__}" in report
    assert "Python: " + sys.version.split()[0] in report
    assert "Qt: 6.11.3" in report and "Platform: " in report
    assert "14:02:11 Tick item" in report
    assert "KeyError: 'missing-key'" in report
    assert "The above exception was the direct cause" in report
    assert report.index("KeyError") < report.index("RuntimeError")
    assert "in _fail_deep" in report
    assert "RuntimeError: could not refresh the page" in report
    assert "x" * 301 not in report and "[…]" in report
    assert "Anna" not in report


def test_report_of_an_exception_without_traceback() -> None:
    exc = ValueError("")
    report = diagnostics.technical_report(ValueError, exc, None)
    assert report.rstrip().endswith("ValueError")

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
    assert all(1500 < p.stat().st_size <= 2000 for p in target.parent.iterdir()
               if p.name != "d4a-desktop.log")
    # Oldest to newest: .3, .2, .1, then the log itself, which ends with the last line.
    numbers = []
    for name in reversed(files[1:]):
        numbers += [int(line.rsplit("i", 1)[1]) for line in
                    (target.parent / name).read_text("utf-8").splitlines()]
    numbers += [int(line.rsplit("i", 1)[1]) for line in target.read_text("utf-8").splitlines()]
    assert numbers == list(range(numbers[0], 400))  # in order, none lost in between
    assert numbers[0] > 0  # the oldest went with the rotation


def test_a_log_that_cannot_rotate_does_not_stop_the_program(
        logger: logging.Logger, home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(diagnostics, "LOG_BYTES", 500)
    target = diagnostics.setup_logging()
    assert target is not None

    def refuse(*args: object) -> None:
        raise PermissionError("the folder turned read-only")

    monkeypatch.setattr(diagnostics.os, "replace", refuse)
    for n in range(40):
        logging.getLogger("d4a.window").info("edit %d", n)  # no exception reaches here
    monkeypatch.undo()
    report = capsys.readouterr().err  # logging's own report, once
    assert report.count("--- Logging error ---") == 1 and "turned read-only" in report
    logging.getLogger("d4a.window").info("after")
    lines = target.read_text("utf-8").splitlines()  # nothing lost: all in the one file
    assert [line.rsplit(" ", 1)[1] for line in lines] == [str(n) for n in range(40)] + ["after"]


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


def test_the_log_rotates_on_what_is_in_the_file_not_what_this_handler_wrote(
        tmp_path: Path) -> None:
    """Two programs (a second start that hands over, say) append to one log: each
    measures the file itself before a line, so neither takes it past the limit."""
    path = tmp_path / "shared.log"
    first = diagnostics.RotatingLog(path, 600, 2)
    second = diagnostics.RotatingLog(path, 600, 2)  # opened while the file is empty
    try:
        for handler in (first, second):
            handler.setFormatter(logging.Formatter("%(message)s"))
        for n in range(14):  # 14 lines of 40 bytes: 560, just under the limit
            first.handle(logging.makeLogRecord({"msg": f"first {n:02d} " + "x" * 30}))
        second.handle(logging.makeLogRecord({"msg": "second " + "y" * 33}))  # 41 bytes
        assert path.stat().st_size == 41
        assert (tmp_path / "shared.log.1").stat().st_size == 560
    finally:
        first.close()
        second.close()

"""The program's log and the technical report of an unexpected error.

The log records what the program did (files opened and closed, the kinds and ids of edits,
backups, errors) and never what the user wrote: no titles, notes or names. It rotates in
the user log folder, so it never grows without bound. The report of an unexpected error
holds the program's and the system's versions, the recent steps and the traceback, and no
project content either, so the user can send it as it is.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from d4a_desktop import __version__, paths

LOG_FILE = "d4a-desktop.log"
#: Size of one log file and how many older ones are kept: at most 4 MB in all.
LOG_BYTES = 1_000_000
LOG_KEEP = 3
#: An exception's own message is cut to this length in a report: it is meant to name a
#: problem, and a longer one may quote more than it should.
MESSAGE_LIMIT = 300

log = logging.getLogger("d4a")


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE


def setup_logging(*, debug: bool = False, echo: bool = False) -> Path | None:
    """Log to a rotating file in the user log folder; ``debug`` records more detail and
    ``echo`` also writes to stderr. Returns the log file, or None when the folder cannot
    be written (the program then runs without a log rather than not at all)."""
    root = logging.getLogger("d4a")
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "_d4a", False):
            root.removeHandler(handler)
            handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(process)d] %(message)s")
    target: Path | None = log_file()
    try:
        assert target is not None
        target.parent.mkdir(parents=True, exist_ok=True)
        # Opened at once (not delayed): that says now whether the folder can take it.
        file_handler: logging.Handler = RotatingLog(target, LOG_BYTES, LOG_KEEP)
    except OSError:
        target = None
        file_handler = logging.NullHandler()
    handlers = [file_handler]
    if echo:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(fmt)
        handler._d4a = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    root.propagate = False
    return target


class RotatingLog(logging.FileHandler):
    """A log file that moves aside to ``.1`` (``.1`` to ``.2``, and so on, keeping
    ``keep`` of them) before a line would take it past ``max_bytes``: the rotation of
    ``logging.handlers.RotatingFileHandler``, whose module loads ``socket``, ``pickle`` and
    ``queue`` for handlers the program does not use (27 million instructions, 2 % of a
    start). Opened at once, so the start knows whether the folder takes a log."""

    def __init__(self, path: Path, max_bytes: int, keep: int) -> None:
        super().__init__(path, encoding="utf-8")
        self.max_bytes = max_bytes
        self.keep = keep

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:  # as logging does: a log that fails never stops the program
            self.handleError(record)
            self.max_bytes = 0  # said once; the lines go on into the one file
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):
            return False  # rotating a device or a pipe (/dev/null) makes no sense
        if self.stream is None:
            self.stream = self._open()
        line = self.format(record) + self.terminator
        self.stream.seek(0, os.SEEK_END)
        return self.stream.tell() > 0 and \
            self.stream.tell() + len(line.encode("utf-8")) > self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for n in range(self.keep - 1, 0, -1):
            older = f"{self.baseFilename}.{n}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{n + 1}")
        if self.keep > 0:
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        else:
            os.remove(self.baseFilename)
        self.stream = self._open()


def versions(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The program's, Python's and the system's versions (and ``extra``, such as Qt's)."""
    import platform  # for reports only: not on every start's path

    result = {
        "D4A Roadmap Desktop": __version__,
        "Python": platform.python_version(),
        "Platform": platform.platform(),
    }
    if getattr(sys, "frozen", False):
        result["Bundle"] = "frozen"
    result.update(extra or {})
    return result


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_LIMIT else text[:MESSAGE_LIMIT] + " […]"


def format_exception(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None) -> str:
    """A traceback whose exception messages are cut short (see MESSAGE_LIMIT); the code
    lines it quotes are the program's own, never the user's data."""
    lines: list[str] = []
    chain: list[tuple[BaseException, TracebackType | None, str]] = []
    current: BaseException | None = exc
    seen: set[int] = set()
    note = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, current.__traceback__ if current is not exc else tb, note))
        if current.__cause__ is not None:
            note = "The above exception was the direct cause of the following exception:"
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            note = "During handling of the above exception, another exception occurred:"
            current = current.__context__
        else:
            current = None
    for error, trace, _note in reversed(chain):
        lines.append("Traceback (most recent call last):")
        lines.extend(line.rstrip("\n") for line in traceback.format_tb(trace))
        name = type(error).__qualname__
        module = type(error).__module__
        if module not in ("builtins", "__main__"):
            name = f"{module}.{name}"
        message = _cut(str(error))
        lines.append(f"{name}: {message}" if message else name)
        if _note:
            lines.append("")
            lines.append(_note)
            lines.append("")
    return "\n".join(lines)


def technical_report(exc_type: type[BaseException], exc: BaseException,
                     tb: TracebackType | None, *, steps: Iterable[str] = (),
                     extra_versions: Mapping[str, str] | None = None,
                     now: dt.datetime | None = None) -> str:
    """A plain-text report to copy into a message to the developers."""
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    parts = [f"Time: {moment.isoformat(timespec='seconds')}"]
    parts += [f"{name}: {value}" for name, value in versions(extra_versions).items()]
    step_list = list(steps)
    if step_list:
        parts.append("")
        parts.append("Recent steps (oldest first):")
        parts += [f"  {step}" for step in step_list]
    parts.append("")
    parts.append(format_exception(exc_type, exc, tb))
    return "\n".join(parts) + "\n"

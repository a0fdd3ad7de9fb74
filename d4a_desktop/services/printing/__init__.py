"""Printed documents as PDF: step checklists, tool worksheets and the project report.

Qt-free, so the ``d4a`` command and the program share it; the program builds documents off
the UI thread. A :class:`Request` says what to print; :func:`build` lays it out from the
localised roadmap and, when there is one, a :class:`ProjectSnapshot` (plain data read once
from the project), in the active language. :func:`write_pdf` writes the result atomically.
"""

from __future__ import annotations

import datetime as dt
import errno
from dataclasses import dataclass
from pathlib import Path

from d4a_desktop.core.content import Roadmap
from d4a_desktop.i18n import _
from d4a_desktop.services.printing.document import Cancelled, Pdf, Progress
from d4a_desktop.services.printing.source import ProjectSnapshot, read_project, snapshot

__all__ = ["KINDS", "Cancelled", "Pdf", "PrintError", "ProjectSnapshot", "Request", "build",
           "papers", "read_project", "snapshot", "suggested_name", "validate", "write_pdf"]

KINDS = ("checklist", "worksheet", "report")


class PrintError(Exception):
    """A document cannot be made or written; ``message`` is translated and names the cause."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Request:
    """What to print.

    ``scope`` is, for a checklist, empty (the whole roadmap), a component id (``c3``) or an
    activity id (``c3.a1``); for a worksheet, the tool id (``ethics-canvas``). ``paper`` is
    ``a4``, ``letter`` or (worksheets only) ``a3``; empty means the kind's default.
    """

    kind: str
    scope: str = ""
    blank: bool = False
    paper: str = ""


def papers(kind: str) -> tuple[str, ...]:
    return ("a4", "a3", "letter") if kind == "worksheet" else ("a4", "letter")


def _one_of(values: list[str]) -> str:
    return ", ".join(values)


def validate(request: Request, roadmap: Roadmap, project: ProjectSnapshot | None) -> None:
    """Raise PrintError naming what is wrong, and what would be right, with ``request``."""
    if request.kind not in KINDS:
        raise PrintError(_("unknown kind of document “{kind}”; use one of: {kinds}")
                         .format(kind=request.kind, kinds=_one_of(list(KINDS))))
    if request.paper and request.paper not in papers(request.kind):
        raise PrintError(_("unknown paper size “{paper}”; use one of: {papers}")
                         .format(paper=request.paper, papers=_one_of(list(papers(request.kind)))))
    scope = request.scope
    if request.kind == "checklist" and scope:
        components = [c.id for c in roadmap.components]
        activities = [a.id for a in roadmap.activities()]
        if "." in scope and scope not in activities:
            raise PrintError(_("unknown activity “{id}”; use one of: {ids}")
                             .format(id=scope, ids=_one_of(activities)))
        if "." not in scope and scope not in components:
            raise PrintError(_("unknown component “{id}”; use one of: {ids}")
                             .format(id=scope, ids=_one_of(components)))
    if request.kind == "worksheet" and roadmap.tool(scope) is None:
        raise PrintError(_("unknown tool “{id}”; use one of: {ids}")
                         .format(id=scope, ids=_one_of([t.id for t in roadmap.tools])))
    if request.kind == "report" and project is None:
        raise PrintError(_("a report needs a project file"))


def build(request: Request, roadmap: Roadmap, project: ProjectSnapshot | None = None, *,
          today: dt.date | None = None, author: str = "",
          progress: Progress | None = None) -> Pdf:
    """Lay out the requested document. ``progress`` is called with fractions from 0 to 1 and
    may raise :class:`Cancelled` to stop."""
    validate(request, roadmap, project)
    today = today or dt.date.today()
    if request.kind == "checklist":
        from d4a_desktop.services.printing import checklists

        scope = checklists.scope_of(roadmap, request.scope)
        blank = request.blank or project is None
        story = checklists.checklist_story(roadmap, scope, project, blank, today)
        spec = checklists.checklist_spec(scope, project, blank, today,
                                         request.paper or "a4", author)
    elif request.kind == "worksheet":
        from d4a_desktop.services.printing import worksheets

        tool = roadmap.tool(request.scope)
        assert tool is not None
        story, spec = worksheets.worksheet(tool, project, today, request.paper, author,
                                           roadmap.standards)
    else:
        from d4a_desktop.services.printing import report

        assert project is not None
        story, spec = report.report(roadmap, project, today, request.paper or "a4", author)
    from d4a_desktop.services.printing.document import build_pdf

    return build_pdf(story, spec, progress)


def suggested_name(request: Request, roadmap: Roadmap, project: ProjectSnapshot | None) -> str:
    """A file name for the document, for the save dialog."""
    if request.kind == "worksheet":
        tool = roadmap.tool(request.scope)
        name = tool.title if tool else request.scope
    elif request.kind == "report":
        name = _("Report")
    elif not request.scope:
        name = _("Checklists")
    else:
        name = _("Checklist") + " " + request.scope.replace("c", "").replace(".a", ".")
    if project is not None and project.meta.title.strip():
        name = f"{name} - {project.meta.title.strip()}"
    safe = "".join(ch if ch.isalnum() or ch in " -_.,()" else "_" for ch in name)
    return " ".join(safe.split())[:120] + ".pdf"


def write_pdf(path: Path | str, pdf: Pdf) -> None:
    """Write the PDF atomically: the file is complete or, after an error, untouched."""
    from d4a_desktop.storage import atomic

    path = Path(path)
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, "", str(path))
        atomic.write_bytes(path, pdf.data)
    except IsADirectoryError as exc:
        raise PrintError(_("{name} is a folder; choose a file name for the PDF.")
                         .format(name=path)) from exc
    except OSError as exc:
        raise PrintError(atomic.failure(path, exc)) from exc

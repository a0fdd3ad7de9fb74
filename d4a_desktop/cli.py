"""The ``d4a`` command: the services from a terminal, Qt-free.

Errors a user can cause (a bad file, a wrong option) print one translated line on stderr
and exit with status 2; they never show a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from d4a_desktop import __version__, i18n
from d4a_desktop.i18n import _, ngettext

if TYPE_CHECKING:
    from d4a_desktop.services.projects import ProjectSession


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--lang", metavar="LL", default=argparse.SUPPRESS,
                        help=_("language of the output ({codes})")
                        .format(codes=", ".join(i18n.LANGUAGES)))

    parser = _Parser(prog="d4a", parents=[common],
                     description=_("D4A Roadmap Desktop on the command line."))
    parser.add_argument("--version", action="version", version=f"d4a {__version__}")
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    new = sub.add_parser("new", parents=[common], help=_("create a new project file"))
    new.add_argument("file", type=Path, metavar=_("FILE"))
    new.add_argument("--title", required=True, help=_("title of the project"))
    new.add_argument("--municipality", required=True,
                     help=_("municipality or region running the project"))
    new.add_argument("--country", required=True, metavar="CC",
                     help=_("two-letter country code, for example BE"))
    new.add_argument("--domain", default="", help=_("policy domain, for example mobility"))
    new.add_argument("--tandem-partner", default="", help=_("the tandem partner's name"))

    demo = sub.add_parser("demo", parents=[common], help=_("write the demo project to a file"))
    demo.add_argument("file", type=Path, metavar=_("FILE"))

    info = sub.add_parser("info", parents=[common], help=_("show a project's progress"))
    info.add_argument("file", type=Path, metavar=_("FILE"))
    info.add_argument("--json", action="store_true", help=_("print JSON for other programs"))

    check = sub.add_parser("check", parents=[common],
                           help=_("check a project file for damage"))
    check.add_argument("file", type=Path, metavar=_("FILE"))

    rmap = sub.add_parser("roadmap", parents=[common],
                          help=_("write the whole roadmap as Markdown or JSON"))
    rmap.add_argument("--format", choices=("markdown", "json"), default="markdown",
                      help=_("output format (default: markdown)"))
    rmap.add_argument("-o", "--output", type=Path, metavar=_("FILE"),
                      help=_("write to this file instead of the terminal"))

    content = sub.add_parser("content-check", parents=[common],
                             help=_("validate roadmap content sources"))
    content.add_argument("folder", type=Path, nargs="?", metavar=_("FOLDER"))
    _print_parsers(sub, common)
    return parser


def _print_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """``checklist``, ``worksheet`` and ``report``: the printed documents as PDF."""
    def output(parser: argparse.ArgumentParser, papers: tuple[str, ...], default: str) -> None:
        parser.add_argument("--paper", choices=papers, default="",
                            help=_("paper size (default: {paper})").format(paper=default))
        parser.add_argument("-o", "--output", type=Path, metavar=_("FILE"), required=True,
                            help=_("the PDF file to write"))

    checklist = sub.add_parser("checklist", parents=[common],
                               help=_("print step checklists as PDF, blank or filled in"))
    which = checklist.add_mutually_exclusive_group()
    which.add_argument("--component", metavar="ID",
                       help=_("only this component, for example c1"))
    which.add_argument("--activity", metavar="ID",
                       help=_("only this activity, for example c1.a1"))
    checklist.add_argument("--project", type=Path, metavar=_("FILE"),
                           help=_("fill in the checklists from this project"))
    checklist.add_argument("--blank", action="store_true",
                           help=_("leave the boxes and lines empty, for a workshop"))
    output(checklist, ("a4", "letter"), "a4")

    worksheet = sub.add_parser("worksheet", parents=[common],
                               help=_("print a tool of the roadmap as a worksheet (PDF)"))
    worksheet.add_argument("tool", metavar=_("TOOL"),
                           help=_("the tool's id, as in “d4a roadmap --format json”"))
    worksheet.add_argument("--project", type=Path, metavar=_("FILE"),
                           help=_("head the worksheet with this project"))
    output(worksheet, ("a4", "a3", "letter"), _("a4; a3 for the data ethics canvas"))

    rep = sub.add_parser("report", parents=[common],
                         help=_("print a project's report as PDF"))
    rep.add_argument("file", type=Path, metavar=_("FILE"))
    output(rep, ("a4", "letter"), "a4")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    requested = i18n.lang_from_argv(argv)
    i18n.set_language(requested)  # before the parser, so --help is translated too
    args = _parser().parse_args(argv)
    if requested and i18n.normalise(requested) is None:
        print("d4a: " + _("unknown language “{code}”; use one of: {codes}")
              .format(code=requested, codes=", ".join(i18n.LANGUAGES)), file=sys.stderr)
        return 2
    if args.command is None:
        _parser().print_help()
        return 0

    from d4a_desktop.core.content import ContentError
    from d4a_desktop.services.printing import PrintError
    from d4a_desktop.storage import ProjectFileError

    handler = {"new": _new, "demo": _demo, "info": _info, "check": _check,
               "roadmap": _roadmap, "content-check": _content_check, "checklist": _print,
               "worksheet": _print, "report": _print}[args.command]
    try:
        return handler(args)
    except (ProjectFileError, PrintError) as exc:
        print(f"d4a: {exc.message}", file=sys.stderr)
        return 2
    except ContentError as exc:
        print(f"d4a: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (head, less) went away: not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print("d4a: " + _("{name}: {reason}").format(name=exc.filename or "",
                                                       reason=exc.strerror or exc),
              file=sys.stderr)
        return 2


def _new(args: argparse.Namespace) -> int:
    from d4a_desktop.services.projects import NewProject, create_project

    country = args.country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        print("d4a: " + _("the country must be a two-letter code such as BE or DK"),
              file=sys.stderr)
        return 2
    details = NewProject(title=args.title, municipality=args.municipality, country=country,
                         domain=args.domain, language=i18n.language(),
                         tandem_partner=args.tandem_partner)
    session = create_project(args.file, details)
    session.close()
    print(_("Created {file}").format(file=args.file))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from d4a_desktop.services.demo import write_demo

    write_demo(args.file).close()
    print(_("Wrote the demo project to {file}").format(file=args.file))
    return 0


def _open(path: Path) -> ProjectSession:
    """Open a project, saying on stderr when it had to be upgraded first."""
    from d4a_desktop.services.projects import open_project

    session = open_project(path, follow_roadmap=False)
    if session.file.upgraded_from is not None:
        print("d4a: " + _("{file} was upgraded from file format {old} to {new}; the original "
                          "is kept as {backup}").format(
            file=path, old=session.file.upgraded_from, new=session.file.schema_version,
            backup=session.file.upgrade_backup), file=sys.stderr)
    return session


def _info(args: argparse.Namespace) -> int:
    session = _open(args.file)
    try:
        state = session.state()
        prog = session.progress()
    finally:
        session.close()
    meta = state.meta
    if args.json:
        data = {
            "file": str(session.path),
            "project": {
                "id": meta.id, "title": meta.title, "municipality": meta.municipality,
                "country": meta.country, "domain": meta.domain, "language": meta.language,
                "tandem_partner": meta.tandem_partner,
            },
            "roadmap_version": meta.roadmap_version,
            **prog.as_fractions(),
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    roadmap = session.roadmap
    pct = i18n.format_percent
    print(f"{meta.title} — {meta.municipality} ({meta.country})")
    print(_("Roadmap version {version}").format(version=meta.roadmap_version))
    print(_("Overall progress: {percent} ({done} of {total} items)").format(
        percent=pct(prog.overall.fraction), done=prog.overall.done, total=prog.overall.total))
    print()
    for comp in roadmap.components:
        tally = prog.components[comp.id]
        print(f"  {pct(tally.fraction):>6}  {comp.number}. {comp.title}")
    print()
    for dim, tally in prog.dimensions.items():
        print(f"  {pct(tally.fraction):>6}  {dim.label()}")
    return 0


def _check(args: argparse.Namespace) -> int:
    session = _open(args.file)
    try:
        problems = session.check()
    finally:
        session.close()
    if problems:
        print(_("{file}: damaged").format(file=args.file), file=sys.stderr)
        for line in problems[:20]:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(_("{file}: no problems found").format(file=args.file))
    return 0


def _roadmap(args: argparse.Namespace) -> int:
    from d4a_desktop.services import roadmap_export
    from d4a_desktop.services.roadmap import roadmap
    from d4a_desktop.storage import atomic

    if args.format == "json":
        text = json.dumps(roadmap_export.roadmap_json(roadmap()), ensure_ascii=False,
                          indent=2) + "\n"
    else:
        text = roadmap_export.roadmap_markdown(roadmap())
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic.write_text(args.output, text)
        print(_("Wrote the roadmap to {file}").format(file=args.output), file=sys.stderr)
    return 0


def _print(args: argparse.Namespace) -> int:
    """Write a checklist, a worksheet or a report; the project is only read."""
    from d4a_desktop.services import printing
    from d4a_desktop.services.projects import default_author
    from d4a_desktop.services.roadmap import roadmap

    if args.command == "checklist":
        request = printing.Request("checklist", args.activity or args.component or "",
                                   blank=args.blank, paper=args.paper)
        source = args.project
    elif args.command == "worksheet":
        request = printing.Request("worksheet", args.tool, paper=args.paper)
        source = args.project
    else:
        request = printing.Request("report", paper=args.paper)
        source = args.file
    rm = roadmap()
    if request.kind != "report":  # name a wrong id before reading any file
        printing.validate(request, rm, None)
    project = printing.read_project(source) if source is not None else None
    pdf = printing.build(request, rm, project, author=default_author())
    printing.write_pdf(args.output, pdf)
    print(ngettext("Wrote {file} ({pages} page)", "Wrote {file} ({pages} pages)", pdf.pages)
          .format(file=args.output, pages=pdf.pages))
    return 0


def _content_check(args: argparse.Namespace) -> int:
    from d4a_desktop import paths
    from d4a_desktop.core.content import load_roadmap

    folder = args.folder or paths.resources_dir() / "roadmap"
    roadmap = load_roadmap(folder)
    activities = sum(1 for _a in roadmap.activities())
    items = sum(1 for _i in roadmap.items())
    print(_("Roadmap {version}: {components} components, {activities} activities, "
            "{items} checklist items, no problems.").format(
        version=roadmap.version, components=len(roadmap.components),
        activities=activities, items=items))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

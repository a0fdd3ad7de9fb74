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
from d4a_desktop.core.vocab import PARTNER_COUNTRIES
from d4a_desktop.i18n import _, argparse_text, ngettext

if TYPE_CHECKING:
    from d4a_desktop.services.projects import ProjectSession


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message}\n")


def _parser() -> argparse.ArgumentParser:
    argparse_text.install()  # argparse's own headings and errors in the chosen language
    common = _Parser(add_help=False)
    common.add_argument("--lang", metavar="LL", default=argparse.SUPPRESS,
                        help=_("language of the output ({codes})")
                        .format(codes=i18n.format_list(i18n.LANGUAGES, "or")))

    parser = _Parser(prog="d4a", parents=[common],
                     description=_("D4A Roadmap Desktop on the command line."))
    parser.add_argument("--version", action="version", version=f"d4a {__version__}",
                        help=_("show the program's version and exit"))
    sub = parser.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)

    new = sub.add_parser("new", parents=[common], help=_("create a new project file"))
    new.add_argument("file", type=Path, metavar=_("FILE"))
    # Required unless --from names an earlier project, whose details are then taken.
    new.add_argument("--title", default="", help=_("title of the project"))
    new.add_argument("--municipality", default="",
                     help=_("municipality or region running the project"))
    new.add_argument("--country", default="", metavar="CC",
                     help=_("two-letter country code, for example BE"))
    new.add_argument("--domain", default="", help=_("policy domain, for example mobility"))
    new.add_argument("--tandem-partner", default="", help=_("the tandem partner's name"))
    new.add_argument("--from", dest="source", type=Path, metavar=_("FILE"),
                     help=_("start from an earlier project: carry over what --carry names"))
    new.add_argument("--carry", metavar=_("LIST"),
                     help=_("with --from, what to carry over, comma-separated: {names} "
                            "(default: {default})").format(
                         names=", ".join(_carry_names()), default=",".join(_carry_default())))

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
    rmap.add_argument("--country", metavar="CC",
                      help=_("only the country notes for this partner country ({codes}); "
                             "without it, the notes of all seven")
                      .format(codes=i18n.format_list(PARTNER_COUNTRIES, "or")))

    content = sub.add_parser("content-check", parents=[common],
                             help=_("validate roadmap content sources"))
    content.add_argument("folder", type=Path, nargs="?", metavar=_("FOLDER"))

    records = sub.add_parser("records", parents=[common],
                             help=_("list, export or import a project's registers"))
    rsub = records.add_subparsers(dest="action", metavar=_("ACTION"), parser_class=_Parser,
                                  required=True)
    kinds_help = _("register: {names}").format(names=", ".join(_kind_names()))
    listing = rsub.add_parser("list", parents=[common], help=_("show the records of a register"))
    listing.add_argument("file", type=Path, metavar=_("FILE"))
    listing.add_argument("kind", metavar=_("KIND"), help=kinds_help)
    listing.add_argument("--json", action="store_true", help=_("print JSON for other programs"))
    export = rsub.add_parser("export", parents=[common],
                             help=_("write a register to a CSV or Excel file"))
    export.add_argument("file", type=Path, metavar=_("FILE"))
    export.add_argument("kind", metavar=_("KIND"), help=kinds_help)
    export.add_argument("-o", "--output", type=Path, metavar=_("FILE"), required=True,
                        help=_("the file to write: .csv or .xlsx"))
    imp = rsub.add_parser("import", parents=[common],
                          help=_("add or update records from a CSV or Excel file"))
    imp.add_argument("file", type=Path, metavar=_("FILE"))
    imp.add_argument("kind", metavar=_("KIND"), help=kinds_help)
    imp.add_argument("table", type=Path, metavar=_("TABLE"),
                     help=_("the .csv or .xlsx file to read"))
    imp.add_argument("--dry-run", action="store_true",
                     help=_("check the file and say what would change, without writing"))

    merge = sub.add_parser("merge", parents=[common],
                           help=_("merge a partner's copy of the same project into yours"))
    merge.add_argument("file", type=Path, metavar=_("FILE"))
    merge.add_argument("copy", type=Path, metavar=_("COPY"),
                       help=_("the other copy: an exchange package or a project file"))
    merge.add_argument("--prefer", choices=("mine", "theirs"),
                       help=_("decide every conflict this way (without it, conflicts are "
                              "listed and nothing is merged)"))
    merge.add_argument("--json", action="store_true", help=_("print JSON for other programs"))

    history = sub.add_parser("history", parents=[common],
                             help=_("show who changed what, and when"))
    history.add_argument("file", type=Path, metavar=_("FILE"))
    history.add_argument("record", nargs="?", metavar=_("ID"),
                         help=_("a record id or a roadmap id such as c2.a1.i3"))
    history.add_argument("--json", action="store_true", help=_("print JSON for other programs"))
    _print_parsers(sub, common)
    _exchange_parsers(sub, common)
    return parser


def _carry_names() -> tuple[str, ...]:
    from d4a_desktop.services.projects import CARRY

    return CARRY


def _carry_default() -> tuple[str, ...]:
    from d4a_desktop.services.projects import CARRY_DEFAULT

    return CARRY_DEFAULT


def _exchange_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    """export, import, compare, sync, portfolio and dcat: exchange with partners."""
    parts = ",".join(("notes", "owners", "comments", "personal"))
    export = sub.add_parser("export", parents=[common],
                            help=_("write an exchange package (.d4ax) of a project"))
    export.add_argument("file", type=Path, metavar=_("FILE"))
    export.add_argument("-o", "--output", type=Path, metavar=_("PACKAGE"), required=True,
                        help=_("the package to write"))
    export.add_argument("--without", default="", metavar=parts,
                        help=_("leave these out of the package, separated by commas: notes, "
                               "owners, comments, personal (names and contacts of people)"))
    imp = sub.add_parser("import", parents=[common],
                         help=_("make a new project file from an exchange package"))
    imp.add_argument("package", type=Path, metavar=_("PACKAGE"))
    imp.add_argument("-o", "--output", type=Path, metavar=_("FILE"), required=True,
                     help=_("the new project file"))
    compare = sub.add_parser("compare", parents=[common],
                             help=_("compare a project with a partner's package"))
    compare.add_argument("file", type=Path, metavar=_("FILE"))
    compare.add_argument("package", type=Path, metavar=_("PACKAGE"))
    compare.add_argument("--json", action="store_true",
                         help=_("print JSON for other programs"))
    sync = sub.add_parser("sync", parents=[common],
                          help=_("send this project's package and fetch the partners'"))
    sync.add_argument("file", type=Path, metavar=_("FILE"))
    sync.add_argument("--target", required=True, metavar="DIR|URL",
                      help=_("a shared folder, or the address of a WebDAV folder "
                             "(Nextcloud, ownCloud)"))
    sync.add_argument("--user", default="", metavar=_("NAME"),
                      help=_("user name on the WebDAV server; the password comes from "
                             "the system keyring, D4A_WEBDAV_PASSWORD or a prompt"))
    sync.add_argument("--without", default="", metavar=parts,
                      help=_("leave these out of the package, as for export"))
    sync.add_argument("--merge", action="store_true",
                      help=_("merge the packages of this project that have no conflicts; "
                             "list those that have"))
    sync.add_argument("--json", action="store_true", help=_("print JSON for other programs"))
    port = sub.add_parser("portfolio", parents=[common],
                          help=_("one overview of a folder of partners' packages"))
    port.add_argument("folder", type=Path, metavar=_("FOLDER"))
    port.add_argument("-o", "--output", type=Path, metavar=_("FILE"), required=True,
                      help=_("the file to write: .csv, .xlsx or .pdf"))
    port.add_argument("--sort", default="municipality", metavar=_("COLUMN"),
                      help=_("the column to sort by, such as municipality, overall, "
                             "component:c2, dimension:technology, last_update or on_track; "
                             "a wrong one lists them all (default: municipality)"))
    port.add_argument("--descending", action="store_true", help=_("sort from high to low"))
    dcat = sub.add_parser("dcat", parents=[common],
                          help=_("export the data inventory as DCAT-AP 3"))
    dcat.add_argument("file", type=Path, metavar=_("FILE"))
    dcat.add_argument("-o", "--output", type=Path, metavar=_("FILE"), required=True,
                      help=_("the file to write: .ttl (Turtle) or .jsonld (JSON-LD)"))
    dcat.add_argument("--base", metavar="URI",
                      help=_("web address under which the catalogue's datasets are named "
                             "(default: urn:uuid: names)"))


def _kind_names() -> tuple[str, ...]:
    from d4a_desktop.core import kinds

    return tuple(k.name for k in kinds.REGISTERS)


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
                           help=_("fill the worksheet in from this project"))
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
              .format(code=requested, codes=i18n.format_list(i18n.LANGUAGES, "or")),
              file=sys.stderr)
        return 2
    if args.command is None:
        _parser().print_help()
        return 0

    from d4a_desktop.core.content import ContentError
    from d4a_desktop.services.exchange import ExchangeError
    from d4a_desktop.services.printing import PrintError
    from d4a_desktop.services.spreadsheets import SpreadsheetError
    from d4a_desktop.storage import ProjectFileError

    handler = {"new": _new, "demo": _demo, "info": _info, "check": _check,
               "roadmap": _roadmap, "content-check": _content_check,
               "records": _records, "merge": _merge, "history": _history,
               "checklist": _print, "worksheet": _print, "report": _print,
               "export": _export, "import": _import, "compare": _compare, "sync": _sync,
               "portfolio": _portfolio, "dcat": _dcat}[args.command]
    try:
        return handler(args)
    except (ProjectFileError, PrintError, ExchangeError) as exc:
        print(f"d4a: {exc.message}", file=sys.stderr)
        return 2
    except SpreadsheetError as exc:
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

    missing = [option for option, value in (("--title", args.title),
                                            ("--municipality", args.municipality),
                                            ("--country", args.country)) if not value.strip()]
    if missing and args.source is None:
        print("d4a: " + _("give {options}, or start from an earlier project with --from "
                          "FILE").format(options=", ".join(missing)), file=sys.stderr)
        return 2
    if missing:  # the earlier project's, as the program's dialog fills them in
        earlier = _open(args.source)
        try:
            meta = earlier.state().meta
        finally:
            earlier.close()
        args.title = args.title.strip() or meta.title
        args.municipality = args.municipality.strip() or meta.municipality
        args.country = args.country.strip() or meta.country
    country = args.country.strip().upper()
    if len(country) != 2 or not country.isalpha():
        print("d4a: " + _("the country must be a two-letter code such as BE or DK"),
              file=sys.stderr)
        return 2
    details = NewProject(title=args.title, municipality=args.municipality, country=country,
                         domain=args.domain, language=i18n.language(),
                         tandem_partner=args.tandem_partner)
    if args.source is not None:
        from d4a_desktop.services.projects import CARRY, CARRY_DEFAULT, create_from_existing

        carry = [c.strip() for c in args.carry.split(",") if c.strip()] if args.carry \
            else list(CARRY_DEFAULT)
        unknown = [c for c in carry if c not in CARRY]
        if unknown:
            print("d4a: " + _("cannot carry over “{names}”; choose from: {choices}").format(
                names=", ".join(unknown), choices=", ".join(CARRY)), file=sys.stderr)
            return 2
        session = create_from_existing(args.file, args.source, details, carry=carry)
    elif args.carry:
        print("d4a: " + _("--carry needs --from"), file=sys.stderr)
        return 2
    else:
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
    """Open a project for reading: nothing in the file is written, stamped or upgraded."""
    from d4a_desktop.services.projects import read_project

    return read_project(path)


def _report_damage(session: ProjectSession) -> None:
    damage = session.file.check_values()
    if damage:
        print("d4a: " + ngettext(
            "{file}: {count} value is damaged and cannot be read in full ({where}); "
            "run “d4a check” for the list and the backups",
            "{file}: {count} values are damaged and cannot be read in full ({where}); "
            "run “d4a check” for the list and the backups",
            len(damage)).format(file=session.path, count=len(damage),
                                where="; ".join(d.describe() for d in damage[:3])),
              file=sys.stderr)


def _info(args: argparse.Namespace) -> int:
    from d4a_desktop.services import assessments
    from d4a_desktop.services import records as records_service

    session = _open(args.file)
    try:
        state = session.state()
        prog = session.progress()
        board = records_service.dashboard(session)
        monitoring = assessments.info_json(session)
        _report_damage(session)
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
            "records": board.counts,
            "kpis": monitoring["kpis"],
            "assessments": monitoring["assessments"],
            "dashboard": {**board.as_json(), "reviews_due": monitoring["reviews_due"],
                          "open_comments": monitoring["open_comments"]},
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
    from d4a_desktop.core import kinds

    print()
    for kind in kinds.KINDS:
        print(f"  {board.counts.get(kind.name, 0):>6}  {kind.plural_text()}")
    attention = [
        (len(board.overdue_items), _("overdue checklist items")),
        (len(board.late_activities), _("activities past their planned end")),
        (len(board.upcoming_milestones), _("milestones in the next 30 days")),
        (len(board.open_high_risks), _("open high risks")),
    ]
    if any(n for n, _label in attention):
        print()
        for n, label in attention:
            if n:
                print(f"  {n:>6}  {label}")
    return 0


def _check(args: argparse.Namespace) -> int:
    session = _open(args.file)
    try:
        problems = session.check()
        values = session.file.check_values()
    finally:
        session.close()
    if problems or values:
        print(_("{file}: damaged").format(file=args.file), file=sys.stderr)
        for line in problems[:20]:
            print(f"  {line}", file=sys.stderr)
        for damage in values[:50]:
            print("  " + _("damaged value: {where}").format(where=damage.describe()),
                  file=sys.stderr)
        _offer_backups(session)
        return 1
    print(_("{file}: no problems found").format(file=args.file))
    return 0


def _offer_backups(session: ProjectSession) -> None:
    from d4a_desktop import paths
    from d4a_desktop.storage import backups

    found = backups.list_backups(paths.backups_dir(), session.file.project_id)
    if found:
        print(_("Backups of this project, newest first:"), file=sys.stderr)
        for backup in found[:5]:
            print(f"  {i18n.format_datetime(backup.taken)}  {backup.path}", file=sys.stderr)


def _roadmap(args: argparse.Namespace) -> int:
    from d4a_desktop.services import roadmap_export
    from d4a_desktop.services.roadmap import roadmap
    from d4a_desktop.storage import atomic

    country = args.country.strip().upper() if args.country is not None else None
    if country is not None and country not in PARTNER_COUNTRIES:
        print("d4a: " + _("there are no country notes for “{code}”; use one of {codes}")
              .format(code=args.country, codes=i18n.format_list(PARTNER_COUNTRIES, "or")),
              file=sys.stderr)
        return 2
    if args.format == "json":
        text = json.dumps(roadmap_export.roadmap_json(roadmap(), country), ensure_ascii=False,
                          indent=2) + "\n"
    else:
        text = roadmap_export.roadmap_markdown(roadmap(), country)
    if args.output is None:
        sys.stdout.write(text)
    else:
        atomic.write_text(args.output, text)
        print(_("Wrote the roadmap to {file}").format(file=args.output), file=sys.stderr)
    return 0


def _records(args: argparse.Namespace) -> int:
    from d4a_desktop.services import spreadsheets
    from d4a_desktop.services.projects import open_project

    kind = spreadsheets.kind_named(args.kind)
    if args.action in ("list", "export"):
        session = _open(args.file)
        try:
            found = session.records(kind.name)
            ctx = spreadsheets.context(session)
        finally:
            session.close()
        if args.action == "export":
            spreadsheets.export(args.output, kind, found, ctx)
            print(ngettext("Wrote {count} record to {file}", "Wrote {count} records to {file}",
                           len(found)).format(count=len(found), file=args.output),
                  file=sys.stderr)
            return 0
        table = spreadsheets.rows(kind, found)
        if args.json:
            data = [dict(zip(table[0], _json_values(kind, r), strict=True)) for r in found]
            print(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            title = kind.field(kind.title_field)
            for record in found:
                print(f"{record.id}  {title.display(record.get(kind.title_field))}")
        return 0
    table = spreadsheets.read_table(args.table)
    session = open_project(args.file) if not args.dry_run else _open(args.file)
    try:
        plan = spreadsheets.plan_import(kind, table, spreadsheets.context(session))
        if not plan.ok:
            print("d4a: " + ngettext("{file}: {count} problem; nothing was imported",
                                     "{file}: {count} problems; nothing was imported",
                                     len(plan.problems)).format(file=args.table,
                                                                count=len(plan.problems)),
                  file=sys.stderr)
            for problem in plan.problems[:100]:
                print("  " + problem.describe(), file=sys.stderr)
            return 2
        if not args.dry_run and (plan.creates or plan.updates):
            session.execute(plan.command())
    finally:
        session.close()
    verb = _("Would import: {summary}") if args.dry_run else _("Imported: {summary}")
    print(verb.format(summary=plan.summary()))
    return 0


def _json_values(kind: Any, record: Any) -> list[Any]:
    """A record for JSON: codes and ISO dates, not labels (stable for other programs)."""
    import datetime as dt

    from d4a_desktop.core.records import computed_values

    values: list[Any] = [record.id]
    for f in kind.fields:
        value = record.get(f.name)
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        values.append(value)
    values += list(computed_values(kind, record.values).values())
    return values


def _copy_snapshot(path: Path) -> dict[str, Any]:
    """The other copy to merge: an exchange package or a project file."""
    from d4a_desktop.services import merging

    if path.suffix.lower() == ".d4ax":
        from d4a_desktop.services.exchange import read_package

        return read_package(path).snapshot
    return merging.snapshot_of_file(path)


def _merge(args: argparse.Namespace) -> int:
    from d4a_desktop.services import merging
    from d4a_desktop.services.projects import open_project

    session = open_project(args.file)
    try:
        try:
            if args.copy.suffix.lower() == ".d4ax":
                plan, _package = merging.package_plan(session, args.copy)
            else:
                plan = merging.preview(session, _copy_snapshot(args.copy))
        except merging.DifferentProject as exc:
            print(f"d4a: {exc.message}", file=sys.stderr)
            return 2
        decisions = merging.decide(plan, args.prefer)
        summary = merging.summary(plan, decisions)
        if plan.conflicts and args.prefer is None:
            if args.json:
                print(json.dumps({**summary.as_json(), "merged": False,
                                  "conflicts_list": [_conflict_json(c) for c in plan.conflicts]},
                                 ensure_ascii=False, indent=2))
            print("d4a: " + ngettext(
                "{count} field was changed on both sides; nothing was merged. Decide with "
                "--prefer mine or --prefer theirs, or merge in the program.",
                "{count} fields were changed on both sides; nothing was merged. Decide with "
                "--prefer mine or --prefer theirs, or merge in the program.",
                len(plan.conflicts)).format(count=len(plan.conflicts)), file=sys.stderr)
            for conflict in plan.conflicts[:50]:
                print("  " + _("{what}: mine “{mine}” ({mine_by}), theirs “{theirs}” "
                               "({theirs_by})").format(
                    what=_conflict_name(conflict), mine=conflict.mine.value,
                    theirs=conflict.theirs.value, mine_by=conflict.mine.author or "?",
                    theirs_by=conflict.theirs.author or "?"), file=sys.stderr)
            return 3
        if not plan.empty:
            session.execute(merging.command(plan, decisions))
    finally:
        session.close()
    if args.json:
        print(json.dumps({**summary.as_json(), "merged": True}, indent=2))
    else:
        print(_("Merged: {taken} changes taken, {decided} conflicts decided").format(
            taken=summary.taken, decided=summary.decided))
    return 0


def _conflict_name(conflict: Any) -> str:
    return f"{conflict.kind} {conflict.key or conflict.record_id} {conflict.field}"


def _conflict_json(conflict: Any) -> dict[str, Any]:
    return {"kind": conflict.kind, "record": conflict.record_id, "key": conflict.key,
            "field": conflict.field,
            "mine": {"value": conflict.mine.value, "author": conflict.mine.author,
                     "at": conflict.mine.at},
            "theirs": {"value": conflict.theirs.value, "author": conflict.theirs.author,
                       "at": conflict.theirs.at}}


def _history(args: argparse.Namespace) -> int:
    session = _open(args.file)
    try:
        entries = session.file.changes(args.record)
    finally:
        session.close()
    if args.json:
        print(json.dumps(entries, ensure_ascii=False, indent=2, default=str))
        return 0
    for entry in entries:
        what = entry["key"] or entry["record_id"]
        change = {"create": _("added"), "delete": _("deleted"), "restore": _("restored"),
                  "baseline": _("as it was before the history began")}.get(entry["op"])
        if change is None:
            change = _("{field}: “{old}” → “{new}”").format(
                field=entry["field"], old="" if entry["old"] is None else entry["old"],
                new="" if entry["new"] is None else entry["new"])
        print(f"{entry['at'][:19]}  {entry['author'] or '?':<16} {entry['kind']:<12} "
              f"{what}  {change}")
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


def _parts(text: str) -> tuple[str, ...]:
    from d4a_desktop.services.exchange.package import check_leave_out

    return check_leave_out(p.strip() for p in text.split(",") if p.strip())


def _export(args: argparse.Namespace) -> int:
    from d4a_desktop.services.exchange import export_package
    from d4a_desktop.services.exchange.package import leave_out_label

    parts = _parts(args.without)
    session = _open(args.file)
    try:
        export_package(session, args.output, leave_out=parts)
    finally:
        session.close()
    if parts:
        print(_("Wrote the package {file}, without {parts}").format(
            file=args.output, parts=i18n.format_list([leave_out_label(p) for p in parts])))
    else:
        print(_("Wrote the package {file}").format(file=args.output))
    return 0


def _import(args: argparse.Namespace) -> int:
    from d4a_desktop.services.exchange import import_package

    package = import_package(args.package, args.output)
    print(_("Created {file} from {package}: {title} — {municipality}").format(
        file=args.output, package=args.package.name, title=package.project.get("title", ""),
        municipality=package.project.get("municipality", "")))
    return 0


def _compare(args: argparse.Namespace) -> int:
    from d4a_desktop.services.exchange import open_partner
    from d4a_desktop.services.exchange.compare import compare

    mine = _open(args.file)
    try:
        if args.package.suffix.lower() == ".d4a":
            theirs = _open(args.package)
            try:
                result = compare(mine, theirs)
            finally:
                theirs.close()
        else:
            with open_partner(args.package) as view:
                result = compare(mine, view.session)
    finally:
        mine.close()
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    pct = i18n.format_percent
    a, b = result.mine.meta, result.theirs.meta
    mine_label, theirs_label = _("Mine"), _("Theirs")
    width = max(len(mine_label), len(theirs_label), 8)
    print(f"{mine_label:>{width}}  {a.title} — {a.municipality} ({a.country})")
    print(f"{theirs_label:>{width}}  {b.title} — {b.municipality} ({b.country})")
    print()
    print(f"{mine_label:>{width}}  {theirs_label:>{width}}")
    for row in (result.overall, *result.components, *result.dimensions):
        if row is result.components[0] or row is result.dimensions[0]:
            print()
        print(f"{pct(row.mine.fraction):>{width}}  {pct(row.theirs.fraction):>{width}}  "
              f"{row.title}")
    print()
    diffs = result.differences
    print(ngettext("{count} difference", "{count} differences", len(diffs)).format(
        count=len(diffs)))
    for diff in diffs[:100]:
        mine_text, their_text = (" ".join(v.split()) or "—" for v in (diff.mine, diff.theirs))
        print("  " + _("{what}: {mine} | {theirs}").format(
            what=" ".join(diff.title.split()), mine=mine_text, theirs=their_text))
    if len(diffs) > 100:
        print("  " + _("… and {count} more (all of them with --json)").format(
            count=len(diffs) - 100))
    return 0


def _password(target: str, user: str) -> str:
    """The WebDAV password: keyring, D4A_WEBDAV_PASSWORD, or a prompt on a terminal."""
    import getpass

    from d4a_desktop.services.exchange import credentials

    found = credentials.password(target, user)
    if found is not None:
        return found
    if not sys.stdin.isatty():
        from d4a_desktop.services.exchange import ExchangeError

        raise ExchangeError(_("no password for {user} on {target}: set D4A_WEBDAV_PASSWORD, "
                              "or run the command in a terminal to type it").format(
            user=user, target=target), "auth")
    return getpass.getpass(_("Password for {user} on {target}: ").format(
        user=user, target=target))


def _sync(args: argparse.Namespace) -> int:
    from d4a_desktop.services.exchange import sync
    from d4a_desktop.services.projects import open_project

    parts = _parts(args.without)
    target_text = str(args.target)
    web = "://" in target_text
    password = _password(target_text, args.user) if web and args.user else ""
    target = sync.target_for(target_text, user=args.user, password=password)
    session = open_project(args.file) if args.merge else _open(args.file)
    try:
        result = sync.sync(session, target, leave_out=parts)
        if args.merge:
            _merge_received(session, result)
    finally:
        session.close()
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
        return 0
    if result.message:
        print(result.message, file=sys.stderr)
    if result.sent:
        print(ngettext("Sent {count} package to {target}", "Sent {count} packages to {target}",
                       len(result.sent)).format(count=len(result.sent),
                                                target=result.target))
    for received in result.received:
        line = _("Received {name}: {description}").format(name=received.name,
                                                          description=received.description)
        print(line)
    for name in result.merged:
        print(_("Merged {name}").format(name=name))
    for name in result.conflicted:
        print(_("{name} has changes to the same fields as yours; merge it with “d4a merge” "
                "or in the program").format(name=name))
    same = [r for r in result.received if r.same_project and r.name not in result.merged
            and r.name not in result.conflicted]
    if same:
        print(ngettext("{count} package is a copy of this project; merge it with "
                       "“d4a merge”.", "{count} packages are copies of this project; merge "
                       "them with “d4a merge”.", len(same)).format(count=len(same)))
    for name, reason in result.rejected:
        print(_("Refused {name}: {reason}").format(name=name, reason=reason), file=sys.stderr)
    if result.reachable and not result.interrupted and not result.received:
        print(_("No new packages from partners."))
    return 0


def _merge_received(session: ProjectSession, result: Any) -> None:
    """``sync --merge``: merge the packages of this project that have no conflicts."""
    from d4a_desktop.services import merging
    from d4a_desktop.services.exchange import ExchangeError

    for received in result.received:
        if not received.same_project:
            continue
        try:
            summary, _plan = merging.merge_package(session, received.path)
        except ExchangeError as exc:
            result.rejected.append((received.name, exc.message))
            continue
        if summary.conflicts:
            result.conflicted.append(received.name)
        else:
            result.merged.append(received.name)


def _portfolio(args: argparse.Namespace) -> int:
    from d4a_desktop.services.exchange import portfolio

    key = args.sort
    if key not in portfolio.sort_keys():
        print("d4a: " + _("cannot sort by “{key}”; use one of: {keys}").format(
            key=key, keys=", ".join(portfolio.sort_keys())), file=sys.stderr)
        return 2
    result = portfolio.read_portfolio(args.folder)
    portfolio.export(result, args.output, key, descending=args.descending)
    print(ngettext("Wrote {count} project to {file}", "Wrote {count} projects to {file}",
                   len(result.entries)).format(count=len(result.entries), file=args.output))
    for name, reason in result.problems:
        print(_("Left out {name}: {reason}").format(name=name, reason=reason), file=sys.stderr)
    return 0


def _dcat(args: argparse.Namespace) -> int:
    from d4a_desktop.services.exchange import dcat

    session = _open(args.file)
    try:
        checks = dcat.export_dcat(session, args.output, base=args.base)
    finally:
        session.close()
    exported = sum(1 for c in checks if c.exported)
    print(ngettext("Wrote {count} dataset to {file}", "Wrote {count} datasets to {file}",
                   exported).format(count=exported, file=args.output))
    flagged = [c for c in checks if c.shareable and c.gaps]
    for check in flagged[:50]:
        print(check.describe(), file=sys.stderr)
    if len(flagged) > 50:
        print(_("… and {count} more").format(count=len(flagged) - 50), file=sys.stderr)
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

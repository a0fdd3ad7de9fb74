"""Exchange with the consortium: sync through a shared folder or WebDAV, and the portfolio.

Sync sends this project's package and fetches the partners' into the project's inbox
(``services/exchange/sync.py``), off the window's thread with progress and Cancel; a place
that cannot be reached is no error (the package waits in the outbox). A fetched copy of
the same project offers the merge; other projects go to the portfolio, an overview of a
folder of packages (``services/exchange/portfolio.py``). Passwords live in the system's
keyring when the user asks for it, never in the settings.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
)

from d4a_desktop import i18n
from d4a_desktop.gui import dialogs, tasks
from d4a_desktop.gui.exchange import SORT_ROLE, LeaveOutChoices, TableModel
from d4a_desktop.i18n import _, ngettext
from d4a_desktop.services.exchange import Cancelled, ExchangeError, credentials
from d4a_desktop.services.exchange import portfolio as portfolio_mod
from d4a_desktop.services.exchange import sync as sync_mod

if TYPE_CHECKING:
    from d4a_desktop.gui.mainwindow import MainWindow

log = logging.getLogger("d4a.consortium")


def is_web_address(text: str) -> bool:
    return bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text.strip()))


class SyncDialog(QDialog):
    """Project › Sync with the Consortium…: where, who, what to leave out; then the result."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        assert window.session is not None
        self.window_ = window
        self.settings = window.settings
        self.project_id = window.session.file.project_id
        self.result_: sync_mod.SyncResult | None = None
        self.setWindowTitle(_("Sync with the Consortium"))
        layout = QVBoxLayout(self)
        intro = QLabel(_("Sends your project's package to the consortium's shared folder or "
                         "WebDAV server (such as Nextcloud) and fetches your partners' "
                         "packages. When the place cannot be reached, your package waits "
                         "and goes with the next sync."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.target = QLineEdit(self.settings.sync_target)
        self.target.setPlaceholderText(_("A folder, or https://cloud.example.org/remote.php/"
                                         "dav/files/name/D4A"))
        browse = QPushButton(_("Choose Folder…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        form.addRow(_("Shared folder or WebDAV address:"), row)
        self.user = QLineEdit(self.settings.sync_user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(_("Asked for by the server; kept only if you say so"))
        self.remember = QCheckBox(_("Remember the password in this computer's keyring"))
        if not credentials.keyring_available():
            self.remember.setEnabled(False)
            self.remember.setToolTip(_("This computer has no keyring the program can use; "
                                       "the password is asked for at each sync."))
        form.addRow(_("User name:"), self.user)
        form.addRow(_("Password:"), self.password)
        form.addRow("", self.remember)
        layout.addLayout(form)
        self.choices = LeaveOutChoices(self.settings.export_leave_out)
        layout.addWidget(self.choices)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.received = TableModel([_("Package"), _("Project"), _("What you can do")], self)
        self.table = QTableView()
        self.table.setModel(self.received)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 220)
        self.table.setColumnWidth(1, 320)
        self.table.doubleClicked.connect(lambda _index: self._open_selected())
        layout.addWidget(self.table, 1)
        self.rows: list[Path] = []
        self.same: list[bool] = []
        buttons = QDialogButtonBox()
        self.sync_button = buttons.addButton(_("&Sync Now"), QDialogButtonBox.ButtonRole.ActionRole)
        self.merge_button = buttons.addButton(_("&Merge…"), QDialogButtonBox.ButtonRole.ActionRole)
        self.open_button = buttons.addButton(_("&Open Read-Only"),
                                             QDialogButtonBox.ButtonRole.ActionRole)
        self.portfolio_button = buttons.addButton(_("&Portfolio of the Inbox…"),
                                                  QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        self.sync_button.clicked.connect(self.run_sync)
        self.merge_button.clicked.connect(self._open_selected)
        self.open_button.clicked.connect(lambda: self._open_selected(read_only=True))
        self.portfolio_button.clicked.connect(self._portfolio)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.target.textChanged.connect(self._update)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update())
        self.resize(820, 680)
        self._show_inbox()
        self._update()

    # --- the form ------------------------------------------------------------------------

    def _browse(self) -> None:
        start = self.target.text() if not is_web_address(self.target.text()) else ""
        folder = QFileDialog.getExistingDirectory(self, _("Shared folder"), start)
        if folder:
            self.target.setText(folder)

    def _update(self) -> None:
        web = is_web_address(self.target.text())
        for widget in (self.user, self.password):
            widget.setEnabled(web)
        self.remember.setEnabled(web and credentials.keyring_available())
        self.sync_button.setEnabled(bool(self.target.text().strip()))
        row = self.selected_row()
        self.merge_button.setEnabled(row >= 0 and self.same[row]
                                     and not self.window_.read_only)
        self.open_button.setEnabled(row >= 0)
        self.portfolio_button.setEnabled(bool(self.rows))

    def selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # --- syncing -------------------------------------------------------------------------

    def run_sync(self) -> sync_mod.SyncResult | None:
        """Sync now, off the window's thread; the result is shown here."""
        session = self.window_.session
        where = self.target.text().strip()
        if session is None or not where:
            return None
        user = self.user.text().strip()
        secret = self.password.text()
        if is_web_address(where) and not secret and user:
            secret = credentials.password(where, user) or ""
        leave_out = self.choices.chosen()
        author = self.window_.program.author()
        try:
            target = sync_mod.target_for(where, user=user, password=secret)
        except ExchangeError as exc:
            dialogs.show_error(self, exc.message, _("Cannot sync"))
            return None

        def work(report: Callable[[int, int, str], None],
                 cancel: threading.Event) -> sync_mod.SyncResult:
            return sync_mod.sync(session, target, leave_out=leave_out, author=author,
                                 progress=lambda what, done, total: report(done, total, what),
                                 cancel=cancel)

        self.settings.sync_target = where
        self.settings.sync_user = user
        self.settings.export_leave_out = leave_out
        try:
            result = tasks.run_with_progress(work, parent=self,
                                             label=_("Syncing with {place}…").format(
                                                 place=where))
        except Cancelled:
            self.summary.setText(_("Sync cancelled. What was sent or fetched completely is "
                                   "kept; the rest goes with the next sync."))
            self._show_inbox()
            return None
        except ExchangeError as exc:
            log.info("sync failed: %s", exc.kind)
            if exc.kind == "auth" and user:
                credentials.forget(where, user)
            dialogs.show_error(self, exc.message, _("Cannot sync"))
            self._show_inbox()
            return None
        if secret and self.remember.isChecked() and self.remember.isEnabled() and \
                result.reachable:
            credentials.remember(where, user, secret)
        self.result_ = result
        self.summary.setText(self._describe(result))
        self._show_inbox(result)
        log.info("sync: %d sent, %d received, reachable %s", len(result.sent),
                 len(result.received), result.reachable)
        return result

    @staticmethod
    def _describe(result: sync_mod.SyncResult) -> str:
        if not result.reachable:
            return _("{place} cannot be reached now; your package waits and goes with the "
                     "next sync.").format(place=result.target) + (
                " " + result.message if result.message else "")
        parts = [ngettext("{count} package sent", "{count} packages sent",
                          len(result.sent)).format(count=len(result.sent)),
                 ngettext("{count} package fetched", "{count} packages fetched",
                          len(result.received)).format(count=len(result.received))]
        text = _("Synced with {place}: {what}.").format(place=result.target,
                                                         what=i18n.format_list(parts))
        if result.interrupted:
            text += " " + _("The connection broke off; the rest goes with the next sync.")
        for name, reason in result.rejected:
            text += "\n" + _("{name} was not taken: {reason}").format(name=name, reason=reason)
        return text

    def _show_inbox(self, result: sync_mod.SyncResult | None = None) -> None:
        """The packages in the inbox: copies of this project to merge, others to read."""
        try:
            paths = sync_mod.inbox_packages(self.project_id)
        except OSError:
            paths = []
        described = {r.path: r for r in result.received} if result is not None else {}
        rows: list[list[Any]] = []
        self.rows, self.same = [], []
        for path in paths:
            received = described.get(path)
            if received is not None:
                same, text = received.same_project, received.description
            else:
                same, text = self._peek(path)
            what = _("Merge into your project") if same else _("Read, compare or see in the "
                                                                "portfolio")
            rows.append([(path.name, path.name, str(path)), (text, text, text), what])
            self.rows.append(path)
            self.same.append(same)
        self.received.set_rows(rows)
        self._update()

    def _peek(self, path: Path) -> tuple[bool, str]:
        """What an inbox package is, from its manifest and project (already checked when
        it was fetched; a package that fails now is shown with the reason)."""
        from d4a_desktop.services.exchange import package as pkg

        try:
            package = pkg.read_package(path)
        except ExchangeError as exc:
            return False, exc.message
        return package.project_id == self.project_id, pkg.describe(package)

    def _open_selected(self, read_only: bool = False) -> None:
        row = self.selected_row()
        if row < 0:
            return
        path = self.rows[row]
        program = self.window_.program
        if self.same[row] and not read_only:
            from d4a_desktop.gui import exchange

            package = exchange.read_package(self, path)
            if package is not None and self.window_.merge_package(package):
                self.summary.setText(_("Merged {name}.").format(name=path.name))
            return
        from d4a_desktop.gui import exchange

        package = exchange.read_package(self, path)
        if package is not None:
            program.show_package(package, None)

    def _portfolio(self) -> None:
        show_portfolio(self.window_, sync_mod.inbox(self.project_id))


# --- the portfolio --------------------------------------------------------------------------

class PortfolioDialog(QDialog):
    """A folder of packages as one overview; sortable; to .xlsx, CSV or PDF in the order
    the user sorted it."""

    def __init__(self, window: MainWindow, folder: Path | None = None):
        super().__init__(window)
        self.window_ = window
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        self.setWindowTitle(_("Portfolio"))
        self.portfolio: portfolio_mod.Portfolio | None = None
        self.entries: list[portfolio_mod.Entry] = []
        #: What the line under the table says about the packages read.
        self._lines: list[str] = []
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.folder = QLineEdit(str(folder) if folder else window.settings.portfolio_folder)
        self.folder.setPlaceholderText(_("A folder of exchange packages"))
        browse = QPushButton(_("Choose Folder…"))
        browse.clicked.connect(self._browse)
        self.read_button = QPushButton(_("&Read"))
        self.read_button.clicked.connect(lambda: self.load())
        row.addWidget(QLabel(_("Folder:")))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        row.addWidget(self.read_button)
        layout.addLayout(row)
        self.model = TableModel([], self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.doubleClicked.connect(self._open)
        layout.addWidget(self.table, 1)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.problems)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton(_("&Export…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.export)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(_("Close"))
        buttons.rejected.connect(self.close)
        layout.addWidget(buttons)
        self.export_button.setEnabled(False)
        self.resize(1240, 560)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Folder of packages"),
                                                  self.folder.text())
        if folder:
            self.folder.setText(folder)
            self.load()

    def load(self) -> bool:
        """Read every package of the folder off the window's thread."""
        text = self.folder.text().strip()
        if not text:
            return False
        folder = Path(text).expanduser()

        def work(report: Callable[[int, int, str], None],
                 cancel: threading.Event) -> portfolio_mod.Portfolio:
            return portfolio_mod.read_portfolio(
                folder, cancel=cancel,
                progress=lambda done, total: report(done, total, _(
                    "Reading package {number} of {total}…").format(number=done + 1,
                                                                   total=total)))

        try:
            result = tasks.run_with_progress(work, parent=self, label=_(
                "Reading the packages in {folder}…").format(folder=folder))
        except Cancelled:
            return False
        except ExchangeError as exc:
            dialogs.show_error(self, exc.message, _("Cannot read the portfolio"))
            return False
        self.window_.settings.portfolio_folder = str(folder)
        self.show_portfolio(result)
        return True

    def show_portfolio(self, result: portfolio_mod.Portfolio) -> None:
        from d4a_desktop.services.roadmap import roadmap

        self.portfolio = result
        self.entries = result.sorted("municipality")
        header, rows = portfolio_mod.table(result, "municipality")
        components = roadmap().components
        first = header.index(f"{components[0].number}. {components[0].title}") \
            if components and f"{components[0].number}. {components[0].title}" in header else -1
        short = list(header)
        if first >= 0:
            for n, c in enumerate(components):
                short[first + n] = f"{c.number}."
        self.model = TableModel(short, self)
        numeric = [n for n, value in enumerate(rows[0]) if isinstance(value, int | float)] \
            if rows else []
        self.model.set_rows([[self._cell(v) for v in row] for row in rows], numeric=numeric)
        self.model.header_tips = dict(enumerate(header))
        self.proxy.setSourceModel(self.model)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        lines = [ngettext("{count} project", "{count} projects", len(result.entries))
                 .format(count=len(result.entries))]
        lines += [_("{name} was not read: {reason}").format(name=n, reason=r)
                  for n, r in result.problems]
        self._lines = lines
        self.problems.setText("\n".join(lines))
        self.export_button.setEnabled(bool(result.entries))

    @staticmethod
    def _cell(value: Any) -> Any:
        if value is None:
            return ("", -1, "")
        if isinstance(value, float):
            return (i18n.format_percent(value), value, "")
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int):
            return (i18n.format_number(value), value, "")
        if isinstance(value, dt.datetime):
            return (i18n.format_date(value.date()), value.isoformat(), "")
        if isinstance(value, dt.date):
            return (i18n.format_date(value), value.isoformat(), "")
        from d4a_desktop.i18n.collation import sort_key

        return (str(value), sort_key(str(value)), str(value))

    def _open(self, index: Any) -> None:
        source = self.proxy.mapToSource(index)
        if 0 <= source.row() < len(self.entries):
            self.window_.program.open_package(self.entries[source.row()].path, None)

    def sort_order(self) -> tuple[str, bool]:
        """The column the user sorted the table by, as the portfolio's sort key, and
        whether it runs from high to low; by municipality until they sort."""
        column = self.proxy.sortColumn()
        keys = [key for _label, key in portfolio_mod.columns(
            portfolio_mod.with_status(self.entries))]
        if not 0 <= column < len(keys):
            return "municipality", False
        return keys[column], self.proxy.sortOrder() == Qt.SortOrder.DescendingOrder

    def export(self) -> Path | None:
        """Write the overview, in the order shown, as .xlsx, CSV or PDF off the window's
        thread; the file written, or None when the user stopped or it failed (told)."""
        if self.portfolio is None:
            return None
        settings = self.window_.settings
        formats = {".xlsx": _("Excel workbooks (*.xlsx)"), ".csv": _("CSV files (*.csv)"),
                   ".pdf": _("PDF documents (*.pdf)")}
        last = settings.portfolio_format
        # Translators: the file name suggested for an exported portfolio (no suffix).
        stem = _("portfolio")
        start = str(Path(self.folder.text()) / f"{stem}{last}")
        name, chosen = QFileDialog.getSaveFileName(
            self, _("Export the portfolio"), start, ";;".join(formats.values()), formats[last])
        if not name:
            return None
        path = Path(name)
        if path.suffix.lower() not in formats:
            suffix = next((s for s, f in formats.items() if f == chosen), last)
            path = path.with_name(path.name + suffix)
        key, descending = self.sort_order()
        portfolio = self.portfolio

        def work(report: Callable[[int, int, str], None], cancel: threading.Event) -> Path:
            return portfolio_mod.export(portfolio, path, key, descending=descending,
                                        progress=lambda f: report(round(f * 100), 100, ""),
                                        cancel=cancel)

        try:
            written = tasks.run_with_progress(work, parent=self, label=_(
                "Writing {name}…").format(name=path.name))
        except Cancelled:
            return None
        except ExchangeError as exc:
            dialogs.show_error(self, exc.message, _("Cannot export the portfolio"))
            return None
        settings.portfolio_format = path.suffix.lower()
        self.problems.setText("\n".join([*self._lines, _("Saved {name}").format(name=path)]))
        log.info("portfolio exported to %s", written)
        return written


def show_portfolio(window: MainWindow, folder: Path | None = None) -> PortfolioDialog:
    dialog = PortfolioDialog(window, folder)
    window.portfolio = dialog
    dialog.show()
    if dialog.folder.text().strip():
        dialog.load()
    return dialog

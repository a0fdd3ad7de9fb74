"""Small things a reader notices in their own language: country order, the tandem partner
explained, a short "not applicable" in the narrow progress column."""

from __future__ import annotations

import pytest
from babel import Locale
from PySide6.QtCore import QCollator, QLocale, Qt
from PySide6.QtWidgets import QLabel

from d4a_desktop import i18n
from d4a_desktop.core.progress import compute
from d4a_desktop.core.project import ActivityState, ProjectMeta, ProjectState
from d4a_desktop.core.vocab import PARTNER_COUNTRIES, Condition, Status
from d4a_desktop.gui import dialogs
from d4a_desktop.gui.models import NavigatorModel
from d4a_desktop.i18n.collation import sort_key
from d4a_desktop.services.roadmap import roadmap

QT_LOCALES = {"en": "en_GB", "nl": "nl_NL", "da": "da_DK", "de": "de_DE", "fr": "fr_FR",
              "nb": "nb_NO", "sv": "sv_SE"}


def _other_countries(combo: object) -> list[str]:
    names = [combo.itemText(i) for i in range(combo.count())]  # type: ignore[attr-defined]
    return names[len(PARTNER_COUNTRIES) + 1:]  # after the partners and the separator


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_country_list_is_in_the_order_of_the_language(qtbot, lang: str) -> None:
    i18n.set_language(lang)
    combo = dialogs.country_combo()
    qtbot.addWidget(combo)
    names = _other_countries(combo)
    assert names == sorted(names, key=lambda n: sort_key(n, lang))
    # Qt's collator (ICU) agrees on every country name of the language.
    collator = QCollator(QLocale(QT_LOCALES[lang]))
    assert names == sorted(names, key=collator.sortKey)


def test_swedish_and_danish_put_their_letters_last(qtbot) -> None:
    i18n.set_language("sv")
    names = _other_countries(dialogs.country_combo())
    assert names[-3:] == ["Åland", "Österrike", "Östtimor"]
    i18n.set_language("da")
    names = _other_countries(dialogs.country_combo())
    assert names.index("Østrig") > names.index("Zimbabwe")
    assert names[-1] == "Åland"
    i18n.set_language("fr")
    names = _other_countries(dialogs.country_combo())
    assert names.index("États-Unis") < names.index("Éthiopie") < names.index("Fidji")


def test_tandem_partner_is_explained(qtbot) -> None:
    meta = ProjectMeta(id="p", title="T", municipality="Vejle", country="DK")
    dialog = dialogs.ProjectDetailsDialog(meta, {})
    qtbot.addWidget(dialog)
    form = dialog.form
    assert "two municipalities" in form.tandem_hint.text()
    assert form.tandem_hint.objectName() == "hint" and form.tandem_hint.wordWrap()
    assert form.tandem.toolTip() == form.tandem_hint.text()
    label = next(w for w in form.findChildren(QLabel) if w.buddy() is form.tandem)
    assert label.text() == "Tandem &partner:" and label.toolTip() == form.tandem_hint.text()


def test_tandem_explanation_in_the_wizard_in_danish(qtbot) -> None:
    i18n.set_language("da")
    wizard = dialogs.NewProjectWizard()
    qtbot.addWidget(wizard)
    assert wizard.form.tandem_hint.text().startswith("I D4A danner to kommuner")


def _navigator(state: ProjectState) -> NavigatorModel:
    rm = roadmap()
    model = NavigatorModel(rm)
    model.set_project(state, compute(rm, state))
    return model


@pytest.mark.parametrize("lang", list(i18n.LANGUAGES))
def test_not_applicable_is_short_in_the_progress_column(lang: str) -> None:
    i18n.set_language(lang)
    meta = ProjectMeta(id="p", title="T", municipality="M", country="SE")
    state = ProjectState(meta, {"c1.a1": ActivityState("c1.a1", Status.NOT_APPLICABLE)},
                         conditions={Condition.ALGORITHMS_AI: False})
    model = _navigator(state)
    for node in ("c1.a1", "c4.a5"):
        index = model.index_of(node).siblingAtColumn(1)
        shown = model.data(index, Qt.ItemDataRole.DisplayRole)
        assert 0 < len(shown) <= 6, shown  # as wide as "100 %"
        tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
        assert tip and len(tip) > len(shown)
    tip = model.data(model.index_of("c1.a1").siblingAtColumn(1), Qt.ItemDataRole.ToolTipRole)
    assert tip == Status.NOT_APPLICABLE.label()
    tip = model.data(model.index_of("c4.a5").siblingAtColumn(1), Qt.ItemDataRole.ToolTipRole)
    assert Condition.ALGORITHMS_AI.label() in tip
    applicable = model.index_of("c1.a2").siblingAtColumn(1)
    assert model.data(applicable, Qt.ItemDataRole.ToolTipRole) is None


def test_country_names_of_babel_are_what_the_combo_shows(qtbot) -> None:
    i18n.set_language("nb")
    combo = dialogs.country_combo()
    territories = Locale.parse("nb").territories
    assert combo.itemText(0) == territories["BE"]
    assert combo.findData("NO") == PARTNER_COUNTRIES.index("NO")

"""The roadmap as Markdown and JSON, in any of the seven languages."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop import cli, i18n
from d4a_desktop.core.vocab import PARTNER_COUNTRIES
from d4a_desktop.services import roadmap_export
from d4a_desktop.services.roadmap import roadmap


def test_json_has_the_documented_shape() -> None:
    data = roadmap_export.roadmap_json(roadmap())
    assert data["format"] == roadmap_export.JSON_FORMAT
    assert set(data) == {"format", "roadmap", "version", "language", "country", "components",
                         "roles", "tools", "cases", "standards"}
    assert data["country"] is None
    rm = roadmap()
    assert [c["id"] for c in data["components"]] == [c.id for c in rm.components]
    act = data["components"][3]["activities"][0]
    assert set(act) == {"id", "number", "title", "origin", "source", "purpose", "guidance",
                        "condition", "roles", "dimensions", "questions", "items", "tools",
                        "cases", "standards", "country_notes"}
    item = act["items"][0]
    assert set(item) == {"id", "text", "help", "dimension", "role", "condition"}
    assert item["dimension"] in ("technology", "organisation", "regulation-ethics")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "roadmap-json.md").read_text("utf-8")
    note = next(n for c in data["components"] for a in c["activities"]
                for n in a["country_notes"])
    assert set(note) == {"id", "country", "text", "source", "checked"}
    for key in (*data, *act, *item, *note, "scales", "sections", "interpretation"):
        assert f"`{key}`" in docs, f"{key} is not documented"


def test_markdown_contains_every_activity_and_item() -> None:
    rm = roadmap()
    text = roadmap_export.roadmap_markdown(rm)
    for act in rm.activities():
        assert act.title in text
        for item in act.items:
            assert f"- [ ] {item.text}" in text
    for tool in rm.tools:
        assert f"### {tool.title}" in text


@pytest.mark.parametrize("lang", ["da", "fr"])
def test_cli_writes_the_roadmap_in_a_language(lang: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    english_title = roadmap().components[0].title
    out = tmp_path / f"roadmap-{lang}.json"
    assert cli.main(["roadmap", "--lang", lang, "--format", "json", "-o", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["language"] == lang == i18n.language()
    assert data["components"][0]["title"] != english_title
    assert data["components"][0]["title"] == roadmap().components[0].title
    assert cli.main(["roadmap", "--lang", lang]) == 0
    assert capsys.readouterr().out.startswith("# ")
    assert not list(tmp_path.glob(".*.tmp")), "the atomic write left a temporary file"


def _json_notes(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [n for c in data["components"] for a in c["activities"] for n in a["country_notes"]]


def test_json_lists_every_note_under_its_activity() -> None:
    rm = roadmap()
    data = roadmap_export.roadmap_json(rm)
    notes = _json_notes(data)
    assert [n["id"] for n in notes] == [n.id for n in rm.country_notes()]
    assert {n["country"] for n in notes} == set(PARTNER_COUNTRIES)
    for comp in data["components"]:
        for act in comp["activities"]:
            assert [n["id"] for n in act["country_notes"]] == \
                [n.id for n in rm.activity(act["id"]).country_notes]
    for note in notes:
        assert note["source"].startswith("https://")
        assert dt.date.fromisoformat(note["checked"]) == \
            next(n.checked for n in rm.country_notes() if n.id == note["id"])


@pytest.mark.parametrize("country", PARTNER_COUNTRIES)
def test_json_for_one_country_lists_only_its_notes(country: str) -> None:
    rm = roadmap()
    data = roadmap_export.roadmap_json(rm, country)
    assert data["country"] == country
    notes = _json_notes(data)
    assert len(notes) == len(list(rm.country_notes(country))) >= 5
    assert {n["country"] for n in notes} == {country}


def test_markdown_shows_notes_with_their_source_and_date() -> None:
    rm = roadmap()
    everything = roadmap_export.roadmap_markdown(rm)
    for heading in ("In Belgium", "In Denmark", "In Germany", "In France", "In the Netherlands",
                    "In Norway", "In Sweden"):
        assert f"#### {heading}" in everything
    swedish = roadmap_export.roadmap_markdown(rm, "SE")
    assert "#### In Sweden" in swedish and "#### In Belgium" not in swedish
    for note in rm.country_notes("SE"):
        assert note.text in swedish
        assert f"*Source: <{note.source}>, checked December 4, 2026*" in swedish
    assert not any(n.text in swedish for n in rm.country_notes("BE"))


def test_markdown_in_french_uses_french_typography() -> None:
    i18n.set_language("fr")
    text = roadmap_export.roadmap_markdown(roadmap(), "BE")
    assert "#### En Belgique" in text and "#### Au Danemark" not in text
    assert "vérifiée le 4 décembre 2026" in text
    tags = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    assert tags and all("\u00a0; " in line for line in tags if "; " in line)
    assert any("\u00a0; " in line for line in tags)
    assert "**DCAT-AP 3.0**\u00a0: " in text  # a standard and its explanation


def test_cli_writes_the_notes_of_one_country(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "se.json"
    assert cli.main(["roadmap", "--format", "json", "--country", "se", "-o", str(out)]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert data["country"] == "SE"
    assert {n["country"] for n in _json_notes(data)} == {"SE"}
    assert cli.main(["roadmap", "--lang", "fr", "--country", "BE"]) == 0
    assert "#### En Belgique" in capsys.readouterr().out


@pytest.mark.parametrize("code", ["AT", "XX", "belgium", ""])
def test_cli_refuses_a_country_without_notes(code: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["roadmap", "--country", code]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("d4a: ") and "BE, DK" in lines[0]

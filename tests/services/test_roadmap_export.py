"""The roadmap as Markdown and JSON, in any of the seven languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from d4a_desktop import cli, i18n
from d4a_desktop.services import roadmap_export
from d4a_desktop.services.roadmap import roadmap


def test_json_has_the_documented_shape() -> None:
    data = roadmap_export.roadmap_json(roadmap())
    assert data["format"] == roadmap_export.JSON_FORMAT
    assert set(data) == {"format", "roadmap", "version", "language", "components", "roles",
                         "tools", "cases", "standards"}
    rm = roadmap()
    assert [c["id"] for c in data["components"]] == [c.id for c in rm.components]
    act = data["components"][3]["activities"][0]
    assert set(act) == {"id", "number", "title", "origin", "source", "purpose", "guidance",
                        "condition", "roles", "dimensions", "questions", "items", "tools",
                        "cases", "standards"}
    item = act["items"][0]
    assert set(item) == {"id", "text", "help", "dimension", "role", "condition"}
    assert item["dimension"] in ("technology", "organisation", "regulation-ethics")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "roadmap-json.md").read_text("utf-8")
    for key in (*act, *item, "format", "scales", "sections", "interpretation"):
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

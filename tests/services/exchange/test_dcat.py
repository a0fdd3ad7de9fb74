"""The data inventory as DCAT-AP 3: valid against the official SHACL shapes, with EU
vocabulary URIs, and the datasets that lack what DCAT-AP requires flagged."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.records import Record
from d4a_desktop.services.exchange import dcat
from d4a_desktop.services.exchange.errors import ExchangeError
from d4a_desktop.services.projects import NewProject, ProjectSession, create_project

SHAPES = Path(__file__).parents[2] / "data" / "dcat-ap-3.0.1"
EU = dcat.EU


def shapes() -> Any:
    from rdflib import Graph

    graph = Graph()
    for name in ("shapes.ttl", "range.ttl"):
        graph.parse(SHAPES / name)
    return graph


def violations(data: Any) -> tuple[bool, str]:
    from pyshacl import validate

    conforms, _graph, report = validate(data, shacl_graph=shapes(), inference="rdfs")
    return conforms, report


def complete(n: int) -> dict[str, Any]:
    """A dataset with every field filled, cycling through every choice."""
    codes = {f.name: f.vocabulary.codes() for f in kinds.DATASETS.fields if f.vocabulary}
    formats = list(dcat.FILE_TYPES)
    return {
        "title": f"Dataset {n}: cycle counts “Zählstellen” ø",
        "description": f"Counts of bicycles, station {n}.\nSecond line.",
        "publisher": ["", "Stad Kortrijk", "Leiedal"][n % 3],
        "contact_point": ["open-data@kortrijk.be", "https://kortrijk.be/contact",
                          "Team Data"][n % 3],
        "keywords": "cycling, traffic counts; mobility",
        "themes": tuple(codes["themes"][n % 14: n % 14 + 2]),
        "spatial_coverage": "Kortrijk",
        "temporal_start": dt.date(2020, 1, 1) + dt.timedelta(days=n),
        "temporal_end": None if n % 2 else dt.date(2026, 12, 31),
        "update_frequency": codes["update_frequency"][n % len(codes["update_frequency"])],
        "source": "Counting loops", "access_url": f"https://data.kortrijk.be/api/{n}?f=csv",
        "format": formats[n % len(formats)],
        "licence": codes["licence"][n % len(codes["licence"])],
        "licence_name": "Open Data Licence Flanders" if n % 5 == 2 else "",
        "access_rights": ["public", "restricted"][n % 2],
        "quality": "Sensor gaps in winter.", "owner_department": "Mobility",
        "owner_person": "Els", "etl_process": "Nightly import.", "projects": "Dashboard",
        "personal_data": n % 2 == 0, "personal_data_kinds": ("location",) if n % 2 == 0 else (),
        "legal_basis": "public-task",
        "publication_status": ["published", "being-prepared"][n % 2],
        "status_checked": dt.date(2026, 6, 1), "activities": ("c3.a1",), "notes": "",
    }


def project_with(tmp_path: Path, datasets: list[dict[str, Any]], *,
                 language: str = "nl") -> ProjectSession:
    session = create_project(tmp_path / f"{uuid.uuid4().hex}.d4a", NewProject(
        title="Data-driven cycling policy", municipality="Kortrijk", country="BE",
        language=language))
    for values in datasets:
        session.file.create_record("datasets", str(uuid.uuid4()), values)
    return session


#: The kind of inventory the demo has: some shareable, some not, one with gaps.
SMALL = [
    {"title": "Bicycle counts", "description": "Hourly counts of 12 counting loops.",
     "themes": ("tran",), "access_url": "https://data.kortrijk.be/fietstellingen",
     "format": "CSV", "licence": "cc-by-4-0", "access_rights": "public",
     "publication_status": "published", "update_frequency": "hourly",
     "keywords": "fiets, tellingen", "contact_point": "data@kortrijk.be"},
    {"title": "Cycling routes", "description": "The network of cycle routes.",
     "themes": ("tran", "regi"), "access_url": "https://geo.kortrijk.be/wfs",
     "format": "WFS", "licence": "cc0-1-0", "publication_status": "being-prepared"},
    {"title": "Survey answers", "description": "Answers of 800 residents.",
     "access_rights": "non-public", "publication_status": "internal-only",
     "personal_data": True},
    {"title": "Accident reports", "access_rights": "restricted",
     "publication_status": "cannot-publish"},
    {"title": "Counting loop locations", "access_rights": "restricted",
     "access_url": "\\\\fileserver\\mobility", "licence": "restricted-terms"},
]


@pytest.fixture
def small(tmp_path: Path) -> Iterator[ProjectSession]:
    session = project_with(tmp_path, SMALL)
    yield session
    session.close()


def test_a_small_inventory_exports_valid_dcat_ap(small: ProjectSession, tmp_path: Path) -> None:
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    checks = dcat.export_dcat(small, tmp_path / "catalog.ttl")
    graph = Graph().parse(tmp_path / "catalog.ttl")
    conforms, report = violations(graph)
    assert conforms, report
    titles = {str(graph.value(d, DCTERMS.title)) for d in graph.subjects(RDF.type, DCAT.Dataset)}
    assert titles == {"Bicycle counts", "Cycling routes"}
    by_title = {c.title: c for c in checks}
    assert not by_title["Survey answers"].shareable
    assert not by_title["Accident reports"].shareable  # "cannot be published" wins
    loops = by_title["Counting loop locations"]
    assert loops.shareable and not loops.exported
    assert [g.field for g in loops.missing] == ["description"]
    assert "access_url" in [g.field for g in loops.recommended]
    catalog = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert str(graph.value(catalog, DCTERMS.title)) == "Data-inventaris van Kortrijk"
    assert graph.value(catalog, DCTERMS.title).language == "nl"
    assert (catalog, DCTERMS.spatial, URIRef(EU + "country/BEL")) in graph
    assert (catalog, DCTERMS.language, URIRef(EU + "language/NLD")) in graph
    counts = next(d for d in graph.subjects(RDF.type, DCAT.Dataset)
                  if str(graph.value(d, DCTERMS.title)) == "Bicycle counts")
    assert (counts, DCAT.theme, URIRef(EU + "data-theme/TRAN")) in graph
    assert (counts, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/HOURLY")) in graph
    assert (counts, DCTERMS.accessRights, URIRef(EU + "access-right/PUBLIC")) in graph
    dist = graph.value(counts, DCAT.distribution)
    assert (dist, DCTERMS.format, URIRef(EU + "file-type/CSV")) in graph
    assert (dist, DCTERMS.license, URIRef(EU + "licence/CC_BY_4_0")) in graph
    assert graph.value(dist, DCAT.accessURL) == URIRef("https://data.kortrijk.be/fietstellingen")
    assert sorted(str(k) for k in graph.objects(counts, DCAT.keyword)) == ["fiets", "tellingen"]


@pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")
def test_a_large_complete_inventory_passes_the_shapes_in_both_formats(tmp_path: Path) -> None:
    """Every field filled and every choice used (80 datasets cover each file type, theme,
    frequency, licence and access right); SHACL with RDFS inference takes a while, so the
    JSON-LD is validated and the Turtle must hold the same triples."""
    from rdflib import Graph
    from rdflib.compare import isomorphic
    from rdflib.namespace import DCAT, RDF

    count = 80
    assert count >= len(dcat.FILE_TYPES) + 14
    session = project_with(tmp_path, [complete(n) for n in range(count)], language="de")
    try:
        checks = dcat.export_dcat(session, tmp_path / "c.jsonld", base="https://data.example.de/")
        dcat.export_dcat(session, tmp_path / "c.ttl", base="https://data.example.de/")
    finally:
        session.close()
    assert all(c.exported and not c.recommended for c in checks)
    graph = Graph().parse(tmp_path / "c.jsonld", format="json-ld")
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == count
    assert len(set(graph.subjects(RDF.type, DCAT.Distribution))) == count
    conforms, report = violations(graph)
    assert conforms, report
    assert isomorphic(graph, Graph().parse(tmp_path / "c.ttl", format="turtle"))
    assert "https://data.example.de/dataset/" in (tmp_path / "c.jsonld").read_text()


def test_the_shapes_catch_a_broken_catalog() -> None:
    """The validation itself bites: a dataset without a description does not conform."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    graph = Graph()
    ds = URIRef("urn:uuid:0b9f3c1e-8e0c-4c59-a4a5-0f1a1d7e9d11")
    graph.add((ds, RDF.type, DCAT.Dataset))
    graph.add((ds, DCTERMS.title, Literal("No description")))
    conforms, _report = violations(graph)
    assert not conforms


def test_every_code_maps_to_the_eu_vocabularies() -> None:
    assert set(dcat.THEMES) == set(kinds.THEMES.codes())
    assert set(dcat.FREQUENCIES) == set(kinds.FREQUENCIES.codes())
    assert set(dcat.ACCESS) == set(kinds.ACCESS_RIGHTS.codes())
    assert set(dcat.LICENCES) < set(kinds.LICENCES.codes())
    assert dcat.file_type("GeoJSON") == "GEOJSON" and dcat.file_type("CSV (UTF-8)") == "CSV"
    assert dcat.file_type("NGSI-LD") is None


def record(**values: Any) -> Record:
    return Record("datasets", str(uuid.uuid4()), {**kinds.DATASETS.defaults(), **values})


def test_checks_name_what_is_missing_in_the_reader_s_language() -> None:
    bare = dcat.check(record(title="Counts", access_rights="public"))
    assert bare.shareable and not bare.exported
    assert bare.describe() == ("“Counts” is left out of the DCAT-AP export: it has no "
                               "Description.")
    hint = dcat.check(record(title="Counts", description="x", access_rights="public",
                             access_url="intranet/counts"))
    assert hint.exported and "Access URL (not a web address)" in hint.describe()
    i18n.set_language("fr")
    assert "Description" in bare.describe() and "DCAT-AP" in bare.describe()
    assert bare.describe().startswith("«\u00a0Counts\u00a0»")
    assert dcat.check(record(title="x", publication_status="internal-only")).shareable is False


def test_only_turtle_and_json_ld(small: ProjectSession, tmp_path: Path) -> None:
    with pytest.raises(ExchangeError) as caught:
        dcat.export_dcat(small, tmp_path / "catalog.xml")
    assert caught.value.kind == "usage"
    assert not (tmp_path / "catalog.xml").exists()

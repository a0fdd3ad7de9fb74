"""The data inventory as DCAT-AP 3 (Turtle or JSON-LD), for a data portal.

A ``dcat:Catalog`` of the municipality holds a ``dcat:Dataset`` for every dataset of the
inventory that is meant to be shared, each with a ``dcat:Distribution`` where it can be
reached. Themes, update frequencies, access rights, licences, file types, languages and
countries are the EU vocabularies' URIs (publications.europa.eu/resource/authority/…).

Which datasets are exported ("shareable or open"): those whose publication status is
*being prepared* or *published*, or whose access rights are *public* or *restricted* —
unless the status says *cannot be published* or the access rights *non-public*, which
always keep a dataset out. DCAT-AP 3.0.1 requires a title and a description of every
dataset; :func:`check_inventory` names, per dataset, what is missing (the dataset is
then left out) and which recommended properties are empty, so the inventory can show it
before export. The export passes the SHACL shapes of DCAT-AP 3.0.1 (``shapes.ttl`` and
``range.ttl``); a test checks it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from d4a_desktop import i18n
from d4a_desktop.core import kinds
from d4a_desktop.core.records import Record
from d4a_desktop.i18n import N_, _, format_list
from d4a_desktop.services.exchange.errors import ExchangeError
from d4a_desktop.storage import atomic

if TYPE_CHECKING:
    from rdflib import Graph

    from d4a_desktop.services.projects import ProjectSession

EU = "http://publications.europa.eu/resource/authority/"
SHAREABLE_STATUS = ("being-prepared", "published")
SHAREABLE_ACCESS = ("public", "restricted")
NEVER_STATUS = ("cannot-publish",)
NEVER_ACCESS = ("non-public",)

#: Our codes → the EU vocabularies' codes, with the vocabularies' English labels.
THEMES = {"agri": ("AGRI", "Agriculture, fisheries, forestry and food"),
          "econ": ("ECON", "Economy and finance"),
          "educ": ("EDUC", "Education, culture and sport"), "ener": ("ENER", "Energy"),
          "envi": ("ENVI", "Environment"), "gove": ("GOVE", "Government and public sector"),
          "heal": ("HEAL", "Health"), "intr": ("INTR", "International issues"),
          "just": ("JUST", "Justice, legal system and public safety"),
          "regi": ("REGI", "Regions and cities"), "soci": ("SOCI", "Population and society"),
          "tech": ("TECH", "Science and technology"), "tran": ("TRAN", "Transport"),
          "op-datpro": ("OP_DATPRO", "Provisional data")}
FREQUENCIES = {"continuous": ("UPDATE_CONT", "continuously updated"),
               "hourly": ("HOURLY", "hourly"), "daily": ("DAILY", "daily"),
               "weekly": ("WEEKLY", "weekly"), "monthly": ("MONTHLY", "monthly"),
               "quarterly": ("QUARTERLY", "quarterly"), "annual": ("ANNUAL", "annual"),
               "irregular": ("IRREG", "irregular"),
               "not-planned": ("NOT_PLANNED", "not planned"), "unknown": ("UNKNOWN", "unknown")}
ACCESS = {"public": ("PUBLIC", "public"), "restricted": ("RESTRICTED", "restricted"),
          "non-public": ("NON_PUBLIC", "non-public")}
LICENCES = {"cc0-1-0": ("CC0", "Creative Commons CC0 1.0 Universal"),
            "cc-by-4-0": ("CC_BY_4_0", "Creative Commons Attribution 4.0 International")}
#: What people write in the "format" field → File Type vocabulary code.
FILE_TYPES = {
    "csv": "CSV", "tsv": "TSV", "json": "JSON", "geojson": "GEOJSON", "json-ld": "JSON_LD",
    "jsonld": "JSON_LD", "xml": "XML", "xlsx": "XLSX", "xls": "XLS", "excel": "XLSX",
    "ods": "ODS", "pdf": "PDF", "shp": "SHP", "shapefile": "SHP", "gpkg": "GPKG",
    "geopackage": "GPKG", "kml": "KML", "gml": "GML", "gpx": "GPX", "zip": "ZIP",
    "html": "HTML", "txt": "TXT", "parquet": "PARQUET", "turtle": "RDF_TURTLE",
    "ttl": "RDF_TURTLE", "rdf": "RDF_XML", "rdf/xml": "RDF_XML", "wms": "WMS_SRVC",
    "wfs": "WFS_SRVC", "wmts": "WMTS_SRVC", "gtfs": "GTFS", "netcdf": "NETCDF",
}
LANGUAGES = {"en": "ENG", "nl": "NLD", "da": "DAN", "de": "DEU", "fr": "FRA", "nb": "NOB",
             "sv": "SWE"}
COUNTRIES = {"BE": "BEL", "DK": "DNK", "DE": "DEU", "FR": "FRA", "NL": "NLD", "NO": "NOR",
             "SE": "SWE"}
LOCAL_AUTHORITY = "http://purl.org/adms/publishertype/LocalAuthority"

# Translators: the title of a municipality's data catalogue in a DCAT-AP export; it is
# written in the project's language, for a data portal.
CATALOG_TITLE = N_("Data inventory of {municipality}")
CATALOG_DESCRIPTION = N_("The datasets of the project “{title}” of {municipality}, from its "
                         "data inventory, kept with D4A Roadmap Desktop.")


def is_shareable(record: Record) -> bool:
    """Whether a dataset is meant to be shared or opened (see the module's description)."""
    status = record.get("publication_status") or ""
    access = record.get("access_rights") or ""
    if status in NEVER_STATUS or access in NEVER_ACCESS:
        return False
    return status in SHAREABLE_STATUS or access in SHAREABLE_ACCESS


@dataclass(frozen=True)
class Gap:
    """A DCAT-AP property of a dataset that is empty or cannot be used: a required one keeps the
    dataset out of the export, a recommended one only makes it poorer."""

    field: str
    #: True: DCAT-AP requires it (the dataset is left out); False: it recommends it.
    required: bool
    problem: str = ""   # "" when empty; else why the value cannot be used

    def label(self) -> str:
        text = kinds.DATASETS.field(self.field).label_text()
        return f"{text} ({self.problem})" if self.problem else text


@dataclass(frozen=True)
class DatasetCheck:
    """What a dataset of the inventory lacks for DCAT-AP, told before export: the inventory and
    ``d4a dcat`` show the line, so nothing is left out of the export unexplained."""

    record_id: str
    title: str
    shareable: bool
    gaps: tuple[Gap, ...]

    @property
    def missing(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if g.required)

    @property
    def recommended(self) -> tuple[Gap, ...]:
        return tuple(g for g in self.gaps if not g.required)

    @property
    def exported(self) -> bool:
        return self.shareable and not self.missing

    def describe(self) -> str:
        """One translated line for the inventory and ``d4a dcat``."""
        if self.missing:
            return _("“{title}” is left out of the DCAT-AP export: it has no {fields}.").format(
                title=self.title, fields=format_list([g.label() for g in self.missing]))
        if self.recommended:
            return _("“{title}”: DCAT-AP recommends {fields}.").format(
                title=self.title, fields=format_list([g.label() for g in self.recommended]))
        return ""


_WEB = re.compile(r"^(https?|ftp)://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def is_web_address(text: str) -> bool:
    return bool(_WEB.match(text.strip())) and not re.search(r'[\s<>"{}|\\^`]', text.strip())


def check(record: Record) -> DatasetCheck:
    """What DCAT-AP requires and recommends that a dataset lacks."""
    gaps = []
    for name in ("title", "description"):
        if not str(record.get(name) or "").strip():
            gaps.append(Gap(name, True))
    url = str(record.get("access_url") or "").strip()
    if not url:
        gaps.append(Gap("access_url", False))
    elif not is_web_address(url):
        gaps.append(Gap("access_url", False, _("not a web address")))
    for name in ("contact_point", "keywords", "spatial_coverage", "themes",
                 "temporal_start", "licence"):
        value = record.get(name)
        if value in (None, "", ()):
            gaps.append(Gap(name, False))
    fmt = str(record.get("format") or "").strip()
    if url and fmt and file_type(fmt) is None:
        gaps.append(Gap("format", False, _("not a file type of the EU list")))
    return DatasetCheck(record.id, str(record.get("title") or "") or kinds.DATASETS.label_text(),
                        is_shareable(record), tuple(gaps))


def check_inventory(records: Iterable[Record]) -> list[DatasetCheck]:
    """Every dataset (tombstones left out), checked, in the inventory's order."""
    return [check(r) for r in records if not r.deleted]


def file_type(text: str) -> str | None:
    """The File Type vocabulary code for what was written in the format field."""
    key = text.strip().lower().lstrip(".")
    if key in FILE_TYPES:
        return FILE_TYPES[key]
    for word in re.split(r"[\s,;/()]+", key):
        if word in FILE_TYPES:
            return FILE_TYPES[word]
    return None


def _in_language(language: str) -> Callable[[str], str]:
    catalog = i18n.translations("ui", language)
    return catalog.gettext


def catalog_graph(session: ProjectSession, *, base: str | None = None,
                  records: Sequence[Record] | None = None) -> tuple[Graph, list[DatasetCheck]]:
    """The inventory as an RDF graph, and the check of every dataset."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

    vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
    locn = Namespace("http://www.w3.org/ns/locn#")
    dcatap = Namespace("http://data.europa.eu/r5r/")
    meta = session.state().meta
    found = list(records) if records is not None else session.records("datasets")
    checks = check_inventory(found)
    lang = meta.language.split("_")[0] if meta.language else "en"
    tr = _in_language(lang)
    g = Graph()
    for prefix, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", vcard),
                       ("skos", SKOS), ("locn", locn), ("dcatap", dcatap), ("xsd", XSD)):
        g.bind(prefix, ns)

    def iri(kind: str, rid: str) -> URIRef:
        if base:
            return URIRef(f"{base.rstrip('/')}/{kind}/{rid}")
        return URIRef(f"urn:uuid:{rid}")

    def text(value: str) -> Literal:
        return Literal(value, lang=lang)

    def concept(scheme: str, code: str, label: str, *types: URIRef) -> URIRef:
        node = URIRef(f"{EU}{scheme}/{code}")
        g.add((node, RDF.type, SKOS.Concept))
        for t in types:
            g.add((node, RDF.type, t))
        g.add((node, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((node, SKOS.inScheme, URIRef(f"{EU}{scheme}")))
        return node

    catalog = iri("catalog", meta.id)
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, text(tr(CATALOG_TITLE).format(
        municipality=meta.municipality))))
    g.add((catalog, DCTERMS.description, text(tr(CATALOG_DESCRIPTION).format(
        title=meta.title, municipality=meta.municipality))))
    publisher = iri("agent", str(uuid.uuid5(uuid.UUID(meta.id), "publisher")))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, text(meta.municipality)))
    authority = URIRef(LOCAL_AUTHORITY)
    g.add((publisher, DCTERMS.type, authority))
    g.add((authority, RDF.type, SKOS.Concept))
    g.add((authority, SKOS.prefLabel, Literal("Local Authority", lang="en")))
    g.add((catalog, DCTERMS.publisher, publisher))
    if lang in LANGUAGES:
        g.add((catalog, DCTERMS.language, concept("language", LANGUAGES[lang], lang,
                                                  DCTERMS.LinguisticSystem)))
    if meta.country in COUNTRIES:
        g.add((catalog, DCTERMS.spatial, concept("country", COUNTRIES[meta.country],
                                                 meta.country, DCTERMS.Location)))
    themes = URIRef(f"{EU}data-theme")
    g.add((themes, RDF.type, SKOS.ConceptScheme))
    g.add((themes, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((catalog, DCAT.themeTaxonomy, themes))
    g.add((catalog, DCTERMS.modified, Literal(dt.date.today(), datatype=XSD.date)))

    by_id = {r.id: r for r in found}
    for result in checks:
        if not result.exported:
            continue
        r = by_id[result.record_id]
        ds = iri("dataset", r.id)
        g.add((catalog, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        g.add((ds, DCTERMS.identifier, Literal(r.id)))
        g.add((ds, DCTERMS.title, text(str(r.get("title")))))
        g.add((ds, DCTERMS.description, text(str(r.get("description")))))
        if r.modified_at:
            g.add((ds, DCTERMS.modified, Literal(r.modified_at.date(), datatype=XSD.date)))
        for word in re.split(r"[,;]", str(r.get("keywords") or "")):
            if word.strip():
                g.add((ds, DCAT.keyword, text(word.strip())))
        for code in r.get("themes") or ():
            if code in THEMES:
                eu, label = THEMES[code]
                g.add((ds, DCAT.theme, concept("data-theme", eu, label)))
        frequency = r.get("update_frequency")
        if frequency in FREQUENCIES:
            eu, label = FREQUENCIES[frequency]
            g.add((ds, DCTERMS.accrualPeriodicity, concept("frequency", eu, label,
                                                           DCTERMS.Frequency)))
        access = r.get("access_rights")
        if access in ACCESS:
            eu, label = ACCESS[access]
            g.add((ds, DCTERMS.accessRights, concept("access-right", eu, label,
                                                     DCTERMS.RightsStatement)))
        name = str(r.get("publisher") or "").strip()
        if name:
            agent = iri("agent", str(uuid.uuid5(uuid.UUID(r.id), "publisher")))
            g.add((agent, RDF.type, FOAF.Agent))
            g.add((agent, FOAF.name, text(name)))
            g.add((ds, DCTERMS.publisher, agent))
        else:
            g.add((ds, DCTERMS.publisher, publisher))
        contact = str(r.get("contact_point") or "").strip()
        if contact:
            kind = BNode()
            g.add((kind, RDF.type, vcard.Kind))
            g.add((kind, vcard.fn, Literal(contact)))
            if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", contact):
                g.add((kind, vcard.hasEmail, URIRef(f"mailto:{contact}")))
            elif is_web_address(contact):
                g.add((kind, vcard.hasURL, URIRef(contact)))
            g.add((ds, DCAT.contactPoint, kind))
        place = str(r.get("spatial_coverage") or "").strip()
        if place:
            location = BNode()
            g.add((location, RDF.type, DCTERMS.Location))
            g.add((location, locn.geographicName, text(place)))
            g.add((ds, DCTERMS.spatial, location))
        start, end = r.get("temporal_start"), r.get("temporal_end")
        if start or end:
            period = BNode()
            g.add((period, RDF.type, DCTERMS.PeriodOfTime))
            if start:
                g.add((period, DCAT.startDate, Literal(start, datatype=XSD.date)))
            if end:
                g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
            g.add((ds, DCTERMS.temporal, period))
        url = str(r.get("access_url") or "").strip()
        if url and is_web_address(url):
            dist = iri("distribution", str(uuid.uuid5(uuid.UUID(r.id), "distribution")))
            g.add((ds, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCAT.accessURL, URIRef(url)))
            g.add((dist, DCTERMS.title, text(str(r.get("title")))))
            code = file_type(str(r.get("format") or ""))
            if code:
                g.add((dist, DCTERMS.format, concept("file-type", code, code,
                                                     DCTERMS.MediaTypeOrExtent)))
            licence = r.get("licence")
            named = str(r.get("licence_name") or "").strip()
            if licence in LICENCES:
                eu, label = LICENCES[licence]
                g.add((dist, DCTERMS.license, concept("licence", eu, label,
                                                      DCTERMS.LicenseDocument)))
            elif licence == "other-open" and named:
                document = BNode()
                g.add((document, RDF.type, DCTERMS.LicenseDocument))
                g.add((document, RDFS.label, text(named)))
                g.add((dist, DCTERMS.license, document))
            elif licence == "restricted-terms":
                rights = BNode()
                g.add((rights, RDF.type, DCTERMS.RightsStatement))
                g.add((rights, RDFS.label, text(named or kinds.LICENCES.label(licence))))
                g.add((dist, DCTERMS.rights, rights))
    return g, checks


FORMATS = {".ttl": "turtle", ".jsonld": "json-ld", ".json": "json-ld"}


def export_dcat(session: ProjectSession, path: Path | str, *,
                base: str | None = None) -> list[DatasetCheck]:
    """Write the catalog to ``path`` (.ttl: Turtle; .jsonld: JSON-LD); returns the checks."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExchangeError(_("{name}: write the catalogue to a .ttl (Turtle) or .jsonld "
                              "(JSON-LD) file").format(name=path.name), "usage", path)
    graph, checks = catalog_graph(session, base=base)
    data = graph.serialize(format=fmt, encoding="utf-8")
    try:
        atomic.write_bytes(path, data)
    except OSError as exc:
        raise ExchangeError(_("{name} could not be written: {reason}").format(
            name=path, reason=exc.strerror or exc), "cannot-write", path) from exc
    return checks

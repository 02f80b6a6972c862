"""The vocabularies of the DHR ontology and its data, as rdflib namespaces.

Every IRI the ontology, the export and the import use is spelled here once:
the DHR ontology namespace, one namespace per SKOS concept scheme, the
namespaces of the vocabularies it reuses (FOAF, schema.org, W3C ORG, PROV-O,
OWL-Time, RELATIONSHIP, SKOS, Dublin Core) and the IRIs minted for data.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

ONTOLOGY_VERSION = "1.0.0"

#: The ontology itself and its version.
ONTOLOGY_IRI = "https://w3id.org/dhrkg/ontology"
VERSION_IRI = f"{ONTOLOGY_IRI}/{ONTOLOGY_VERSION}"
LICENSE_IRI = "https://creativecommons.org/licenses/by/4.0/"

#: Classes and properties of the DHR ontology.
DHR = Namespace(f"{ONTOLOGY_IRI}#")
#: SHACL shapes for exports.
DHRSH = Namespace(f"{ONTOLOGY_IRI}/shapes#")

# Reused vocabularies (the ones rdflib does not ship).
SCHEMA = Namespace("https://schema.org/")
REL = Namespace("http://purl.org/vocab/relationship/")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Default base for the IRIs of exported data (reviews, persons, areas, ...).
DATA_BASE = "https://w3id.org/dhrkg/id/"


def scheme_namespace(slug: str) -> Namespace:
    """The namespace of the concepts of one concept scheme, e.g. ``event-type``."""
    return Namespace(f"{ONTOLOGY_IRI}/{slug}/")


# One namespace per concept scheme (slug -> namespace); the slugs are also
# the Turtle prefixes used in dhr.ttl and in exports.
SCHEME_SLUGS = (
    "sex", "role", "certainty", "parent-kind", "sibling-kind", "partner-status",
    "partner-kind", "abuse-kind", "agency-type", "event-type", "risk-level", "scope",
    "relationship-type", "age-band", "police-force-area", "homicide-timeline-stage",
    "dhr-theme",
)
SCHEMES = {slug: scheme_namespace(slug) for slug in SCHEME_SLUGS}

SEX = SCHEMES["sex"]
ROLE = SCHEMES["role"]
CERTAINTY = SCHEMES["certainty"]
PARENT_KIND = SCHEMES["parent-kind"]
SIBLING_KIND = SCHEMES["sibling-kind"]
PARTNER_STATUS = SCHEMES["partner-status"]
PARTNER_KIND = SCHEMES["partner-kind"]
ABUSE_KIND = SCHEMES["abuse-kind"]
AGENCY_TYPE = SCHEMES["agency-type"]
EVENT_TYPE = SCHEMES["event-type"]
RISK_LEVEL = SCHEMES["risk-level"]
SCOPE = SCHEMES["scope"]
RELATIONSHIP_TYPE = SCHEMES["relationship-type"]
AGE_BAND = SCHEMES["age-band"]
FORCE_AREA = SCHEMES["police-force-area"]
TIMELINE_STAGE = SCHEMES["homicide-timeline-stage"]
DHR_THEME = SCHEMES["dhr-theme"]

#: Prefixes written in Turtle, TriG and JSON-LD output and in dhr.ttl.
PREFIXES: dict[str, str] = {
    "dhr": str(DHR),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "org": str(ORG),
    "prov": str(PROV),
    "time": str(TIME),
    "rel": str(REL),
    **{slug: str(ns) for slug, ns in SCHEMES.items()},
}

__all__ = [
    "ABUSE_KIND", "AGE_BAND", "AGENCY_TYPE", "CERTAINTY", "DATA_BASE", "DCTERMS", "DHR", "DHRSH",
    "DHR_THEME", "EVENT_TYPE", "FOAF", "FORCE_AREA", "LICENSE_IRI", "ONTOLOGY_IRI",
    "ONTOLOGY_VERSION", "ORG", "OWL", "PARENT_KIND", "PARTNER_KIND", "PARTNER_STATUS", "PREFIXES",
    "PROV", "RDF", "RDFS", "REL", "RELATIONSHIP_TYPE", "RISK_LEVEL", "ROLE", "SCHEMA", "SCHEMES",
    "SCOPE", "SEX", "SH", "SIBLING_KIND", "SKOS", "TIME", "TIMELINE_STAGE", "VERSION_IRI", "XSD",
    "iri_segment", "slug", "unquote_segment",
]


_PLAIN_SEGMENT = re.compile(r"^[A-Za-z0-9_~-][A-Za-z0-9_.~-]*$")


def iri_segment(text: str) -> str:
    """One path segment of an IRI for an id or a name: percent-encoded, reversible."""
    if _PLAIN_SEGMENT.match(text) and text not in (".", ".."):
        return text  # what quote() would give, without its cost
    seg = quote(text, safe="")
    if seg in (".", ".."):  # dot segments would be removed by IRI resolution
        seg = seg.replace(".", "%2E")
    return seg


def unquote_segment(seg: str) -> str:
    return unquote(seg)


_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """``West Midlands`` -> ``west-midlands`` (for concept IRIs)."""
    return _NON_SLUG.sub("-", text.lower()).strip("-")

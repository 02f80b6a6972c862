"""The Domestic Homicide Review Dataset (DHRD) for England and Wales, into the graph.

Cook and Cook (2026), CC BY 4.0: 647 incidents from the Home Office's metadata on published
DHR reports, with victim (single-victim incidents only) and perpetrator characteristics and
case flags. :func:`read_dataset` reads and checks the CSVs (a copy ships in
``dhrkg/data/dhrd``); :func:`graph_statements` turns them into batched ``UNWIND`` writes under
the dhrkg graph schema; :func:`import_dhrd` runs them through a store as one replacement of the
whole dataset. docs/dhrd.md describes the mapping and where the data differs from its codebook.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from dhrkg.model import PartialDate
from dhrkg.places import csp_area_name
from .csvfile import csv_records

DATASET = "dhrd"
REVIEW_PREFIX = "dhrd-"
SOURCE_KEY = "dataset:dhrd"
BATCH_SIZE = 2000
FILES = ("incidents.csv", "victims.csv", "perpetrators.csv")

#: Incident flags (boolean columns of incidents.csv), in the codebook's order. The data has
#: one the codebook does not list: honour_based_violence.
INCIDENT_FLAGS = (
    "intimate_partner_violence", "familial_homicide", "parricide", "homicide_suicide",
    "children_present", "coercive_control", "economic_abuse", "faith_based_marriage",
    "forced_marriage", "honour_based_violence", "physical_abuse", "emotional_abuse",
    "separation", "sexual_abuse", "stalking",
)
#: Flags that name a kind of abuse by the perpetrator -> the dhr-case/1 abuse kind.
ABUSE_FLAGS = {
    "physical_abuse": "physical", "sexual_abuse": "sexual", "emotional_abuse": "emotional",
    "economic_abuse": "economic", "coercive_control": "coercive_control", "stalking": "stalking",
}
UNKNOWN = {"", "unknown", "not_known", "not known"}


@dataclass(frozen=True)
class Link:
    """How one ``relationship_to_perpetrator`` wording becomes a graph relationship."""

    type: str  # graph relationship type
    victim_first: bool = True  # the relationship runs victim -> perpetrator (else perpetrator -> victim)
    props: tuple[tuple[str, str], ...] = ()


#: ``relationship_to_perpetrator`` (what the victim was to the perpetrator) -> relationship.
RELATIONSHIPS: dict[str, Optional[Link]] = {
    "Spouse (incl civil partner)": Link("PARTNER_OF", props=(("status", "current"),)),
    "Common-law spouse": Link("PARTNER_OF", props=(("status", "current"), ("kind", "cohabiting"))),
    "Boyfriend or girlfriend": Link("PARTNER_OF", props=(("status", "current"), ("kind", "dating"))),
    "Casual sexual partner": Link("PARTNER_OF", props=(("status", "current"),)),
    "Ex-spouse": Link("PARTNER_OF", props=(("status", "former"),)),
    "Ex-boyfriend or ex-girlfriend": Link("PARTNER_OF", props=(("status", "former"), ("kind", "dating"))),
    "Parent": Link("PARENT_OF"),
    "Step-parent": Link("PARENT_OF", props=(("kind", "step"),)),
    "Son or daughter": Link("PARENT_OF", victim_first=False),
    "Sibling": Link("SIBLING_OF"),
    "Half-sibling": Link("SIBLING_OF", props=(("kind", "half"),)),
    "Step-sibling": Link("SIBLING_OF", props=(("kind", "step"),)),
    "Grandparent": Link("RELATIVE_OF", props=(("label", "grandparent"),)),
    "Other (relative)": Link("RELATIVE_OF", props=(("label", "relative"),)),
    "Cohabitant": Link("ASSOCIATE_OF", props=(("label", "cohabitant"),)),
    "Other (non-relative)": Link("ASSOCIATE_OF", props=(("label", "non-relative"),)),
    "Emotional rival": Link("ASSOCIATE_OF", props=(("label", "emotional rival"),)),
    "Unknown": None,
}


class DHRDError(ValueError):
    """The DHRD files cannot be read; the message names the file, line and column."""


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


@dataclass
class PersonRecord:
    """A victim or perpetrator row."""

    id: str
    role: str  # "victim" | "perpetrator"
    incident_id: str
    line: int
    props: dict[str, Any]  # graph properties (characteristics), unknowns left out
    relationship_to_perpetrator: Optional[str] = None  # victims only, as written


@dataclass
class Incident:
    id: str
    line: int
    csp: str
    region: str
    death_date: Optional[PartialDate]
    multiple_victims: bool
    props: dict[str, Any]  # review properties besides ids, areas and dates
    flags: dict[str, bool]
    victim: Optional[PersonRecord] = None
    perpetrator: Optional[PersonRecord] = None


@dataclass
class Dataset:
    directory: Path
    incidents: list[Incident]
    citation: dict[str, Any]

    @property
    def victims(self) -> list[PersonRecord]:
        return [i.victim for i in self.incidents if i.victim]

    @property
    def perpetrators(self) -> list[PersonRecord]:
        return [i.perpetrator for i in self.incidents if i.perpetrator]


def default_dir() -> Path:
    """The copy of the DHRD that ships inside the package."""
    return Path(str(resources.files("dhrkg"))) / "data" / "dhrd"


class _Table:
    """A CSV file read as dict rows, each with its line number; errors name file, line, column."""

    def __init__(self, path: Path, required: tuple[str, ...]):
        self.name = path.name
        if not path.is_file():
            raise DHRDError(f"{path}: no such file (expected the DHRD files {', '.join(FILES)} in {path.parent})")
        records = csv_records(path, DHRDError)
        header = next(records, None)
        if header is None:
            raise DHRDError(f"{path.name}: the file is empty")
        self.header = header[1]
        missing = [c for c in required if c not in self.header]
        if missing:
            raise DHRDError(f"{path.name}:1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
        self.rows: list[tuple[int, dict[str, str]]] = []
        for line, record in records:
            if not any(v.strip() for v in record):
                continue
            if len(record) != len(self.header):
                raise DHRDError(f"{path.name}:{line}: {len(record)} fields, the header has {len(self.header)}")
            self.rows.append((line, dict(zip(self.header, (v.strip() for v in record)))))

    def error(self, line: int, column: str, message: str) -> DHRDError:
        return DHRDError(f"{self.name}:{line}: column {column}: {message}")

    def flag(self, line: int, row: dict[str, str], column: str) -> Optional[bool]:
        value = row[column].lower()
        if value in ("true", "1", "yes"):
            return True
        if value in ("false", "0", "no"):
            return False
        if value in ("", "na", "n/a"):
            return None
        raise self.error(line, column, f"'{row[column]}' is not TRUE or FALSE")

    def category(self, row: dict[str, str], column: str) -> Optional[str]:
        value = row[column]
        return None if value.lower() in UNKNOWN else value

    def unique_ids(self, column: str) -> None:
        seen: dict[str, int] = {}
        for line, row in self.rows:
            rid = row[column]
            if not rid:
                raise self.error(line, column, "empty id")
            if rid in seen:
                raise self.error(line, column, f"id '{rid}' is also on line {seen[rid]}")
            seen[rid] = line

    def prefixed(self, prefix: str) -> list[str]:
        return [c for c in self.header if c.startswith(prefix)]


def _death_date(table: _Table, line: int, text: str) -> Optional[PartialDate]:
    if text.lower() in UNKNOWN:
        return None
    from .chronology import parse_date_text

    try:
        parsed = parse_date_text(text)
    except ValueError as exc:
        raise table.error(line, "death_date", str(exc)) from None
    if parsed.until or parsed.approx or parsed.time:
        raise table.error(line, "death_date", f"'{text}' is not a month and year or a year")
    return parsed.date


def _person(table: _Table, line: int, row: dict[str, str], role: str) -> PersonRecord:
    p = "victim" if role == "victim" else "perpetrator"
    sex = (table.category(row, f"sex_of_{p}") or "unknown").lower()
    if sex not in ("female", "male", "unknown"):
        raise table.error(line, f"sex_of_{p}", f"'{row[f'sex_of_{p}']}' is not Female, Male or Unknown")
    props: dict[str, Any] = {"sex": sex}
    age_column = "age_at_death" if role == "victim" else "age_at_fatal_incident"
    for name, column in (("age_band", age_column), ("sexual_orientation", f"sexual_orientation_of_{p}"),
                         ("ethnicity", f"{p}_ethnicity"), ("religion", "victim_religion"),
                         ("court_verdict", "court_verdict")):
        if column in row and (value := table.category(row, column)) is not None:
            props[name] = value
    for name, column in (("previous_offences", "prev_offence_history"), ("suicide", "victim_suicide"),
                         ("carer_responsibilities", f"{p}_carer_responsibilities"),
                         ("carer_for_victim", "perpetrator_carer_for_victim"),
                         ("mental_health_issues", f"{p}_mental_health_issues")):
        if column in row and (value := table.flag(line, row, column)) is not None:
            props[name] = value
    for name, prefix in (("mental_health", f"{p}_mh_"), ("vulnerabilities", f"{p}_vuln_")):
        items = [c[len(prefix):] for c in table.prefixed(prefix) if table.flag(line, row, c)]
        if items:
            props[name] = items
    rel = row.get("relationship_to_perpetrator")
    if role == "victim":
        if rel not in RELATIONSHIPS:
            known = ", ".join(repr(k) for k in RELATIONSHIPS)
            raise table.error(line, "relationship_to_perpetrator", f"'{rel}' is not a relationship dhrkg knows ({known})")
        if rel != "Unknown":
            props["relationship_to_perpetrator"] = rel
    return PersonRecord(row[f"{p}_id"], role, row["incident_id"], line, props, rel if role == "victim" else None)


def read_dataset(directory: Optional[Path | str] = None) -> Dataset:
    """Read and check the three DHRD CSVs (``directory`` defaults to the packaged copy).

    Checks: the columns dhrkg uses are there, ids are unique, booleans are TRUE/FALSE, dates
    are months or years, every victim and perpetrator belongs to an incident, a single-victim
    incident has at most one victim row and a multiple-victim incident none, one perpetrator per
    incident. Raises :class:`DHRDError` naming the file, line and column.
    """
    directory = Path(directory) if directory is not None else default_dir()
    if not directory.is_dir():
        raise DHRDError(f"{directory}: not a folder (expected the DHRD files {', '.join(FILES)})")
    inc = _Table(directory / "incidents.csv",
                 ("incident_id", "csp", "region", "death_date", "multiple_victims", "cause_of_death",
                  "location_of_death") + INCIDENT_FLAGS)
    vic = _Table(directory / "victims.csv",
                 ("victim_id", "incident_id", "age_at_death", "sex_of_victim", "relationship_to_perpetrator"))
    per = _Table(directory / "perpetrators.csv",
                 ("perpetrator_id", "incident_id", "age_at_fatal_incident", "sex_of_perpetrator"))
    inc.unique_ids("incident_id")
    vic.unique_ids("victim_id")
    per.unique_ids("perpetrator_id")

    incidents: dict[str, Incident] = {}
    for line, row in inc.rows:
        for column in ("csp", "region"):
            if not row[column]:
                raise inc.error(line, column, "empty (every incident has a CSP and a region)")
        multiple = inc.flag(line, row, "multiple_victims")
        if multiple is None:
            raise inc.error(line, "multiple_victims", "empty")
        flags = {f: v for f in INCIDENT_FLAGS if (v := inc.flag(line, row, f)) is not None}
        props: dict[str, Any] = {}
        for name in ("cause_of_death", "location_of_death"):
            if (value := inc.category(row, name)) is not None:
                props[name] = value
        incidents[row["incident_id"]] = Incident(
            row["incident_id"], line, row["csp"], row["region"], _death_date(inc, line, row["death_date"]),
            multiple, props, flags)

    for table, role in ((vic, "victim"), (per, "perpetrator")):
        for line, row in table.rows:
            person = _person(table, line, row, role)
            incident = incidents.get(person.incident_id)
            if incident is None:
                raise table.error(line, "incident_id", f"'{person.incident_id}' is not in incidents.csv")
            if role == "victim" and incident.multiple_victims:
                raise table.error(line, "incident_id", f"{incident.id} has multiple victims; victims.csv holds single-victim incidents only")
            current = getattr(incident, role)
            if current is not None:
                raise table.error(line, "incident_id", f"{incident.id} already has a {role} ({current.id}, line {current.line})")
            setattr(incident, role, person)
    return Dataset(directory, list(incidents.values()), read_citation(directory))


def read_citation(directory: Path) -> dict[str, Any]:
    """The dataset's citation, from CITATION.cff (its ``type: dataset`` reference, else itself)."""
    import yaml

    path = directory / "CITATION.cff"
    if not path.is_file():
        raise DHRDError(f"{path}: no such file (the DHRD's citation must travel with it: CC BY 4.0)")
    cff = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    ref = next((r for r in cff.get("references", []) or [] if r.get("type") == "dataset"), cff)
    authors = [a for a in ref.get("authors", []) or []]
    names = [" ".join(x for x in (a.get("given-names"), a.get("family-names")) if x) for a in authors]
    initials = [f"{a.get('family-names', '')}, " + " ".join(f"{p[0]}." for p in re.split(r"[\s.]+", a.get("given-names", "")) if p)
                for a in authors]
    year = str(ref.get("date-released", ""))[:4]
    doi = ref.get("doi")
    url = f"https://doi.org/{doi}" if doi else ref.get("url")
    author_text = ", & ".join([", ".join(initials[:-1]), initials[-1]]) if len(initials) > 1 else "".join(initials)
    citation = (f"{author_text} ({year}). {ref.get('title')} (Version {ref.get('version')}) [Data set]. "
                f"Zenodo. {url}")
    licence = ref.get("license") or cff.get("license") or "CC-BY-4.0"
    return {
        "title": ref.get("title"), "version": str(ref.get("version", "")), "year": year, "authors": names,
        "doi": doi, "url": url, "licence": licence,
        "licence_url": "https://creativecommons.org/licenses/by/4.0/" if licence == "CC-BY-4.0" else None,
        "citation": citation,
    }


# --------------------------------------------------------------------------------------------
# Graph rows
# --------------------------------------------------------------------------------------------


def review_id(incident_id: str) -> str:
    return f"{REVIEW_PREFIX}{incident_id}"


def _date_props(props: dict[str, Any], name: str, d: Optional[PartialDate]) -> None:
    if d is None:
        return
    props[name] = str(d)
    props[f"{name}_from"] = d.earliest.isoformat()
    props[f"{name}_to"] = d.latest.isoformat()
    props[f"{name}_precision"] = d.precision


@dataclass
class GraphData:
    """The dataset as node rows, Area rows and relationship rows (as dhrkg.graph.load expects)."""

    nodes: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {"Review": [], "Person": []})
    areas: dict[str, dict[str, Any]] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], list[dict[str, Any]]] = field(default_factory=dict)
    source: dict[str, Any] = field(default_factory=dict)

    def edge(self, rtype: str, from_label: str, from_key: str, to_label: str, to_key: str, props: dict[str, Any]) -> None:
        self.edges.setdefault((rtype, from_label, to_label), []).append({"from": from_key, "to": to_key, "props": props})

    def area(self, kind: str, name: str) -> str:
        from dhrkg.graph.schema import area_key

        key, canonical = area_key(kind, name)
        self.areas[key] = {"key": key, "kind": kind, "name": canonical}
        return key

    def rows(self) -> Any:
        """As the store's rows (dhrkg.graph.schema.GraphRows): the dataset's Source is shared."""
        from dhrkg.graph.schema import GraphRows

        return GraphRows("", nodes=self.nodes, areas=self.areas, edges=self.edges, shared={"Source": [self.source]})

    def counts(self) -> dict[str, int]:
        out = {label: len(rows) for label, rows in self.nodes.items()}
        out["Source"] = 1
        out["Area"] = len(self.areas)
        for (rtype, _, _), rows in self.edges.items():
            out[rtype] = out.get(rtype, 0) + len(rows)
        return out


def graph_data(dataset: Dataset) -> GraphData:
    """The graph form of the dataset (see docs/dhrd.md)."""
    from dhrkg import places

    g = GraphData()
    cite = dataset.citation
    g.source = {
        "key": SOURCE_KEY, "id": DATASET, "kind": "dataset", "dataset": DATASET,
        **{k: v for k, v in cite.items() if v},
        "files": list(FILES),
    }
    for inc in dataset.incidents:
        rid = review_id(inc.id)
        review: dict[str, Any] = {
            "key": rid, "id": rid, "review": rid, "dataset": DATASET, "incident_id": inc.id,
            "title": f"DHRD incident {inc.id} ({inc.csp})", "commissioned_by": inc.csp, "region": inc.region,
            "multiple_victims": inc.multiple_victims, "source": f"incidents.csv {inc.id}",
            **inc.props, **inc.flags,
            "flags": [f for f in INCIDENT_FLAGS if inc.flags.get(f)],
        }
        _date_props(review, "homicide_date", inc.death_date)
        force = places.force_area_for_place(inc.csp)
        if force:
            review["police_force_area"] = force
            review["police_force_area_derived"] = True
        g.nodes["Review"].append({k: v for k, v in review.items() if v not in (None, [])})
        g.edge("COMMISSIONED_BY", "Review", rid, "Area", g.area("csp", csp_area_name(inc.csp)), {"review": rid})
        g.edge("LOCATED_IN", "Review", rid, "Area", g.area("region", inc.region), {"review": rid})
        if force:
            g.edge("LOCATED_IN", "Review", rid, "Area", g.area("police_force_area", force), {"review": rid})
        g.edge("SUPPORTED_BY", "Review", rid, "Source", SOURCE_KEY,
               {"review": rid, "refs": f"incidents.csv {inc.id}", "paragraphs": [f"incidents.csv {inc.id}"]})

        keys: dict[str, str] = {}
        for person in (inc.victim, inc.perpetrator):
            if person is None:
                continue
            key = f"{rid}/{person.id}"
            keys[person.role] = key
            node = {"key": key, "id": person.id, "review": rid, "dataset": DATASET, "roles": [person.role],
                    "source": f"{person.role}s.csv {person.id}", **person.props}
            if person.role == "victim":
                _date_props(node, "died", inc.death_date)
            g.nodes["Person"].append(node)
            g.edge("PART_OF", "Person", key, "Review", rid, {"review": rid})
            g.edge("SUBJECT_OF", "Person", key, "Review", rid, {"review": rid, "role": person.role})
            g.edge("SUPPORTED_BY", "Person", key, "Source", SOURCE_KEY,
                   {"review": rid, "refs": node["source"], "paragraphs": [node["source"]]})
        if "victim" in keys and "perpetrator" in keys:
            victim, perp = keys["victim"], keys["perpetrator"]
            link = RELATIONSHIPS[inc.victim.relationship_to_perpetrator]
            if link is not None:
                a, b = (victim, perp) if link.victim_first else (perp, victim)
                g.edge(link.type, "Person", a, "Person", b,
                       {"review": rid, "ordinal": 0, **dict(link.props),
                        "dhrd_relationship": inc.victim.relationship_to_perpetrator,
                        "source": f"victims.csv {inc.victim.id}"})
            kinds = [kind for flag, kind in ABUSE_FLAGS.items() if inc.flags.get(flag)]
            if kinds:
                g.edge("ABUSED", "Person", perp, "Person", victim,
                       {"review": rid, "ordinal": 1, "kinds": kinds, "source": f"incidents.csv {inc.id}"})
    return g


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def dhrd_scope() -> Any:
    """What a DHRD import replaces: every DHRD person and review (case-file reviews and Areas stay)."""
    from dhrkg.graph.load import Scope

    return Scope(("Person", "Review"), "dataset", DATASET)


def graph_statements(g: GraphData, batch_size: int = BATCH_SIZE) -> list:
    """Statements that replace every DHRD node in the graph by ``g`` (dhrkg.graph.load builds them)."""
    from dhrkg.graph.load import replace_statements

    return replace_statements(g.rows(), batch_size, scope=dhrd_scope())


@dataclass
class ImportReport:
    directory: Path
    backend: str
    counts: dict[str, int]
    replaced_nodes: int
    seconds: float
    statements: int


def import_dhrd(store: Any, directory: Optional[Path | str] = None, batch_size: int = BATCH_SIZE) -> ImportReport:
    """Load the DHRD into ``store``, replacing any DHRD already there, in one atomic write.

    Case-file reviews and shared Areas are untouched. Reading errors raise :class:`DHRDError`
    before anything is written.
    """
    import time

    dataset = read_dataset(directory)
    g = graph_data(dataset)
    t0 = time.perf_counter()
    # The store's one write (one Neo4j transaction / one FalkorDB query), as for a case file.
    loaded = store.replace(g.rows(), dhrd_scope(), batch_size)
    # The reviews' summaries now (find-person's text among them), not on the next reader's open.
    store.ensure_summaries()
    return ImportReport(dataset.directory, store.backend, g.counts(), loaded.nodes_deleted,
                        time.perf_counter() - t0, loaded.statements)


def region_counts(dataset: Dataset) -> Counter:
    return Counter(i.region for i in dataset.incidents)


__all__ = [
    "ABUSE_FLAGS", "DATASET", "DHRDError", "Dataset", "GraphData", "INCIDENT_FLAGS", "ImportReport",
    "Incident", "PersonRecord", "RELATIONSHIPS", "csp_area_name", "default_dir", "graph_data",
    "graph_statements", "import_dhrd", "read_citation", "read_dataset", "review_id",
]

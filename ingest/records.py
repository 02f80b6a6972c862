"""People records (from forces and agencies) in the graph, and the identities linkage finds.

``import_records(store, folder)`` loads a records folder (the layout ``dhrkg synth`` writes:
people_records.csv, incidents.csv, relationships.csv, contacts.csv) through the store, in
batches each written as one replacement of its keys (dhrkg.graph.records):

- ``(:Record {key: "<source>/<record_id>", record_id, source, force_area, forename, surname,
  name, date_of_birth, born_from, born_to, born_precision, sex, postcode_district})``;
- ``(:Incident {key: "incident/<id>", id, force_area, date, date_from, date_to, type,
  dash_level, outcome})`` with ``(Record)-[:INVOLVED {role: "victim"|"suspect"}]->(Incident)``
  and ``(Incident)-[:LOCATED_IN]->(:Area {kind: "police_force_area"})``;
- ``(:Contact {key: "contact/<id>", id, source, force_area, date, type})`` with
  ``(Record)-[:HAD_CONTACT]->(Contact)``;
- ``(Record)-[:PARTNER_OF {source}]->(Record)`` and ``(Record)-[:PARENT_OF {source}]->(Record)``,
  as the records state them.

``write_identities(store, pairs, resolution)`` replaces the ``Identity`` nodes, in one write:
``(:Identity {key, size, force_areas, sources})`` and ``(Record)-[:SAME_AS {match_probability,
matched_with, agreed, partly, disagreed, missing, explanation, decided_by}]->(Identity)``; a
record in no group of two or more has no identity.

Every file is checked before anything is written; a bad file raises ``RecordsError`` naming
the file, line and field, and the graph is left as it was.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from .csvfile import read_rows
from .linkage import Resolution, ScoredPairs
from dhrkg.graph.records import (IDENTITY_SCOPE, KINDS, contact_key, identity_graph_rows, import_batches,
                                 incident_key, linked_record_key, record_facts)
from dhrkg.model.textcheck import bad_character, visible

FILES = {
    "people_records.csv": ("record_id", "source", "force_area", "forename", "surname", "date_of_birth", "sex",
                           "postcode_district"),
    "incidents.csv": ("incident_id", "force_area", "date", "victim_record_id", "suspect_record_id", "type",
                      "dash_level", "outcome"),
    "relationships.csv": ("source", "record_id", "relationship", "related_record_id"),
    "contacts.csv": ("contact_id", "source", "force_area", "date", "record_id", "type"),
}
OPTIONAL_FILES = ("incidents.csv", "relationships.csv", "contacts.csv")


class RecordsError(Exception):
    """A records file that cannot be loaded; the message names the file, line and field."""


@dataclass
class ImportReport:
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


def _dates(value: str, path: Path, line: int, column: str) -> tuple[Optional[str], Optional[str], Optional[str]]:
    """(from, to, precision) of a partial ISO date "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
    import calendar
    import datetime as dt

    if not value:
        return None, None, None
    parts = value.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            y = int(parts[0])
            return f"{y:04d}-01-01", f"{y:04d}-12-31", "year"
        if len(parts) == 2:
            y, m = int(parts[0]), int(parts[1])
            last = calendar.monthrange(y, m)[1]
            return f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}", "month"
        if len(parts) == 3:
            d = dt.date.fromisoformat(value)
            return d.isoformat(), d.isoformat(), "day"
    except ValueError:
        pass
    raise RecordsError(f"{path}:{line}: {column} {visible(value, 20)!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    return read_rows(path, columns, RecordsError)


SEXES = ("M", "F", "MALE", "FEMALE", "U", "UNKNOWN")


def _sex(value: str, path: Path, line: int) -> Optional[str]:
    if value and value.upper() not in SEXES:
        raise RecordsError(f"{path}:{line}: sex {visible(value, 20)!r} is not M, F, U or empty")
    return value or None


def _record_id(value: str, path: Path, line: int, column: str) -> str:
    bad = bad_character(value, identifier=True)
    if bad:
        raise RecordsError(f"{path}:{line}: {column} contains {bad}")
    return value


def read_folder(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Read and check every file; returns rows ready to write (raises RecordsError)."""
    folder = Path(folder)
    people = folder / "people_records.csv"
    if not people.is_file():
        raise RecordsError(f"{people}: no such file (a records folder holds people_records.csv)")
    records: list[dict[str, Any]] = []
    key_of: dict[str, str] = {}
    for line, row in _rows(people, FILES["people_records.csv"]):
        rid, source = _record_id(row["record_id"].strip(), people, line, "record_id"), row["source"].strip()
        if not rid:
            raise RecordsError(f"{people}:{line}: record_id is empty")
        if not source:
            raise RecordsError(f"{people}:{line}: source is empty")
        if rid in key_of:
            raise RecordsError(f"{people}:{line}: record_id {visible(rid, 30)!r} appears twice")
        key = linked_record_key(source, rid)
        key_of[rid] = key
        lo, hi, precision = _dates(row["date_of_birth"].strip(), people, line, "date_of_birth")
        fore, sur = row["forename"].strip(), row["surname"].strip()
        records.append({
            "key": key, "record_id": rid, "source": source, "force_area": row["force_area"].strip() or None,
            "forename": fore or None, "surname": sur or None, "name": " ".join(x for x in (fore, sur) if x) or None,
            "date_of_birth": row["date_of_birth"].strip() or None, "born_from": lo, "born_to": hi,
            "born_precision": precision, "sex": _sex(row["sex"].strip(), people, line),
            "postcode_district": row["postcode_district"].strip() or None,
        })

    def ref(path: Path, line: int, column: str, value: str) -> str:
        if value not in key_of:
            raise RecordsError(f"{path}:{line}: {column} {visible(value, 30)!r} is not a record in people_records.csv")
        return key_of[value]

    out: dict[str, list[dict[str, Any]]] = {"records": records, "incidents": [], "involved": [],
                                            "relationships": [], "contacts": []}
    path = folder / "incidents.csv"
    if path.is_file():
        for line, row in _rows(path, FILES["incidents.csv"]):
            lo, hi, precision = _dates(row["date"].strip(), path, line, "date")
            key = incident_key(row['incident_id'])
            out["incidents"].append({
                "key": key, "id": row["incident_id"], "force_area": row["force_area"] or None, "date": row["date"] or None,
                "date_from": lo, "date_to": hi, "date_precision": precision, "type": row["type"] or None,
                "dash_level": row["dash_level"] or None, "outcome": row["outcome"] or None,
                "area": f"pfa:{row['force_area']}" if row["force_area"] else None,
            })
            for role in ("victim", "suspect"):
                value = row[f"{role}_record_id"].strip()
                if value:
                    out["involved"].append({"record": ref(path, line, f"{role}_record_id", value),
                                            "incident": key, "role": role})
    path = folder / "relationships.csv"
    if path.is_file():
        for line, row in _rows(path, FILES["relationships.csv"]):
            kind = row["relationship"].strip()
            if kind not in ("partner", "parent"):
                raise RecordsError(f"{path}:{line}: relationship {visible(kind, 20)!r} is not partner or parent")
            if row["record_id"].strip() == row["related_record_id"].strip():
                raise RecordsError(f"{path}:{line}: record {visible(row['record_id'].strip(), 30)!r} "
                                   f"cannot be its own {kind}")
            out["relationships"].append({
                "a": ref(path, line, "record_id", row["record_id"].strip()),
                "b": ref(path, line, "related_record_id", row["related_record_id"].strip()),
                "kind": kind, "source": row["source"] or None,
            })
    path = folder / "contacts.csv"
    if path.is_file():
        for line, row in _rows(path, FILES["contacts.csv"]):
            lo, hi, precision = _dates(row["date"].strip(), path, line, "date")
            out["contacts"].append({
                "key": contact_key(row['contact_id']), "id": row["contact_id"], "source": row["source"] or None,
                "force_area": row["force_area"] or None, "date": row["date"] or None, "date_from": lo, "date_to": hi,
                "type": row["type"] or None, "record": ref(path, line, "record_id", row["record_id"].strip()),
            })
    return out


def ensure_indexes(store) -> None:
    """Indexes on ``key`` of Record, Incident, Contact and Identity (idempotent; declared in
    dhrkg.graph.schema.RECORD_INDEXES)."""
    from dhrkg.graph.schema import RECORD_INDEXES

    store.ensure_indexes(RECORD_INDEXES)


def import_records(store, folder: Path | str, *, contacts: bool = True,
                   data: Optional[dict[str, list[dict[str, Any]]]] = None) -> ImportReport:
    """Load (or reload: each batch replaces its keys) a records folder into the graph.

    Every file is checked first; then the batches are written in order, each one atomic
    replacement (dhrkg.graph.records.import_batches). When the engine fails part-way,
    RecordsError says how far it got: the batches written stay, the failed one is undone, and
    running the same import again completes it (it replaces the same keys, so nothing is
    doubled). ``data``: what :func:`read_folder` returned, when the caller checked the folder."""
    data = data if data is not None else read_folder(Path(folder))
    ensure_indexes(store)
    replacements = list(import_batches(data, contacts))
    for done, (rows, scope) in enumerate(replacements):
        try:
            store.replace(rows, scope)
        except Exception as exc:  # the engine or the connection; the batches written stay
            raise RecordsError(_stopped(Path(folder), done, len(replacements), exc)) from exc
    return _import_report(data, contacts)


def _stopped(folder: Path, done: int, total: int, exc: Exception) -> str:
    """The folder on a line of its own, then lines that fit 80 columns."""
    text = str(exc.__cause__ or exc).strip()
    cause = text.splitlines()[0] if text else type(exc).__name__
    cause = cause if len(cause) <= 76 else cause[:75] + "…"
    if done == 0:
        return f"{folder}:\n  the graph engine refused the import, nothing was written:\n  {cause}"
    return (f"{folder}:\n  the import stopped after {done} of {total} batches:\n  {cause}\n"
            f"  The graph holds those whole batches; run the same import-records again\n"
            f"  to complete it (it replaces the same records, so nothing is doubled).")


def _import_report(data: dict[str, list[dict[str, Any]]], contacts: bool) -> ImportReport:
    report = ImportReport()
    report.nodes["Record"] = len(data["records"])
    report.nodes["Incident"] = len(data["incidents"])
    report.relationships["INVOLVED"] = len(data["involved"])
    for kind, rel in KINDS:
        report.relationships[rel] = sum(1 for r in data["relationships"] if r["kind"] == kind)
    if contacts:
        report.nodes["Contact"] = len(data["contacts"])
        report.relationships["HAD_CONTACT"] = len(data["contacts"])
    return report


def record_keys(store) -> dict[str, str]:
    """record_id -> Record key, for every record in the graph."""
    return {row[0]: row[1] for row in record_facts(store)}


def identity_rows(pairs: ScoredPairs, res: Resolution, keys: dict[str, str],
                  facts: dict[str, tuple[str, str]]) -> tuple[list[dict], list[dict]]:
    """(identity rows, SAME_AS rows) for the graph. ``facts``: record_id -> (force_area, source)."""
    import math

    idents: list[dict] = []
    same_as: list[dict] = []
    accepted_with: dict[str, str] = {}
    for a, b in res.accepted:
        accepted_with.setdefault(a, b)
        accepted_with.setdefault(b, a)
    for ident, members in res.members().items():
        ids = [str(pairs.ids[k]) for k in members]
        forces = sorted({facts[m][0] for m in ids if m in facts and facts[m][0]})
        sources = sorted({facts[m][1] for m in ids if m in facts and facts[m][1]})
        idents.append({"key": ident, "size": len(ids), "force_areas": forces, "sources": sources})
        for k, m in zip(members, ids):
            if m not in keys:
                continue
            p, i = float(res.best_p[k]), int(res.best_pair[k])
            row = {"record": keys[m], "identity": ident, "match_probability": None if math.isnan(p) else p,
                   "matched_with": None, "agreed": [], "partly": [], "disagreed": [], "missing": [],
                   "explanation": None, "decided_by": None}
            if i >= 0:
                a, b = pairs.pair_ids(i)
                ex = pairs.explanation(i)
                row.update(matched_with=b if a == m else a, agreed=ex["agreed"], partly=ex["partly"],
                           disagreed=ex["disagreed"], missing=ex["missing"], explanation="; ".join(ex["details"]))
            elif i == -1:
                row.update(matched_with=accepted_with.get(m), explanation="accepted by a reviewer",
                           decided_by="reviewer")
            same_as.append(row)
    return idents, same_as


def write_identities(store, pairs: ScoredPairs, res: Resolution) -> dict[str, int]:
    """Replace all Identity nodes and SAME_AS edges by those of ``res``, atomically."""
    ensure_indexes(store)
    found = record_facts(store)
    keys = {row[0]: row[1] for row in found}
    facts = {row[0]: (row[2], row[3]) for row in found}
    missing = [r for r in res.identity_of if r not in keys]
    idents, same_as = identity_rows(pairs, res, keys, facts)
    # one write: the old identities stay if it fails or the process is killed
    loaded = store.replace(identity_graph_rows(idents, same_as), IDENTITY_SCOPE)
    return {"identities": len(idents), "same_as": len(same_as), "deleted": loaded.nodes_deleted,
            "records_not_in_graph": len(missing)}

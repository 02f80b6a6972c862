"""Backup and restore of the whole graph, on either engine.

A backup is a directory (created mode 0700, its files 0600: it holds the case data):

- ``graph.jsonl``: every node (labels, properties) and relationship (type, ends, properties),
  read at one moment: on FalkorDB read again until no write fell in between (the append-only
  file did not grow); on Neo4j in one read transaction holding the store's lock, and read again
  until the counts before and after agree (a writer in another process is not locked out:
  Neo4j runs transactions at read-committed). (FalkorDB's own ``DUMP``/``RESTORE`` would be the natural snapshot, but
  ``RESTORE`` of a graph crashes FalkorDB 4.16.3; Neo4j Community has no online backup and
  ``neo4j-admin database dump`` needs the database stopped.)
- ``manifest.json``: format ``dhrkg-backup/1``, the engine it came from, when, the counts per
  label, type and review, and the SHA-256 of ``graph.jsonl``, checked before a restore.

A restore replaces everything in the graph (or database) by the backup in ONE write (FalkorDB:
one query; Neo4j: one transaction), so the graph is the old one or the restored one, never a
mix; then the counts are checked against the manifest. A backup restores into either engine.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .load import BATCH_SIZE, WHOLE_GRAPH, Statement, chunks
from .store import Store, StoreError

FORMAT = "dhrkg-backup/1"
DATA_FILE = "graph.jsonl"
#: Holds each node's backup id while a restore runs (indexed, then removed).
RESTORE_ID = "_dhrkg_restore_id"


class BackupError(StoreError):
    """A backup that cannot be written, or a directory that is not a usable backup."""


@dataclass(frozen=True)
class Manifest:
    backend: str
    created: str
    stats: dict[str, Any]
    sha256: str

    def as_json(self) -> str:
        return json.dumps({"format": FORMAT, **self.__dict__}, indent=2) + "\n"


def _write_private(path: Path, data: bytes) -> None:
    from dhrkg.outputs import replace_durably

    replace_durably(path, data, 0o600)


def snapshot_bytes(store: Store) -> bytes:
    nodes, rels = store.read_everything()
    lines = [json.dumps({"node": str(i), "labels": sorted(labels), "props": props}, sort_keys=True)
             for i, labels, props in nodes]
    lines += [json.dumps({"rel": rtype, "from": str(a), "to": str(b), "props": props}, sort_keys=True)
              for a, rtype, b, props in rels]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def backup(store: Store, directory: Path) -> Manifest:
    """Write a backup of ``store``'s whole graph into ``directory`` (new or empty)."""
    from dhrkg.permissions import private_dir

    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise BackupError(f"{directory}: not empty; back up into a new directory")
    private_dir(directory)
    stats = store.stats()
    data = snapshot_bytes(store)
    if stats != store.stats():  # a write between the counts and the snapshot: once more
        stats = store.stats()
        data = snapshot_bytes(store)
    _write_private(directory / DATA_FILE, data)
    manifest = Manifest(store.backend, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                        stats, hashlib.sha256(data).hexdigest())
    _write_private(directory / "manifest.json", manifest.as_json().encode())
    return manifest


def read_manifest(directory: Path) -> Manifest:
    path = Path(directory) / "manifest.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path}: no such file; is {directory} a dhrkg backup?") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"{path}: unreadable ({exc})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise BackupError(f"{path}: not a {FORMAT} manifest")
    try:
        return Manifest(raw["backend"], raw["created"], raw["stats"], raw["sha256"])
    except KeyError as exc:
        raise BackupError(f"{path}: field {exc} missing") from None


def restore_statements(data: bytes) -> tuple[list[Statement], list[str]]:
    """The statements that make a graph hold exactly the snapshot ``data``, and its labels."""
    nodes: dict[tuple, list] = {}
    rels: dict[tuple, list] = {}
    first_label: dict[str, str] = {}
    for line in data.decode("utf-8").splitlines():
        item = json.loads(line)
        if "node" in item:
            group = tuple(item["labels"])
            if not group:
                raise BackupError("the backup holds a node without a label, which dhrkg never writes")
            nodes.setdefault(group, []).append({"id": item["node"], "props": item["props"]})
            first_label[item["node"]] = group[0]
        else:
            key = (item["rel"], first_label[item["from"]], first_label[item["to"]])
            rels.setdefault(key, []).append({"from": item["from"], "to": item["to"], "props": item["props"]})
    out = [Statement("MATCH (n) DETACH DELETE n", {}, "restore")]
    for group, rows in nodes.items():
        labels = "".join(f":`{label}`" for label in group)
        out += [Statement(f"UNWIND $rows AS row CREATE (n{labels}) SET n = row.props, n.{RESTORE_ID} = row.id",
                          {"rows": chunk}, "restore", len(chunk)) for chunk in chunks(rows, BATCH_SIZE)]
    for (rtype, a, b), rows in rels.items():
        out += [Statement(f"UNWIND $rows AS row MATCH (a:`{a}` {{{RESTORE_ID}: row.from}}) "
                          f"MATCH (b:`{b}` {{{RESTORE_ID}: row.to}}) CREATE (a)-[e:`{rtype}`]->(b) SET e = row.props",
                          {"rows": chunk}, "restore", len(chunk)) for chunk in chunks(rows, BATCH_SIZE)]
    labels = sorted({group[0] for group in nodes})
    out += [Statement(f"MATCH (n:`{label}`) REMOVE n.{RESTORE_ID}", {}, "restore") for label in labels]
    return out, labels


def restore(store: Store, directory: Path) -> Manifest:
    """Replace ``store``'s whole graph by the backup in ``directory``; its manifest."""
    manifest = read_manifest(directory)
    path = Path(directory) / DATA_FILE
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BackupError(f"{path}: unreadable ({exc.strerror})") from None
    if hashlib.sha256(data).hexdigest() != manifest.sha256:
        raise BackupError(f"{path}: damaged (its SHA-256 is not the manifest's); nothing restored")
    statements, labels = restore_statements(data)
    for ddl in store.dialect.restore_index_statements(labels, RESTORE_ID):
        store.run_schema(ddl)
    try:
        store._replace(statements, WHOLE_GRAPH)  # undone in place if it fails (FalkorDB)
    finally:
        for ddl in store.dialect.restore_index_statements(labels, RESTORE_ID, drop=True):
            store.run_schema(ddl)
    store.ensure_schema()
    if store.stats() != manifest.stats:
        raise BackupError(f"restored from {directory}, but the counts differ from the manifest's")
    return manifest


"""Relationships of an online bulk load that find their ends by internal id (FalkorDB).

Each node batch of a load returns the internal id of each of its nodes (ids freed by deletions
are reused in no particular order, so they are not known beforehand); :class:`EndIds` keeps
``key -> id`` per label for the rest of the load. A batch that creates (``Stream.create``) is
sent as positional rows, ``CREATE (n:L {a: r[0], ...})``: the parameter text does not repeat
each property's name in every row, FalkorDB writes the properties as it creates the node (no
separate Update; a null leaves the property unset, as ``SET n = row`` does), and it returns
only the ids, in the order of its rows (FalkorDB's UNWIND, CREATE and collect keep it), paired
with the rows' keys here. A batch that merges (areas, a resumed load's first batches) returns
``[key, id]`` pairs: MERGE gives the nodes it found before those it made.

A relationship batch whose every end is known is then sent as positional rows ``[from id, to
id, from key, to key, property values ...]`` (``CREATE (a)-[e:T {a: row[4], ...}]->(b)``, as
the nodes) and each end is found by ``NodeByIdSeek`` instead of a lookup in the ``key`` index (which slows down as the graph grows:
BENCHMARKS.md, "FalkorDB online loader"). Each end's ``key`` is compared too, so a node deleted
and its id reused by another writer meanwhile is never linked; the batch counts the
relationships it made and a shortfall is an error, never a silent loss. A batch with any end
not known (a node from before this load, a resumed load) goes by key as before.

The map costs about 100 bytes a node (about 0.3 GB at 1M people); past ``MAX_IDS`` nodes it
stops growing and later ends go by key.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Sequence

from ..store import StoreError

#: Nodes whose ids are kept at most (beyond: relationships find those ends by key).
MAX_IDS = 30_000_000
#: Node batches as positional rows (:func:`positional`) instead of ``SET n = row`` of maps: off.
#: Measured in whole loads at 100k (quiet, BENCHMARKS.md "FalkorDB online loader after the sixth
#: round"): the node batches no faster, the relationship batches after them 1.3-1.5x slower.
POSITIONAL_NODES = False


def _with_ids(cypher: str, variable: str) -> str:
    # FalkorDB's own internal ids, used within one load only
    return f"{cypher} RETURN collect(id({variable})) AS ids"  # cypher-lint: allow internal-id


def _with_pairs(cypher: str, variable: str) -> str:
    """For MERGE: its rows come back out of order (those found before those made)."""
    return f"{cypher} RETURN collect([{variable}.key, id({variable})]) AS ids"  # cypher-lint: allow internal-id


def positional(label: str, rows: list[dict]) -> tuple[str, list[list]]:
    """A node batch as positional rows: the statement (every property name of the batch, in
    order) and the rows (None where a row has no such property)."""
    names = _names(label, rows)
    return (f"UNWIND $rows AS r CREATE (n:{label}{_literal_map('r', names)})",
            [[row.get(name) for name in names] for row in rows])


def by_id_statement(rtype: str, names: Sequence[str] = ()) -> str:
    """A relationship batch of positional rows ``[from id, to id, from key, to key, value of
    each of names ...]``, its ends by internal id (and key checked)."""
    # FalkorDB's own internal ids, used within one load only
    return ("UNWIND $rows AS row WITH row, row[0] AS ia, row[1] AS ib "  # cypher-lint: allow internal-id
            "MATCH (a) WHERE id(a) = ia AND a.key = row[2] MATCH (b) WHERE id(b) = ib AND b.key = row[3] "
            f"CREATE (a)-[e:{rtype}{_literal_map('row', names, 4)}]->(b) RETURN count(e) AS made")


def _names(what: str, maps: Iterable[dict]) -> list[str]:
    """Every property name of a batch's rows, in the rows' own order (so nodes keep their
    properties in the order ``SET n = row`` gives them; checked: written into the statement)."""
    names = list(dict.fromkeys(name for m in maps for name in m))
    for name in names:
        if not name or "`" in name:
            raise StoreError(f"{what[:24]} rows: a property name is empty or has a backtick:\n  {name[:60]!r}")
    return names


def _literal_map(row: str, names: Sequence[str], first: int = 0) -> str:
    """`` {`a`: row[first], ...}`` ("" for no names)."""
    if not names:
        return ""
    return " {" + ", ".join(f"`{name}`: {row}[{first + i}]" for i, name in enumerate(names)) + "}"


class EndIds:
    """``key -> internal id`` per label, filled by the node batches of one load."""

    def __init__(self, write: Callable[[str, dict], Any], max_ids: int = MAX_IDS):
        self.write = write
        self.max_ids = max_ids
        self.ids: dict[str, dict[str, int]] = {}
        self.size = 0

    def send(self, stream: Any, cypher: str, rows: list[dict]) -> None:
        """Write one batch of ``stream`` (``cypher`` its statement for ``rows``)."""
        if stream.kind in ("node", "area"):
            self._nodes(stream, cypher, rows)
        elif cypher == stream.create() and (ends := self._ends(stream, rows)) is not None:
            self._edges_by_id(stream, rows, ends)
        else:
            self.write(cypher, {"rows": rows})

    def _nodes(self, stream: Any, cypher: str, rows: list[dict]) -> None:
        variable, sent = "a" if stream.kind == "area" else "n", rows
        created = stream.kind == "node" and cypher == stream.create()
        if created and POSITIONAL_NODES:
            cypher, sent = positional(stream.label, rows)
        if self.size + len(rows) > self.max_ids:
            self.write(cypher, {"rows": sent})
            return
        if not created:  # MERGE (areas, a resumed load's first batches)
            pairs = self.write(_with_pairs(cypher, variable), {"rows": sent}).rows[0][0]
            self._keep(stream.label, pairs)
            return
        ids = self.write(_with_ids(cypher, variable), {"rows": sent}).rows[0][0]
        if len(ids) != len(rows):
            raise StoreError(f"{stream.name}: {len(ids)} of {len(rows)} nodes made; run the load again to finish it")
        self._keep(stream.label, zip([row["key"] for row in rows], ids))

    def _keep(self, label: str, pairs: Any) -> None:
        known = self.ids.setdefault(label, {})
        before = len(known)
        known.update(pairs)
        self.size += len(known) - before

    def _ends(self, stream: Any, rows: list[dict]) -> Optional[list[tuple[int, int]]]:
        """The ids of every row's two ends, or None when any is not known."""
        a_ids, b_ids = self.ids.get(stream.from_label), self.ids.get(stream.to_label)
        if a_ids is None or b_ids is None:
            return None
        try:
            return [(a_ids[row["from"]], b_ids[row["to"]]) for row in rows]
        except KeyError:
            return None

    def _edges_by_id(self, stream: Any, rows: list[dict], ends: list[tuple[int, int]]) -> None:
        props = [row.get("props") or {} for row in rows]
        names = _names(stream.name, props)
        positional = [[a, b, row["from"], row["to"], *[p.get(name) for name in names]]
                      for row, p, (a, b) in zip(rows, props, ends)]
        made = self.write(by_id_statement(stream.label, names), {"rows": positional}).rows[0][0]
        if made != len(rows):
            raise StoreError(f"{stream.name}: {len(rows) - made} of {len(rows)} relationships found no end (nodes "
                             "deleted by another writer during the load); run the load again to finish it")

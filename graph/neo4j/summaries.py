"""A review's summaries on Neo4j in transactions of a few thousand nodes each.

The summaries (dhrkg.graph.summaries) of one review are, on the other paths, one write
transaction. A national graph is one review of millions of nodes: a rule that sets a property
on every event of it holds millions of changes in one transaction's state, which grows the
JVM's heap past any sensible size (Neo4j keeps a transaction's changes in memory until it
commits) and is slow to commit. So :func:`batched` turns each rule, which starts from the
review's nodes of one label (``MATCH (x:Label {review: $review})...``) and only reads and writes
around each such node, into ``CALL (x) { ... } IN TRANSACTIONS OF N ROWS``: the same rule, run
for N driving nodes a transaction. Every rule groups by its driving node, so running it per
node gives the same values (tests/graph/test_neo4j_summaries.py compares both ways).

This is for derived data only: ``Review.summary_version`` is set last, alone, so a summarise
cut short leaves the review stale and the next store to open it computes it again.
"""

from __future__ import annotations

import re
from typing import Optional

#: nodes a transaction: the heap a transaction's state needs grows with it (about 1 KiB a
#: changed node), and the commits' cost falls with it; 10,000 is in the flat part
BATCH_ROWS = 10_000

_DRIVER = re.compile(r"\s*MATCH \((?P<var>\w+):(?P<label>\w+) \{review: \$review\}\)(?P<rest>.*)", re.S)


def batched(cypher: str, rows: int = BATCH_ROWS) -> Optional[str]:
    """``cypher`` as a CALL { } IN TRANSACTIONS over its driving nodes; None if it has none
    (a rule that does not start from the review's nodes of one label runs as it is). The
    driving node's own type filter (:func:`driver_type`) also chooses the driving nodes, so a
    rule about the review's assessments runs over them, not over all its events."""
    m = _DRIVER.fullmatch(cypher)
    if m is None:
        return None
    var, label, rest = m["var"], m["label"], m["rest"]
    body = f"MATCH ({var}){rest}" if rest.lstrip().startswith(("-", "<-")) else f"WITH {var}{rest}"
    kind = driver_type(var, rest)
    only = f" WHERE {var}.type = '{kind}'" if kind else ""
    return (f"MATCH ({var}:{label} {{review: $review}}){only} "
            f"CALL ({var}) {{ {body} }} IN TRANSACTIONS OF {int(rows)} ROWS")


#: the first WHERE of a rule, after its first pattern (or none), up to the next clause
_FIRST_WHERE = re.compile(r"(?P<pattern>(?:\s*<?-[^ ]*?->?\(\w*(?::\w+)?\))*)\s+WHERE (?P<cond>.*?)"
                          r"(?= OPTIONAL MATCH | MATCH | WITH | SET | RETURN | CALL | UNWIND |$)", re.S)
_NESTED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def driver_type(var: str, rest: str) -> Optional[str]:
    """The event type the rule's first WHERE requires of its driving node ``var`` (``var.type =
    'x'`` as one of its top-level AND conjuncts, no top-level OR), else None."""
    m = _FIRST_WHERE.match(rest)
    if m is None:
        return None
    cond = m["cond"]
    while _NESTED.search(cond):  # parenthesised or bracketed parts are whole conjuncts
        cond = _NESTED.sub("_", cond)
    conjuncts = cond.split(" AND ")
    if re.search(r"\b(OR|XOR)\b", cond):
        return None
    found = [re.fullmatch(rf"{var}\.type = '(\w+)'", c.strip()) for c in conjuncts]
    return next((f[1] for f in found if f), None)

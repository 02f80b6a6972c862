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
    (a rule that does not start from the review's nodes of one label runs as it is)."""
    m = _DRIVER.fullmatch(cypher)
    if m is None:
        return None
    var, label, rest = m["var"], m["label"], m["rest"]
    body = f"MATCH ({var}){rest}" if rest.lstrip().startswith(("-", "<-")) else f"WITH {var}{rest}"
    return (f"MATCH ({var}:{label} {{review: $review}}) "
            f"CALL ({var}) {{ {body} }} IN TRANSACTIONS OF {int(rows)} ROWS")

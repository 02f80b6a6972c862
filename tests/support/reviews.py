"""Versions of a review and their fingerprints: a review made bigger and tagged, and hashes or
cheap signatures of what the graph holds of it (to tell an old version from a new one, or a mix)."""

from __future__ import annotations

import hashlib

from dhrkg.model.model import CaseFile


def with_extra_events(case: CaseFile, n: int, tag: str) -> CaseFile:
    """The review with ``n`` more events (each involving two people) and every summary tagged."""
    data = case.to_data()
    people = [p["id"] for p in data["persons"]]
    agencies = [a["id"] for a in data["agencies"]]
    for e in data["events"]:
        e["summary"] = f"{tag}: {e.get('summary', '')}"
    for i in range(n):
        data["events"].append({
            "id": f"extra-{i}", "date": f"{2000 + i % 20}-{1 + i % 12:02d}", "type": "call",
            "agency": agencies[i % len(agencies)], "persons": [people[i % len(people)], people[(i + 1) % len(people)]],
            "summary": f"{tag}: extra event {i}", "source": "9.9",
        })
    return CaseFile.model_validate(data)


def review_fingerprint(store, review: str) -> str:
    """A hash of every node and relationship of the review, with properties."""
    nodes = store.query("MATCH (n) WHERE n.review = $r RETURN labels(n) AS l, properties(n) AS p", {"r": review}).rows
    rels = store.query("MATCH (a)-[e]->(b) WHERE e.review = $r RETURN a.key AS a, type(e) AS t, b.key AS b, "
                       "properties(e) AS p", {"r": review}).rows
    text = repr(sorted(repr(sorted(r[-1].items())) + repr(r[:-1]) for r in nodes + rels))
    return hashlib.sha256(text.encode()).hexdigest()


def review_signature(store, review: str) -> tuple:
    """A cheap summary of a (big) review that tells its versions apart and shows a mix: counts
    per label and relationship type, the summary tags present, the total summary length."""
    nodes = store.query("MATCH (n) WHERE n.review = $r RETURN labels(n)[0] AS l, count(n) AS n ORDER BY l", {"r": review}).rows
    rels = store.query("MATCH ()-[e]->() WHERE e.review = $r RETURN type(e) AS t, count(e) AS n ORDER BY t", {"r": review}).rows
    tags = store.query("MATCH (e:Event {review: $r}) RETURN collect(DISTINCT split(e.summary, ':')[0]) AS tags, "
                       "sum(size(e.summary)) AS chars", {"r": review}).rows
    return repr(nodes), repr(rels), sorted(tags[0][0]), tags[0][1]


def settled_signature(store, review: str, tries: int = 100) -> tuple:
    """``review_signature`` once two reads in a row agree. A load killed with kill -9 leaves its
    query running in the server; the signature's three reads could straddle its commit and show
    a mix no single read saw. A mix left in the graph would read the same every time."""
    import time

    last = review_signature(store, review)
    for _ in range(tries):
        time.sleep(0.05)
        now = review_signature(store, review)
        if now == last:
            return now
        last = now
    return last


def load_in_background(store, case: CaseFile):
    """Start ``store.load_case(case)`` in a thread; returns (thread, outcome), where outcome gets
    ``ok`` (True) or ``error`` (the exception) when the load ends."""
    import threading

    outcome: dict = {}

    def load() -> None:
        try:
            store.load_case(case)
            outcome["ok"] = True
        except Exception as exc:  # the test judges it
            outcome["error"] = exc

    thread = threading.Thread(target=load)
    thread.start()
    return thread, outcome

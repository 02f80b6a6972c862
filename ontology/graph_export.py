"""RDF export straight from the graph store, streaming, with paged reads.

Each review is read back by the store section by section in pages of ``page_size`` records
(:meth:`dhrkg.graph.store.Store.review_reader`: key order; relationships by their ``ordinal``)
as case-file records, and written by the same :class:`ReviewEmitter` as an export from case
files, so memory holds one page (and the review's persons, whose names the pseudonymised export
needs) whatever the size of the graph.

What the graph does not keep cannot be exported: the order of records in the file (records come
out in key order) and of lists such as an event's persons (sorted), and the difference between
``victim``/``victims`` and ``agency``/``agencies``. Reviews imported from the DHRD (``dataset:
dhrd``) come with their dataset as the source, their flags as Home Office themes, their region,
and their persons' age bands and vulnerabilities.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, TextIO

from dhrkg.places import csp_area_name

from .export import ExportOptions, ExportReport, RDFWriter, ReviewEmitter, SourceDocument
from .ntriples import Triple

PAGE_SIZE = 1000
DHRD_SOURCE = SourceDocument(
    iri="https://doi.org/10.5281/zenodo.21108268",
    title="The Domestic Homicide Review Dataset (DHRD) for England and Wales (Cook and Cook 2026)",
    identifier="doi:10.5281/zenodo.21108268",
    csp_area=lambda name: csp_area_name(name),
)


# ----- export ----------------------------------------------------------------------


def review_triples(reader: Any, review_id: str, opts: ExportOptions,
                   report: ExportReport) -> tuple[str, Iterator[Triple]]:
    """(graph term, triples) of one review read from the store page by page (``reader``:
    :class:`dhrkg.graph.readback.ReviewReader`)."""
    head = reader.review(review_id)
    rprops = head.props
    people = list(reader.records(review_id, "persons"))
    persons = [p.record for p in people]
    dhrd = rprops.get("dataset") == "dhrd"
    em = ReviewEmitter(head.record, persons, opts, report, source=DHRD_SOURCE if dhrd else None)
    emit = {"relationships": em.relationship_record, "households": em.household_record,
            "agencies": em.agency_record, "events": em.event_record,
            "recommendations": em.recommendation_record}

    def triples() -> Iterator[Triple]:
        yield from em.header()
        yield from em.review(themes=rprops.get("flags") or [], region=rprops.get("region"))
        for i, person in enumerate(people, start=1):
            yield from em.person_record(i, person.record, **_dhrd_person(person.props))
        for section, record_triples in emit.items():
            for i, read in enumerate(reader.records(review_id, section), start=1):
                yield from record_triples(i, read.record)

    return em.graph, em.checked(triples())


def _dhrd_person(props: dict[str, Any]) -> dict[str, Any]:
    """A DHRD person's age band and vulnerabilities (properties outside the case-file mapping)."""
    vulns = [("vulnerability", v) for v in props.get("vulnerabilities") or []] + \
            [("mental-health", v) for v in props.get("mental_health") or []]
    band = props.get("age_band")
    return {"band": "65-plus" if band == "65+" else band, "vulnerabilities": vulns}


def export_graph(store: Any, out: TextIO, fmt: str, opts: ExportOptions, review: str | None = None,
                 reviews: Iterable[str] | None = None, page_size: int = PAGE_SIZE) -> ExportReport:
    """Write every review in the store (or ``review``, or the ids in ``reviews``) as RDF."""
    report = ExportReport(fmt, pseudonymised=opts.pseudonymise)
    writer = RDFWriter(out, fmt)
    reader = store.review_reader(page_size)
    ids = [review] if review is not None else (list(reviews) if reviews is not None else store.reviews())
    for rid in ids:
        graph, triples = review_triples(reader, rid, opts, report)
        writer.write_review(triples, graph)
        report.reviews += 1
    writer.close()
    report.triples = writer.triples
    return report

"""What the API and the pages do, as calls to the library (never a second implementation).

A :class:`Workspace` holds the graph store, the query library, the accounts and the audit log
of one server. Its methods take a signed-in :class:`~dhrkg.api.accounts.User`, check what the
user's role allows, record the access in the audit log, and call the same functions as the CLI:
the case-file validator, ``Store.load_case``/``delete_review``, ``case_from_store``, the
case-file summary, the canned queries, the read-only check, the drawings.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Any, Iterable, Optional
from urllib.parse import quote, urlencode

from .accounts import Accounts, User
from .audit import AuditLog
from .cache import ALL, ReadCache
from .problems import Problem
from .scope import RowScope, UnattributedRows

AGGREGATE_PREFIX = "dhrd-"  # canned queries that answer with counts only


@dataclass
class Page:
    """One page of items with the total before paging."""

    items: list[Any]
    total: int
    limit: int
    offset: int

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "limit": self.limit, "offset": self.offset, "items": self.items}


def paginate(items: list[Any], limit: int, offset: int) -> Page:
    return Page(items[offset:offset + limit], len(items), limit, offset)


class Workspace:
    def __init__(self, store: Any, accounts: Accounts, audit: AuditLog, queries_dirs: Iterable = ()):
        from dhrkg.graph.canned import load_library

        self.store, self.accounts, self.audit = store, accounts, audit
        self.library = load_library(list(queries_dirs))
        self.cache = ReadCache()
        self._lock = threading.Lock()

    def unfinished_load(self) -> Any:
        """The mark of an unfinished bulk load into the graph (dhrkg.graph.unfinished), read now
        (a load in another process starts and ends while the server runs); None when there is
        none, or the graph cannot say."""
        try:
            return self.store.unfinished_load()
        except Exception:  # the page or /health still answers; the query itself will say what failed
            return None

    # ---- permissions
    @staticmethod
    def require(user: User, action: str, review: Optional[str] = None) -> None:
        if not user.may(action, review):
            what = f" review {review!r}" if review and user.scope(action) == "granted" else ""
            raise Problem(403, f"a {user.role} may not {action.replace('_', ' ')}{what}")

    # ---- reviews
    def review_rows(self) -> list[dict[str, Any]]:
        """Every review's id, title, force area, local authority and homicide date."""
        rows = self.cache.get(ALL, "reviews", self.store.review_list)
        return [{k: (str(v) if v is not None else None) for k, v in r.items()} for r in rows]

    def list_reviews(self, user: User, area: str = "", year: str = "", text: str = "") -> list[dict[str, Any]]:
        if user.scope("read_review") is None:
            raise Problem(403, f"a {user.role} may not read reviews: use the exports and aggregate views")
        rows = [r for r in self.review_rows() if user.may("read_review", r["id"])]
        if area:
            rows = [r for r in rows if (r["area"] or "").lower() == area.lower()]
        if year:
            rows = [r for r in rows if (r["homicide_date"] or "").startswith(year)]
        if text:
            needle = text.lower()
            rows = [r for r in rows if any(needle in (v or "").lower() for v in r.values())]
        return rows

    def case(self, user: User, review: str, action: str = "read_review") -> Any:
        """The review as a CaseFile (read back from the graph), after the permission check."""
        from dhrkg.visualisation.source import ReviewNotFound, case_from_store

        self.require(user, action, review)
        try:
            return self.cache.get(review, "case", lambda: case_from_store(self.store, review))
        except ReviewNotFound:
            raise Problem(404, f"no review {review!r} in the graph") from None

    def summary(self, user: User, review: str) -> dict[str, Any]:
        from dhrkg.model.summary import as_dict, summarise

        case = self.case(user, review)
        self.audit.record(user.name, "read-review", review)
        return as_dict(summarise(case))

    def upload(self, user: User, text: str, filename: str, review: Optional[str] = None) -> dict[str, Any]:
        """Validate a case file (the messages of ``dhrkg validate``) and load it atomically."""
        from dhrkg.model import UnreadableCaseFile, validate_text

        try:
            result = validate_text(text, filename)
        except UnreadableCaseFile as exc:
            raise Problem(422, str(exc), "Unreadable case file", errors=[_problem_dict(exc)]) from None
        if not result.ok:
            n = len(result.errors)
            raise Problem(422, f"{filename}: {n} problem{'s' if n != 1 else ''}; nothing was loaded",
                          "Invalid case file", errors=[_problem_dict(p) for p in result.problems])
        rid = result.case.review.id
        if review is not None and rid != review:
            raise Problem(409, f"the file is review {rid!r}, not {review!r}: upload it to its own address")
        self.require(user, "edit_review", rid)
        with self._lock:
            try:
                report = self.store.load_case(result.case)
            finally:
                self.cache.changed(rid)
        self.audit.record(user.name, "replace-review" if report.replaced else "upload-review", rid, file=filename)
        return {"review": rid, "replaced": report.replaced, "nodes": report.nodes,
                "relationships": report.relationships,
                "warnings": [_problem_dict(p) for p in result.warnings]}

    def import_chronology(self, user: User, review: str, filename: str, data: bytes,
                          replace_events: bool = False) -> dict[str, Any]:
        """Add a chronology spreadsheet's rows to a review as events (``dhrkg import-chronology``),
        validate the result and load it; every unreadable cell is reported with its row."""
        from pathlib import Path

        from dhrkg.ingest.chronology import ChronologyError, import_chronology, without_events
        from dhrkg.scratch import scratch_folder

        case = self.case(user, review, "edit_review")
        suffix = Path(filename).suffix.lower()
        if suffix not in (".csv", ".tsv", ".xlsx"):
            raise Problem(415, f"{filename}: a chronology must be .csv, .tsv or .xlsx")
        with scratch_folder("chronology") as tmp:
            path = tmp / Path(filename).name
            path.write_bytes(data)
            try:
                result = import_chronology(path, without_events(case) if replace_events else case)
            except ChronologyError as exc:
                raise Problem(422, f"{filename}: rows that cannot be read; nothing was loaded",
                              "Unreadable chronology", errors=[{"message": str(p), "text": str(p)} for p in exc.problems]
                              or [{"message": str(exc), "text": str(exc)}]) from None
        with self._lock:
            try:
                self.store.load_case(result.case)
            finally:
                self.cache.changed(review)
        self.audit.record(user.name, "import-chronology", review, file=filename, events=len(result.events))
        return {"review": review, "events": len(result.events), "header_row": result.header_row,
                "columns": result.columns, "unresolved": [str(u) for u in result.unresolved]}

    def delete(self, user: User, review: str) -> int:
        self.require(user, "delete_review", review)
        with self._lock:
            try:
                n = self.store.delete_review(review)
            finally:
                self.cache.changed(review)
        if not n:
            raise Problem(404, f"no review {review!r} in the graph")
        self.audit.record(user.name, "delete-review", review, nodes=n)
        return n

    # ---- people, households, agencies, events
    def persons(self, user: User, review: str) -> list[dict[str, Any]]:
        case = self.case(user, review)
        self.audit.record(user.name, "read-persons", review)
        return [_dump(p) for p in case.persons]

    def person(self, user: User, review: str, person_id: str) -> dict[str, Any]:
        case = self.case(user, review)
        person = case.person(person_id)
        if person is None:
            raise Problem(404, f"no person {person_id!r} in review {review!r}")
        self.audit.record(user.name, "read-person", f"{review}/{person_id}")
        return person_view(case, person_id)

    def households(self, user: User, review: str) -> list[dict[str, Any]]:
        case = self.case(user, review)
        self.audit.record(user.name, "read-households", review)
        return [_dump(h) for h in case.households]

    def agencies(self, user: User, review: str) -> list[dict[str, Any]]:
        case = self.case(user, review)
        self.audit.record(user.name, "read-agencies", review)
        return [_dump(a) for a in case.agencies]

    def events(self, user: User, review: str, person: str = "", agency: str = "", type_: str = "",
               date_from: str = "", date_to: str = "") -> list[dict[str, Any]]:
        from dhrkg.model.dates import PartialDate, PartialDateError

        bounds = []
        for name, value in (("from", date_from), ("to", date_to)):
            try:
                bounds.append(PartialDate.parse(value) if value else None)
            except PartialDateError as exc:
                raise Problem(422, f"{name}: {exc}") from None
        case = self.case(user, review)
        self.audit.record(user.name, "read-events", review,
                          filters={k: v for k, v in (("person", person), ("agency", agency), ("type", type_),
                                                     ("from", date_from), ("to", date_to)) if v})
        events = [e for e in case.events
                  if (not person or person in e.persons) and (not agency or e.agency == agency)
                  and (not type_ or e.type == type_)
                  and (bounds[0] is None or (e.until or e.date).latest >= bounds[0].earliest)
                  and (bounds[1] is None or e.date.earliest <= bounds[1].latest)]
        return [_dump(e) for e in events]

    # ---- queries
    @staticmethod
    def is_aggregate(q: Any) -> bool:
        """An aggregate view (counts over the national DHRD dataset, no person in its rows)."""
        return q.name.startswith(AGGREGATE_PREFIX)

    def query_list(self, user: User) -> list[dict[str, Any]]:
        from dhrkg.graph.canned import describe

        if user.scope("run_query") is None:
            self.require(user, "aggregate")
            return [_public_query(describe(q)) for q in self.library if self.is_aggregate(q)]
        return [_public_query(describe(q)) for q in self.library]

    def query(self, name: str):
        from dhrkg.graph.canned import QueryError

        try:
            return self.library.get(name)
        except QueryError as exc:
            raise Problem(404, str(exc)) from None

    def run_query(self, user: User, name: str, values: dict[str, Any], timeout_ms: Optional[int] = None):
        from dhrkg.graph import canned

        q = self.query(name)
        try:
            bound = canned.bind(q, values)
        except canned.QueryError as exc:
            raise Problem(422, str(exc)) from None
        self._require_query_scope(user, q, bound)
        self.audit.record(user.name, "run-query", name, parameters=values)
        granted = user.scope("run_query") == "granted" and not self.is_aggregate(q)
        limit = canned.row_limit(q, bound)
        if granted and limit:  # the limit applies to the rows the user may see, not to all
            bound = {**bound, canned.LIMIT_PARAMETER: 0}
        try:
            canned.refuse_unsummarised(self.store, q, bound)  # per request: not from the cache
            key = ("query", name, json.dumps(bound, sort_keys=True, default=str), timeout_ms)
            result = self.cache.get(ALL, key, lambda: canned.run(self.store, q, bound, timeout_ms=timeout_ms,
                                                                 check_exists=True))
        except canned.UnfinishedLoadError as exc:  # the graph's state, not the request
            raise Problem(409, str(exc.without_paths())) from None
        except canned.QueryError as exc:
            raise Problem(404 if "no " in str(exc).lower() else 422, str(exc)) from None
        except Exception as exc:
            raise _engine_problem(exc) from None
        if granted:
            rows = self._granted_rows(user, q, result.rows)
            return canned.limited(canned.QueryResult(list(result.columns), rows), limit)
        return result

    def _granted_rows(self, user: User, q: Any, rows: list[list[Any]]) -> list[list[Any]]:
        try:
            return self.row_scope(user).rows(rows, vetted=q.origin == "package")
        except UnattributedRows:
            raise Problem(403, f"{q.name} answers with rows that name no review (no key "
                               f"'<review>/<id>' in them), so a {user.role}, who reads only the reviews "
                               "granted, cannot be shown them: the query must return the keys of what "
                               "it reports") from None

    def row_scope(self, user: User) -> RowScope:
        """What rows a user limited to granted reviews may see (:mod:`dhrkg.api.scope`)."""
        sources = self.cache.get(ALL, "record-sources", lambda: [r[0] for r in self.store.query(
            "MATCH (r:Record) WHERE r.source IS NOT NULL RETURN DISTINCT r.source AS source").rows])
        return RowScope(user.reviews, self.store.reviews(), sources)  # reviews read now: one loaded a moment ago counts

    def _require_query_scope(self, user: User, q: Any, bound: dict[str, Any]) -> None:
        scope = user.scope("run_query")
        if self.is_aggregate(q) and user.may("aggregate"):
            return
        if scope is None:
            raise Problem(403, f"a {user.role} may not run queries")
        if scope == "granted":
            reviews = reviews_in(q, bound)
            if not reviews:
                raise Problem(403, f"{q.name} runs across reviews; a chair runs queries on the reviews granted")
            for review in reviews:
                self.require(user, "run_query", review)

    def cypher(self, user: User, text: str, params: dict[str, Any], timeout_ms: Optional[int] = None):
        from dhrkg.graph.readonly import WriteNotAllowed, check_read_only

        self.require(user, "cypher")
        if not text.strip():
            raise Problem(422, "no Cypher to run")
        try:
            check_read_only(text)
        except WriteNotAllowed as exc:
            self.audit.record(user.name, "cypher-refused", "", query=text, parameters=params)
            raise Problem(403, str(exc), "Write refused") from None
        self.audit.record(user.name, "cypher", "", query=text, parameters=params)
        try:
            return self.store.query(text, params, timeout_ms=timeout_ms)
        except WriteNotAllowed as exc:
            raise Problem(403, str(exc), "Write refused") from None
        except Exception as exc:
            raise _engine_problem(exc, text) from None

    # ---- drawings
    def drawing(self, user: User, review: str, kind: str, options: dict[str, Any]) -> str:
        from dhrkg import visualisation as vis

        case = self.case(user, review)
        makers = {"genogram": (vis.genogram_svg, vis.GenogramOptions),
                  "network": (vis.network_svg, vis.NetworkOptions),
                  "timeline": (vis.timeline_svg, vis.TimelineOptions)}
        draw, options_type = makers[kind]
        key = ("drawing", kind, json.dumps(options, sort_keys=True, default=str))
        try:
            return self.cache.get(review, key, lambda: draw(case, options_type(**options)))
        except (vis.FamilyError, vis.TimelineError) as exc:
            raise Problem(422, str(exc)) from None
        except (vis.GraphvizMissing, vis.GraphvizFailed) as exc:
            raise Problem(503, str(exc)) from None


def genogram_warnings(review: str, svg: str, options: dict[str, Any]) -> list[dict[str, Any]]:
    """What a page showing a genogram warns about: its text printing under 8 pt with the whole
    drawing on its page (a family too large for it), with the ways to a readable page (the A3
    page, a person-centred view); [] when it prints large enough."""
    from dhrkg.visualisation import GenogramOptions
    from dhrkg.visualisation.genogram import printed_text_pt
    from dhrkg.visualisation.page import MIN_FONT_PT

    opts = GenogramOptions(**options)
    pt = printed_text_pt(svg, opts)
    if pt is None:
        return []
    page = opts.page.upper()
    base = f"/api/v1/reviews/{quote(review)}/genogram.pdf"
    ways = [{"label": "the whole family on an A3 page (PDF)", "href": f"{base}?{urlencode({**_set(options), 'page': 'a3'})}"}
            if opts.page == "a4" else None,
            {"label": "part of the family, centred on one person", "href": f"/reviews/{quote(review)}#part-h"}]
    return [{"drawing": "genogram", "code": "text-under-8pt", "page": opts.page, "smallest_text_pt": round(pt, 1),
             "message": f"This genogram is too large for one {page} page: its smallest text would print at "
                        f"{pt:.1f} pt, under {MIN_FONT_PT:g} pt.",
             "ways": [w for w in ways if w]}]


def _set(options: dict[str, Any]) -> dict[str, Any]:
    """Drawing options as query parameters: the ones set, booleans as true/false."""
    return {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in options.items() if v not in (None, "")}


def reviews_in(q: Any, bound: dict[str, Any]) -> set[str]:
    """The reviews a canned query's bound parameters name (review, person and agency keys)."""
    out: set[str] = set()
    for p in q.parameters:
        value = bound.get(p.name)
        kind = p.of if p.type == "list" else p.type
        for v in (value if isinstance(value, list) else [value]):
            if v is None or kind not in ("review", "person", "agency"):
                continue
            out.add(str(v) if kind == "review" else str(v).split("/", 1)[0])
    return out


def person_view(case: Any, person_id: str) -> dict[str, Any]:
    """A person with their relationships, households, events and the agencies that saw them."""
    rels = [_dump(r) for r in case.relationships if person_id in (r.from_, r.to)]
    households = [_dump(h) for h in case.households if any(m.person == person_id for m in h.members)]
    events = [e for e in case.events if person_id in e.persons]
    agency_ids = sorted({e.agency for e in events if e.agency})
    agencies = [_dump(a) for a in case.agencies if a.id in agency_ids]
    return {"review": case.review.id, "person": _dump(case.person(person_id)), "relationships": rels,
            "households": households, "events": [_dump(e) for e in events], "agencies_seen_by": agencies}


def _dump(record: Any) -> dict[str, Any]:
    return record.model_dump(mode="json", by_alias=True, exclude_none=True)


def _problem_dict(p: Any) -> dict[str, Any]:
    if hasattr(p, "severity"):
        return {"line": p.line, "column": p.column, "path": p.path, "message": p.message,
                "severity": p.severity, "text": str(p)}
    return {"line": getattr(p, "line", None), "column": getattr(p, "column", None), "path": "",
            "message": getattr(p, "message", str(p)), "severity": "error", "text": str(p)}


def _public_query(d: dict[str, Any]) -> dict[str, Any]:
    """A query's description without the server's file paths."""
    return {k: v for k, v in d.items() if k not in ("file",)}


def _engine_problem(exc: Exception, query: str = "") -> Problem:
    """The engine's error as a problem: 504 when it says the query timed out, else 422. The
    engine's syntax errors quote the query, so the query's own words are left out of the look."""
    import re

    own = set(re.findall(r"\w+", query.lower()))
    words = [w for w in re.findall(r"\w+", str(exc).lower()) if w not in own]
    said = " ".join(words)
    if "timed out" in said or any("timeout" in w or "timedout" in w for w in words):
        return Problem(504, "the query ran longer than its timeout: narrow it (a review, a person, a date range)")
    return Problem(422, f"the graph engine refused the query: {str(exc).strip()[:300]}", "Query refused")

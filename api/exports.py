"""Exports and the other inputs over HTTP: RDF (streamed; pseudonymised for researchers), the
chronology spreadsheet, the DHRD aggregate views, a report turned into a draft case file, and
the linkage review queue. Each calls the library function the CLI calls.
"""

from __future__ import annotations

import queue
import re
import threading
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from dhrkg.formats import RDF_FORMATS, RDFFormat
from dhrkg.scratch import scratch_folder

from .accounts import User
from .problems import Problem
from .routes_api import ERRORS, signed_in, workspace
from .workspace import Workspace, paginate

router = APIRouter(prefix="/api/v1", responses=ERRORS)
REPORT_SUFFIXES = {".txt": "text/plain", ".md": "text/plain", ".pdf": "application/pdf",
                   ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


RDF_MEDIA = {f.name: f.media_type for f in RDF_FORMATS.values()}


class _Cancelled(Exception):
    pass


class _QueueWriter:
    """A text stream whose writes go to a queue (read by the response while the export runs)."""

    def __init__(self, chunks: "queue.Queue[Optional[str]]", cancelled: threading.Event):
        self.chunks, self.cancelled, self.buffer = chunks, cancelled, []

    def put(self, item: Optional[str]) -> None:
        while not self.cancelled.is_set():
            try:
                self.chunks.put(item, timeout=1)
                return
            except queue.Full:
                continue
        raise _Cancelled()

    def write(self, text: str) -> int:
        self.buffer.append(text)
        if sum(len(t) for t in self.buffer) > 65536:
            self.flush()
        return len(text)

    def flush(self) -> None:
        if self.buffer:
            self.put("".join(self.buffer))
            self.buffer = []


def streamed(produce: Callable[[Any], Any]) -> Iterator[str]:
    """Run ``produce(out)`` in a thread and yield what it writes, with bounded buffering."""
    chunks: "queue.Queue[Optional[str]]" = queue.Queue(maxsize=16)
    cancelled = threading.Event()
    failure: list[BaseException] = []

    def run() -> None:
        out = _QueueWriter(chunks, cancelled)
        try:
            produce(out)
            out.flush()
        except _Cancelled:
            return
        except Exception as exc:  # reported after the last chunk
            failure.append(exc)
        try:
            out.put(None)
        except _Cancelled:
            pass

    threading.Thread(target=run, daemon=True).start()
    try:
        while (chunk := chunks.get()) is not None:
            yield chunk
    finally:
        cancelled.set()  # the client went away: the export thread stops at its next write
    if failure:
        # the status line has gone; end the body with a comment saying the export is incomplete
        yield "\n# export failed part-way; this file is incomplete\n"


# --------------------------------------------------------------------------- RDF


@router.get("/export/rdf", summary="RDF export under the DHR ontology, streamed (researchers: pseudonymised only)",
            responses={200: {"content": {m: {} for m in RDF_MEDIA.values()}}})
def export_rdf(request: Request, format: RDFFormat = RDFFormat.nt, review: Optional[str] = Query(None, max_length=200),
               pseudonymise: bool = True, user: User = Depends(signed_in),
               ws: Workspace = Depends(workspace)) -> Response:
    from dhrkg.ontology.export import ExportOptions
    from dhrkg.ontology.graph_export import export_graph
    from dhrkg.ontology.pseudonymise import ExportKey

    if pseudonymise:
        ws.require(user, "export_pseudonymised")
    elif user.scope("read_review") != "all":
        raise Problem(403, f"a {user.role} gets only the pseudonymised export (pseudonymise=true)")
    if review is not None and review not in ws.store.reviews():
        raise Problem(404, f"no review {review!r} in the graph")
    key = ExportKey.from_file(Path(request.app.state.settings.data_dir) / "api" / "research.key") if pseudonymise else None
    opts = ExportOptions(pseudonymise=pseudonymise, key=key, generalise_dates="month" if pseudonymise else None)
    ws.audit.record(user.name, "export-rdf", review or "*", format=format.value, pseudonymised=pseudonymise)
    body = streamed(lambda out: export_graph(ws.store, out, format.value, opts, review=review))
    name = f"{review or 'dhrkg'}{'-pseudonymised' if pseudonymise else ''}.{format.value}"
    return StreamingResponse(body, media_type=RDF_MEDIA[format.value],
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --------------------------------------------------------------------------- chronology


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reviews/{review}/chronology.xlsx", summary="The review's chronology as a spreadsheet",
            responses={200: {"content": {XLSX: {}}}})
def chronology(review: str, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    from dhrkg.ingest.chronology import export_chronology

    case = ws.case(user, review)
    with scratch_folder("chronology") as tmp:
        path = tmp / f"{review}.xlsx"
        export_chronology(case, path)
        data = path.read_bytes()
    ws.audit.record(user.name, "export-chronology", review)
    return Response(data, media_type=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{review}-chronology.xlsx"'})


@router.post("/reviews/{review}/chronology", summary="Add a chronology spreadsheet's rows to a review as events",
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "properties": {"file": {"type": "string", "format": "binary"},
                                                  "replace_events": {"type": "boolean"}},
                 "required": ["file"]}}}}})
async def import_chronology(review: str, request: Request, user: User = Depends(signed_in),
                            ws: Workspace = Depends(workspace)) -> dict:
    name, data, form = await uploaded_file(request)
    replace = str(form.get("replace_events", "")).lower() in ("1", "true", "on", "yes")
    return await run_in_threadpool(ws.import_chronology, user, review, name, data, replace)


async def uploaded_file(request: Request) -> tuple[str, bytes, Any]:
    """The file of a multipart form field named ``file``: its base name, bytes, and the form."""
    if not request.headers.get("content-type", "").startswith("multipart/"):
        raise Problem(415, "send the file as a multipart form field named 'file'")
    form = await request.form()
    upload = form.get("file")
    if upload is None or isinstance(upload, str) or not upload.filename:
        raise Problem(422, "send the file in a multipart form field named 'file'")
    return Path(upload.filename).name, await upload.read(), form


# --------------------------------------------------------------------------- DHRD


@router.get("/dhrd", summary="The aggregate views of the national DHRD dataset (canned dhrd-* queries)")
def dhrd_views(user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    from dhrkg.graph.canned import describe

    ws.require(user, "aggregate")
    items = [{k: v for k, v in describe(q).items() if k != "file"} for q in ws.library if ws.is_aggregate(q)]
    return {"total": len(items), "items": items}


# --------------------------------------------------------------------------- report to draft


@router.post("/reports/extract", summary="Draft a case file from a report (txt, PDF, DOCX), with provenance",
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
                 "required": ["file"]}}}}},
             responses={200: {"content": {"application/yaml": {}}}})
async def extract(request: Request, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    name, data, _ = await uploaded_file(request)
    draft = await run_in_threadpool(draft_from_report, ws, user, name, data)
    return Response(draft, media_type="application/yaml",
                    headers={"Content-Disposition": f'attachment; filename="{Path(name).stem}-draft.yaml"'})


def draft_from_report(ws: Workspace, user: User, name: str, data: bytes) -> str:
    """The draft case file (YAML, every record pointing at its paragraphs) of a report."""
    from dhrkg.ingest.report import UnreadableReport, draft_yaml, extract_report

    ws.require(user, "extract_report")
    suffix = Path(name).suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise Problem(415, f"{name}: a report must be .txt, .pdf or .docx")
    with scratch_folder("report") as tmp:
        path = tmp / f"report{suffix}"
        path.write_bytes(data)
        try:
            case = extract_report(path)
        except UnreadableReport as exc:
            raise Problem(422, str(exc).replace(str(path), name)) from None
    ws.audit.record(user.name, "extract-report", name)
    return draft_yaml(case, header=name)


# --------------------------------------------------------------------------- linkage queue


class Decision(BaseModel):
    left: str = Field(..., max_length=200)
    right: str = Field(..., max_length=200)
    decision: str = Field(..., pattern="^(accept|reject)$")
    note: str = Field("", max_length=2000)


def _linkage_state(request: Request) -> Path:
    return Path(request.app.state.settings.data_dir) / "linkage"


@router.get("/linkage/pairs", summary="Uncertain record pairs waiting for a decision (as 'dhrkg link review')")
def linkage_pairs(request: Request, limit: int = Query(20, ge=1, le=1000), offset: int = Query(0, ge=0, le=10**9),
                  user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    from dhrkg.ingest import linkage as L

    ws.require(user, "linkage")
    state = _linkage_state(request)
    try:
        rows = L.pending_pairs(state)
    except L.LinkageError:
        rows = []
    page = paginate(rows, limit, offset)
    ids = {r[c] for r in page.items for c in ("record_id_l", "record_id_r")}
    records = L.records_by_id(L.records_file(state), ids)
    page.items = [{**r, "left": records.get(r["record_id_l"], {}), "right": records.get(r["record_id_r"], {})}
                  for r in page.items]
    ws.audit.record(user.name, "read-linkage-queue", "", count=len(page.items))
    return page.as_dict()


@router.post("/linkage/decisions", status_code=201, summary="Accept or reject a pair (as 'dhrkg link accept|reject')")
def linkage_decide(request: Request, body: Decision, user: User = Depends(signed_in),
                   ws: Workspace = Depends(workspace)) -> dict:
    from dhrkg.ingest import linkage as L

    ws.require(user, "linkage")
    try:
        d = L.decide(_linkage_state(request), body.left, body.right, body.decision, f"{body.note} (by {user.name})".strip())
    except L.LinkageError as exc:
        raise Problem(422, re.sub(r"^\S+: ", "", str(exc))) from None  # without the server's path
    ws.audit.record(user.name, f"linkage-{body.decision}", f"{d.left},{d.right}")
    return {"left": d.left, "right": d.right, "decision": d.decision, "decided_at": d.decided_at}

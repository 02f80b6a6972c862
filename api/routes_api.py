"""The JSON API under ``/api/v1``: reviews, persons, events, canned queries, Cypher, drawings."""

from __future__ import annotations

from typing import Any, Optional

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, Field

from dhrkg.renderers import DRAWING_FORMATS, RESULT_FORMATS, DrawingFormat, Households, Page, ResultFormat

from .accounts import User
from .problems import SCHEMA, Problem
from .workspace import Workspace, paginate

PROBLEM = {"content": {"application/problem+json": {"schema": SCHEMA}}}
ERRORS = {code: {"description": text, **PROBLEM} for code, text in (
    (401, "No valid token or session"), (403, "Not allowed for this role"), (404, "Not found"),
    (422, "Invalid input"))}
CASE_BODY = {"requestBody": {"required": True, "content": {
    "application/yaml": {"schema": {"type": "string"}},
    "application/json": {"schema": {"type": "object"}},
    "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}},
                                       "required": ["file"]}}}}}

router = APIRouter(prefix="/api/v1", responses=ERRORS)


async def signed_in(request: Request) -> User:
    return await request.app.state.auth.user(request)


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


Limit = Query(50, ge=1, le=1000, description="At most this many items.")
Offset = Query(0, ge=0, le=10**9, description="Skip this many items first.")


class CypherRequest(BaseModel):
    query: str = Field(..., max_length=20000, description="Read-only Cypher; $name for parameters.")
    parameters: dict[str, Any] = Field(default_factory=dict)
    timeout_ms: Optional[int] = Field(None, ge=1, le=600000)


# --------------------------------------------------------------------------- account


@router.get("/me", summary="The signed-in user and their role")
def me(user: User = Depends(signed_in)) -> dict:
    return {"name": user.name, "role": user.role, "reviews": user.reviews}


# --------------------------------------------------------------------------- reviews


@router.get("/reviews", summary="Reviews in the graph, filtered by area, year of the homicide, or text")
def list_reviews(area: str = Query("", max_length=200), year: str = Query("", pattern=r"^(\d{4})?$"),
                 q: str = Query("", max_length=200), limit: int = Limit, offset: int = Offset,
                 user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    return paginate(ws.list_reviews(user, area, year, q), limit, offset).as_dict()


async def case_text(request: Request) -> tuple[str, str]:
    """The case file sent: a YAML or JSON body, or a multipart ``file`` field."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype == "multipart/form-data":
        form = await request.form()
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise Problem(422, "send the case file in a form field named 'file'")
        data, name = await upload.read(), upload.filename or "upload.yaml"
    elif ctype in ("application/json", "application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml",
                   "text/plain"):
        data, name = await request.body(), "upload." + ("json" if ctype == "application/json" else "yaml")
    else:
        raise Problem(415, "send the case file as YAML, JSON or a multipart upload")
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        raise Problem(422, f"{name}: not UTF-8 text") from None


@router.post("/reviews", status_code=201, summary="Upload a case file: validated, then loaded atomically",
             openapi_extra=CASE_BODY)
async def upload_review(request: Request, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    from starlette.concurrency import run_in_threadpool

    text, name = await case_text(request)
    return await run_in_threadpool(ws.upload, user, text, name)


@router.get("/reviews/{review}", summary="A review's summary (as 'dhrkg summary --json')")
def get_review(review: str, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    return ws.summary(user, review)


@router.put("/reviews/{review}", summary="Replace a review with a new version of its case file",
            openapi_extra=CASE_BODY)
async def replace_review(review: str, request: Request, user: User = Depends(signed_in),
                         ws: Workspace = Depends(workspace)) -> dict:
    from starlette.concurrency import run_in_threadpool

    text, name = await case_text(request)
    return await run_in_threadpool(ws.upload, user, text, name, review)


@router.delete("/reviews/{review}", summary="Delete a review (admins only)")
def delete_review(review: str, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    return {"review": review, "nodes_deleted": ws.delete(user, review)}


@router.get("/reviews/{review}/persons", summary="The people of a review")
def persons(review: str, limit: int = Limit, offset: int = Offset, user: User = Depends(signed_in),
            ws: Workspace = Depends(workspace)) -> dict:
    return paginate(ws.persons(user, review), limit, offset).as_dict()


@router.get("/reviews/{review}/persons/{person}",
            summary="A person with relationships, households, events and the agencies that saw them")
def person(review: str, person: str, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    return ws.person(user, review, person)


@router.get("/reviews/{review}/households", summary="The households of a review")
def households(review: str, limit: int = Limit, offset: int = Offset, user: User = Depends(signed_in),
               ws: Workspace = Depends(workspace)) -> dict:
    return paginate(ws.households(user, review), limit, offset).as_dict()


@router.get("/reviews/{review}/agencies", summary="The agencies of a review")
def agencies(review: str, limit: int = Limit, offset: int = Offset, user: User = Depends(signed_in),
             ws: Workspace = Depends(workspace)) -> dict:
    return paginate(ws.agencies(user, review), limit, offset).as_dict()


@router.get("/reviews/{review}/events", summary="A review's chronology, filtered by person, agency, type, dates")
def events(review: str, person: str = Query("", max_length=200), agency: str = Query("", max_length=200),
           type: str = Query("", max_length=100), date_from: str = Query("", alias="from", max_length=10),
           date_to: str = Query("", alias="to", max_length=10), limit: int = Limit, offset: int = Offset,
           user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    found = ws.events(user, review, person, agency, type, date_from, date_to)
    return paginate(found, limit, offset).as_dict()


# --------------------------------------------------------------------------- queries


@router.get("/queries", summary="The canned queries with their typed parameters and columns")
def queries(user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    items = ws.query_list(user)
    return {"total": len(items), "items": items}


@router.get("/queries/{name}", summary="One canned query")
def query(name: str, user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> dict:
    from dhrkg.graph.canned import describe

    ws.require(user, "run_query")
    return {k: v for k, v in describe(ws.query(name)).items() if k != "file"}


def result_response(columns: list[str], rows: list[list[Any]], fmt: str, filename: str, *,
                    limit: Optional[int] = None, more: Optional[bool] = None) -> Response:
    """The rows in ``fmt``; a canned query's JSON also says its row limit (null: none) and whether
    it left rows out."""
    renderer = RESULT_FORMATS[fmt]
    if fmt == "json":
        from dhrkg.renderers import plain_records

        cut = {"limit": limit, "more": more} if more is not None else {}
        return Response(_json_dumps({"columns": columns, "total": len(rows), **cut,
                                     "rows": plain_records(columns, rows)}), media_type="application/json")
    return StreamingResponse(renderer.render(columns, rows), media_type=renderer.media_type,
                             headers={"Content-Disposition": f'attachment; filename="{filename}.{renderer.extension}"'})


def _json_dumps(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, default=str)


@router.get("/queries/{name}/run", summary="Run a canned query; parameters as query-string name=value",
            responses={200: {"content": {r.media_type.split(";")[0]: {} for r in RESULT_FORMATS.values()}}})
def run_query_get(name: str, request: Request, format: ResultFormat = ResultFormat.json,
                  user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    values: dict[str, Any] = {}
    for key, value in request.query_params.multi_items():
        if key == "format":
            continue
        values[key] = [*values[key], value] if isinstance(values.get(key), list) else (
            [values[key], value] if key in values else value)
    result = ws.run_query(user, name, values)
    return result_response(list(result.columns), result.rows, format.value, name, limit=result.limit, more=result.more)


@router.post("/queries/{name}/run", summary="Run a canned query with JSON parameters")
def run_query_post(name: str, parameters: dict[str, Any], format: ResultFormat = ResultFormat.json,
                   user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    result = ws.run_query(user, name, parameters)
    return result_response(list(result.columns), result.rows, format.value, name, limit=result.limit, more=result.more)


@router.post("/cypher", summary="Run read-only Cypher (analysts); writes are refused")
def cypher(body: CypherRequest, format: ResultFormat = ResultFormat.json, user: User = Depends(signed_in),
           ws: Workspace = Depends(workspace)) -> Response:
    result = ws.cypher(user, body.query, body.parameters, body.timeout_ms)
    return result_response(list(result.columns), result.rows, format.value, "cypher")


# --------------------------------------------------------------------------- drawings


def drawing_response(ws: Workspace, user: User, review: str, kind: str, fmt: DrawingFormat,
                     options: dict[str, Any]) -> Response:
    from dhrkg.visualisation import ConversionFailed, ConverterMissing

    svg = ws.drawing(user, review, kind, options)
    renderer = DRAWING_FORMATS[fmt.value]
    try:
        data = renderer.render(svg)
    except (ConverterMissing, ConversionFailed) as exc:
        raise Problem(503, str(exc)) from None
    ws.audit.record(user.name, "download", f"{review}/{kind}.{fmt.value}", options=options)
    name = drawing_file_name(review, kind, options, renderer.extension)
    return Response(data, media_type=renderer.media_type, headers={"Content-Disposition": f'inline; filename="{name}"'})


def drawing_file_name(review: str, kind: str, options: dict[str, Any], extension: str) -> str:
    """The name a drawing is saved under: the version for publication (no names, no dates of
    birth) is named so, never the same name as the one with names (saved beside it, a chair
    must not paste the wrong one into a published report); an A3 page says so too."""
    marks = [options["page"]] if options.get("page", "a4") != "a4" else []
    marks += ["publication"] if options.get("publication") else []
    return "-".join([review, kind, *marks]) + f".{extension}"


def genogram_options(person: Optional[str] = Query(None, max_length=200), up: int = Query(2, ge=0, le=20),
                     down: int = Query(2, ge=0, le=20), perpetrator_partners: bool = True,
                     households: Households = Households.current,
                     reference_date: Optional[str] = Query(None, max_length=10),
                     publication: bool = False, hide_children: bool = False,
                     page: Page = Page.a4) -> dict[str, Any]:
    from dhrkg.model.dates import PartialDate, PartialDateError

    if reference_date:
        try:
            PartialDate.parse(reference_date)
        except PartialDateError as exc:
            raise Problem(422, f"reference_date: {exc}") from None
    return {"person": person or None, "up": up, "down": down, "perpetrator_partners": perpetrator_partners,
            "households": households.value, "reference_date": reference_date or None,
            "publication": publication, "hide_children": hide_children,
            **({"page": page.value} if page != Page.a4 else {})}  # a4: the same cache key as before


def network_options(all_agencies: bool = False, flows: bool = True, publication: bool = False,
                    hide_children: bool = False) -> dict[str, Any]:
    return {"all_agencies": all_agencies, "information_flows": flows, "publication": publication,
            "hide_children": hide_children}


def timeline_options(person: list[str] = Query([]), date_from: Optional[str] = Query(None, alias="from", max_length=10),
                     date_to: Optional[str] = Query(None, alias="to", max_length=10),
                     publication: bool = False) -> dict[str, Any]:
    from dhrkg.model.dates import PartialDate, PartialDateError

    for name, value in (("from", date_from), ("to", date_to)):
        if value:
            try:
                PartialDate.parse(value)
            except PartialDateError as exc:
                raise Problem(422, f"{name}: {exc}") from None
    return {"persons": list(person), "date_from": date_from or None, "date_to": date_to or None,
            "publication": publication}


DRAWN = {"content": {"image/svg+xml": {}, "application/pdf": {}, "image/png": {}}}


@router.get("/reviews/{review}/genogram.{fmt}", summary="The review's genogram", responses={200: DRAWN})
def genogram(review: str, fmt: DrawingFormat, options: dict = Depends(genogram_options),
             user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    return drawing_response(ws, user, review, "genogram", fmt, options)


@router.get("/reviews/{review}/network.{fmt}", summary="The contact network (who knew what)",
            responses={200: DRAWN})
def network(review: str, fmt: DrawingFormat, options: dict = Depends(network_options),
            user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    return drawing_response(ws, user, review, "network", fmt, options)


@router.get("/reviews/{review}/timeline.{fmt}", summary="The chronology timeline", responses={200: DRAWN})
def timeline(review: str, fmt: DrawingFormat, options: dict = Depends(timeline_options),
             user: User = Depends(signed_in), ws: Workspace = Depends(workspace)) -> Response:
    return drawing_response(ws, user, review, "timeline", fmt, options)

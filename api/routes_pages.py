"""The web workspace: server-rendered pages (Jinja2), usable with JavaScript off.

Every page has a JSON twin at the same path with ``.json`` (as Datasette does): the same data
the template is given. Pages call the :class:`~dhrkg.api.workspace.Workspace`, as the JSON API
does. A browser signs in once with a token (``/signin``) and then holds the session cookie;
forms that change something carry the CSRF token.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Callable, Optional
from urllib.parse import quote, urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import assets, problems
from .accounts import User
from .auth import COOKIE, SESSION_SECONDS
from .linked_svg import describe_person, link_people, namespace_ids
from .problems import Problem
from .workspace import Workspace, genogram_warnings

_HERE = resources.files("dhrkg.api")
templates = Jinja2Templates(directory=str(_HERE / "templates"))
templates.env.globals["asset"] = assets.url  # a static file's versioned URL (dhrkg.api.assets)
templates.env.auto_reload = False  # the package's templates do not change while serving (no stat per page)
#: the characters that open or close a direction embedding, override or isolate (U+202A-202E,
#: U+2066-2069): valid in free text (a name written right to left), but one left open in a name
#: runs on past it and draws the page's own words around it backwards
_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def isolate_direction(value: Any) -> Any:
    """Every value a template shows, as the template gave it, but a text holding a direction
    control is set between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE (U+2068, U+2069):
    its overrides end with it (Unicode's bidirectional algorithm, X6a)."""
    if isinstance(value, str) and not _DIRECTION_CONTROLS.isdisjoint(value):
        return Markup(f"\u2068{value}\u2069") if isinstance(value, Markup) else f"\u2068{value}\u2069"
    return value


templates.env.finalize = isolate_direction
router = APIRouter(include_in_schema=False)
PERSON_TYPES = ("person",)
REVIEW_TYPES = ("review",)


class SignInNeeded(Exception):
    pass


def is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path.endswith(".json") or path in ("/openapi.json", "/docs", "/health"))


async def page_user(request: Request) -> User:
    try:
        return await request.app.state.auth.user(request)
    except Problem as exc:
        if exc.status == 401 and is_page(request):
            raise SignInNeeded() from None
        raise


def _ws(request: Request) -> Workspace:
    return request.app.state.workspace


def render(request: Request, user: Optional[User], template: str, data: dict[str, Any],
           extra: Optional[dict[str, Any]] = None, status: int = 200) -> Response:
    """The page, or its JSON twin when the path ends in ``.json`` (``extra`` is for the page only)."""
    if request.url.path.endswith(".json"):
        return JSONResponse(data, status_code=status)
    cookie = request.cookies.get(COOKIE, "")
    context = {"user": user, "data": data, "csrf": request.app.state.auth.csrf_token(cookie) if cookie else "",
               "path": request.url.path, "unfinished": _ws(request).unfinished_load() if user else None,
               **(extra or {})}
    return templates.TemplateResponse(request, template, context, status_code=status)


async def render_page(request: Request, user: Optional[User], template: str, data: dict[str, Any],
                      extra: Optional[dict[str, Any]] = None, status: int = 200) -> Response:
    """:func:`render` in a worker thread: rendering a page (the review page inlines its genogram)
    is CPU work that, on the event loop, held every other request until it was done."""
    return await run_in_threadpool(render, request, user, template, data, extra, status)


def twin(path: str, **kwargs: Any) -> Callable:
    """Register a page at ``path`` and its JSON twin at ``path.json``."""
    def register(fn: Callable) -> Callable:
        router.add_api_route(path + ".json", fn, methods=["GET"], **kwargs)
        router.add_api_route(path, fn, methods=["GET"], response_class=HTMLResponse, **kwargs)
        return fn
    return register


# --------------------------------------------------------------------------- sign-in


@router.get("/signin", response_class=HTMLResponse)
def signin_page(request: Request, next: str = "/reviews") -> Response:
    return render(request, None, "signin.html", {"next": _safe_next(next)})


@router.post("/signin")
async def signin(request: Request, token: str = Form(..., max_length=200), next: str = Form("/reviews")) -> Response:
    auth = request.app.state.auth
    try:
        user = await auth.sign_in(request, token.strip())
    except Problem as exc:
        return render(request, None, "signin.html", {"next": _safe_next(next)}, {"error": exc.detail}, status=401)
    auth.audit.record(user.name, "sign-in", request.client.host if request.client else "")
    target = _safe_next(next)
    if target == "/reviews" and user.scope("read_review") is None:
        target = "/export"  # a researcher's home
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, auth.make_session(user), max_age=SESSION_SECONDS, httponly=True,
                        samesite="strict", secure=auth.tls, path="/")
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    user = await page_user(request)  # checks the CSRF token
    request.app.state.auth.audit.record(user.name, "sign-out")
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no //host)."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/reviews"


@router.get("/")
def home() -> Response:
    return RedirectResponse("/reviews", status_code=303)


# --------------------------------------------------------------------------- reviews and people


@twin("/reviews")
async def reviews_page(request: Request, area: str = "", year: str = "", q: str = "") -> Response:
    user = await page_user(request)
    rows = await run_in_threadpool(_ws(request).list_reviews, user, area, year, q)
    return await render_page(request, user, "reviews.html", {"reviews": rows, "filters": {"area": area, "year": year, "q": q}})


@twin("/reviews/{review}")
async def review_page(request: Request, review: str) -> Response:
    user = await page_user(request)
    data, extra = await run_in_threadpool(_review_data, _ws(request), user, review)
    return await render_page(request, user, "review.html", data, extra)


def _review_data(ws: Workspace, user: User, review: str) -> tuple[dict, dict]:
    summary = ws.summary(user, review)
    case = ws.case(user, review)
    svg = ws.drawing(user, review, "genogram", {})
    warnings = genogram_warnings(review, svg, {})
    linked = link_people(namespace_ids(svg), lambda pid: f"/reviews/{quote(review)}/persons/{quote(pid)}",
                         lambda pid: describe_person(case, pid))
    data = {"summary": summary,
            "agencies": [{"id": a.id, "name": a.name, "type": a.type, "police_force_area": a.police_force_area}
                         for a in case.agencies],
            "queries": _review_queries(ws, user, case),
            "drawings": _drawing_links(review),
            "warnings": warnings}
    return data, {"genogram_svg": linked}


def _review_queries(ws: Workspace, user: User, case: Any) -> list[dict[str, str]]:
    """The canned queries that take this review or one of its victims or perpetrators, as links."""
    if not user.may("run_query", case.review.id):
        return []
    rid = case.review.id
    key_people = [p for p in case.persons if {"victim", "perpetrator"} & set(p.roles)]
    links = []
    for q in ws.library:
        for p in q.parameters:
            if p.type in REVIEW_TYPES:
                links.append({"query": q.name, "question": q.question, "for": rid,
                              "href": f"/queries/{q.name}?{urlencode({p.name: rid, 'run': 1})}"})
            elif p.type in PERSON_TYPES:
                links += [{"query": q.name, "question": q.question, "for": person.name or person.id,
                           "href": f"/queries/{q.name}?{urlencode({p.name: f'{rid}/{person.id}', 'run': 1})}"}
                          for person in key_people]
            else:
                continue
            break
    return links


def _drawing_links(review: str) -> list[dict[str, Any]]:
    base = f"/api/v1/reviews/{quote(review)}"
    return [{"drawing": kind, "links": [
        {"label": f"{fmt.upper()}{' for publication' if pub else ''}", "format": fmt, "publication": pub,
         "href": f"{base}/{kind}.{fmt}" + ("?publication=true" if pub else "")}
        for pub in (False, True) for fmt in ("svg", "png", "pdf")]}
        for kind in ("genogram", "network", "timeline")]


@router.get("/reviews/{review}/genogram")
async def genogram_form(request: Request, review: str, format: str = "svg", person: str = "", up: int = 2,
                        down: int = 2, publication: str = "", page: str = "a4") -> Response:
    """The review page's genogram form (no JavaScript): to the drawing with those options."""
    await page_user(request)
    if format not in ("svg", "png", "pdf"):
        raise Problem(422, f"format {format!r}: use svg, png or pdf")
    if page not in ("a4", "a3"):
        raise Problem(422, f"page {page!r}: use a4 or a3")
    params = {"up": up, "down": down, **({"person": person} if person else {}),
              **({"publication": "true"} if publication else {}), **({"page": page} if page != "a4" else {})}
    return RedirectResponse(f"/api/v1/reviews/{quote(review)}/genogram.{format}?{urlencode(params)}", status_code=303)


@twin("/reviews/{review}/persons/{person}")
async def person_page(request: Request, review: str, person: str) -> Response:
    user = await page_user(request)
    ws = _ws(request)
    data = await run_in_threadpool(ws.person, user, review, person)
    data["queries"] = _person_queries(ws, user, review, person)
    return await render_page(request, user, "person.html", data)


def _person_queries(ws: Workspace, user: User, review: str, person: str) -> list[dict[str, str]]:
    """The queries about one person (prior partners, children across households, linked records)."""
    if not user.may("run_query", review):
        return []
    out = []
    for q in ws.library:
        p = next((p for p in q.parameters if p.type in PERSON_TYPES), None)
        if p is not None:
            out.append({"query": q.name, "question": q.question,
                        "href": f"/queries/{q.name}?{urlencode({p.name: f'{review}/{person}', 'run': 1})}"})
    return out


# --------------------------------------------------------------------------- upload


@router.get("/upload", response_class=HTMLResponse)
async def upload_page(request: Request) -> Response:
    user = await page_user(request)
    return render(request, user, "upload.html", {"problems": [], "file": None})


@router.post("/upload")
async def upload(request: Request) -> Response:
    user = await page_user(request)  # checks the CSRF token
    form = await request.form()
    upload = form.get("file")
    name, raw = "pasted.yaml", str(form.get("text") or "").encode("utf-8")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        name, raw = upload.filename, await upload.read()
    if not raw.strip():
        return render(request, user, "upload.html", {"problems": [], "file": None},
                      {"error": "choose a case file or paste one"}, status=422)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return render(request, user, "upload.html", {"problems": [], "file": name},
                      {"error": f"{name}: not UTF-8 text"}, status=422)
    try:
        result = await run_in_threadpool(_ws(request).upload, user, text, name)
    except Problem as exc:
        if exc.status != 422:
            raise
        found = exc.extra.get("errors", [])
        pasted = text if name == "pasted.yaml" else ""
        return render(request, user, "upload.html", {"problems": found, "file": name},
                      {"error": exc.detail, "listing": _listing(text, found), "pasted": pasted}, status=422)
    return RedirectResponse(f"/reviews/{quote(result['review'])}", status_code=303)


def _listing(text: str, found: list[dict[str, Any]], context: int = 2) -> list[dict[str, Any]]:
    """The lines of the file around each problem, each problem beside its line."""
    lines = text.splitlines()
    by_line: dict[int, list[dict]] = {}
    for p in found:
        by_line.setdefault(p.get("line") or 1, []).append(p)
    shown = sorted({n for line in by_line for n in range(max(1, line - context), min(len(lines), line + context) + 1)})
    out, last = [], 0
    for n in shown:
        if n != last + 1 and out:
            out.append({"gap": True})
        out.append({"number": n, "text": lines[n - 1], "problems": by_line.get(n, [])})
        last = n
    return out


@router.get("/upload/chronology", response_class=HTMLResponse)
async def chronology_page(request: Request) -> Response:
    user = await page_user(request)
    return render(request, user, "upload_chronology.html", {"reviews": await _editable(request, user), "problems": []})


async def _editable(request: Request, user: User) -> list[str]:
    ws = _ws(request)
    ws.require(user, "edit_review")
    rows = await run_in_threadpool(ws.review_rows)
    return [r["id"] for r in rows if user.may("edit_review", r["id"])]


@router.post("/upload/chronology")
async def chronology_upload(request: Request) -> Response:
    from .exports import uploaded_file

    user = await page_user(request)  # checks the CSRF token
    name, data, form = await uploaded_file(request)
    review = str(form.get("review") or "")
    data_out = {"reviews": await _editable(request, user), "problems": [], "review": review}
    try:
        result = await run_in_threadpool(_ws(request).import_chronology, user, review, name, data,
                                         bool(form.get("replace_events")))
    except Problem as exc:
        if exc.status not in (415, 422):
            raise
        data_out["problems"] = exc.extra.get("errors", [])
        return render(request, user, "upload_chronology.html", data_out, {"error": exc.detail}, status=exc.status)
    return render(request, user, "upload_chronology.html", {**data_out, "result": result})


@router.get("/upload/report", response_class=HTMLResponse)
async def report_page(request: Request) -> Response:
    user = await page_user(request)
    _ws(request).require(user, "extract_report")
    return render(request, user, "upload_report.html", {"draft": None})


@router.post("/upload/report")
async def report_upload(request: Request) -> Response:
    from .exports import draft_from_report, uploaded_file

    user = await page_user(request)  # checks the CSRF token
    name, data, form = await uploaded_file(request)
    try:
        draft = await run_in_threadpool(draft_from_report, _ws(request), user, name, data)
    except Problem as exc:
        if exc.status not in (415, 422):
            raise
        return render(request, user, "upload_report.html", {"draft": None}, {"error": exc.detail}, status=exc.status)
    if form.get("action") == "download":
        return Response(draft, media_type="application/yaml",
                        headers={"Content-Disposition": f'attachment; filename="{Path(name).stem}-draft.yaml"'})
    return render(request, user, "upload_report.html", {"draft": draft, "file": name})


@twin("/export")
async def export_page(request: Request) -> Response:
    user = await page_user(request)
    ws = _ws(request)
    ws.require(user, "export_pseudonymised")
    reviews = await run_in_threadpool(lambda: ws.store.reviews())
    from dhrkg.formats import RDF_FORMATS

    formats = list(RDF_FORMATS)
    data = {"all": [{"format": f, "href": f"/api/v1/export/rdf?format={f}"} for f in formats],
            "reviews": [{"review": r, "href": f"/api/v1/export/rdf?{urlencode({'review': r, 'format': 'ttl'})}"}
                        for r in reviews],
            "views": [{"name": q.name, "question": q.question, "href": f"/queries/{q.name}?run=1"}
                      for q in ws.library if ws.is_aggregate(q)]}
    return render(request, user, "export.html", data)


# --------------------------------------------------------------------------- queries and Cypher


@twin("/queries")
async def queries_page(request: Request) -> Response:
    user = await page_user(request)
    return render(request, user, "queries.html", {"queries": _ws(request).query_list(user)})


@twin("/queries/{name}")
async def query_page(request: Request, name: str) -> Response:
    from dhrkg.graph.canned import describe

    user = await page_user(request)
    ws = _ws(request)
    q = ws.query(name)
    if not (ws.is_aggregate(q) and user.may("aggregate")):
        ws.require(user, "run_query")
    values = {k: v for k, v in request.query_params.items() if k != "run" and v != ""}
    data: dict[str, Any] = {"query": {k: v for k, v in describe(q).items() if k != "file"}, "values": values,
                            "result": None}
    if request.query_params.get("run"):
        try:
            result = await run_in_threadpool(ws.run_query, user, name, values)
        except Problem as exc:
            if exc.status != 422 or request.url.path.endswith(".json"):
                raise
            data["error"] = {"message": exc.detail, "field": _parameter_named(exc.detail, q)}
            return await render_page(request, user, "query.html", data, status=422)
        data["result"] = {**_table(list(result.columns), result.rows), "limit": result.limit, "more": result.more}
        data["downloads"] = {fmt: f"/api/v1/queries/{quote(name)}/run?{urlencode({**values, 'format': fmt})}"
                             for fmt in ("csv", "json")}
    return await render_page(request, user, "query.html", data)


def _parameter_named(message: str, query: Any) -> Optional[str]:
    """The query's parameter a refusal is about ("parameter before: ...", "... needs parameter
    person ..."), so the page marks that field; None when it names none."""
    import re

    found = re.search(r"\bparameters? (\w+)", message)
    names = {p.name for p in query.parameters}
    return found.group(1) if found and found.group(1) in names else None


def _table(columns: list[str], rows: list[list[Any]]) -> dict[str, Any]:
    """Rows as text cells, as the CLI's table shows them (evidence lists one item a line)."""
    from dhrkg.renderers import cell_text

    cells = [[cell_text(v) for v in r] for r in rows]
    wide = [i for i in range(len(columns)) if any(len(row[i]) > 60 for row in cells)]
    return {"columns": columns, "rows": cells, "total": len(rows), "wide": wide}


@twin("/cypher")
async def cypher_page(request: Request) -> Response:
    user = await page_user(request)
    _ws(request).require(user, "cypher")
    return render(request, user, "cypher.html", {"query": "", "result": None})


@router.post("/cypher")
async def cypher_run(request: Request) -> Response:
    user = await page_user(request)
    form = await request.form()
    text = str(form.get("query") or "")
    if len(text) > 20000:
        raise Problem(413, "the query is longer than 20,000 characters")
    _ws(request).require(user, "cypher")
    try:
        result = await run_in_threadpool(_ws(request).cypher, user, text, {})
    except Problem as exc:
        if exc.status not in CYPHER_REFUSALS:
            raise
        data = {"query": text, "result": None, "error": {"title": exc.title, "message": exc.detail}}
        return await render_page(request, user, "cypher.html", data, status=exc.status)
    return await render_page(request, user, "cypher.html", {"query": text, "result": _table(list(result.columns), result.rows)})


#: what is wrong with the query itself (a write, the engine's refusal, its timeout): the page
#: shows the query again under the message, to be corrected
CYPHER_REFUSALS = (403, 422, 504)


# --------------------------------------------------------------------------- errors


#: what a page's HTTP error says, when routing gave no words of its own
HTTP_DETAILS = {404: "there is no page at this address: check it, or start again from the reviews",
                405: "this address does not take that kind of request: use the page's own links and forms"}


async def _error_page(request: Request, status: int, title: str, detail: str) -> Response:
    """The workspace's error page: what went wrong, and a link back to where the chair was."""
    user = None
    try:
        user = await request.app.state.auth.user(request) if status != 401 else None
    except Problem:
        pass
    return render(request, user, "error.html",
                  {"status": status, "title": title, "detail": detail, "back": _way_back(request.url.path)},
                  status=status)


def _way_back(path: str) -> dict[str, str]:
    """The page to go back to from an error at ``path``: its review, the queries, or the reviews."""
    parts = path.split("/")
    if len(parts) > 3 and parts[1] == "reviews" and parts[2]:
        return {"href": f"/reviews/{quote(parts[2])}", "label": "Back to the review"}
    if parts[1:2] == ["upload"]:
        return {"href": path, "label": "Back to the upload"}
    if parts[1:2] == ["queries"] and len(parts) > 2:
        return {"href": "/queries", "label": "Back to the queries"}
    return {"href": "/reviews", "label": "Back to the reviews"}


def refusal_page(scope: dict, status: int, detail: str) -> Optional[Response]:
    """The error page for a request refused before it reached the application (a body over the
    size limit, refused by its Content-Length): None for the API, which answers problem+json."""
    request = Request(scope)
    if not is_page(request):
        return None
    return render(request, None, "error.html", {"status": status, "title": problems.TITLES.get(status, "Error"),
                                                "detail": detail, "back": _way_back(request.url.path)}, status=status)


async def _on_problem(request: Request, exc: Problem) -> Response:
    if not is_page(request):
        return await problems._on_problem(request, exc)
    return await _error_page(request, exc.status, exc.title, exc.detail)


async def _on_validation(request: Request, exc: RequestValidationError) -> Response:
    """A form value FastAPI refused (a number field left empty or holding words): on a page, the
    error page naming the field, not the API's JSON problem."""
    if not is_page(request):
        return await problems._on_validation(request, exc)
    return await _error_page(request, 422, problems.TITLES[422],
                             problems.validation_detail(problems.validation_errors(exc)))


async def _on_http(request: Request, exc: StarletteHTTPException) -> Response:
    """An address the workspace does not have (404) or a wrong method (405), on a page."""
    if not is_page(request):
        return await problems._on_http(request, exc)
    detail = HTTP_DETAILS.get(exc.status_code) or (exc.detail if isinstance(exc.detail, str) else "")
    return await _error_page(request, exc.status_code, problems.TITLES.get(exc.status_code, "Error"), detail)


async def _on_sign_in_needed(request: Request, exc: SignInNeeded) -> Response:
    return RedirectResponse(f"/signin?{urlencode({'next': request.url.path})}", status_code=303)


def install(app: FastAPI) -> None:
    app.include_router(router)
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(SignInNeeded, _on_sign_in_needed)

"""Canned queries: named, parameterised Cypher files an analyst can list and run.

A canned query is a ``NAME.cypher`` file whose header (YAML in ``//`` comment lines, or between
``---`` lines at the top) says what it is::

    // name: prior-partners
    // title: Former partners of a person and what agencies recorded about each pair
    // question: Were the person's previous partners known to agencies, and where?
    // parameters:
    //   person: {type: person, positional: true, description: 'Person key "<review>/<id>"'}
    //   days: {type: integer, default: 28}
    // columns:
    //   partner: key of the former partner
    //   events: the incidents and contacts involving the pair
    MATCH (p:Person {key: $person}) ...

Where FalkorDB and Neo4j need different Cypher, ``NAME.falkordb.cypher`` and/or
``NAME.neo4j.cypher`` sit beside ``NAME.cypher`` and replace its text on that engine (their own
header, if any, is ignored: the metadata lives in one place).

Queries are found in, in order (a later folder overrides a query of the same name):
the package (``dhrkg/graph/queries``), the user's folder (``~/.config/dhrkg/queries`` or the
platform's equivalent), each folder in ``DHRKG_QUERIES_DIR`` (``os.pathsep``-separated), and
folders passed by the caller (``--queries-dir``).

Parameter types: ``string``, ``integer``, ``float``, ``boolean``, ``date`` (partial ISO date;
the query also receives ``NAME_from`` and ``NAME_to``, the first and last day it covers),
``person`` (person key ``"<review>/<id>"``), ``review`` (review id), ``agency`` (agency key
``"<review>/<id>"``), and ``list`` (with ``of: <type>``; from the command line, comma-separated
or the parameter repeated).

A row limit: an integer parameter named ``limit`` (:data:`LIMIT_PARAMETER`; the query ends
``LIMIT $limit``) is at most that many rows, 0 for all of them. :func:`run` asks the engine for
one row more than the limit, so its result says whether rows were left out
(:class:`CannedResult`); the rows shown are the first of the rows with no limit.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional, Sequence

import yaml

from .store import QueryResult

BACKENDS = ("falkordb", "neo4j")
TYPES = ("string", "integer", "float", "boolean", "date", "person", "review", "agency", "list")
_NAME = re.compile(r"^[a-z0-9][a-z0-9\-_]*$")


class QueryError(Exception):
    """Base class for canned-query problems."""


class QueryFileInvalid(QueryError):
    """A query file that cannot be used; the message names the file (and line where known)."""

    def __init__(self, path: Path | str, message: str, line: Optional[int] = None):
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message}")


class UnknownQuery(QueryError):
    pass


class ParameterError(QueryError):
    """A parameter value that is missing, unknown or of the wrong type."""


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str = "string"
    of: Optional[str] = None  # item type of a list
    default: Any = None
    required: bool = True
    description: str = ""
    positional: bool = False
    choices: Optional[tuple] = None
    minimum: Optional[float] = None  # integer: 0 unless the header says (see INTEGER_RANGE)
    maximum: Optional[float] = None

    @property
    def type_label(self) -> str:
        return f"list of {self.of}" if self.type == "list" else self.type


@dataclass
class CannedQuery:
    name: str
    title: str
    question: str
    parameters: list[Parameter]
    columns: dict[str, str]
    cypher: Optional[str]  # portable text (NAME.cypher), None if only engine variants exist
    variants: dict[str, str] = field(default_factory=dict)  # backend -> text
    path: Optional[Path] = None  # the file the metadata came from
    origin: str = "package"  # "package", "user" or a folder
    example: Optional[str] = None
    notes: Optional[str] = None
    category: Optional[str] = None
    period: Optional[str] = None  # which events it covers: before the homicide, the whole record ...
    scope: Optional[str] = None  # "national": a scan of every loaded review (SCOPES)
    overrides: Optional[Path] = None  # the file of a same-named query this one replaces
    cypher_line: int = 1  # line of the file where the Cypher starts (for messages)
    variant_lines: dict[str, int] = field(default_factory=dict)

    def text_for(self, backend: str) -> str:
        """The Cypher to send to ``backend`` ("falkordb" or "neo4j")."""
        if backend in self.variants:
            return self.variants[backend]
        if self.cypher is None:
            raise QueryError(f"query {self.name!r} has no Cypher for {backend} (only for {', '.join(self.variants)})")
        return self.cypher

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name!r} has no parameter {name!r} (it takes: {self._names()})")

    def _names(self) -> str:
        return ", ".join(p.name for p in self.parameters) or "no parameters"

    @property
    def positional(self) -> list[Parameter]:
        return [p for p in self.parameters if p.positional]

    def usage(self) -> str:
        parts = [self.name]
        for p in self.parameters:
            if p.positional:
                token = p.name.upper() + ("..." if p.type == "list" else "")
                parts.append(token if p.required else f"[{token}]")
        for p in self.parameters:
            if not p.positional:
                value = "..." if p.default is None else _fmt_default(p.default)
                parts.append(f"[--param {p.name}={value}]" if not p.required else f"--param {p.name}=...")
        return " ".join(parts)


# --------------------------------------------------------------------------- parsing

MAX_HEADER_CHARS = 64 * 1024  # a real header is well under 2,000
_FRONT_KEYS = {"name", "title", "question", "parameters", "columns", "example", "notes", "category", "period", "scope"}
#: ``scope: national``: the query reads every loaded review (a national scan): seconds, not
#: milliseconds, at national scale, unless narrowed (``--param review=...``).
SCOPES = {"national": "national scan: reads every loaded review"}


def split_front_matter(text: str) -> tuple[Optional[str], str, int]:
    """(YAML header or None, Cypher body, line number where the body starts)."""
    lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i < len(lines) and lines[i].strip() == "---":
        for j in range(i + 1, len(lines)):
            if lines[j].strip() == "---":
                return "\n".join(lines[i + 1 : j]), "\n".join(lines[j + 1 :]), j + 2
        return "\n".join(lines[i + 1 :]), "", len(lines) + 1
    header: list[str] = []
    j = i
    while j < len(lines) and lines[j].lstrip().startswith("//"):
        content = lines[j].lstrip()[2:]
        if content.startswith(" "):
            content = content[1:]
        if content.strip() != "---":
            header.append(content)
        j += 1
    if header and re.search(r"^(name|title|question|parameters|columns)\s*:", "\n".join(header), re.MULTILINE):
        return "\n".join(header), "\n".join(lines[j:]), j + 1
    return None, text, 1


def _parse_parameter(path: Path, name: Any, spec: Any) -> Parameter:
    if not isinstance(name, str) or not re.match(r"^[A-Za-z_]\w*$", name):
        raise QueryFileInvalid(path, f"parameter name {name!r} is not an identifier")
    if spec is None:
        spec = {}
    if isinstance(spec, str):
        spec = {"type": spec}
    if not isinstance(spec, dict):
        raise QueryFileInvalid(path, f"parameter {name}: expected a mapping (type, default, description), got {spec!r}")
    unknown = set(spec) - {"type", "of", "default", "required", "description", "positional", "choices", "min", "max"}
    if unknown:
        raise QueryFileInvalid(path, f"parameter {name}: unknown field(s) {', '.join(sorted(unknown))}")
    ptype = spec.get("type", "string")
    if ptype not in TYPES:
        raise QueryFileInvalid(path, f"parameter {name}: type {ptype!r} is not one of {', '.join(TYPES)}")
    of = spec.get("of")
    if ptype == "list":
        of = of or "string"
        if of not in TYPES or of == "list":
            raise QueryFileInvalid(path, f"parameter {name}: list item type {of!r} is not one of {', '.join(TYPES[:-1])}")
    elif of is not None:
        raise QueryFileInvalid(path, f"parameter {name}: 'of' only applies to type list")
    has_default = "default" in spec
    required = bool(spec.get("required", not has_default))
    choices = spec.get("choices")
    if choices is not None and not isinstance(choices, list):
        raise QueryFileInvalid(path, f"parameter {name}: choices must be a list")
    for bound in ("min", "max"):
        if bound in spec and (isinstance(spec[bound], bool) or not isinstance(spec[bound], (int, float))):
            raise QueryFileInvalid(path, f"parameter {name}: {bound} must be a number")
    param = Parameter(
        name=name,
        type=ptype,
        of=of,
        default=spec.get("default"),
        required=required,
        description=str(spec.get("description", "") or ""),
        positional=bool(spec.get("positional", False)),
        choices=tuple(choices) if choices is not None else None,
        minimum=spec.get("min"),
        maximum=spec.get("max"),
    )
    if has_default and spec["default"] is not None:
        try:
            object.__setattr__(param, "default", coerce(param, spec["default"]))
        except ParameterError as exc:
            raise QueryFileInvalid(path, f"default of parameter {name}: {exc}") from None
    return param


_PARAM_REF = re.compile(r"\$([A-Za-z_]\w*)")


def parse_query_text(text: str, path: Path | str = "<text>", *, origin: str = "package") -> CannedQuery:
    """Read one query file's text; raises :class:`QueryFileInvalid` naming what is wrong."""
    path = Path(path)
    header, body, body_line = split_front_matter(text)
    if header is None:
        raise QueryFileInvalid(path, "no header: start the file with '// name: ...' lines (or a '---' YAML block)", 1)
    if len(header) > MAX_HEADER_CHARS:
        raise QueryFileInvalid(path, f"header is longer than {MAX_HEADER_CHARS:,} characters", 1)
    try:
        meta = yaml.safe_load(header) or {}
    except RecursionError:
        raise QueryFileInvalid(path, "header is nested too deeply", 1) from None
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise QueryFileInvalid(path, f"header is not valid YAML: {getattr(exc, 'problem', exc)}",
                               (line + 1) if line is not None else None) from None
    if not isinstance(meta, dict):
        raise QueryFileInvalid(path, "header must be a YAML mapping (name: ..., title: ...)", 1)
    unknown = set(meta) - _FRONT_KEYS
    if unknown:
        raise QueryFileInvalid(path, f"unknown header field(s): {', '.join(sorted(unknown))} "
                                     f"(allowed: {', '.join(sorted(_FRONT_KEYS))})")
    for key in ("name", "title", "question"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise QueryFileInvalid(path, f"header field '{key}' is missing or empty")
    name = meta["name"].strip()
    if not _NAME.match(name):
        raise QueryFileInvalid(path, f"name {name!r} must be lower-case letters, digits and '-'")
    stem = path.name.split(".")[0]
    if path.suffix == ".cypher" and stem != name:
        raise QueryFileInvalid(path, f"name {name!r} does not match the file name {path.name!r} (expected {name}.cypher)")
    raw_params = meta.get("parameters") or {}
    if isinstance(raw_params, list):  # list of one-key mappings
        merged: dict = {}
        for item in raw_params:
            if not isinstance(item, dict) or len(item) != 1:
                raise QueryFileInvalid(path, f"parameters: each list item must be 'name: {{...}}', got {item!r}")
            merged.update(item)
        raw_params = merged
    if not isinstance(raw_params, dict):
        raise QueryFileInvalid(path, "parameters must be a mapping of name to {type, default, description}")
    params = [_parse_parameter(path, k, v) for k, v in raw_params.items()]
    positional = [p for p in params if p.positional]
    for p in positional[:-1]:
        if p.type == "list":
            raise QueryFileInvalid(path, f"parameter {p.name}: only the last positional parameter may be a list")
    seen_optional = False
    for p in positional:
        if not p.required:
            seen_optional = True
        elif seen_optional:
            raise QueryFileInvalid(path, f"parameter {p.name}: a required positional parameter cannot follow an optional one")
    columns = meta.get("columns") or {}
    if isinstance(columns, list):
        cols: dict[str, str] = {}
        for item in columns:
            if isinstance(item, str):
                cols[item] = ""
            elif isinstance(item, dict) and len(item) == 1:
                (k, v), = item.items()
                cols[str(k)] = str(v or "")
            else:
                raise QueryFileInvalid(path, f"columns: expected a name or 'name: description', got {item!r}")
        columns = cols
    if not isinstance(columns, dict) or not columns:
        raise QueryFileInvalid(path, "header field 'columns' is missing: list the result columns and what each holds")
    if not body.strip():
        raise QueryFileInvalid(path, "the file has a header but no Cypher", body_line)
    query = CannedQuery(
        name=name,
        title=meta["title"].strip(),
        question=" ".join(meta["question"].split()),
        parameters=params,
        columns={str(k): str(v or "") for k, v in columns.items()},
        cypher=body.strip() + "\n",
        path=path,
        origin=origin,
        example=meta.get("example"),
        notes=meta.get("notes"),
        category=meta.get("category"),
        period=" ".join(str(meta["period"]).split()) if meta.get("period") else None,
        scope=_scope(meta.get("scope"), path, body_line),
        cypher_line=body_line + _leading_blank_lines(body),
    )
    _check_references(query, body, path)
    return query


def _leading_blank_lines(body: str) -> int:
    n = 0
    for line in body.split("\n"):
        if line.strip():
            break
        n += 1
    return n


def _check_references(query: CannedQuery, body: str, path: Path) -> None:
    """Every $parameter in the Cypher is declared (date parameters also give $NAME_from/_to)."""
    from .lint import mask

    declared = {p.name for p in query.parameters}
    for p in query.parameters:
        if p.type == "date":
            declared |= {f"{p.name}_from", f"{p.name}_to"}
    masked = mask(body)
    for hit in _PARAM_REF.finditer(masked):
        if hit.group(1) not in declared:
            line = masked.count("\n", 0, hit.start()) + 1
            raise QueryFileInvalid(path, f"the Cypher uses ${hit.group(1)}, which is not a declared parameter", line)


# --------------------------------------------------------------------------- the library


def package_dir() -> Path:
    return Path(str(resources.files("dhrkg.graph") / "queries"))


def user_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("dhrkg")) / "queries"


def search_dirs(extra: Iterable[Path | str] = (), *, include_user: bool = True) -> list[tuple[str, Path]]:
    """(origin, folder) in load order: package, user folder, $DHRKG_QUERIES_DIR, ``extra``."""
    dirs: list[tuple[str, Path]] = [("package", package_dir())]
    if include_user:
        dirs.append(("user", user_dir()))
        env = os.environ.get("DHRKG_QUERIES_DIR", "")
        for part in env.split(os.pathsep):
            if part.strip():
                dirs.append(("DHRKG_QUERIES_DIR", Path(part.strip()).expanduser()))
    for d in extra:
        dirs.append(("--queries-dir", Path(d).expanduser()))
    return dirs


@dataclass
class QueryLibrary:
    queries: dict[str, CannedQuery]
    problems: list[QueryFileInvalid]
    folders: list[tuple[str, Path]]

    def names(self) -> list[str]:
        return sorted(self.queries)

    def get(self, name: str) -> CannedQuery:
        try:
            return self.queries[name]
        except KeyError:
            broken = [p for p in self.problems if Path(p.path).name.split(".")[0] == name]
            if broken:
                raise UnknownQuery(f"query {name!r} cannot be used: {broken[0]}") from None
            close = [n for n in self.names() if name in n or n in name]
            hint = f" Did you mean: {', '.join(close)}?" if close else " 'dhrkg queries' lists them."
            raise UnknownQuery(f"no query named {name!r}.{hint}") from None

    def __iter__(self):
        return iter(self.queries[n] for n in self.names())

    def __len__(self) -> int:
        return len(self.queries)


def load_folder(folder: Path, origin: str = "package") -> tuple[list[CannedQuery], list[QueryFileInvalid]]:
    """The queries in one folder (recursively). Broken files are returned as problems."""
    queries: list[CannedQuery] = []
    problems: list[QueryFileInvalid] = []
    if not folder.is_dir():
        return queries, problems
    groups: dict[tuple[Path, str], dict[str, Path]] = {}
    for f in sorted(folder.rglob("*.cypher")):
        parts = f.name.split(".")
        if len(parts) == 2:
            groups.setdefault((f.parent, parts[0]), {})[""] = f
        elif len(parts) == 3 and parts[1] in BACKENDS:
            groups.setdefault((f.parent, parts[0]), {})[parts[1]] = f
        else:
            problems.append(QueryFileInvalid(f, "file name must be NAME.cypher, NAME.falkordb.cypher or NAME.neo4j.cypher"))
    for (parent, stem), files in sorted(groups.items()):
        try:
            queries.append(_load_group(stem, files, origin))
        except QueryFileInvalid as exc:
            problems.append(exc)
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(QueryFileInvalid(parent / stem, f"cannot read: {exc}"))
    return queries, problems


def _load_group(stem: str, files: dict[str, Path], origin: str) -> CannedQuery:
    main = files.get("")
    if main is None:
        # Only engine variants: the metadata comes from the first one that has a header,
        # and both engines must be covered.
        missing = [b for b in BACKENDS if b not in files]
        if missing:
            f = next(iter(files.values()))
            raise QueryFileInvalid(f, f"no {stem}.cypher and no {stem}.{missing[0]}.cypher: "
                                      f"the query would not run on {missing[0]}")
        for b in BACKENDS:
            header, _, _ = split_front_matter(files[b].read_text(encoding="utf-8"))
            if header is not None:
                query = parse_query_text(files[b].read_text(encoding="utf-8"), files[b].with_name(f"{stem}.cypher"), origin=origin)
                query.path = files[b]
                query.cypher = None
                break
        else:
            raise QueryFileInvalid(files[BACKENDS[0]], "no header in any variant of this query")
    else:
        query = parse_query_text(main.read_text(encoding="utf-8"), main, origin=origin)
    for backend in BACKENDS:
        f = files.get(backend)
        if f is None:
            continue
        _, body, body_line = split_front_matter(f.read_text(encoding="utf-8"))
        if not body.strip():
            raise QueryFileInvalid(f, "the variant has no Cypher")
        _check_references(query, body, f)
        query.variants[backend] = body.strip() + "\n"
        query.variant_lines[backend] = body_line + _leading_blank_lines(body)
    return query


def load_library(extra_dirs: Iterable[Path | str] = (), *, include_user: bool = True) -> QueryLibrary:
    """All queries from the package, the user's folders and ``extra_dirs``."""
    folders = search_dirs(extra_dirs, include_user=include_user)
    queries: dict[str, CannedQuery] = {}
    problems: list[QueryFileInvalid] = []
    for origin, folder in folders:
        found, bad = load_folder(folder, origin)
        problems.extend(bad)
        for q in found:
            if q.name in queries:
                q.overrides = queries[q.name].path
            queries[q.name] = q
    return QueryLibrary(queries, problems, folders)


# --------------------------------------------------------------------------- parameters

_TRUE = {"true", "yes", "y", "1", "on"}
_FALSE = {"false", "no", "n", "0", "off"}


def _coerce_scalar(name: str, ptype: str, value: Any) -> Any:
    if value is None:
        return None
    if ptype == "string":
        return value if isinstance(value, str) else str(value)
    if ptype == "integer":
        if isinstance(value, bool):
            raise ParameterError(f"parameter {name}: expected a whole number, got {value!r}")
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            raise ParameterError(f"parameter {name}: expected a whole number, got {value!r}") from None
    if ptype == "float":
        if isinstance(value, bool):
            raise ParameterError(f"parameter {name}: expected a number, got {value!r}")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ParameterError(f"parameter {name}: expected a number, got {value!r}") from None
    if ptype == "boolean":
        if isinstance(value, bool):
            return value
        s = str(value).strip().lower()
        if s in _TRUE:
            return True
        if s in _FALSE:
            return False
        raise ParameterError(f"parameter {name}: expected true or false, got {value!r}")
    if ptype == "date":
        from dhrkg.model import PartialDate, PartialDateError

        try:
            return str(PartialDate.parse(value))
        except PartialDateError as exc:
            raise ParameterError(f"parameter {name}: {exc}") from None
    if ptype in ("person", "agency"):
        s = str(value).strip()
        review, sep, local = s.partition("/")
        if not sep or not review or not local:
            raise ParameterError(
                f"parameter {name}: expected a {ptype} key '<review>/<id>' (e.g. north-worcs-dhr-7/Perpetrator), got {value!r}"
            )
        return s
    if ptype == "review":
        s = str(value).strip()
        if not s or "/" in s:
            raise ParameterError(f"parameter {name}: expected a review id (e.g. north-worcs-dhr-7), got {value!r}")
        return s
    raise ParameterError(f"parameter {name}: unknown type {ptype!r}")  # pragma: no cover


def coerce(param: Parameter, value: Any) -> Any:
    """A value in the parameter's type, from a string (command line) or a Python value."""
    if param.type == "list":
        if isinstance(value, str):
            items = [v.strip() for v in value.split(",") if v.strip()]
        elif isinstance(value, (list, tuple)):
            items = []
            for v in value:
                items.extend([x.strip() for x in v.split(",") if x.strip()] if isinstance(v, str) else [v])
        else:
            raise ParameterError(f"parameter {param.name}: expected a list, got {value!r}")
        out = [_coerce_scalar(param.name, param.of or "string", v) for v in items]
    else:
        if isinstance(value, (list, tuple)):
            if len(value) != 1:
                raise ParameterError(f"parameter {param.name}: given {len(value)} times, expected one value")
            value = value[0]
        out = _coerce_scalar(param.name, param.type, value)
    if param.choices is not None and out is not None:
        bad = [v for v in (out if isinstance(out, list) else [out]) if v not in param.choices]
        if bad:
            raise ParameterError(
                f"parameter {param.name}: {bad[0]!r} is not one of {', '.join(map(str, param.choices))}"
            )
    for v in (out if isinstance(out, list) else [out]):
        _check_range(param, v)
    return out


#: The range of an integer parameter whose header gives no min/max: the canned queries' whole
#: numbers are counts (days, months, hops, people), and an engine's integers are 64-bit.
INTEGER_RANGE = (0, 100_000)
INT64 = (-(2**63), 2**63 - 1)


def _check_range(param: Parameter, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    is_int = (param.of if param.type == "list" else param.type) == "integer"
    lo = param.minimum if param.minimum is not None else (INTEGER_RANGE[0] if is_int else None)
    hi = param.maximum if param.maximum is not None else (INTEGER_RANGE[1] if is_int else None)
    if is_int:
        lo, hi = max(lo, INT64[0]), min(hi, INT64[1])
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        shown = str(value) if len(str(value)) <= 24 else f"a number of {len(str(value))} digits"
        raise ParameterError(f"parameter {param.name}: {shown} is out of range ({lo} to {hi})")


def bind(query: CannedQuery, values: Mapping[str, Any] | None = None, positional: Sequence[Any] = ()) -> dict[str, Any]:
    """The parameter map for a run: positional values first (in declared order; a trailing list
    parameter takes the rest), then named ``values``, then defaults. Raises ParameterError."""
    values = dict(values or {})
    bound: dict[str, Any] = {}
    pos_params = query.positional
    args = list(positional)
    for p in pos_params:
        if not args:
            break
        if p.type == "list":
            bound[p.name] = coerce(p, args)
            args = []
        else:
            bound[p.name] = coerce(p, args.pop(0))
    if args:
        if not pos_params:
            raise ParameterError(f"query {query.name!r} takes no positional arguments (usage: {query.usage()})")
        raise ParameterError(f"too many arguments for {query.name!r}: {args!r} (usage: {query.usage()})")
    for name, value in values.items():
        p = query.parameter(name)
        if p.name in bound:
            raise ParameterError(f"parameter {name} given twice (as an argument and as --param)")
        bound[p.name] = coerce(p, value)
    for p in query.parameters:
        if p.name not in bound:
            if p.required:
                raise ParameterError(
                    f"query {query.name!r} needs parameter {p.name} ({p.type_label}"
                    f"{': ' + p.description if p.description else ''}); usage: {query.usage()}"
                )
            bound[p.name] = p.default
    for p in query.parameters:
        if p.type == "date":
            from dhrkg.model import PartialDate

            v = bound[p.name]
            d = PartialDate.parse(v) if v is not None else None
            bound[f"{p.name}_from"] = d.earliest.isoformat() if d else None
            bound[f"{p.name}_to"] = d.latest.isoformat() if d else None
    return bound


# --------------------------------------------------------------------------- running


def check_references_exist(store: Any, query: CannedQuery, params: Mapping[str, Any]) -> None:
    """Fail with a clear message when a person/review/agency parameter names nothing in the
    graph (otherwise the query would just return no rows)."""
    lookups = {"person": "Person", "agency": "Agency", "review": "Review"}
    for p in query.parameters:
        kind = p.of if p.type == "list" else p.type
        if kind not in lookups or params.get(p.name) is None:
            continue
        values = params[p.name] if p.type == "list" else [params[p.name]]
        res = store.query(
            f"UNWIND $keys AS k OPTIONAL MATCH (n:{lookups[kind]} {{key: k}}) RETURN k, n IS NOT NULL AS found",
            {"keys": list(values)},
        )
        missing = [r[0] for r in res.rows if not r[1]]
        if missing:
            hint = ""
            if kind in ("person", "agency"):
                review = missing[0].split("/", 1)[0]
                ids = store.query(
                    f"MATCH (n:{lookups[kind]} {{review: $r}}) RETURN n.id AS id ORDER BY id LIMIT 40", {"r": review}
                ).rows
                if ids:
                    hint = f" {lookups[kind]} ids in review {review}: {', '.join(str(r[0]) for r in ids)}"
                else:
                    hint = f" (no review {review!r} is loaded)"
            elif kind == "review":
                ids = store.query("MATCH (r:Review) RETURN r.id AS id ORDER BY id LIMIT 40").rows
                hint = f" Loaded reviews: {', '.join(str(r[0]) for r in ids) or 'none'}"
            raise ParameterError(f"parameter {p.name}: no {kind} {missing[0]!r} in the graph.{hint}")


def _scope(value: Any, path: Path, line: int) -> Optional[str]:
    if value is None:
        return None
    if value not in SCOPES:
        raise QueryFileInvalid(path, f"scope: {value!r} is not one of: {', '.join(sorted(SCOPES))}", line)
    return str(value)


#: The parameter that limits a query's rows (0: no limit); see the module's docstring.
LIMIT_PARAMETER = "limit"
#: What the engine is sent for "no limit" (both engines want LIMIT's value as an integer;
#: FalkorDB's LIMIT returns no rows from 2**32 up).
NO_LIMIT = 2**31 - 1


@dataclass
class CannedResult(QueryResult):
    """A canned query's rows; ``limit`` the row limit it ran with (None: none), ``more`` true when
    the limit left rows out."""

    limit: Optional[int] = None
    more: bool = False


def has_row_limit(query: CannedQuery) -> bool:
    return any(p.name == LIMIT_PARAMETER for p in query.parameters)


def row_limit(query: CannedQuery, params: Mapping[str, Any]) -> Optional[int]:
    """The row limit of a run (None: the query has none, or it is 0)."""
    return (params.get(LIMIT_PARAMETER) or None) if has_row_limit(query) else None


def limited(result: QueryResult, limit: Optional[int]) -> CannedResult:
    """``result`` cut to ``limit`` rows (None: all), saying whether rows were left out."""
    more = limit is not None and len(result.rows) > limit
    return CannedResult(list(result.columns), result.rows[:limit] if more else result.rows, limit, more)


class UnfinishedLoadError(QueryError):
    """A query that reads the summaries, on a graph where a bulk load that has not finished
    would leave its reviews out of the answer (``mark``: dhrkg.graph.unfinished.UnfinishedLoad)."""

    def __init__(self, query: CannedQuery, mark: Any, where: bool = True):
        self.query, self.mark = query, mark
        narrow = (" (or narrow it to a review that load does not hold: --param review=ID)"
                  if any(p.name == "review" for p in query.parameters) else "")
        finish = f"run `{mark.command()}` again" if where else "ask whoever runs it to finish it"
        super().__init__(f"{query.name} reads the summaries a bulk load computes when it ends, and "
                         f"{mark.what(where)}: its reviews would be missing or wrong in the answer; "
                         f"{finish}{narrow}")

    def without_paths(self) -> "UnfinishedLoadError":
        """The same refusal, not naming the server's folders (the HTTP API's)."""
        return UnfinishedLoadError(self.query, self.mark, where=False)


def refuse_unsummarised(store: Any, query: CannedQuery, params: Mapping[str, Any]) -> None:
    """:class:`UnfinishedLoadError` when ``query`` reads the summaries of the national scans
    (dhrkg.graph.summaries.reads_summaries) and would read a review of an unfinished bulk load:
    all of them, or the review it is narrowed to (``review``) when that load holds it. Such a
    query refuses rather than answer without those reviews: an empty answer to a scan for missed
    links reads as "none found" (docs/cli.md, "Loading a national dataset")."""
    from .summaries import reads_summaries

    if not reads_summaries(query.text_for(store.backend)):
        return
    mark = store.unfinished_load()
    if mark is None:
        return
    review = params.get("review")
    if review is None or review in mark.reviews:
        raise UnfinishedLoadError(query, mark)


def run(store: Any, query: CannedQuery, params: Mapping[str, Any], *, timeout_ms: Optional[int] = None,
        check_exists: bool = False) -> CannedResult:
    """Run a canned query read-only through the store; ``params`` as returned by :func:`bind`.
    A scan that reads summaries refuses while a bulk load is unfinished (:func:`refuse_unsummarised`)."""
    from .readonly import check_read_only

    text = query.text_for(store.backend)
    check_read_only(text)
    refuse_unsummarised(store, query, params)
    if check_exists:
        check_references_exist(store, query, params)
    sent = dict(params)
    limit = row_limit(query, params)
    if has_row_limit(query):
        sent[LIMIT_PARAMETER] = NO_LIMIT if limit is None else limit + 1  # one more: were rows left out?
    return limited(store.query(text, sent, timeout_ms=timeout_ms), limit)


# --------------------------------------------------------------------------- documentation

DOC_BEGIN = "<!-- BEGIN GENERATED QUERY REFERENCE (python -m dhrkg.graph.canned --write) -->"
DOC_END = "<!-- END GENERATED QUERY REFERENCE -->"


def describe(q: "CannedQuery") -> dict:
    """A query's name, question, typed parameters and columns as plain data (CLI --json, HTTP API)."""
    return {
        "name": q.name, "title": q.title, "question": q.question, "period": q.period, "scope": q.scope, "usage": f"dhrkg run {q.usage()}",
        "parameters": [
            {"name": p.name, "type": p.type_label, "required": p.required, "default": p.default,
             "positional": p.positional, "description": p.description,
             **({"choices": list(p.choices)} if p.choices else {})}
            for p in q.parameters
        ],
        "columns": q.columns, "example": q.example, "file": str(q.path), "origin": q.origin,
        "engine_variants": sorted(q.variants),
    }


def describe_text(q: "CannedQuery") -> str:
    """A query in full for the terminal (``dhrkg queries NAME``), from :func:`describe` and its Cypher."""
    d = describe(q)
    out = [f"{d['name']}: {d['title']}", f"Question: {d['question']}"]
    out += [f"{label}: {text}" for label, text in (("Period", d["period"]), ("Scope", _scope_text(d["scope"]))) if text]
    out.append(f"Usage: {d['usage']}")
    if d["parameters"]:
        out.append("\n".join(["Parameters:", *map(_parameter_line, d["parameters"])]))
    out.append("\n".join(["Columns:", *(f"  {c}: {text}" for c, text in d["columns"].items())]))
    out += [f"{label}: {text}" for label, text in (("Example", d["example"]), ("Notes", _one_line(q.notes))) if text]
    file = f"File: {d['file']}" + (f" (overrides {q.overrides})" if q.overrides else "")
    variants = d["engine_variants"]
    out.append(file + (f"\nEngine variants: {', '.join(variants)}" if variants else ""))
    out.append(q.cypher or next(iter(q.variants.values())))
    return "\n\n".join(out)


def _scope_text(scope: Optional[str]) -> Optional[str]:
    return f"{SCOPES[scope]}." if scope else None


def _one_line(text: Any) -> Optional[str]:
    return " ".join(str(text).split()) if text else None


def _parameter_line(p: dict) -> str:
    default = "" if p["required"] else f" (default {p['default']!r})"
    choices = f" one of {', '.join(map(str, p['choices']))}" if p.get("choices") else ""
    return f"  {p['name']} ({p['type']}){default}{choices}: {p['description']}"


def markdown_reference(library: Optional[QueryLibrary] = None) -> str:
    """The per-query reference of docs/queries.md, and the lint rules, from the files themselves."""
    from .lint import RULES

    lib = library or load_library(include_user=False)
    order = ["missed links", "chronology", "network", "people", "children", "agencies", "review", "linkage", "national data (DHRD)"]
    by_cat: dict[str, list[CannedQuery]] = {}
    for q in lib:
        by_cat.setdefault(q.category or "other", []).append(q)
    out = ["## The queries\n"]
    cats = sorted(by_cat, key=lambda c: (order.index(c) if c in order else len(order), c))
    out.append("| query | the question it answers |\n|---|---|")
    for c in cats:
        for q in by_cat[c]:
            out.append(f"| [`{q.name}`](#{q.name}) | {_md(q.question)} |")
    for c in cats:
        out.append(f"\n### {c.capitalize()}\n")
        for q in by_cat[c]:
            out.append(f"#### {q.name}\n")
            out.append(f"**{q.title}.** {q.question}\n")
            if q.period:
                out.append(f"*Period:* {_md(q.period)}\n")
            if q.scope:
                out.append(f"*Scope:* {SCOPES[q.scope]}.\n")
            out.append(f"```\n{q.example}\n```\n")
            if q.parameters:
                out.append("| parameter | type | default | meaning |\n|---|---|---|---|")
                for p in q.parameters:
                    default = "(required)" if p.required else ("" if p.default is None else f"`{_fmt_default(p.default)}`")
                    how = " (positional)" if p.positional else ""
                    choices = f" One of: {', '.join(map(str, p.choices))}." if p.choices else ""
                    out.append(f"| `{p.name}`{how} | {p.type_label} | {default} | {_md(p.description)}{choices} |")
                out.append("")
            out.append("| column | meaning |\n|---|---|")
            for col, desc in q.columns.items():
                out.append(f"| `{col}` | {_md(desc)} |")
            if q.notes:
                out.append(f"\n{' '.join(str(q.notes).split())}")
            variants = f" (with {', '.join(f'`{q.name}.{b}.cypher`' for b in sorted(q.variants))})" if q.variants else ""
            out.append(f"\nFile: `graph/queries/{q.name}.cypher`{variants}.\n")
    out.append("## What the lint rejects, and what to write instead\n")
    out.append("`python -m dhrkg.graph.lint` checks every shipped Cypher string; `dhrkg cypher` and "
               "`dhrkg queries --check` apply the same rules to yours. *fails*: FalkorDB refuses the "
               "query; *wrong*: it runs and gives a different answer from Neo4j; *portability*: the "
               "values differ in form between the engines.\n")
    out.append("| rule | what | engines | kind | instead |\n|---|---|---|---|---|")
    for r in RULES.values():
        out.append(f"| `{r.code}` | {_md(r.title)} | {', '.join(r.engines)} | {r.kind} | {_md(r.message)} |")
    return "\n".join(out) + "\n"


def _md(text: Any) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def _fmt_default(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value)) if value else "[]"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def update_doc(path: Path | str) -> bool:
    """Rewrite the generated part of ``path`` (docs/queries.md); True if it changed."""
    from .docgen import update_generated

    return update_generated(path, DOC_BEGIN, DOC_END, markdown_reference())


def _main(argv: Optional[Sequence[str]] = None) -> int:
    from .docgen import main

    return main(argv, what="the query reference", default="docs/queries.md", generate=markdown_reference,
                update=update_doc)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())

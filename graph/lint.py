# cypher-lint: skip-file  (this module names the constructs it rejects)
"""A lint for Cypher that must run on FalkorDB as well as Neo4j.

FalkorDB implements a subset of openCypher. Some constructs fail to parse
there, and a few parse but give silently different answers (see the rules
below, dhrkg.graph.dialect and FalkorDB's "known limitations").
Every Cypher string the project ships is checked by these rules: the
``.cypher`` files (canned queries) and Cypher string literals in the Python
modules under ``graph/``. The same rules give analysts a clear message
before their own query reaches FalkorDB (``dhrkg cypher``).

The text is masked first (string literals, comments and backticked names
become blanks of the same length), so a rule never fires on ``'=~'`` inside
a string, and line/column numbers stay true.

Exemptions:

* a file named ``*.neo4j.cypher`` (and Python under ``graph/neo4j/``) only
  ever runs on Neo4j, so FalkorDB rules do not apply; ``*.falkordb.cypher``
  (and Python under ``graph/falkordb/``) only runs on FalkorDB, so the
  Neo4j rules do not apply; likewise Cypher in a Python function or class
  whose name says the engine (``neo4j_schema_statements``, ``FalkorDBStore``);
* ``// lint: allow RULE[, RULE]`` on the line of a finding or the line above
  it (``# cypher-lint: allow RULE`` in Python, on the line of the string);
* ``# cypher-lint: skip-file`` in a Python module's first lines;
* a rule the dialect layer rewrites (``dhrkg.graph.dialect.REWRITTEN_RULES``,
  if that module declares it) is not reported.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator, Optional

FALKORDB = "falkordb"
NEO4J = "neo4j"
BOTH = (FALKORDB, NEO4J)


@dataclass(frozen=True)
class Rule:
    """One thing the lint rejects; ``engines`` says where it breaks."""

    code: str
    title: str
    message: str  # why it is wrong and what to write instead
    engines: tuple[str, ...] = (FALKORDB,)
    kind: str = "fails"  # "fails" (error from the engine), "wrong" (silently different answer),
    #                      "portability" (runs, but results differ between the engines)


@dataclass(frozen=True)
class Finding:
    rule: Rule
    origin: str  # file name, or "<query>" for text typed by a user
    line: int  # 1-based, in the origin
    column: int  # 1-based
    excerpt: str

    def __str__(self) -> str:
        return f"{self.origin}:{self.line}:{self.column}: [{self.rule.code}] {self.rule.title}: {self.rule.message}"


def _rule(code: str, title: str, message: str, engines: tuple[str, ...] = (FALKORDB,), kind: str = "fails") -> Rule:
    return Rule(code, title, message, engines, kind)


RULES: dict[str, Rule] = {
    r.code: r
    for r in [
        _rule(
            "exists-pattern",
            "exists() over a pattern",
            "FalkorDB returns true from exists((a)-[:R]->()) even for nodes without that edge. "
            "Use a pattern predicate in WHERE instead: WHERE (a)-[:R]->() (or NOT (a)-[:R]->()).",
            kind="wrong",
        ),
        _rule(
            "exists-property",
            "exists() over a property",
            "Neo4j 5 removed exists(n.prop). Write n.prop IS NOT NULL, which both engines accept.",
            (NEO4J,),
        ),
        _rule(
            "shortestpath-in-match",
            "shortestPath() in a MATCH clause",
            "FalkorDB only supports shortestPath() in WITH or RETURN, with both end nodes already bound: "
            "MATCH (a {key:$a}), (b {key:$b}) RETURN shortestPath((a)-[*..6]->(b)) AS p.",
        ),
        _rule(
            "shortestpath-undirected",
            "undirected shortestPath()",
            "FalkorDB does not support undirected shortestPath(): give the pattern a direction (->), or "
            "bind both ends and use allShortestPaths in MATCH, which both engines accept undirected: "
            "MATCH (a {key:$a}), (b {key:$b}) WITH a, b MATCH p = allShortestPaths((a)-[*..6]-(b)).",
        ),
        _rule(
            "allshortestpaths-outside-match",
            "allShortestPaths() outside MATCH",
            "FalkorDB supports allShortestPaths() only in a MATCH clause, with both end nodes bound by an "
            "earlier clause: MATCH (a {key:$a}), (b {key:$b}) WITH a, b MATCH p = allShortestPaths((a)-[*]->(b)).",
        ),
        _rule(
            "exists-subquery",
            "EXISTS { } subquery",
            "FalkorDB does not support EXISTS { } subqueries: use a pattern predicate "
            "(WHERE (a)-[:R]->(:Label {prop: 1})) or CALL { WITH a MATCH ... RETURN count(*) AS n } "
            "and test n > 0.",
        ),
        _rule(
            "count-subquery",
            "COUNT { } subquery",
            "FalkorDB does not support COUNT { } subqueries: use size([(a)-[r:R]->(b) WHERE ... | r]) "
            "or CALL { WITH a MATCH (a)-[r:R]->() RETURN count(r) AS n }.",
        ),
        _rule(
            "collect-subquery",
            "COLLECT { } subquery",
            "FalkorDB does not support COLLECT { } subqueries: use a pattern comprehension "
            "[(a)-[:R]->(b) | b.name] or CALL { WITH a MATCH ... RETURN collect(x) AS xs }.",
        ),
        _rule(
            "call-in-transactions",
            "CALL { } IN TRANSACTIONS",
            "FalkorDB does not support CALL { } IN TRANSACTIONS: batch the rows in the client "
            "(UNWIND $rows per batch).",
        ),
        _rule(
            "call-scope",
            "CALL (x) { } variable scope",
            "FalkorDB does not support the CALL (x) { } scope clause: import variables with "
            "CALL { WITH x ... } instead.",
        ),
        _rule(
            "label-expression",
            "label expression (:A|B, :A&B, :!A)",
            "FalkorDB does not support label expressions in node patterns: match (n) and filter with "
            "WHERE n:A OR n:B (relationship type alternatives [:R|S] are fine).",
        ),
        _rule(
            "regex-match",
            "=~ regular expression",
            "FalkorDB does not support =~: use STARTS WITH, ENDS WITH, CONTAINS, or toLower(x) CONTAINS "
            "toLower($text) for a case-insensitive match.",
        ),
        _rule(
            "datetime-function",
            "datetime()",
            "FalkorDB has no datetime() function. Dates in this graph are ISO strings (date, date_from, "
            "date_to): compare the strings, or use date('2011-10-01') and localdatetime().",
        ),
        _rule(
            "duration-between",
            "duration.between() / duration.inDays()",
            "FalkorDB has no duration.between/inDays/inMonths/inSeconds. Compare ISO date strings, or shift a "
            "date with date($d) + duration({days: 30}) (which both engines support).",
        ),
        _rule(
            "temporal-truncate",
            "date.truncate() and other temporal namespace functions",
            "FalkorDB has no date.truncate()/datetime.truncate()/date.statement() etc.: take a prefix of the "
            "ISO string instead (left(e.date_from, 7) is the month).",
        ),
        _rule(
            "date-subtraction",
            "subtracting one date from another",
            "FalkorDB cannot subtract a date from a date (date - date). Compare ISO strings, or compute day "
            "numbers in the client.",
        ),
        _rule(
            "month-arithmetic",
            "adding or subtracting months or years with duration()",
            "FalkorDB and Neo4j disagree at month ends: date('2014-03-31') - duration({months: 1}) is "
            "2014-03-03 on FalkorDB and 2014-02-28 on Neo4j. Use days (duration({days: n})), or build the "
            "date from year and month numbers.",
            kind="wrong",
        ),
        _rule(
            "limit-after-write",
            "LIMIT after a write clause",
            "On FalkorDB, LIMIT does not stop an eager CREATE/MERGE/SET/DELETE/REMOVE: every row is written "
            "and only the output is cut. Limit the rows before the write (WITH x LIMIT n, then write).",
            kind="wrong",
        ),
        _rule(
            "match-after-optional-match",
            "MATCH directly after OPTIONAL MATCH",
            "FalkorDB needs a WITH between an OPTIONAL MATCH and a following MATCH: "
            "OPTIONAL MATCH (a)-[:R]->(b) WITH a, b MATCH ...",
        ),
        _rule(
            "create-index-if-not-exists",
            "CREATE INDEX ... IF NOT EXISTS / CREATE CONSTRAINT",
            "FalkorDB does not support IF NOT EXISTS on CREATE INDEX nor Cypher CREATE CONSTRAINT: check "
            "db.indexes() first, and create constraints with GRAPH.CONSTRAINT CREATE.",
        ),
        _rule(
            "quantified-path",
            "GQL quantified path pattern or SHORTEST",
            "FalkorDB does not support GQL quantified path patterns ({1,3} after a pattern) nor "
            "SHORTEST k / ANY SHORTEST: use a variable-length relationship -[*1..3]-.",
        ),
        _rule(
            "unreferenced-intermediate",
            "a middle node of a multi-hop MATCH pattern that nothing else uses",
            "FalkorDB only checks that such a path exists: MATCH (c)-[:INVOLVED]->(e)-[:RECORDED_BY]->(ag) "
            "RETURN ag.name, count(*) gives one row per agency where Neo4j gives one per event. Name the "
            "middle node and use it (count(e), collect(e.id), or WITH c, e, ag), or split the pattern "
            "into one MATCH per hop.",
            kind="wrong",
        ),
        _rule(
            "optional-match-chain",
            "OPTIONAL MATCH over two or more relationships to a new node",
            "FalkorDB can return a half-matched OPTIONAL MATCH chain (the first hop bound, the rest "
            "null) where Neo4j returns nothing for the whole pattern. Use one OPTIONAL MATCH per hop with "
            "a WHERE on the last, or a pattern comprehension [(c)-[:INVOLVED]->(e)-[:RECORDED_BY]->(ag) | ...].",
            kind="wrong",
        ),
        _rule(
            "relationship-reuse",
            "a pattern that can use the same relationship twice",
            "FalkorDB does not enforce relationship uniqueness inside a pattern: "
            "(p)-[:INVOLVED]->(e)<-[:INVOLVED]-(x) also returns x = p through the same edge, which "
            "Neo4j never does. Add WHERE x <> p (or name both relationships and add r1 <> r2).",
            kind="wrong",
        ),
        _rule(
            "comprehension-variable-clash",
            "two pattern comprehensions in one clause with the same variable",
            "On FalkorDB the second of two pattern comprehensions in the same WITH/RETURN that introduce "
            "the same variable name comes back empty: [(h)-->(a:Area) WHERE a.kind = 'town' | a.name], "
            "[(h)-->(a:Area) WHERE ... | ...]. Give each comprehension its own variable names.",
            kind="wrong",
        ),
        _rule(
            "pattern-in-list-comprehension",
            "a pattern on the variable of a list comprehension, any/all/none/single or reduce",
            "FalkorDB does not bind the iteration variable inside a pattern: [e IN evs | [(e)-->(a) | a]] "
            "runs the inner pattern over the whole graph, and [e IN evs WHERE (e)-->()] fails with "
            "'Type mismatch'. UNWIND the list first and use the pattern per row.",
            kind="wrong",
        ),
        _rule(
            "sum-is-float",
            "sum() of whole numbers",
            "FalkorDB's sum() returns a float (9.0) where Neo4j returns an integer (9), which shows in "
            "output and in toString(). Count with count(CASE WHEN ... THEN 1 END), or wrap: toInteger(sum(...)).",
            BOTH,
            kind="portability",
        ),
        _rule(
            "internal-id",
            "internal id() / elementId()",
            "Internal ids differ between FalkorDB and Neo4j (and elementId() does not exist on FalkorDB): "
            "identify nodes by their key property.",
            BOTH,
            kind="portability",
        ),
    ]
}


# --------------------------------------------------------------------------- masking


def mask(text: str) -> str:
    """The text with string literals, comments and backticked names blanked (same length;
    newlines kept), so the rules see only Cypher structure. Quotes stay in place."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in "'\"`":
            j = i + 1
            while j < n:
                if text[j] == "\\" and c != "`":
                    j += 2
                    continue
                if text[j] == c:
                    if c == "`" and j + 1 < n and text[j + 1] == "`":
                        j += 2
                        continue
                    break
                j += 1
            for k in range(i + 1, min(j, n)):
                if out[k] != "\n":
                    out[k] = "x" if c == "`" else " "
            i = j + 1
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            for k in range(i, j):
                out[k] = " "
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != "\n":
                    out[k] = " "
            i = j
        else:
            i += 1
    return "".join(out)


# --------------------------------------------------------------------------- rules

_Check = Callable[[str], Iterator[tuple[str, int]]]  # masked text -> (rule code, offset)


def _regex(code: str, pattern: str, flags: int = re.IGNORECASE) -> _Check:
    rx = re.compile(pattern, flags)

    def check(m: str) -> Iterator[tuple[str, int]]:
        for hit in rx.finditer(m):
            yield code, hit.start()

    return check


def _balanced(m: str, open_at: int) -> str:
    """The text inside the bracket that opens at ``open_at`` (to the end if unbalanced)."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    opener = m[open_at]
    closer = pairs[opener]
    depth = 0
    for k in range(open_at, len(m)):
        if m[k] == opener:
            depth += 1
        elif m[k] == closer:
            depth -= 1
            if depth == 0:
                return m[open_at + 1 : k]
    return m[open_at + 1 :]


def _check_exists(m: str) -> Iterator[tuple[str, int]]:
    for hit in re.finditer(r"\bexists\s*\(", m, re.IGNORECASE):
        inner = _balanced(m, hit.end() - 1).strip()
        if inner.startswith("("):
            yield "exists-pattern", hit.start()
        elif re.fullmatch(r"[A-Za-z_][\w]*\s*\.\s*[\w]+|[A-Za-z_]\w*\s*\[.*\]", inner, re.DOTALL):
            yield "exists-property", hit.start()


_CLAUSE_START = re.compile(
    r"\b(OPTIONAL\s+MATCH|MATCH|WITH|RETURN|UNWIND|CALL|UNION|CREATE|MERGE|DELETE|DETACH\s+DELETE|SET|REMOVE|FOREACH|LOAD\s+CSV)\b",
    re.IGNORECASE,
)


def _clauses(m: str) -> list[tuple[str, int, int]]:
    """(keyword, offset, brace depth) of each clause start. ``STARTS WITH``/``ENDS WITH`` are
    operators, not clauses; keywords after a ``.`` are property names."""
    found = []
    depth_at = _depths(m)
    for hit in _CLAUSE_START.finditer(m):
        kw = re.sub(r"\s+", " ", hit.group(1).upper())
        before = m[: hit.start()].rstrip()
        if kw == "WITH" and re.search(r"\b(STARTS|ENDS)$", before, re.IGNORECASE):
            continue
        if before.endswith(".") or before.endswith("$") or before.endswith(":"):
            continue
        found.append((kw, hit.start(), depth_at[hit.start()]))
    return found


def _depths(m: str) -> list[int]:
    depths, d = [], 0
    for ch in m:
        if ch == "{":
            d += 1
        depths.append(d)
        if ch == "}":
            d = max(0, d - 1)
    return depths


def _check_shortest(m: str) -> Iterator[tuple[str, int]]:
    clauses = _clauses(m)

    def clause_of(offset: int) -> Optional[str]:
        kw = None
        for k, off, _ in clauses:
            if off > offset:
                break
            kw = k
        return kw

    for hit in re.finditer(r"\b(shortestPath|allShortestPaths)\s*\(", m, re.IGNORECASE):
        name = hit.group(1).lower()
        inner = _balanced(m, hit.end() - 1)
        if name == "shortestpath" and "->" not in inner and "<-" not in inner:
            # (undirected allShortestPaths works on FalkorDB once both ends are bound: tried)
            yield "shortestpath-undirected", hit.start()
        kw = clause_of(hit.start())
        if name == "shortestpath" and kw in ("MATCH", "OPTIONAL MATCH"):
            yield "shortestpath-in-match", hit.start()
        if name == "allshortestpaths" and kw not in ("MATCH", "OPTIONAL MATCH"):
            yield "allshortestpaths-outside-match", hit.start()


def _check_label_expression(m: str) -> Iterator[tuple[str, int]]:
    # A label expression inside a node pattern "( ... :A|B ... )" or a WHERE predicate "n:A|B",
    # "n:A&B", "n:!A", "n:%". Relationship types inside [...] may use "|".
    for hit in re.finditer(r"(?<![:\w])(\w*)\s*:\s*(!|%|\w+\s*[|&])", m):
        if _enclosing_bracket(m, hit.start()) == "[":
            continue
        # skip map literals {key: value | ...} never happen; "| " after a list comprehension
        # variable looks like "x IN list WHERE x:A | ..." which is still a label test; fine.
        # A map entry "k: v|..." has no meaning in Cypher, so nothing to skip.
        yield "label-expression", hit.start()


def _enclosing_bracket(m: str, offset: int) -> Optional[str]:
    closers = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for k in range(offset - 1, -1, -1):
        ch = m[k]
        if ch in closers:
            stack.append(closers[ch])
        elif ch in "([{":
            if stack and stack[-1] == ch:
                stack.pop()
            elif not stack:
                return ch
    return None


def _check_limit_after_write(m: str) -> Iterator[tuple[str, int]]:
    for part in _statements(m):
        start, text = part
        write = re.search(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b", text, re.IGNORECASE)
        if not write:
            continue
        # "CREATE INDEX"/"ON CREATE SET" are still writes; "SET" as a map key is masked by ":" check.
        for lim in re.finditer(r"\bLIMIT\b", text[write.end():], re.IGNORECASE):
            yield "limit-after-write", start + write.end() + lim.start()


def _statements(m: str) -> Iterator[tuple[int, str]]:
    """Split at ';' and UNION (each part runs as its own pipeline)."""
    pos = 0
    for piece in re.split(r"(;|\bUNION\s+ALL\b|\bUNION\b)", m, flags=re.IGNORECASE):
        if piece and not re.fullmatch(r";|UNION\s+ALL|UNION", piece, re.IGNORECASE):
            yield pos, piece
        pos += len(piece)


def _check_optional_then_match(m: str) -> Iterator[tuple[str, int]]:
    last_at_depth: dict[int, str] = {}
    depths = _depths(m)
    for kw, off, depth in _clauses(m):
        # leaving a brace block forgets the clauses inside it
        for d in [d for d in last_at_depth if d > depth]:
            del last_at_depth[d]
        if kw == "MATCH" and last_at_depth.get(depth) == "OPTIONAL MATCH":
            yield "match-after-optional-match", off
        if kw == "UNION":
            last_at_depth.clear()
        last_at_depth[depth] = kw
    del depths


# ------------------------------------------------------------ patterns in MATCH clauses


@dataclass
class _Node:
    var: Optional[str]
    offset: int


@dataclass
class _Rel:
    var: Optional[str]
    types: frozenset[str]  # empty: any type
    direction: str  # "->", "<-" or "-"
    var_length: bool
    offset: int


@dataclass
class _Path:
    var: Optional[str]
    elements: list  # alternating _Node, _Rel, _Node, ...

    @property
    def nodes(self) -> list[_Node]:
        return [e for e in self.elements if isinstance(e, _Node)]

    @property
    def rels(self) -> list[_Rel]:
        return [e for e in self.elements if isinstance(e, _Rel)]


_IDENT = re.compile(r"[A-Za-z_]\w*")


def _parse_patterns(m: str, start: int, end: int) -> list[_Path]:
    """The comma-separated paths of a MATCH pattern in ``m[start:end]`` (masked text). Parsing
    stops quietly at anything it does not understand (the rules then see less, never more)."""
    paths: list[_Path] = []
    i = start
    cur = _Path(None, [])

    def skip_ws(k: int) -> int:
        while k < end and m[k].isspace():
            k += 1
        return k

    while True:
        i = skip_ws(i)
        if i >= end:
            break
        ch = m[i]
        if ch == "(":
            inner = _balanced(m, i)
            v = _IDENT.match(inner.lstrip())
            var = v.group(0) if v and not inner.lstrip().startswith(":") else None
            cur.elements.append(_Node(var, i))
            i += len(inner) + 2
        elif ch in "<-":
            j = i
            direction_in = m[j] == "<"
            if direction_in:
                j += 1
            if j >= end or m[j] != "-":
                break
            j += 1
            body = ""
            if j < end and m[j] == "[":
                body = _balanced(m, j)
                j += len(body) + 2
            if j >= end or m[j] != "-":
                break
            j += 1
            direction_out = j < end and m[j] == ">"
            if direction_out:
                j += 1
            b = body.strip()
            v = _IDENT.match(b)
            var = v.group(0) if v else None
            types_part = b[len(var):] if var else b
            types_part = types_part.split("{")[0]
            tm = re.match(r"\s*:\s*([^*{]*)", types_part)
            types = frozenset(t.strip().lstrip(":") for t in tm.group(1).split("|") if t.strip()) if tm else frozenset()
            direction = "->" if direction_out else "<-" if direction_in else "-"
            cur.elements.append(_Rel(var, types, direction, "*" in types_part, i))
            i = j
        elif ch == ",":
            if cur.elements:
                paths.append(cur)
            cur = _Path(None, [])
            i += 1
        else:
            ident = _IDENT.match(m, i)
            if ident and ident.end() <= end:
                k = skip_ws(ident.end())
                if k < end and m[k] == "=":
                    cur.var = ident.group(0)
                    i = k + 1
                    continue
                if k < end and m[k] == "(" and ident.group(0).lower() in ("shortestpath", "allshortestpaths"):
                    inner = _balanced(m, k)
                    i = k + len(inner) + 2  # not a plain path: leave it out
                    continue
            break
    if cur.elements:
        paths.append(cur)
    return paths


def _match_clauses(m: str) -> Iterator[tuple[str, int, int, int, Optional[int]]]:
    """(keyword, clause start, pattern start, pattern end, WHERE offset or None) of each MATCH
    and OPTIONAL MATCH clause."""
    clauses = _clauses(m)
    for idx, (kw, off, _depth) in enumerate(clauses):
        if kw not in ("MATCH", "OPTIONAL MATCH"):
            continue
        stop = clauses[idx + 1][1] if idx + 1 < len(clauses) else len(m)
        kw_end = re.match(r"OPTIONAL\s+MATCH|MATCH", m[off:], re.IGNORECASE).end() + off
        where = None
        pattern_end = stop
        depth = 0
        for k in range(kw_end, stop):
            c = m[k]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:  # closes an enclosing CALL { } block: the pattern stops here
                    pattern_end = k
                    break
                depth -= 1
            elif depth == 0 and re.match(r"WHERE\b", m[k:k + 6], re.IGNORECASE) and not _IDENT.match(m[k - 1]):
                where = pattern_end = k
                break
        yield kw, off, kw_end, pattern_end, where


def _mentions(m: str, var: str) -> list[int]:
    return [h.start() for h in re.finditer(rf"(?<![\w.$`]){re.escape(var)}(?!\w)", m)]


def _check_patterns(m: str) -> Iterator[tuple[str, int]]:
    for kw, off, pstart, pend, where in _match_clauses(m):
        paths = _parse_patterns(m, pstart, pend)
        clause_end = pend
        # where the clause's WHERE ends: the next clause start
        for path in paths:
            path_used = path.var is not None and len(_mentions(m, path.var)) > 1
            nodes, rels = path.nodes, path.rels
            # 1. intermediate nodes of a multi-hop path must be used somewhere else (unless the
            #    next projection is DISTINCT, where one row per combination is what is wanted)
            nxt = [c for c in _clauses(m) if c[1] >= pend and c[0] in ("WITH", "RETURN")]
            distinct_next = bool(nxt) and re.match(r"(WITH|RETURN)\s+DISTINCT\b", m[nxt[0][1]:], re.IGNORECASE) \
                and not [c for c in _clauses(m) if pend <= c[1] < nxt[0][1] and c[0] not in ("MATCH", "OPTIONAL MATCH")]
            if len(rels) >= 2 and not path_used and not distinct_next:
                for node in nodes[1:-1]:
                    if node.var is None or len(_mentions(m, node.var)) < 2:
                        yield "unreferenced-intermediate", node.offset
            # 2. OPTIONAL MATCH chains whose far end is new can come back half-bound
            if kw == "OPTIONAL MATCH" and len(rels) >= 2:
                far = nodes[-1] if nodes else None
                first = nodes[0] if nodes else None
                def bound_before(n: Optional[_Node]) -> bool:
                    return n is not None and n.var is not None and any(x < off for x in _mentions(m, n.var))
                if not (bound_before(far) and bound_before(first)):
                    yield "optional-match-chain", off
        yield from _reuse_in(m, paths, pstart)
    # pattern comprehensions [(a)-[:R]->(b) WHERE ... | expr] can reuse an edge too
    for cs, ce in _comprehensions(m):
        yield from _reuse_in(m, _parse_patterns(m, cs, ce), cs)


def _comprehensions(m: str, with_span: bool = False) -> Iterator[tuple]:
    """(pattern start, pattern end[, whole [...] start, end]) of each pattern comprehension
    [(a)-->(b) WHERE ... | x]."""
    for hit in re.finditer(r"\[\s*(?=\()", m):
        end = hit.end()
        depth = 0
        for k in range(hit.end(), len(m)):
            c = m[k]
            if c in "([{":
                depth += 1
            elif c in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif depth == 0 and (c == "|" or re.match(r"WHERE\b", m[k:k + 6], re.IGNORECASE)):
                end = k
                break
        if with_span:
            whole = _balanced(m, hit.start())
            yield hit.end(), end, hit.start(), hit.start() + len(whole) + 2
        else:
            yield hit.end(), end


def _check_comprehension_names(m: str) -> Iterator[tuple[str, int]]:
    """Two pattern comprehensions in one clause that introduce the same variable: on FalkorDB
    the second comes back empty (tried)."""
    clauses = _clauses(m)
    bounds = [c[1] for c in clauses] + [len(m)]
    comps = list(_comprehensions(m, with_span=True))

    def outside_comprehensions(pos: int) -> bool:
        return not any(s0 <= pos < s1 for _, _, s0, s1 in comps)

    for i in range(len(bounds) - 1):
        start, stop = bounds[i], bounds[i + 1]
        seen: set[str] = set()
        for cs, ce, _, _ in comps:
            if not start <= cs < stop:
                continue
            names = set()
            for path in _parse_patterns(m, cs, ce):
                for el in path.elements:
                    if el.var and not any(x < start and outside_comprehensions(x) for x in _mentions(m, el.var)):
                        names.add(el.var)
            if names & seen:
                yield "comprehension-variable-clash", cs
            seen |= names


def _check_pattern_in_list_comprehension(m: str) -> Iterator[tuple[str, int]]:
    """A pattern anchored on the variable of a list comprehension, quantifier or reduce: on
    FalkorDB the variable is not bound inside the pattern (a pattern comprehension then runs over
    the whole graph; a pattern predicate raises 'Type mismatch')."""
    heads = [
        (h.start(), h.group(2), h.start(1) if h.group(1) == "[" else h.end(1) - 1)
        for h in re.finditer(r"(\[|\b(?:any|all|none|single)\s*\()\s*([A-Za-z_]\w*)\s+IN\b", m, re.IGNORECASE)
    ]
    heads += [(h.start(), h.group(1), h.start() + h.group(0).index("("))
              for h in re.finditer(r"\breduce\s*\(\s*\w+\s*=\s*[^,]+,\s*([A-Za-z_]\w*)\s+IN\b", m, re.IGNORECASE)]
    for start, var, open_at in heads:
        body = _balanced(m, open_at)
        v = re.escape(var)
        rx = rf"\(\s*{v}\s*(:[^)]*)?\)\s*<?-|-\s*>?\s*\(\s*{v}\s*(:[^)]*)?\)"
        hit = re.search(rx, body)
        if hit:
            yield "pattern-in-list-comprehension", open_at + 1 + hit.start()


def _reuse_in(m: str, paths: list[_Path], pattern_start: int) -> Iterator[tuple[str, int]]:
    """Two segments meeting at a node, of the same type, both pointing into it (or both out of
    it, or undirected), with no inequality between their far ends (or the two relationships)
    anywhere after the pattern: FalkorDB may use one edge for both."""
    after = m  # a guard anywhere in the statement (before or after the pattern) counts
    for path in paths:
        els = path.elements
        for k in range(1, len(els) - 3, 2):
            r1, mid, r2 = els[k], els[k + 1], els[k + 2]
            if not (isinstance(r1, _Rel) and isinstance(mid, _Node) and isinstance(r2, _Rel)):
                continue
            if r1.var_length or r2.var_length:
                continue
            if r1.types and r2.types and not (r1.types & r2.types):
                continue
            into = r1.direction in ("->", "-") and r2.direction in ("<-", "-")
            outof = r1.direction in ("<-", "-") and r2.direction in ("->", "-")
            if not (into or outof):
                continue
            a, b = els[k - 1], els[k + 3]
            pairs = []
            if isinstance(a, _Node) and isinstance(b, _Node) and a.var and b.var:
                pairs.append((a.var, b.var))
            if r1.var and r2.var:
                pairs.append((r1.var, r2.var))
            guarded = any(
                re.search(rf"\b{x}\s*<>\s*{y}\b|\b{y}\s*<>\s*{x}\b|NOT\s+{x}\s*=\s*{y}\b|NOT\s+{y}\s*=\s*{x}\b", after)
                for x, y in pairs
            )
            if not guarded:
                yield "relationship-reuse", r2.offset


def _check_internal_id(m: str) -> Iterator[tuple[str, int]]:
    for hit in re.finditer(r"(?<![.\w$])(id|elementId)\s*\(", m, re.IGNORECASE):
        yield "internal-id", hit.start()


CHECKS: list[_Check] = [
    _check_exists,
    _check_shortest,
    _regex("exists-subquery", r"\bEXISTS\s*\{"),
    _regex("count-subquery", r"\bCOUNT\s*\{"),
    _regex("collect-subquery", r"\bCOLLECT\s*\{"),
    _regex("call-in-transactions", r"\bIN\s+(\d+\s+CONCURRENT\s+)?TRANSACTIONS\b"),
    _regex("call-scope", r"\bCALL\s*\([^()]*\)\s*\{"),
    _check_label_expression,
    _regex("regex-match", r"=~"),
    _regex("datetime-function", r"(?<![.\w])datetime\s*\("),
    _regex("duration-between", r"\bduration\s*\.\s*(between|inDays|inMonths|inSeconds)\b"),
    _regex(
        "temporal-truncate",
        r"\b(date|datetime|localdatetime|localtime|time)\s*\.\s*(truncate|transaction|statement|realtime|fromepoch\w*)\b",
    ),
    _regex("date-subtraction", r"\bdate\s*\([^()]*\)\s*-\s*date\s*\("),
    _regex("month-arithmetic", r"\bduration\s*\(\s*\{[^}]*\b(months|years|quarters)\s*:"),
    _check_limit_after_write,
    _check_optional_then_match,
    _regex(
        "create-index-if-not-exists",
        r"\bCREATE\s+((RANGE|TEXT|POINT|LOOKUP|FULLTEXT|VECTOR)\s+)?INDEX\b[^;]*?\bIF\s+NOT\s+EXISTS\b"
        r"|\bCREATE\s+CONSTRAINT\b",
    ),
    _regex(
        "quantified-path",
        r"[)\]>-]\s*\{\s*\d*\s*,\s*\d*\s*\}|[)\]>-]\s*\{\s*\d+\s*\}|(->|\]-)\s*[+*]\s*\("
        r"|\b(ANY|ALL)\s+SHORTEST\b|\bSHORTEST\s+\d+",
    ),
    _check_internal_id,
    _regex("sum-is-float", r"(?<!toInteger\()(?<!toFloat\()(?<![.\w])sum\s*\("),
    _check_patterns,
    _check_comprehension_names,
    _check_pattern_in_list_comprehension,
]


# --------------------------------------------------------------------------- linting


def _rewritten_rules() -> frozenset[str]:
    """Rules the dialect layer rewrites before a query reaches FalkorDB (if it declares any)."""
    try:
        from . import dialect  # type: ignore[attr-defined]
    except Exception:
        return frozenset()
    return frozenset(getattr(dialect, "REWRITTEN_RULES", ()) or ())


_ALLOW = re.compile(r"(?://|#)\s*(?:cypher-)?lint:\s*allow\s+([\w\-, ]+)", re.IGNORECASE)


def _allowed_on(lines: list[str], line_no: int) -> set[str]:
    allowed: set[str] = set()
    for k in (line_no - 1, line_no - 2):
        if 0 <= k < len(lines):
            for hit in _ALLOW.finditer(lines[k]):
                allowed.update(x.strip() for x in hit.group(1).split(",") if x.strip())
    return allowed


def lint_cypher(
    text: str,
    origin: str = "<query>",
    *,
    engines: Iterable[str] = BOTH,
    first_line: int = 1,
    first_column: int = 1,
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """Check one Cypher text. ``engines``: where it will run (a rule only fires if it breaks on one
    of them). ``first_line``/``first_column`` place the text inside a bigger file."""
    engines = tuple(engines)
    skip = set(ignore) | _rewritten_rules()
    masked = mask(text)
    lines = text.split("\n")
    findings: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for check in CHECKS:
        for code, offset in check(masked):
            rule = RULES[code]
            if code in skip or not set(rule.engines) & set(engines) or (code, offset) in seen:
                continue
            seen.add((code, offset))
            line_idx = masked.count("\n", 0, offset)
            col = offset - (masked.rfind("\n", 0, offset) + 1)
            if code in _allowed_on(lines, line_idx + 1):
                continue
            findings.append(
                Finding(
                    rule=rule,
                    origin=origin,
                    line=first_line + line_idx,
                    column=(first_column if line_idx == 0 else 1) + col,
                    excerpt=lines[line_idx].strip()[:120],
                )
            )
    findings.sort(key=lambda f: (f.line, f.column, f.rule.code))
    return findings


def engines_for_path(path: Path) -> tuple[str, ...]:
    """Where Cypher in this file runs, from its name or folder."""
    name = path.name
    parts = set(path.parts)
    if name.endswith(".neo4j.cypher") or "neo4j" in parts:
        return (NEO4J,)
    if name.endswith(".falkordb.cypher") or "falkordb" in parts:
        return (FALKORDB,)
    return BOTH


_CYPHER_HINT = re.compile(
    r"\b(MATCH|MERGE|UNWIND|OPTIONAL MATCH|DETACH DELETE|CREATE (INDEX|CONSTRAINT)|CREATE \(|RETURN)\b"
)


def looks_like_cypher(s: str) -> bool:
    """A string literal that is (most likely) Cypher: an upper-case clause keyword and a pattern
    or call, not a sentence of prose."""
    if not _CYPHER_HINT.search(s):
        return False
    return bool(re.search(r"\(|\bRETURN\b|\bCALL\b", s))


def cypher_strings_in_python(source: str) -> Iterator[tuple[int, int, str]]:
    """(line, column, text) of each string literal in Python source that looks like Cypher.
    Docstrings are skipped; f-string placeholders become ``$_f``."""
    for line, col, text, _engines in _python_cypher(source):
        yield line, col, text


def _engine_of_names(names: list[str]) -> Optional[tuple[str, ...]]:
    """A function or class named for one engine (``neo4j_schema_statements``,
    ``FalkorDBStore``) holds Cypher for that engine only."""
    for name in reversed(names):  # the innermost name decides
        low = name.lower()
        if "neo4j" in low:
            return (NEO4J,)
        if "falkor" in low:
            return (FALKORDB,)
    return None


def _python_cypher(source: str) -> Iterator[tuple[int, int, str, Optional[tuple[str, ...]]]]:
    tree = ast.parse(source)
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))

    def visit(node: ast.AST, names: list[str], in_fstring: bool) -> Iterator[tuple[int, int, str, Optional[tuple[str, ...]]]]:
        text = None
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings and not in_fstring:
                text = node.value
        elif isinstance(node, ast.JoinedStr):
            text = "".join(
                p.value if isinstance(p, ast.Constant) and isinstance(p.value, str) else "$_f" for p in node.values
            )
        if text is not None and looks_like_cypher(text):
            yield node.lineno, node.col_offset + 1, text, _engine_of_names(names)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = names + [node.name]
        for child in ast.iter_child_nodes(node):
            yield from visit(child, names, in_fstring or isinstance(node, ast.JoinedStr))

    yield from visit(tree, [], False)


def lint_file(path: Path, *, root: Optional[Path] = None) -> list[Finding]:
    """Lint a ``.cypher`` file (all of it: comments are masked) or the Cypher literals of a
    ``.py`` file."""
    path = Path(path)
    shown = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    engines = engines_for_path(path.relative_to(root) if root and path.is_relative_to(root) else path)
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".cypher":
        return lint_cypher(text, shown, engines=engines)
    if path.suffix == ".py":
        head = "\n".join(text.splitlines()[:5])
        if re.search(r"#\s*cypher-lint:\s*skip-file", head):
            return []
        findings = []
        py_lines = text.splitlines()
        for line, col, cypher, named_engines in _python_cypher(text):
            allowed = _allowed_on(py_lines, line) | _allowed_on(py_lines, line + cypher.count("\n"))
            scope = named_engines if engines == BOTH and named_engines else engines
            for f in lint_cypher(cypher, shown, engines=scope, first_line=line, first_column=col):
                if f.rule.code not in allowed and f.rule.code not in _allowed_on(py_lines, f.line):
                    findings.append(f)
        return findings
    return []


def shipped_files(root: Path) -> list[Path]:
    """Every file that ships Cypher: ``graph/**/*.cypher`` and ``graph/**/*.py`` (tests excluded)."""
    graph = Path(root) / "graph"
    files = sorted(graph.rglob("*.cypher")) + sorted(graph.rglob("*.py"))
    return [f for f in files if "__pycache__" not in f.parts]


def lint_paths(paths: Iterable[Path], *, root: Optional[Path] = None) -> list[Finding]:
    findings: list[Finding] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            findings.extend(lint_paths(sorted(p.rglob("*.cypher")) + sorted(p.rglob("*.py")), root=root))
        else:
            findings.extend(lint_file(p, root=root))
    return findings


def main(argv: Optional[list[str]] = None) -> int:
    """``python -m dhrkg.graph.lint [PATH...]``: lint the given files (default: the shipped ones)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parent.parent
    paths = [Path(a) for a in args] if args else shipped_files(root)
    findings = lint_paths(paths, root=root if not args else None)
    for f in findings:
        print(f)
    return 1 if findings else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

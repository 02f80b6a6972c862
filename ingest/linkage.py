"""Entity resolution of people records with Splink on DuckDB.

``score_pairs(records_csv)`` trains the model without labels and scores candidate pairs;
``resolve(pairs, settings, decisions)`` turns the scored pairs into identities (clusters),
respecting reviewers' decisions; ``write_pairs`` / ``pairwise_scores`` write and evaluate the
pairs file (record_id_l, record_id_r, match_probability).

Clustering is greedy: links are taken strongest first and two groups of records are joined
only if no reviewer rejected a pair between them and their known years of birth stay within
one year of each other (so a record with no date of birth cannot chain a father and a son who
share a name into one identity). A reviewer's acceptance joins groups regardless, and the years
already in a group a reviewer joined no longer count against it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable, Optional

from dhrkg.graph.records import identity_key
from dhrkg.outputs import atomic_text

from . import linkage_model as model
from .csvfile import read_header, read_rows

log = logging.getLogger(__name__)

PAIR_COLUMNS = ("record_id_l", "record_id_r", "match_probability")
DECISION_COLUMNS = ("record_id_l", "record_id_r", "decision", "decided_at", "note")


class LinkageError(Exception):
    """Bad input to linkage; the message names the file and line or field."""


@dataclass
class LinkSettings:
    match_threshold: float = 0.85  # at or above: the same person
    review_threshold: float = 0.5  # from here up to match_threshold: a person decides
    training: model.TrainingSettings = field(default_factory=model.TrainingSettings)
    threads: Optional[int] = None
    memory_limit: Optional[str] = None

    def check(self) -> None:
        if not 0 < self.review_threshold <= self.match_threshold <= 1:
            raise LinkageError(
                f"thresholds must satisfy 0 < review ({self.review_threshold}) <= match ({self.match_threshold}) <= 1")
        if self.threads is not None and not 1 <= self.threads <= 1024:
            raise LinkageError(f"--threads must be from 1 to 1024, not {self.threads}")


@dataclass
class ScoredPairs:
    """Scored candidate pairs as parallel numpy arrays, ordered by (left, right).

    ``ids`` holds every record id in sorted order and ``years`` their year of birth (-1 when
    unknown); ``left`` and ``right`` index into ``ids`` with left < right."""

    ids: "np.ndarray"  # object array of record ids, sorted
    years: "np.ndarray"  # int32, -1 unknown
    left: "np.ndarray"  # int64 indexes into ids
    right: "np.ndarray"
    probability: "np.ndarray"  # float64
    gammas: dict  # comparison -> int array of levels per pair
    seconds: dict[str, float] = field(default_factory=dict)
    model: dict = field(default_factory=dict)  # the trained Splink model (settings with m and u)

    def __len__(self) -> int:
        return len(self.left)

    def pair_ids(self, i: int) -> tuple[str, str]:
        return str(self.ids[self.left[i]]), str(self.ids[self.right[i]])

    def index_of(self, record_id: str) -> int:
        """Position of ``record_id`` in ``ids``, or -1."""
        import numpy as np

        pos = int(np.searchsorted(self.ids, record_id))
        return pos if pos < len(self.ids) and self.ids[pos] == record_id else -1

    def explanation(self, i: int) -> dict[str, list[str]]:
        return model.explain({c: int(g[i]) for c, g in self.gammas.items()})


# --------------------------------------------------------------------------- reading records


def check_records_file(path: Path) -> None:
    """Raise LinkageError naming the file and column when it is not a people records CSV."""
    if not path.is_file():
        raise LinkageError(f"{path}: no such file")
    header = read_header(path, LinkageError)
    if not header:
        raise LinkageError(f"{path}: empty file (expected a header with {', '.join(model.RECORD_COLUMNS)})")
    missing = [c for c in model.RECORD_COLUMNS if c not in header]
    if missing:
        raise LinkageError(f"{path}:1: missing column(s) {', '.join(missing)}")


def _connect(settings: LinkSettings):
    import duckdb

    con = duckdb.connect(":memory:")
    if settings.threads:
        con.execute(f"SET threads = {int(settings.threads)}")
    if settings.memory_limit:
        con.execute(f"SET memory_limit = '{settings.memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    return con


MIN_RECORDS = 2


def _sql_text(text: str) -> str:
    """``text`` inside a single-quoted SQL string (a header is someone else's text)."""
    return text.replace("'", "''")


def _load(con, records: Path) -> None:
    import duckdb

    check_records_file(records)
    for _ in read_rows(records, model.RECORD_COLUMNS, LinkageError):
        pass  # every row checked (encoding, width, control characters) before DuckDB reads it
    header = read_header(records, LinkageError)
    cols = ", ".join(f"'{_sql_text(c)}': 'VARCHAR'" for c in header)  # the file's own names, in its order
    try:
        con.execute(
            f"CREATE TABLE raw_records AS SELECT {', '.join(model.RECORD_COLUMNS)} FROM "
            f"read_csv(?, header = true, columns = {{{cols}}}, auto_detect = false, strict_mode = true)",
            [str(records)])
    except duckdb.Error as exc:
        first = str(exc).strip().splitlines()[0][:120]
        raise LinkageError(f"{records}: not a readable people records CSV ({first})") from None
    n = con.execute("SELECT count(*) FROM raw_records").fetchone()[0]
    if n < MIN_RECORDS:
        raise LinkageError(f"{records}: {n} record(s); linkage needs at least {MIN_RECORDS}")
    bad_sex = con.execute("SELECT record_id, sex FROM raw_records WHERE upper(trim(coalesce(sex, ''))) "
                          "NOT IN ('', 'M', 'F', 'MALE', 'FEMALE', 'U', 'UNKNOWN') LIMIT 1").fetchone()
    if bad_sex:
        raise LinkageError(f"{records}: record {bad_sex[0]!r}: sex {bad_sex[1]!r} is not M, F, U or empty")
    dup = con.execute("SELECT record_id, count(*) FROM raw_records GROUP BY 1 HAVING count(*) > 1 LIMIT 1").fetchone()
    if dup:
        raise LinkageError(f"{records}: record_id {dup[0]!r} appears {dup[1]} times; record ids must be unique")
    blank = con.execute("SELECT count(*) FROM raw_records WHERE record_id IS NULL OR trim(record_id) = ''").fetchone()[0]
    if blank:
        raise LinkageError(f"{records}: {blank} row(s) without a record_id")
    con.execute(f"CREATE TABLE model_input AS {model.prepare_sql('raw_records')}")


# --------------------------------------------------------------------------- scoring


def score_pairs(records: Path | str, settings: Optional[LinkSettings] = None) -> ScoredPairs:
    """Train the model on ``records`` (a people_records CSV) and score candidate pairs at or
    above the review threshold."""
    import time

    import numpy as np
    from splink import DuckDBAPI, Linker

    logging.getLogger("splink").setLevel(logging.ERROR)

    settings = settings or LinkSettings()
    settings.check()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    con = _connect(settings)
    _load(con, Path(records))
    seconds["load"] = time.perf_counter() - t0
    db_api = DuckDBAPI(con)
    sdf = db_api.register("model_input")
    linker = Linker(sdf, model.settings(), log_level=None)
    t = time.perf_counter()
    _train(linker, settings, Path(records))
    seconds["train"] = time.perf_counter() - t
    trained = linker.misc.save_model_to_json()
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=settings.review_threshold,
                                           warning_mode="never")
    gamma_cols = [f"gamma_{c}" for c in model.COMPARISONS]
    con.execute("CREATE TABLE ids AS SELECT unique_id, coalesce(dob_year, -1) AS dob_year, "
                "CAST(row_number() OVER (ORDER BY unique_id) - 1 AS BIGINT) AS idx FROM model_input")
    ids = con.execute("SELECT unique_id, dob_year FROM ids ORDER BY idx").fetchnumpy()
    cols = con.execute(
        f"SELECT a.idx AS l, b.idx AS r, p.match_probability, {', '.join('p.' + g for g in gamma_cols)} "
        f"FROM {predictions.physical_name} p "
        f"JOIN ids a ON a.unique_id = least(p.unique_id_l, p.unique_id_r) "
        f"JOIN ids b ON b.unique_id = greatest(p.unique_id_l, p.unique_id_r) ORDER BY l, r").fetchnumpy()
    seconds["predict"] = time.perf_counter() - t
    con.close()
    return ScoredPairs(
        ids=np.asarray(ids["unique_id"], dtype=object), years=np.asarray(ids["dob_year"], dtype=np.int32),
        left=np.asarray(cols["l"], dtype=np.int64), right=np.asarray(cols["r"], dtype=np.int64),
        probability=np.asarray(cols["match_probability"], dtype=np.float64),
        gammas={c: np.asarray(cols[f"gamma_{c}"], dtype=np.int8) for c in model.COMPARISONS},
        seconds=seconds,
        model=trained,
    )


def _train(linker, settings: LinkSettings, records: Path) -> None:
    from splink.internals.exceptions import EMTrainingException

    try:
        model.train(linker, settings.training)
    except (EMTrainingException, ZeroDivisionError, ValueError):  # too little data to estimate from
        raise LinkageError(f"{records}: too few similar records to train the model\n"
                           "  (linkage learns from the records themselves: give a few hundred or more)") from None


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Decision:
    left: str
    right: str
    decision: str  # "accept" | "reject"
    decided_at: str
    note: str = ""


def pair_key(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def read_decisions(path: Path) -> dict[tuple[str, str], Decision]:
    """Reviewers' decisions, the latest per pair."""
    out: dict[tuple[str, str], Decision] = {}
    if not path.exists():
        return out
    for line, row in read_rows(path, DECISION_COLUMNS[:3], LinkageError):
        if row["decision"] not in ("accept", "reject"):
            raise LinkageError(f"{path}:{line}: decision must be accept or reject, not {row['decision']!r}")
        key = pair_key(row["record_id_l"], row["record_id_r"])
        out[key] = Decision(key[0], key[1], row["decision"], row.get("decided_at") or "", row.get("note") or "")
    return out


def record_decision(path: Path, left: str, right: str, decision: str, note: str = "") -> Decision:
    if decision not in ("accept", "reject"):
        raise LinkageError(f"decision must be accept or reject, not {decision!r}")
    if left == right:
        raise LinkageError("a pair needs two different record ids")
    key = pair_key(left, right)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    d = Decision(key[0], key[1], decision, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), note)
    with path.open("a", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(DECISION_COLUMNS)
        w.writerow([d.left, d.right, d.decision, d.decided_at, d.note])
    return d


# --------------------------------------------------------------------------- clustering


@dataclass
class Resolution:
    """Identities found: ``root[k]`` is the index (into ``pairs.ids``) of the first record of
    record k's identity; records alone in theirs have ``size`` 1 and no identity."""

    ids: "np.ndarray"
    root: "np.ndarray"  # int64 per record
    size: "np.ndarray"  # records in the identity of each record
    links: "np.ndarray"  # indexes of scored pairs used as links
    accepted: list[tuple[str, str]]  # reviewer-accepted pairs used as links
    review: "np.ndarray"  # indexes of scored pairs in the uncertain band, not decided
    refused: int  # links not taken because groups' years of birth conflicted or a reviewer rejected them
    best_p: "np.ndarray"  # float64 per record: probability of its strongest link (nan: none)
    best_pair: "np.ndarray"  # int64 per record: that pair's index, -1 accepted by a reviewer, -2 none

    def identity(self, k: int) -> Optional[str]:
        return identity_key(str(self.ids[self.root[k]])) if self.size[k] > 1 else None

    @cached_property
    def identity_of(self) -> dict[str, str]:
        """record_id -> identity id, for records in identities of two or more."""
        import numpy as np

        members = np.flatnonzero(self.size > 1)
        return {str(self.ids[k]): identity_key(str(self.ids[self.root[k]])) for k in members}

    def members(self) -> dict[str, list[int]]:
        """identity id -> record indexes (sorted), for identities of two or more."""
        import numpy as np

        members = np.flatnonzero(self.size > 1)
        order = members[np.lexsort((members, self.root[members]))]
        out: dict[str, list[int]] = {}
        for k in order.tolist():
            out.setdefault(identity_key(str(self.ids[self.root[k]])), []).append(k)
        return out


def resolve(pairs: ScoredPairs, settings: LinkSettings,
            decisions: Optional[dict[tuple[str, str], Decision]] = None) -> Resolution:
    import numpy as np

    decisions = decisions or {}
    n = len(pairs.ids)
    parent = list(range(n))
    years = pairs.years.tolist()
    ymin = [y if y >= 0 else 10**6 for y in years]
    ymax = [y if y >= 0 else -1 for y in years]
    rejects: dict[int, set[int]] = {}

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    decided: dict[tuple[int, int], str] = {}
    for (a, b), d in sorted(decisions.items()):
        ia, ib = pairs.index_of(a), pairs.index_of(b)
        if ia < 0 or ib < 0:
            continue  # a record no longer in the data
        decided[(min(ia, ib), max(ia, ib))] = d.decision
        if d.decision == "reject":
            rejects.setdefault(ia, set()).add(ib)
            rejects.setdefault(ib, set()).add(ia)

    def union(a: int, b: int, force: bool) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        lo, hi = min(ymin[ra], ymin[rb]), max(ymax[ra], ymax[rb])
        if not force:
            if hi >= 0 and lo < 10**6 and hi - lo > 1:
                return False
            if rejects and (any(find(x) == rb for x in rejects.get(ra, ())) or
                            any(find(x) == ra for x in rejects.get(rb, ()))):
                return False
        if ra > rb:
            ra, rb = rb, ra
        parent[rb] = ra
        if force:  # a reviewer's word outranks the dates of birth already in the group
            lo, hi = 10**6, -1
        ymin[ra], ymax[ra] = lo, hi
        if rb in rejects:
            rejects.setdefault(ra, set()).update(rejects.pop(rb))
        return True

    best_p = np.full(n, np.nan)
    best_pair = np.full(n, -2, dtype=np.int64)
    accepted: list[tuple[str, str]] = []
    for (ia, ib), decision in sorted(decided.items()):
        if decision == "accept":
            union(ia, ib, force=True)
            accepted.append((str(pairs.ids[ia]), str(pairs.ids[ib])))
            best_p[[ia, ib]] = 1.0
            best_pair[[ia, ib]] = -1
    prob = pairs.probability
    undecided = np.ones(len(pairs), dtype=bool)
    if decided:
        keys = pairs.left * n + pairs.right
        decided_keys = np.array([a * n + b for a, b in decided], dtype=np.int64)
        undecided = ~np.isin(keys, decided_keys)
    strong = np.flatnonzero(undecided & (prob >= settings.match_threshold))
    strong = strong[np.lexsort((pairs.right[strong], pairs.left[strong], -prob[strong]))]
    taken = np.zeros(len(pairs), dtype=bool)
    refused = 0
    left, right = pairs.left.tolist(), pairs.right.tolist()
    for i in strong.tolist():
        if union(left[i], right[i], force=False):
            taken[i] = True
        else:
            refused += 1
    links = np.flatnonzero(taken)
    # each record's strongest link (links are sorted strongest first, so the first one wins)
    for side in (pairs.left, pairs.right):
        order = links[np.lexsort((links, -prob[links]))]
        recs = side[order]
        first = np.unique(recs, return_index=True)[1]
        chosen_recs, chosen = recs[first], order[first]
        better = ~(best_p[chosen_recs] >= prob[chosen])
        best_p[chosen_recs[better]] = prob[chosen[better]]
        best_pair[chosen_recs[better]] = chosen[better]
    root = np.array([find(k) for k in range(n)], dtype=np.int64)
    size = np.bincount(root, minlength=n)[root]
    review = np.flatnonzero(undecided & (prob < settings.match_threshold) & (prob >= settings.review_threshold))
    review = review[np.lexsort((pairs.right[review], pairs.left[review], -prob[review]))]
    return Resolution(pairs.ids, root, size, links, accepted, review, refused, best_p, best_pair)


# --------------------------------------------------------------------------- pairs file


#: the columns of the review list `dhrkg link` writes
REVIEW_COLUMNS = ("record_id_l", "record_id_r", "match_probability", "explanation")


def records_file(state: Path) -> Path:
    """The records the last `dhrkg link` used (else the copy `import-records` keeps)."""
    try:
        return Path(json.loads((state / "last-link.json").read_text(encoding="utf-8"))["records"])
    except (OSError, ValueError, KeyError):
        return state / "records.csv"


def records_by_id(path: Path, ids: set[str]) -> dict[str, dict[str, str]]:
    """The records of ``path`` whose ids are in ``ids`` (read with the checked CSV reader)."""
    out: dict[str, dict[str, str]] = {}
    if not path.exists():
        return out
    for _, row in read_rows(path, ("record_id",), LinkageError):
        if row["record_id"] in ids:
            out[row["record_id"]] = row
    return out


def pending_pairs(state: Path) -> list[dict[str, str]]:
    """The uncertain pairs of the last `dhrkg link` that nobody has decided yet, strongest first."""
    path = state / "review.csv"
    if not path.exists():
        raise LinkageError(f"{path}: no review list; run `dhrkg link` first")
    decisions = read_decisions(state / "decisions.csv")
    return [r for _, r in read_rows(path, REVIEW_COLUMNS, LinkageError)
            if pair_key(r["record_id_l"], r["record_id_r"]) not in decisions]


def decide(state: Path, left: str, right: str, decision: str, note: str = "") -> Decision:
    """Record a reviewer's decision on a pair, after checking both records exist."""
    records = records_file(state)
    if records.exists():
        known = records_by_id(records, {left, right})
        unknown = [x for x in (left, right) if x not in known]
        if unknown:
            raise LinkageError(f"{records}: no record {', '.join(repr(x) for x in unknown)}")
    return record_decision(state / "decisions.csv", left, right, decision, note)


def linked_pairs(pairs: ScoredPairs, res: Resolution) -> Iterable[tuple[str, str, Optional[float]]]:
    """Every pair of records resolved to the same identity, with the pair's own match
    probability when it was scored (None when linked only through other records)."""
    n = len(pairs.ids)
    scored = dict(zip((pairs.left * n + pairs.right).tolist(), pairs.probability.tolist()))
    for a, b in res.accepted:
        ia, ib = pairs.index_of(a), pairs.index_of(b)
        scored[min(ia, ib) * n + max(ia, ib)] = 1.0
    ids = pairs.ids
    for members in res.members().values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                yield ids[a], ids[b], scored.get(a * n + b)


def write_pairs(path: Path, rows: Iterable[tuple[str, str, Optional[float]]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with atomic_text(path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(PAIR_COLUMNS)
        for a, b, p in rows:
            w.writerow([a, b, "" if p is None else f"{p:.6f}"])
            n += 1
    return n


def pairwise_scores(pairs_csv: Path | str, truth_csv: Path | str) -> dict[str, float]:
    """Pairwise precision and recall of a pairs file against truth.csv (record_id, person_id)."""
    import duckdb

    con = duckdb.connect()
    con.execute("CREATE TABLE truth AS SELECT * FROM read_csv(?, header=true, all_varchar=true)", [str(truth_csv)])
    con.execute("CREATE TABLE pairs AS SELECT DISTINCT least(record_id_l, record_id_r) AS l, "
                "greatest(record_id_l, record_id_r) AS r FROM read_csv(?, header=true, all_varchar=true)",
                [str(pairs_csv)])
    true_pairs = con.execute(
        "SELECT coalesce(sum(n * (n - 1) / 2), 0) FROM (SELECT count(*) AS n FROM truth GROUP BY person_id)").fetchone()[0]
    predicted = con.execute("SELECT count(*) FROM pairs").fetchone()[0]
    correct = con.execute(
        "SELECT count(*) FROM pairs p JOIN truth a ON a.record_id = p.l JOIN truth b ON b.record_id = p.r "
        "WHERE a.person_id = b.person_id").fetchone()[0]
    con.close()
    return {
        "true_pairs": int(true_pairs), "predicted_pairs": int(predicted), "correct_pairs": int(correct),
        "precision": correct / predicted if predicted else 1.0,
        "recall": correct / true_pairs if true_pairs else 1.0,
    }

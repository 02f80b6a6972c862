"""Entity resolution of people records with Splink on DuckDB.

``score_pairs(records_csv)`` trains the model without labels and scores candidate pairs;
``resolve(pairs, settings, decisions)`` turns the scored pairs into identities (clusters),
respecting reviewers' decisions; ``write_pairs`` / ``pairwise_scores`` write and evaluate the
pairs file (record_id_l, record_id_r, match_probability).

Clustering is greedy: links are taken strongest first and two groups of records are joined
only if no reviewer rejected a pair between them and their known years of birth stay within
one year of each other (so a record with no date of birth cannot chain a father and a son who
share a name into one identity). A reviewer's acceptance joins groups regardless.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from . import linkage_model as model

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


@dataclass
class ScoredPairs:
    """Scored candidate pairs, ordered by (record_id_l, record_id_r); record_id_l < record_id_r."""

    left: list[str]
    right: list[str]
    probability: list[float]
    gammas: dict[str, list[int]]  # comparison -> gamma per pair
    records: dict[str, tuple]  # record_id -> (dob_year,) facts used by clustering
    seconds: dict[str, float] = field(default_factory=dict)
    model: dict = field(default_factory=dict)  # the trained Splink model (settings with m and u)

    def __len__(self) -> int:
        return len(self.left)

    def explanation(self, i: int) -> dict[str, list[str]]:
        return model.explain({c: g[i] for c, g in self.gammas.items()})


# --------------------------------------------------------------------------- reading records


def check_records_file(path: Path) -> None:
    """Raise LinkageError naming the file and column when it is not a people records CSV."""
    if not path.is_file():
        raise LinkageError(f"{path}: no such file")
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f), None)
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


def _load(con, records: Path) -> None:
    check_records_file(records)
    cols = ", ".join(f"'{c}': 'VARCHAR'" for c in model.RECORD_COLUMNS)
    con.execute(
        f"CREATE TABLE raw_records AS SELECT {', '.join(model.RECORD_COLUMNS)} FROM "
        f"read_csv(?, header = true, columns = {{{cols}}}, auto_detect = false, strict_mode = true)",
        [str(records)])
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

    from splink import DuckDBAPI, Linker

    settings = settings or LinkSettings()
    settings.check()
    seconds: dict[str, float] = {}
    t0 = time.perf_counter()
    con = _connect(settings)
    _load(con, Path(records))
    seconds["load"] = time.perf_counter() - t0
    db_api = DuckDBAPI(con)
    sdf = db_api.register("model_input")
    linker = Linker(sdf, model.settings(), log_level=logging.WARNING)
    t = time.perf_counter()
    model.train(linker, settings.training)
    seconds["train"] = time.perf_counter() - t
    trained = linker.misc.save_model_to_json()
    t = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=settings.review_threshold,
                                           warning_mode="never")
    gamma_cols = [f"gamma_{c}" for c in model.COMPARISONS]
    rel = con.sql(
        f"SELECT least(unique_id_l, unique_id_r) AS l, greatest(unique_id_l, unique_id_r) AS r, "
        f"match_probability, {', '.join(gamma_cols)} FROM {predictions.physical_name} ORDER BY l, r")
    cols = rel.fetchnumpy()
    seconds["predict"] = time.perf_counter() - t
    years = dict(con.execute("SELECT unique_id, dob_year FROM model_input WHERE dob_year IS NOT NULL").fetchall())
    con.close()
    return ScoredPairs(
        left=cols["l"].tolist(), right=cols["r"].tolist(),
        probability=[float(p) for p in cols["match_probability"]],
        gammas={c: cols[f"gamma_{c}"].tolist() for c in model.COMPARISONS},
        records={k: (v,) for k, v in years.items()},
        seconds=seconds,
        model=trained,
    )


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
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in DECISION_COLUMNS[:3] if c not in (reader.fieldnames or [])]
        if missing:
            raise LinkageError(f"{path}:1: missing column(s) {', '.join(missing)}")
        for line, row in enumerate(reader, start=2):
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
    identity_of: dict[str, str]  # record_id -> identity id (only records in a group of 2+)
    links: list[int]  # indexes of scored pairs used as links
    accepted: list[tuple[str, str]]  # reviewer-accepted pairs used as links
    review: list[int]  # indexes of scored pairs in the uncertain band, not decided
    refused: int  # links not taken because groups' years of birth conflicted
    best: dict[str, tuple[float, int]]  # record_id -> (probability, pair index or -1 for accepted)

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for rec, ident in self.identity_of.items():
            out.setdefault(ident, []).append(rec)
        for v in out.values():
            v.sort()
        return out


def resolve(pairs: ScoredPairs, settings: LinkSettings,
            decisions: Optional[dict[tuple[str, str], Decision]] = None) -> Resolution:
    decisions = decisions or {}
    parent: dict[str, str] = {}
    years: dict[str, tuple[int, int]] = {}  # root -> (min, max) year of birth
    rejects: dict[str, set[str]] = {}  # root -> records rejected against a member

    def find(x: str) -> str:
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    for (a, b), d in decisions.items():
        if d.decision == "reject":
            rejects.setdefault(a, set()).add(b)
            rejects.setdefault(b, set()).add(a)

    def span(x: str) -> Optional[tuple[int, int]]:
        if x in years:
            return years[x]
        y = pairs.records.get(x)
        return (y[0], y[0]) if y else None

    def union(a: str, b: str, force: bool) -> bool:
        ra, rb = find(a), find(b)
        if ra == rb:
            return True
        sa, sb = span(ra), span(rb)
        merged = sa if sb is None else sb if sa is None else (min(sa[0], sb[0]), max(sa[1], sb[1]))
        if not force:
            if merged is not None and merged[1] - merged[0] > 1:
                return False
            ra_rej, rb_rej = rejects.get(ra, set()), rejects.get(rb, set())
            if any(find(x) == rb for x in ra_rej) or any(find(x) == ra for x in rb_rej):
                return False
        if ra > rb:
            ra, rb = rb, ra
        parent[rb] = ra
        if merged is not None:
            years[ra] = merged
        rejects[ra] = rejects.get(ra, set()) | rejects.pop(rb, set())
        years.pop(rb, None)
        return True

    best: dict[str, tuple[float, int]] = {}
    accepted: list[tuple[str, str]] = []
    for (a, b), d in sorted(decisions.items()):
        if d.decision == "accept":
            union(a, b, force=True)
            accepted.append((a, b))
            best[a] = best[b] = (1.0, -1)
    order = sorted(range(len(pairs)), key=lambda i: (-pairs.probability[i], pairs.left[i], pairs.right[i]))
    links: list[int] = []
    review: list[int] = []
    refused = 0
    for i in order:
        p = pairs.probability[i]
        a, b = pairs.left[i], pairs.right[i]
        decided = decisions.get((a, b))
        if decided is not None:
            continue
        if p < settings.match_threshold:
            if p >= settings.review_threshold:
                review.append(i)
            continue
        if union(a, b, force=False):
            links.append(i)
            for r in (a, b):
                if r not in best or best[r][0] < p:
                    best[r] = (p, i)
        else:
            refused += 1
    identity_of: dict[str, str] = {}
    for rec in parent:
        identity_of[rec] = "ID-" + find(rec)
    # singletons with a parent entry only because of rejections are not identities of 2+
    sizes: dict[str, int] = {}
    for ident in identity_of.values():
        sizes[ident] = sizes.get(ident, 0) + 1
    identity_of = {r: i for r, i in identity_of.items() if sizes[i] > 1}
    review.sort(key=lambda i: (-pairs.probability[i], pairs.left[i], pairs.right[i]))
    return Resolution(identity_of, sorted(links), accepted, review, refused, best)


# --------------------------------------------------------------------------- pairs file


def linked_pairs(pairs: ScoredPairs, res: Resolution) -> Iterable[tuple[str, str, Optional[float]]]:
    """Every pair of records resolved to the same identity, with the pair's own match
    probability when it was scored (None when linked only through other records)."""
    scored = {(pairs.left[i], pairs.right[i]): pairs.probability[i] for i in range(len(pairs))}
    for a, b in res.accepted:
        scored[(a, b)] = 1.0
    for members in sorted(res.members().values()):
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                key = (members[x], members[y])
                yield key[0], key[1], scored.get(key)


def write_pairs(path: Path, rows: Iterable[tuple[str, str, Optional[float]]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    tmp = path.with_name(path.name + ".part")
    with tmp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(PAIR_COLUMNS)
        for a, b, p in rows:
            w.writerow([a, b, "" if p is None else f"{p:.6f}"])
            n += 1
    os.replace(tmp, path)
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

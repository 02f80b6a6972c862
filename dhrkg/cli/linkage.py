"""Record linkage commands: ``dhrkg synth`` (a synthetic national dataset), ``dhrkg
import-records`` (load force and agency records into the graph) and ``dhrkg link`` (resolve them
into identities with Splink; ``link review``, ``link accept``, ``link reject``)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import List, Optional

import typer

from ._common import BackendOption, DataDirOption, fail, failing, open_graph
from ._style import TYPER_STYLE, Commands

PANEL = "Record linkage"

link_app = typer.Typer(
    name="link",
    help="Resolve imported records into identities with Splink (DuckDB); review uncertain pairs.",
    no_args_is_help=False,
    invoke_without_command=True,
    cls=Commands,
    **TYPER_STYLE,
)


def _state_dir(data_dir: Optional[Path]) -> Path:
    from dhrkg import config

    return Path(config.data_dir(data_dir)) / "linkage"


# --------------------------------------------------------------------------- synth


def synth(
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write the dataset to (created).", show_default=False),
    forces: int = typer.Option(43, "--forces", help="How many police force areas (1-43), in dhrkg.places order."),
    people: int = typer.Option(100_000, "--people", help="How many people (each has ~1.5 records on average)."),
    years: int = typer.Option(10, "--years", help="Years of records, ending in 2024."),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed and parameters give the same bytes."),
    planted: Optional[int] = typer.Option(None, "--planted", help="Planted serial perpetrators (default people/2000, at least 10, at most people/6; none with one force area).", show_default=False),
    incident_rate: float = typer.Option(0.0145, "--incident-rate", help="Domestic abuse incidents per person per year (0.0145 is ~20,000 a year per force at national scale)."),
    per_force: bool = typer.Option(False, "--per-force", help="Also write forces/<force>/people_records.csv and incidents.csv."),
    force: bool = typer.Option(False, "--force", help="Write into the folder even if it is not empty."),
) -> None:
    """Write a synthetic national dataset of force and agency records, with the truth.

    Records held on people (with typos, nicknames, transposed and partial dates of birth,
    married surnames), incidents, stated relationships, agency contacts, truth.csv and
    planted serial perpetrators (planted.csv). See docs/linkage.md."""
    from dhrkg.ingest.synth import SynthConfig, generate
    from dhrkg.outputs import OutputRefused, check_output_folder

    with failing(OutputRefused):
        check_output_folder(output, force)
    with failing(ValueError, status=2):
        manifest = generate(SynthConfig(forces=forces, people=people, years=years, seed=seed, planted=planted,
                                        incident_rate=incident_rate, per_force=per_force), output)
    c = manifest["counts"]
    typer.echo(f"wrote {output}: {c['records']:,} records of {c['people']:,} people in {forces} force area{'' if forces == 1 else 's'}, "
               f"{c['incidents']:,} incidents, {c['relationships']:,} relationships, {c['contacts']:,} contacts, "
               f"{c['planted_perpetrators']} planted serial perpetrators")


# --------------------------------------------------------------------------- import-records


def import_records(
    folder: Path = typer.Argument(..., help="Records folder (people_records.csv and optionally incidents.csv, relationships.csv, contacts.csv).", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    contacts: bool = typer.Option(True, "--contacts/--no-contacts", help="Also load agency contacts (contacts.csv)."),
) -> None:
    """Load force and agency records into the graph, for `dhrkg link`.

    Record, Incident and Contact nodes and the partner and parent relationships the records
    state; a copy of people_records.csv is kept in the data dir for `dhrkg link`."""
    from dhrkg.ingest.records import RecordsError, import_records as load, read_folder
    from dhrkg.outputs import atomic_path
    from dhrkg.permissions import private_dir

    with failing(RecordsError, files=True):
        data = read_folder(folder)  # every file checked before the store is opened
    store = open_graph(backend, data_dir)
    try:
        report = load(store, folder, contacts=contacts, data=data)
    except RecordsError as exc:
        fail(str(exc), files=True)
    finally:
        store.close()
    state = _state_dir(data_dir)
    private_dir(state)  # people records: 0600 files in a 0700 directory
    with atomic_path(state / "records.csv") as tmp:
        shutil.copyfile(Path(folder) / "people_records.csv", tmp)
    parts = [f"{n:,} {label}" for label, n in report.nodes.items()]
    parts += [f"{n:,} {rel}" for rel, n in report.relationships.items()]
    typer.echo(f"loaded {', '.join(parts)}; run `dhrkg link` to resolve identities")


# --------------------------------------------------------------------------- link


@link_app.callback()
def link(
    ctx: typer.Context,
    records: Optional[Path] = typer.Option(None, "--records", help="People records CSV to link (default: the copy `dhrkg import-records` keeps).", show_default=False),
    pairs_out: Optional[Path] = typer.Option(None, "--pairs-out", help="Write record_id_l, record_id_r, match_probability for every pair resolved to the same identity (probability empty when linked only through other records).", show_default=False),
    match_threshold: float = typer.Option(0.85, "--match-threshold", help="Pairs at or above this match probability are the same person."),
    review_threshold: float = typer.Option(0.5, "--review-threshold", help="Pairs from here up to the match threshold go to the review list."),
    graph: bool = typer.Option(True, "--graph/--no-graph", help="Write Identity nodes and SAME_AS edges to the graph."),
    threads: Optional[int] = typer.Option(None, "--threads", help="DuckDB threads (default: all cores).", show_default=False),
    backend: Optional[str] = BackendOption,
    data_dir: Optional[Path] = DataDirOption,
    force: bool = typer.Option(False, "--force", help="Overwrite the --pairs-out file if it exists."),
) -> None:
    """Resolve records into identities with Splink on DuckDB, trained without labels.

    Writes Identity nodes and SAME_AS edges (with the match probability and which fields
    agreed) to the graph, applies reviewers' decisions, and puts pairs in the uncertain band on
    the review list (`dhrkg link review`)."""
    ctx.obj = {"data_dir": data_dir}
    if ctx.invoked_subcommand is not None:
        return
    from dhrkg.ingest import linkage as L

    if pairs_out is not None:
        from dhrkg.outputs import OutputRefused, check_output

        with failing(OutputRefused):
            check_output(pairs_out, force)
    state = _state_dir(data_dir)
    source = records or state / "records.csv"
    if not source.exists():
        fail(f"{source}: no records to link; run `dhrkg import-records DIR` first or pass --records", files=True)
    settings = L.LinkSettings(match_threshold=match_threshold, review_threshold=review_threshold, threads=threads)
    with failing(L.LinkageError, files=True):
        settings.check()
        decisions = L.read_decisions(state / "decisions.csv")
        pairs = L.score_pairs(source, settings)
    res = L.resolve(pairs, settings, decisions)
    state.mkdir(parents=True, exist_ok=True)
    _write_review(state / "review.csv", pairs, res)
    (state / "model.json").write_text(json.dumps(pairs.model, indent=2, default=str) + "\n", encoding="utf-8")
    n_ident = len(set(res.identity_of.values()))
    summary = {"records": str(source.resolve()), "scored_pairs": len(pairs), "links": len(res.links),
               "identities": n_ident, "records_in_identities": len(res.identity_of),
               "review": len(res.review), "refused": res.refused, "decisions": len(decisions),
               "match_threshold": match_threshold, "review_threshold": review_threshold,
               "seconds": {k: round(v, 1) for k, v in pairs.seconds.items()}}
    if pairs_out is not None:
        summary["pairs_out"] = L.write_pairs(pairs_out, L.linked_pairs(pairs, res))
    if graph:
        from dhrkg.ingest.records import write_identities

        store = open_graph(backend, data_dir)
        try:
            summary["graph"] = write_identities(store, pairs, res)
        finally:
            store.close()
    (state / "last-link.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"{len(res.identity_of):,} records resolved into {n_ident:,} identities "
               f"({len(res.links):,} links at p >= {match_threshold}, {len(res.accepted)} accepted by reviewers); "
               f"{len(res.review):,} pairs to review (`dhrkg link review`)")
    if pairs_out is not None:
        typer.echo(f"wrote {summary['pairs_out']:,} pairs to {pairs_out}")


def _write_review(path: Path, pairs, res) -> None:
    from dhrkg.ingest import linkage as L
    from dhrkg.outputs import atomic_text

    with atomic_text(path, newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(L.REVIEW_COLUMNS)
        for i in res.review.tolist():
            w.writerow([*pairs.pair_ids(i), f"{pairs.probability[i]:.6f}",
                        "; ".join(pairs.explanation(i)["details"])])


def _records_file(state: Path) -> Path:
    from dhrkg.ingest.linkage import records_file

    return records_file(state)


def _records_by_id(path: Path, ids: set[str]) -> dict[str, dict[str, str]]:
    from dhrkg.ingest.linkage import LinkageError, records_by_id

    with failing(LinkageError, files=True):
        return records_by_id(path, ids)


@link_app.command("review")
def review(
    ctx: typer.Context,
    limit: int = typer.Option(20, "--limit", help="Show at most this many pairs (0: all)."),
    fmt: str = typer.Option("text", "--format", help="text or csv."),
    data_dir: Optional[Path] = DataDirOption,
) -> None:
    """List undecided pairs in the uncertain band, strongest first.

    Both records are shown side by side with how each field compared."""
    from dhrkg.ingest import linkage as L

    state = _state_dir(data_dir or ctx.obj["data_dir"])
    with failing(L.LinkageError, files=True):
        rows = L.pending_pairs(state)
    if limit:
        rows = rows[:limit]
    if fmt == "csv":
        w = csv.writer(typer.get_text_stream("stdout"), lineterminator="\n")
        w.writerow(L.REVIEW_COLUMNS)
        for r in rows:
            w.writerow([r[c] for c in L.REVIEW_COLUMNS])
        return
    if fmt != "text":
        fail(f"--format must be text or csv, not {fmt!r}", 2)
    recs = _records_by_id(_records_file(state), {r[c] for r in rows for c in ("record_id_l", "record_id_r")})
    if not rows:
        typer.echo("nothing to review")
        return
    fields = ("source", "forename", "surname", "date_of_birth", "sex", "postcode_district")
    for r in rows:
        a, b = recs.get(r["record_id_l"], {}), recs.get(r["record_id_r"], {})
        typer.echo(f"{r['record_id_l']},{r['record_id_r']}  match probability {float(r['match_probability']):.3f}")
        for fld in fields:
            typer.echo(f"  {fld:<18} {a.get(fld, '') or '-':<28} {b.get(fld, '') or '-'}")
        typer.echo(f"  {r['explanation']}")
        typer.echo("")
    typer.echo("decide with: dhrkg link accept A,B   or   dhrkg link reject A,B")


def _pair(values: List[str]) -> tuple[str, str]:
    parts = [p.strip() for v in values for p in v.split(",") if p.strip()]
    if len(parts) != 2:
        fail("give a pair as A,B (or A B): two record ids", 2)
    return parts[0], parts[1]


def _decide(ctx: typer.Context, values: List[str], decision: str, note: str, data_dir: Optional[Path]) -> None:
    from dhrkg.ingest import linkage as L

    a, b = _pair(values)
    state = _state_dir(data_dir or ctx.obj["data_dir"])
    with failing(L.LinkageError, status=2, files=True):
        d = L.decide(state, a, b, decision, note)
    typer.echo(f"{decision}ed {d.left},{d.right}; run `dhrkg link` to apply it to the identities")


_PAIR = typer.Argument(..., help="The pair: A,B (or A B).", show_default=False)
_NOTE = typer.Option("", "--note", help="Why (kept with the decision).")


def _decision_command(decision: str, doc: str):
    """``dhrkg link accept`` or ``reject``: record a reviewer's decision on a pair."""

    def command(ctx: typer.Context, pair: List[str] = _PAIR, note: str = _NOTE,
                data_dir: Optional[Path] = DataDirOption) -> None:
        _decide(ctx, pair, decision, note, data_dir)

    command.__doc__ = doc
    return command


link_app.command("accept")(_decision_command(
    "accept", "Record that two records are the same person (applied on every `dhrkg link`)."))
link_app.command("reject")(_decision_command(
    "reject", "Record that two records are different people; they are never put in one identity."))


def register(app: typer.Typer) -> None:
    app.command(rich_help_panel=PANEL)(synth)
    app.command("import-records", rich_help_panel=PANEL)(import_records)
    app.add_typer(link_app, name="link", rich_help_panel=PANEL)

"""Drawing a review read back from the graph store (FalkorDB; Neo4j when available)."""

from __future__ import annotations

import uuid
from pathlib import Path

from typer.testing import CliRunner

from dhrkg.cli import app
from dhrkg.model import load_case
from dhrkg.visualisation import case_from_store, genogram_svg, network_svg, timeline_svg

from support.svg_geometry import check_drawing, read

GOLD = Path(__file__).resolve().parents[2] / "examples" / "001_24bc3f827734f2c4.yaml"
runner = CliRunner()


def structure(svg: str) -> dict:
    """What a genogram says, independent of where things were placed."""
    d = read(svg)
    return {
        "persons": {pid: (p.attrs["data-shape"], p.attrs["data-sex"], p.cross, p.attrs.get("data-victim"),
                          tuple(p.labels)) for pid, p in d.persons.items()},
        "couples": {frozenset((c["data-from"], c["data-to"])): (c["data-couple-kind"], c["data-status"]) for c in d.couples},
        "children": {(cid, frozenset(s["data-parents"].split()), ch["attrs"]["data-link"])
                     for s in d.sibships for cid, ch in s["children"].items()},
        "abuse": {(a["data-from"], a["data-to"], a["data-abuse-kind"]) for a in d.abuse},
        "households": {frozenset(h["data-members"].split()) for h in d.households},
    }


def test_review_from_the_store_draws_like_the_case_file(store):
    case = load_case(GOLD)
    store.load_case(case)
    back = case_from_store(store, case.review.id)
    svg = genogram_svg(back)
    assert structure(svg) == structure(genogram_svg(case))
    assert not check_drawing(back, read(svg))
    # the contact network and the timeline count the same contacts and events
    assert network_svg(back).count('data-kind="contact"') == network_svg(case).count('data-kind="contact"')
    assert timeline_svg(back).count('data-kind="event"') == len(case.events)


def test_cli_draws_a_review_id_from_the_store(tmp_path, falkordb_data_dir):
    from dhrkg.graph.falkordb import FalkorDBStore

    case = load_case(GOLD)
    graph = f"test-genogram-{uuid.uuid4().hex[:8]}"
    with FalkorDBStore(falkordb_data_dir, graph=graph) as store:
        try:
            store.load_case(case)
            env = {"DHRKG_DATA_DIR": str(falkordb_data_dir), "DHRKG_GRAPH": graph, "DHRKG_BACKEND": "falkordb"}
            out = tmp_path / "g.svg"
            r = runner.invoke(app, ["genogram", case.review.id, "-o", str(out)], env=env)
            assert r.exit_code == 0, r.output
            assert structure(out.read_text()) == structure(genogram_svg(case))
            r = runner.invoke(app, ["genogram", "no-such-review", "-o", str(tmp_path / "none.svg")], env=env)
            assert r.exit_code == 1 and "no review 'no-such-review'" in r.output
        finally:
            store._graph.delete()

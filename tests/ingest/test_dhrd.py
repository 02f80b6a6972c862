"""The DHRD in the graph on both engines: counts, regions and every canned DHRD query checked
against plain-Python computations over the CSV files themselves."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

from dhrkg.graph.canned import bind, load_library, run
from dhrkg.model import load_case
from dhrkg.ingest.dhrd import DHRDError, default_dir, import_dhrd, read_dataset

from support.stores import ENGINES, ModuleStore, falkordb_store, neo4j_store

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "data" / "dhrd"
DATA = default_dir()
STAFFORD = REPO / "examples" / "000_758f327280f4e0aa.yaml"

TRUE = "True"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


INCIDENTS = read_csv("incidents.csv")
VICTIMS = read_csv("victims.csv")
PERPETRATORS = read_csv("perpetrators.csv")
BY_INCIDENT = {r["incident_id"]: r for r in INCIDENTS}
FLAGS = ["intimate_partner_violence", "familial_homicide", "parricide", "homicide_suicide", "children_present",
         "coercive_control", "economic_abuse", "faith_based_marriage", "forced_marriage", "honour_based_violence",
         "physical_abuse", "emotional_abuse", "separation", "sexual_abuse", "stalking"]


def known(value: str) -> str:
    return "Unknown" if value.strip().lower() in ("", "unknown", "not_known") else value


def assert_percents(rows, count_col: str, total_col_or_value) -> None:
    for row in rows:
        total = row[total_col_or_value] if isinstance(total_col_or_value, str) else total_col_or_value
        assert abs(row["percent"] - 100.0 * row[count_col] / total) <= 0.051, row


# --- the packaged copy ----------------------------------------------------------------------------


def test_packaged_copy_is_the_shared_dataset_with_licence_and_citation():
    for name in ("incidents.csv", "victims.csv", "perpetrators.csv", "LICENSE", "CITATION.cff", "CODEBOOK.md", "SOURCE.md"):
        assert (DATA / name).is_file(), name
        if SHARED.is_dir():
            assert (DATA / name).read_bytes() == (SHARED / name).read_bytes(), name
    assert "Creative Commons Attribution 4.0" in (DATA / "LICENSE").read_text()


def test_read_dataset_counts_as_the_files_say():
    ds = read_dataset()
    single = [r for r in INCIDENTS if r["multiple_victims"] != TRUE]
    assert len(ds.incidents) == len(INCIDENTS) == 647
    assert len(ds.victims) == len(VICTIMS) == len(single) == 619
    assert len(ds.perpetrators) == len(PERPETRATORS) == 647
    # "single victim": victims.csv has one row for each incident not flagged multiple_victims
    assert sorted(v.incident_id for v in ds.victims) == sorted(r["incident_id"] for r in single)


@pytest.mark.parametrize("file, old, new, message", [
    ("incidents.csv", "INC-0002,Norfolk,East,March 2020,False", "INC-0002,Norfolk,East,March 2020,Maybe",
     r"incidents.csv:3: column multiple_victims: 'Maybe' is not TRUE or FALSE"),
    ("incidents.csv", "INC-0002,Norfolk,East,March 2020", "INC-0002,Norfolk,East,Marchember 2020",
     r"incidents.csv:3: column death_date: 'Marchember 2020' is not a date"),
    ("victims.csv", "VIC-0002,INC-0002", "VIC-0002,INC-9999",
     r"victims.csv:3: column incident_id: 'INC-9999' is not in incidents.csv"),
    ("victims.csv", "VIC-0002,INC-0002", "VIC-0001,INC-0002",
     r"victims.csv:3: column victim_id: id 'VIC-0001' is also on line 2"),
    ("victims.csv", "Common-law spouse", "Landlord",
     r"victims.csv:2: column relationship_to_perpetrator: 'Landlord' is not a relationship dhrkg knows"),
    ("perpetrators.csv", "SUS-0002,INC-0002", "SUS-0002,INC-0001",
     r"perpetrators.csv:3: column incident_id: INC-0001 already has a perpetrator \(SUS-0001, line 2\)"),
    ("incidents.csv", "incident_id,csp,region", "incident_id,partnership,region",
     r"incidents.csv:1: missing column csp"),
])
def test_bad_files_are_reported_with_file_line_and_column(tmp_path, file, old, new, message):
    shutil.copytree(DATA, tmp_path / "dhrd")
    path = tmp_path / "dhrd" / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DHRDError, match=message):
        read_dataset(tmp_path / "dhrd")


def test_bad_files_write_nothing(store, tmp_path):
    shutil.copytree(DATA, tmp_path / "dhrd")
    (tmp_path / "dhrd" / "victims.csv").unlink()
    with pytest.raises(DHRDError, match="victims.csv: no such file"):
        import_dhrd(store, tmp_path / "dhrd")
    assert store.query("MATCH (n) RETURN count(n) AS n").rows == [[0]]


# --- the import, on both engines ------------------------------------------------------------------


def test_import_gives_647_reviews_619_single_victims_647_perpetrators_and_the_csv_regions(store):
    import_dhrd(store)
    q = store.query
    reviews = q("MATCH (r:Review {dataset: 'dhrd'}) RETURN count(r) AS n").rows[0][0]
    victims = q("MATCH (v:Person)-[:SUBJECT_OF {role: 'victim'}]->(r:Review {dataset: 'dhrd'}) "
                "WHERE r.multiple_victims = false RETURN count(v) AS n").rows[0][0]
    all_victims = q("MATCH (v:Person {dataset: 'dhrd'}) WHERE 'victim' IN v.roles RETURN count(v) AS n").rows[0][0]
    perpetrators = q("MATCH (p:Person)-[:SUBJECT_OF {role: 'perpetrator'}]->(r:Review {dataset: 'dhrd'}) "
                     "RETURN count(p) AS n").rows[0][0]
    single = sum(1 for r in INCIDENTS if r["multiple_victims"] != TRUE)
    assert (reviews, victims, perpetrators) == (len(INCIDENTS), single, len(PERPETRATORS)) == (647, 619, 647)
    assert all_victims == victims
    # each single-victim review has exactly one victim and every review one perpetrator
    per_review = q("MATCH (r:Review {dataset: 'dhrd'}) "
                   "RETURN r.multiple_victims AS multiple, "
                   "size([(v:Person)-[:SUBJECT_OF {role: 'victim'}]->(r) | v]) AS victims, "
                   "size([(p:Person)-[:SUBJECT_OF {role: 'perpetrator'}]->(r) | p]) AS perpetrators").records()
    assert Counter((x["multiple"], x["victims"], x["perpetrators"]) for x in per_review) == \
        Counter({(False, 1, 1): single, (True, 0, 1): len(INCIDENTS) - single})

    regions = dict(q("MATCH (r:Review {dataset: 'dhrd'})-[:LOCATED_IN]->(a:Area {kind: 'region'}) "
                     "RETURN a.name AS region, count(r) AS n").rows)
    assert regions == dict(Counter(r["region"] for r in INCIDENTS))

    csps = dict(q("MATCH (r:Review {dataset: 'dhrd'})-[:COMMISSIONED_BY]->(a:Area {kind: 'csp'}) "
                  "RETURN r.commissioned_by AS csp, count(r) AS n").rows)
    assert csps == dict(Counter(r["csp"] for r in INCIDENTS))


# --- canned queries vs Python over the CSV --------------------------------------------------------

LIBRARY = load_library(include_user=False)


def fill_dhrd(store) -> None:
    store.load_case(load_case(STAFFORD))
    import_dhrd(store)


@pytest.fixture(scope="module", params=ENGINES)
def dhrd_loaded(request):
    """One store per engine holding the DHRD and one case file, filled once for the query tests
    (the import takes seconds); on Neo4j, filled again when a test on ``store`` emptied it."""
    if request.param == "falkordb":
        opened = falkordb_store(request.getfixturevalue("falkordb_data_dir"), "test-dhrd")
    else:
        opened = neo4j_store(request.getfixturevalue("neo4j_server"))
    with opened as store:
        yield ModuleStore(store, fill_dhrd)


@pytest.fixture
def dhrd_store(dhrd_loaded):
    return dhrd_loaded.for_test()


def test_characteristics_relationships_and_attribution(dhrd_store):
    q = dhrd_store.query
    # a victim's characteristics, typed
    v = VICTIMS[1]
    inc = BY_INCIDENT[v["incident_id"]]
    [[node]] = q("MATCH (p:Person {key: $k}) RETURN p AS p", {"k": f"dhrd-{v['incident_id']}/{v['victim_id']}"}).rows
    props = node["properties"]
    assert props["sex"] == v["sex_of_victim"].lower()
    assert props.get("age_band", "Unknown") == known(v["age_at_death"])
    assert props["previous_offences"] is (v["prev_offence_history"] == TRUE)
    assert sorted(props.get("vulnerabilities", [])) == sorted(
        c.removeprefix("victim_vuln_") for c in v if c.startswith("victim_vuln_") and v[c] == TRUE)
    assert sorted(props.get("mental_health", [])) == sorted(
        c.removeprefix("victim_mh_") for c in v if c.startswith("victim_mh_") and v[c] == TRUE)
    death = dt.datetime.strptime(inc["death_date"], "%B %Y")  # e.g. "March 2020"
    assert props["died"] == f"{death.year:04d}-{death.month:02d}"
    # case flags on the review: booleans, and the list of those set
    [[review]] = q("MATCH (r:Review {id: $r}) RETURN r AS r", {"r": f"dhrd-{inc['incident_id']}"}).rows
    for flag in FLAGS:
        assert review["properties"][flag] is (inc[flag] == TRUE), flag
    assert review["properties"]["flags"] == [f for f in FLAGS if inc[f] == TRUE]

    # one victim-perpetrator relationship per known relationship, none for 'Unknown'
    n_rel = q("MATCH (v:Person {dataset: 'dhrd'})-[e]-(p:Person {dataset: 'dhrd'}) "
              "WHERE e.dhrd_relationship IS NOT NULL AND 'victim' IN v.roles RETURN count(e) AS n").rows[0][0]
    assert n_rel == sum(1 for r in VICTIMS if r["relationship_to_perpetrator"] != "Unknown")

    # attribution: the citation from CITATION.cff on the one Source node every review points to
    cff = yaml.safe_load((DATA / "CITATION.cff").read_text())
    ref = next(r for r in cff["references"] if r["type"] == "dataset")
    [[source]] = q("MATCH (s:Source {key: 'dataset:dhrd'}) RETURN s AS s").rows
    sp = source["properties"]
    assert (sp["title"], sp["doi"], sp["licence"]) == (ref["title"], ref["doi"], ref.get("license", cff["license"]))
    assert ref["doi"] in sp["citation"] and "Cook" in sp["citation"]
    supported = q("MATCH (r:Review {dataset: 'dhrd'})-[:SUPPORTED_BY]->(s:Source {key: 'dataset:dhrd'}) "
                  "RETURN count(r) AS n").rows[0][0]
    assert supported == len(INCIDENTS)


def test_reimport_replaces_and_leaves_case_files_alone(dhrd_store):
    store = dhrd_store
    case = load_case(STAFFORD)
    first = store.stats()
    assert case.review.id in first["reviews"]
    report = import_dhrd(store)
    assert report.replaced_nodes == len(INCIDENTS) + len(VICTIMS) + len(PERPETRATORS)
    assert store.stats() == first
    # the case file and the DHRD reviews from the same CSP share its Area
    rows = store.query("MATCH (a:Area {kind: 'csp'})<-[:COMMISSIONED_BY]-(r:Review) WHERE r.id = $id "
                       "MATCH (a)<-[:COMMISSIONED_BY]-(d:Review {dataset: 'dhrd'}) RETURN count(d) AS n",
                       {"id": case.review.id}).rows
    assert rows == [[sum(1 for r in INCIDENTS if f"{r['csp']} Community Safety Partnership" == case.review.commissioned_by)]]
    assert rows[0][0] > 0


def canned(store, name: str, **params) -> list[dict]:
    query = LIBRARY.get(name)
    return run(store, query, bind(query, params)).records()


def day_range(text: str) -> tuple[str, str]:
    from dhrkg.ingest.chronology import parse_date_text

    d = parse_date_text(text).date
    return d.earliest.isoformat(), d.latest.isoformat()


def test_reviews_by_region(dhrd_store):
    rows = canned(dhrd_store, "dhrd-reviews-by-region")
    expected = defaultdict(lambda: {"reviews": 0, "csps": set(), "from": [], "to": []})
    for r in INCIDENTS:
        e = expected[r["region"]]
        e["reviews"] += 1
        e["csps"].add(r["csp"])
        lo, hi = day_range(r["death_date"])
        e["from"].append(lo)
        e["to"].append(hi)
    assert [(x["region"], x["reviews"], x["csps"], x["earliest_death"], x["latest_death"]) for x in rows] == sorted(
        [(k, v["reviews"], len(v["csps"]), min(v["from"]), max(v["to"])) for k, v in expected.items()],
        key=lambda t: (-t[1], t[0]))
    assert_percents(rows, "reviews", len(INCIDENTS))


@pytest.mark.parametrize("region", [None, "West Midlands"])
def test_reviews_by_csp(dhrd_store, region):
    rows = canned(dhrd_store, "dhrd-reviews-by-csp", **({"region": region} if region else {}))
    counts = Counter((r["region"], r["csp"]) for r in INCIDENTS if region is None or r["region"] == region)
    assert Counter({(x["region"], x["csp"]): x["reviews"] for x in rows}) == counts
    assert [x["reviews"] for x in rows] == sorted((x["reviews"] for x in rows), reverse=True)
    case = load_case(STAFFORD)
    linked = {x["csp"]: x["case_files"] for x in rows if x["case_files"]}
    assert linked == {"Stafford": [case.review.id]}


@pytest.mark.parametrize("region", [None, "Wales"])
def test_case_characteristics(dhrd_store, region):
    rows = canned(dhrd_store, "dhrd-case-characteristics", **({"region": region} if region else {}))
    incidents = [r for r in INCIDENTS if region is None or r["region"] == region]
    expected = {("flag", f): sum(1 for r in incidents if r[f] == TRUE) for f in FLAGS}
    for r in incidents:
        for group, value in (("cause of death", r["cause_of_death"].strip() or "unknown"),
                             ("location of death", "unknown" if r["location_of_death"] in ("", "not_known") else r["location_of_death"]),
                             ("victims", "more than one" if r["multiple_victims"] == TRUE else "one")):
            expected[(group, value)] = expected.get((group, value), 0) + 1
    assert {(x["group"], x["characteristic"]): x["reviews"] for x in rows} == expected
    assert {x["of"] for x in rows} == {len(incidents)}
    assert_percents(rows, "reviews", "of")


def _demographics(rows_csv, columns, flags, prefix):
    expected: Counter = Counter()
    for r in rows_csv:
        for label, column in columns:
            expected[(label, known(r[column]))] += 1
        for label, column in flags:
            expected[(label, "yes" if r[column] == TRUE else "no")] += 1
        for c, v in r.items():
            if v == TRUE and c.startswith(f"{prefix}_mh_"):
                expected[("mental health", c.removeprefix(f"{prefix}_mh_"))] += 1
            if v == TRUE and c.startswith(f"{prefix}_vuln_"):
                expected[("vulnerability", c.removeprefix(f"{prefix}_vuln_"))] += 1
    return expected


def test_victim_demographics(dhrd_store):
    rows = canned(dhrd_store, "dhrd-victim-demographics")
    expected = _demographics(
        VICTIMS,
        [("age band", "age_at_death"), ("ethnicity", "victim_ethnicity"),
         ("sexual orientation", "sexual_orientation_of_victim"), ("religion", "victim_religion"),
         ("relationship to perpetrator", "relationship_to_perpetrator")],
        [("previous offences", "prev_offence_history"), ("carer responsibilities", "victim_carer_responsibilities"),
         ("suicide", "victim_suicide"), ("mental health issues", "victim_mental_health_issues")], "victim")
    for r in VICTIMS:
        expected[("sex", r["sex_of_victim"].lower())] += 1
    assert Counter({(x["characteristic"], x["value"]): x["victims"] for x in rows}) == expected
    assert {x["of"] for x in rows} == {len(VICTIMS)}
    assert_percents(rows, "victims", "of")


def test_perpetrator_demographics(dhrd_store):
    rows = canned(dhrd_store, "dhrd-perpetrator-demographics")
    expected = _demographics(
        PERPETRATORS,
        [("age band", "age_at_fatal_incident"), ("ethnicity", "perpetrator_ethnicity"),
         ("sexual orientation", "sexual_orientation_of_perpetrator"), ("court verdict", "court_verdict")],
        [("previous offences", "prev_offence_history"), ("carer responsibilities", "perpetrator_carer_responsibilities"),
         ("carer for victim", "perpetrator_carer_for_victim"), ("mental health issues", "perpetrator_mental_health_issues")],
        "perpetrator")
    for r in PERPETRATORS:
        expected[("sex", r["sex_of_perpetrator"].lower())] += 1
    assert Counter({(x["characteristic"], x["value"]): x["perpetrators"] for x in rows}) == expected
    assert_percents(rows, "perpetrators", "of")


#: The victim's relationship to the perpetrator (DHRD wording) -> the query's grouping.
GROUPS = {
    "Spouse (incl civil partner)": "partner", "Common-law spouse": "partner", "Boyfriend or girlfriend": "partner",
    "Casual sexual partner": "partner", "Ex-spouse": "ex-partner", "Ex-boyfriend or ex-girlfriend": "ex-partner",
    "Parent": "parent of the perpetrator", "Step-parent": "parent of the perpetrator",
    "Son or daughter": "child of the perpetrator", "Sibling": "sibling", "Half-sibling": "sibling",
    "Step-sibling": "sibling", "Grandparent": "other relative", "Other (relative)": "other relative",
    "Cohabitant": "non-relative", "Other (non-relative)": "non-relative", "Emotional rival": "non-relative",
    "Unknown": "unknown",
}


@pytest.mark.parametrize("flags, by_region", [(None, True), (["separation", "stalking", "coercive_control"], False)])
def test_flags_by_relationship_and_region(dhrd_store, flags, by_region):
    params = {"by_region": by_region}
    if flags:
        params["flags"] = flags
    rows = canned(dhrd_store, "dhrd-flags-by-relationship-and-region", **params)
    flags = flags or ["separation", "stalking"]
    cells: dict = defaultdict(list)
    for v in VICTIMS:
        inc = BY_INCIDENT[v["incident_id"]]
        region = inc["region"] if by_region else "England and Wales"
        cells[(region, GROUPS[v["relationship_to_perpetrator"]])].append(inc)
    expected = sorted((region, rel, flag, sum(1 for i in incs if i[flag] == TRUE), len(incs))
                      for (region, rel), incs in cells.items() for flag in flags)
    assert [(x["region"], x["relationship"], x["flag"], x["flagged"], x["reviews"]) for x in rows] == expected
    assert_percents(rows, "flagged", "reviews")


@pytest.mark.parametrize("vulnerability", ["alcohol", "housing"])
def test_paired_vulnerability(dhrd_store, vulnerability):
    rows = canned(dhrd_store, "dhrd-paired-vulnerability", vulnerability=vulnerability)
    perp = {p["incident_id"]: p for p in PERPETRATORS}
    got = Counter()
    for v in VICTIMS:
        a = v[f"victim_vuln_{vulnerability}"] == TRUE
        b = perp[v["incident_id"]][f"perpetrator_vuln_{vulnerability}"] == TRUE
        got["both" if a and b else "victim only" if a else "perpetrator only" if b else "neither"] += 1
    assert [(x["recorded_for"], x["incidents"]) for x in rows] == [
        (k, got[k]) for k in ("neither", "victim only", "perpetrator only", "both")]
    assert {x["of"] for x in rows} == {len(VICTIMS)}
    assert_percents(rows, "incidents", "of")


def test_cli_check_and_import(tmp_path, falkordb_data_dir):
    from typer.testing import CliRunner

    from dhrkg.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["import-dhrd", "--check"])
    assert r.exit_code == 0, r.output
    assert f"{len(INCIDENTS)} incidents" in r.output and "10.5281/zenodo" in r.output
    env = {"DHRKG_DATA_DIR": str(falkordb_data_dir), "DHRKG_GRAPH": f"test-cli-dhrd-{uuid.uuid4().hex[:8]}",
           "DHRKG_BACKEND": "falkordb"}
    r = runner.invoke(app, ["import-dhrd"], env=env)
    assert r.exit_code == 0, r.output
    assert f"Review {len(INCIDENTS)}" in r.output
    r = runner.invoke(app, ["run", "dhrd-reviews-by-region"], env=env)
    assert r.exit_code == 0, r.output
    top = Counter(x["region"] for x in INCIDENTS).most_common(1)[0][0]
    assert top in r.output
    from dhrkg.graph.falkordb import FalkorDBStore

    with FalkorDBStore(falkordb_data_dir, graph=env["DHRKG_GRAPH"]) as s:
        s._graph.delete()


@pytest.mark.parametrize("name", sorted(n for n in LIBRARY.names() if n.startswith("dhrd-")))
def test_dhrd_queries_without_the_dataset_return_no_rows_not_an_error(store, name):
    """Before `dhrkg import-dhrd` (only a case file loaded) every DHRD query answers with no
    rows on both engines; Neo4j used to fail with '/ by zero' on the percentages."""
    store.load_case(load_case(STAFFORD))
    query = LIBRARY.get(name)
    rows = run(store, query, bind(query, {})).records()
    assert rows == []


def test_an_import_leaves_no_review_to_summarise_on_the_next_open(store):
    """The DHRD's summaries (find-person's text among them) are written by the import, so the
    next reader's open does not write them, and find-person finds a DHRD person (by id) at once."""
    import_dhrd(store)
    assert store.stale_reviews() == []
    assert any("VIC-0001" in str(row) for row in canned(store, "find-person", text="vic-0001"))

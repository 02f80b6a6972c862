"""Police force areas, local authorities and towns (dhrkg.places and its data files)."""

from __future__ import annotations

import csv
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest
import yaml

from dhrkg import places
from dhrkg.places import (
    canonical_force_area,
    find_force,
    force_area_for_place,
    force_areas,
    is_force_area,
    local_authorities,
    local_authority_for_town,
    normalise_place_name,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# ONS code prefix of each kind of current district (GSS entity codes).
PREFIX_KIND = {
    "E06": "unitary",
    "W06": "unitary",
    "E07": "non_metropolitan_district",
    "E08": "metropolitan_district",
    "E09": "london_borough",
}


def _csv(name: str) -> list[dict[str, str]]:
    with resources.files("dhrkg").joinpath("data", name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---------------------------------------------------------------- force areas


def test_43_territorial_force_areas_39_in_england_4_in_wales():
    areas = force_areas()
    assert len(areas) == 43
    assert len({a.name for a in areas}) == 43
    by_country = Counter(a.country for a in areas)
    assert by_country == {"England": 39, "Wales": 4}
    assert {a.name for a in areas if a.country == "Wales"} == {"Dyfed-Powys", "Gwent", "North Wales", "South Wales"}
    assert all(a.territorial and a.local_authorities for a in areas)


def test_british_transport_police_is_a_national_force_without_an_area():
    every = force_areas(include_national=True)
    assert len(every) == 44
    (btp,) = [f for f in every if not f.territorial]
    assert btp.name == "British Transport Police"
    assert btp.local_authorities == () and btp.counties == ()
    assert find_force("BTP") == btp
    assert not is_force_area("British Transport Police")
    assert canonical_force_area("BTP") is None
    assert force_area_for_place("British Transport Police") is None


def test_every_current_district_is_in_exactly_one_force_area():
    lads = local_authorities()
    names = [la.name for la in lads]
    assert len(names) == len(set(names))
    per_area = Counter(name for a in force_areas() for name in a.local_authorities)
    assert set(per_area) == set(names)
    assert max(per_area.values()) == 1


def test_districts_are_the_318_of_december_2023():
    lads = local_authorities()
    assert len(lads) == 318
    by_prefix = Counter(la.code[:3] for la in lads)
    # England and Wales, December 2023: 63 unitary, 164 shire districts,
    # 36 metropolitan districts, 33 London boroughs (incl. City of London),
    # 22 Welsh principal areas.
    assert by_prefix == {"E06": 63, "E07": 164, "E08": 36, "E09": 33, "W06": 22}


def test_district_codes_are_unique_well_formed_and_match_kind_and_country():
    country = {a.name: a.country for a in force_areas()}
    codes = [la.code for la in local_authorities()]
    assert len(codes) == len(set(codes))
    for la in local_authorities():
        assert len(la.code) == 9 and la.code[3:].isdigit(), la
        assert PREFIX_KIND[la.code[:3]] == la.kind, la
        assert la.code[0] == {"England": "E", "Wales": "W"}[country[la.force_area]], la


def test_counties_formers_and_areas():
    every = local_authorities(current_only=False)
    current = {la.name: la for la in every if la.current}
    counties = [la for la in every if la.kind == "county"]
    assert len(counties) == 21  # county councils in two-tier England, 2023
    assert all(la.code.startswith("E10") for la in counties)
    assert len({la.code for la in counties}) == 21
    for la in every:
        if la.kind == "former_district":
            successor = current[la.successor]
            assert successor.force_area == la.force_area, la
        else:
            assert la.successor == "", la
    formers = {la.name for la in every if la.kind == "former_district"}
    assert {"Allerdale", "Harrogate", "Mendip", "Aylesbury Vale", "Kettering", "Waveney", "Shepway"} <= formers
    assert not formers & set(current)


# ---------------------------------------------------------------- the raw table
# These read police_force_areas.csv directly, not through dhrkg.places, so a
# duplicate or inconsistent row that the loader would hide (it keeps the first
# row of a force area for its name and type) still fails here.

COLUMNS = ["force_area", "force_name", "force_type", "country", "local_authority", "la_kind", "la_code", "successor"]
CODED_KINDS = {**PREFIX_KIND, "E10": "county"}
UNCODED_KINDS = {"former_district", "former_county", "area"}


def test_raw_table_has_43_territorial_force_areas_and_btp():
    rows = _csv("police_force_areas.csv")
    assert list(rows[0]) == COLUMNS
    per_area: dict[str, set[tuple[str, str, str]]] = {}
    for r in rows:
        per_area.setdefault(r["force_area"], set()).add((r["force_name"], r["force_type"], r["country"]))
    # one force name, type and country per force area
    assert {a: len(v) for a, v in per_area.items() if len(v) != 1} == {}
    meta = {a: next(iter(v)) for a, v in per_area.items()}
    territorial = {a for a, (_, kind, _) in meta.items() if kind == "territorial"}
    national = {a for a, (_, kind, _) in meta.items() if kind == "national"}
    assert len(territorial) == 43
    assert national == {"British Transport Police"}
    assert set(meta) == territorial | national
    assert Counter(meta[a][2] for a in territorial) == {"England": 39, "Wales": 4}
    btp_rows = [r for r in rows if r["force_area"] == "British Transport Police"]
    assert len(btp_rows) == 1
    assert btp_rows[0]["country"] == "Great Britain"
    assert all(btp_rows[0][c] == "" for c in ("local_authority", "la_kind", "la_code", "successor"))
    # every territorial area has at least one current district
    with_district = {r["force_area"] for r in rows if r["la_kind"] in PREFIX_KIND.values()}
    assert with_district == territorial


def test_raw_table_codes_are_unique_and_of_the_right_prefix():
    rows = [r for r in _csv("police_force_areas.csv") if r["local_authority"]]
    codes = [r["la_code"] for r in rows if r["la_code"]]
    assert [c for c, n in Counter(codes).items() if n > 1] == []
    for r in rows:
        if r["la_kind"] in UNCODED_KINDS:
            assert r["la_code"] == "", r
            continue
        code = r["la_code"]
        assert len(code) == 9 and code[0] in "EW" and code[1:].isdigit(), r
        assert CODED_KINDS.get(code[:3]) == r["la_kind"], r
        assert code[0] == {"England": "E", "Wales": "W"}[r["country"]], r


def test_raw_table_every_current_district_in_exactly_one_force_area():
    rows = [r for r in _csv("police_force_areas.csv") if r["local_authority"]]
    assert [n for n, k in Counter(r["local_authority"] for r in rows).items() if k > 1] == []
    current = [r for r in rows if r["la_kind"] in PREFIX_KIND.values()]
    areas_of: dict[str, set[str]] = {}
    for r in current:
        areas_of.setdefault(r["la_code"], set()).add(r["force_area"])
    assert all(len(a) == 1 for a in areas_of.values())
    # England and Wales, December 2023: 296 English and 22 Welsh districts.
    assert Counter(r["country"] for r in current) == {"England": 296, "Wales": 22}
    # A former district names one current district, in its own force area.
    area_of = {r["local_authority"]: r["force_area"] for r in current}
    for r in rows:
        if r["la_kind"] == "former_district":
            assert area_of.get(r["successor"]) == r["force_area"], r
        else:
            assert r["successor"] == "", r


def test_every_force_area_name_is_its_own_canonical_form():
    for area in force_areas():
        assert is_force_area(area.name)
        assert canonical_force_area(area.name) == area.name
        assert canonical_force_area(area.force_name) == area.name
        assert canonical_force_area(area.name + " Police") == area.name
        assert canonical_force_area(area.name.upper() + " CONSTABULARY") == area.name
        for alias in area.aliases:
            assert canonical_force_area(alias) == area.name, alias


@pytest.mark.parametrize(
    "given, expected",
    [
        ("West Midlands", "West Midlands"),
        ("west  midlands", "West Midlands"),
        ("West Midlands Police", "West Midlands"),
        ("Staffordshire Police", "Staffordshire"),
        ("Avon & Somerset Constabulary", "Avon and Somerset"),
        ("Devon & Cornwall", "Devon and Cornwall"),
        ("Dyfed Powys Police", "Dyfed-Powys"),
        ("dyfed-powys", "Dyfed-Powys"),
        ("Hampshire Constabulary", "Hampshire"),
        ("Hampshire and Isle of Wight Constabulary", "Hampshire"),
        ("Met", "Metropolitan Police"),
        ("Metropolitan Police Service", "Metropolitan Police"),
        ("London", "Metropolitan Police"),
        ("City of London Police", "City of London"),
        ("City of London", "City of London"),
        ("TVP", "Thames Valley"),
        ("Thames Valley Police", "Thames Valley"),
        ("GMP", "Greater Manchester"),
        ("South Wales Police", "South Wales"),
    ],
)
def test_force_area_forms(given, expected):
    assert canonical_force_area(given) == expected
    assert is_force_area(given)


@pytest.mark.parametrize(
    "given",
    ["Worcestershire", "Birmingham", "Police Scotland", "Scotland", "Yorkshire", "West Mercia Probation", "", "  ", "Police"],
)
def test_not_force_areas(given):
    assert not is_force_area(given)
    assert canonical_force_area(given) is None


# ---------------------------------------------------------------- places


@pytest.mark.parametrize(
    "given, local_authority, force_area",
    [
        ("Stafford", "Stafford", "Staffordshire"),
        ("Redditch", "Redditch", "West Mercia"),
        ("Kidderminster", "Wyre Forest", "West Mercia"),
        ("Leamington Spa", "Warwick", "Warwickshire"),
        ("Royal Leamington Spa", "Warwick", "Warwickshire"),
        ("Crawley", "Crawley", "Sussex"),
        ("Stoke-on-Trent", "Stoke-on-Trent", "Staffordshire"),
        ("Stoke on Trent City Council", "Stoke-on-Trent", "Staffordshire"),
        ("St. Albans", "St Albans", "Hertfordshire"),
        ("St Albans City and District Council", "St Albans", "Hertfordshire"),
        ("St Helens", "St. Helens", "Merseyside"),
        ("Birmingham City Council", "Birmingham", "West Midlands"),
        ("City of Westminster", "Westminster", "Metropolitan Police"),
        ("Royal Borough of Kensington and Chelsea", "Kensington and Chelsea", "Metropolitan Police"),
        ("London Borough of Tower Hamlets", "Tower Hamlets", "Metropolitan Police"),
        ("City of Bristol", "Bristol, City of", "Avon and Somerset"),
        ("Bristol", "Bristol, City of", "Avon and Somerset"),
        ("Hull", "Kingston upon Hull, City of", "Humberside"),
        ("Herefordshire Council", "Herefordshire, County of", "West Mercia"),
        ("Worcestershire County Council", "Worcestershire", "West Mercia"),
        ("Wyre Forest District Council", "Wyre Forest", "West Mercia"),
        ("King's Lynn", "King's Lynn and West Norfolk", "Norfolk"),
        ("Kings Lynn", "King's Lynn and West Norfolk", "Norfolk"),
        ("Ynys Môn", "Isle of Anglesey", "North Wales"),
        ("Caerdydd", "Cardiff", "South Wales"),
        ("Harrogate", "North Yorkshire", "North Yorkshire"),
        ("Allerdale", "Cumberland", "Cumbria"),
        ("Mendip", "Somerset", "Avon and Somerset"),
        ("Bournemouth", "Bournemouth, Christchurch and Poole", "Dorset"),
        ("Durham", "County Durham", "Durham"),
        ("Shirley", "Solihull", "West Midlands"),
        ("Wellington, Somerset", "Somerset", "Avon and Somerset"),
        ("Wellington, Shropshire", "Telford and Wrekin", "West Mercia"),
        ("Newcastle, Staffordshire", "Newcastle-under-Lyme", "Staffordshire"),
        ("Redditch, Worcestershire", "Redditch", "West Mercia"),
        ("Stafford, UK", "Stafford", "Staffordshire"),
        ("Newport, Isle of Wight", None, None),  # the Isle of Wight's Newport is not in the towns table
        ("Shirley, Southampton", None, None),
        ("Tyne and Wear", None, "Northumbria"),
        ("Berkshire", None, "Thames Valley"),
        ("Cumbria", None, "Cumbria"),
    ],
)
def test_place_lookups(given, local_authority, force_area):
    assert local_authority_for_town(given) == local_authority
    assert force_area_for_place(given) == force_area


@pytest.mark.parametrize("given", ["Newcastle", "Wellington", "Gillingham", "St Ives", "Richmond", "Kingston"])
def test_ambiguous_towns_give_no_answer(given):
    rows = [r for r in _csv("towns.csv") if normalise_place_name(r["town"]) == normalise_place_name(given)]
    assert len({r["local_authority"] for r in rows}) >= 2
    assert local_authority_for_town(given) is None
    assert force_area_for_place(given) is None


@pytest.mark.parametrize("given", ["Nowhere-on-Sea", "Edinburgh", "Paris", "", "   ", ",", "Council"])
def test_unknown_places_give_none(given):
    assert force_area_for_place(given) is None
    assert local_authority_for_town(given) is None


def test_every_named_area_resolves_to_its_own_row():
    for la in local_authorities(current_only=False):
        assert force_area_for_place(la.name) == la.force_area, la
        if la.current or la.kind == "county":
            assert local_authority_for_town(la.name) == la.name, la
        elif la.kind == "former_district":
            assert local_authority_for_town(la.name) == la.successor, la


def test_every_unambiguous_town_resolves_to_its_row():
    rows = _csv("towns.csv")
    las = {la.name: la for la in local_authorities()}
    seen = Counter(normalise_place_name(r["town"]) for r in rows)
    assert len(rows) >= 300
    for r in rows:
        assert r["local_authority"] in las, r
        if seen[normalise_place_name(r["town"])] == 1:
            assert local_authority_for_town(r["town"]) == r["local_authority"], r
            assert force_area_for_place(r["town"]) == las[r["local_authority"]].force_area, r


def test_towns_do_not_repeat_district_or_county_names():
    named = {normalise_place_name(la.name) for la in local_authorities(current_only=False)}
    repeated = [r["town"] for r in _csv("towns.csv") if normalise_place_name(r["town"]) in named]
    assert repeated == []


def test_aliases_name_known_forces():
    known = {f.name for f in force_areas(include_national=True)}
    rows = _csv("police_force_areas_aliases.csv")
    assert rows and all(r["force_area"] in known for r in rows)


def test_normalise_place_name():
    assert normalise_place_name("Stoke-on-Trent") == normalise_place_name("Stoke on Trent") == "stoke on trent"
    assert normalise_place_name("St. Albans") == "st albans"
    assert normalise_place_name("King’s Lynn") == normalise_place_name("King's Lynn") == "kings lynn"
    assert normalise_place_name("Avon & Somerset") == "avon and somerset"
    assert normalise_place_name("Ynys Môn") == "ynys mon"


def test_tables_load_once():
    places._tables.cache_clear()
    force_areas()
    is_force_area("Kent")
    force_area_for_place("Kidderminster")
    assert places._tables.cache_info().misses == 1


# ---------------------------------------------------------------- gold case files


def _places_in(node, out):
    if isinstance(node, dict):
        if any(k in node for k in ("police_force_area", "local_authority", "town")):
            out.append(node)
        for v in node.values():
            _places_in(v, out)
    elif isinstance(node, list):
        for v in node:
            _places_in(v, out)
    return out


GOLD = sorted(EXAMPLES.glob("*.yaml"))


def test_gold_files_present():
    assert GOLD, f"no example case files in {EXAMPLES}"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_gold_places_resolve_to_the_force_area_they_give(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    found = _places_in(data, [])
    assert found
    for node in found:
        pfa = node.get("police_force_area")
        if pfa is not None:
            assert is_force_area(pfa), (path.name, pfa)
            assert canonical_force_area(pfa) == pfa, (path.name, pfa)
        for key in ("local_authority", "town"):
            name = node.get(key)
            if not isinstance(name, str):
                continue
            assert force_area_for_place(name) is not None, (path.name, key, name)
            if pfa is not None:
                assert force_area_for_place(name) == pfa, (path.name, key, name, pfa)
            if key == "local_authority":
                assert local_authority_for_town(name) == name, (path.name, name)

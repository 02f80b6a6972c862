"""A synthetic national dataset of the records forces and agencies hold on people.

``generate(SynthConfig(...), out_dir)`` writes:

- ``people_records.csv``: record_id, source, force_area, forename, surname, date_of_birth, sex,
  postcode_district: one row per record an agency holds on a person, with noise (typos,
  nicknames, day/month transposed, missing or partial dates of birth, surnames changed by
  marriage, shared names in a family, duplicate records within one agency);
- ``incidents.csv``: domestic abuse incidents (incident_id, force_area, date, victim_record_id,
  suspect_record_id, type, dash_level, outcome);
- ``relationships.csv``: relationships the records state (source, record_id, relationship,
  related_record_id; partner or parent, the parent being record_id);
- ``contacts.csv``: other agency contacts (contact_id, source, force_area, date, record_id, type);
- ``truth.csv``: record_id, person_id;
- ``planted.csv``: planted serial perpetrators whose earlier partners and children sit in other
  force areas, with the answer each canned query should give (see ``PLANTED_COLUMNS``). A
  query starts from the perpetrator's police record in the latest force area, which is kept
  free of noise (verified, as after a homicide); 20% of his other records get one extra error;
- ``manifest.json``: the parameters and counts.
With ``per_force`` the records and incidents are also split into ``forces/<force>/``.

Everything is drawn from one ``numpy.random.Generator`` seeded by ``seed`` and ordered by
arrays, never by hashing, so the same parameters give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

import numpy as np

from . import synth_names as names
from .synth_places import SynthForce, synth_forces

END_YEAR = 2024
SEX = np.array(["M", "F"])

# agency code, id prefix, description; index is the agency number in the arrays
AGENCIES = (
    ("police", "POL"),
    ("health", "HLT"),
    ("mental-health", "MH"),
    ("childrens-social-care", "CSC"),
    ("adult-social-care", "ASC"),
    ("housing", "HSG"),
    ("probation", "PRB"),
    ("idva", "IDVA"),
    ("education", "EDU"),
)
POLICE, HEALTH, MENTAL, CSC, ASC, HOUSING, PROBATION, IDVA, EDUCATION = range(len(AGENCIES))
ADULT_AGENCY_WEIGHTS = np.array([0, 0.5, 0.12, 0, 0.07, 0.15, 0.08, 0, 0.0]) / 0.92
CHILD_AGENCY_WEIGHTS = np.array([0, 0.6, 0.05, 0.1, 0, 0, 0, 0, 0.25])
CONTACT_TYPES = {
    HEALTH: ("GP appointment", "A&E attendance", "health visitor", "midwifery"),
    MENTAL: ("assessment", "crisis team", "outpatient"),
    CSC: ("referral", "assessment", "strategy meeting", "child protection conference"),
    ASC: ("referral", "safeguarding enquiry", "care assessment"),
    HOUSING: ("homelessness application", "tenancy support", "anti-social behaviour report"),
    PROBATION: ("supervision", "risk assessment"),
    IDVA: ("referral", "support session", "MARAC"),
    EDUCATION: ("attendance concern", "safeguarding concern"),
    POLICE: ("concern for welfare", "missing person", "neighbour dispute"),
}
INCIDENT_TYPES = ("physical", "verbal", "coercive control", "criminal damage", "harassment", "sexual")
INCIDENT_TYPE_P = np.array([0.35, 0.3, 0.12, 0.1, 0.1, 0.03])
DASH_LEVELS = ("standard", "medium", "high")
DASH_P = np.array([0.6, 0.3, 0.1])
OUTCOMES = ("no further action", "arrest", "charged", "caution", "DVPN issued", "victim did not support")
OUTCOME_P = np.array([0.35, 0.25, 0.12, 0.08, 0.05, 0.15])

PLANTED_COLUMNS = ("planted_id", "query", "record_id", "expected_record_id", "expected_person_id", "force_area")


@dataclass
class SynthConfig:
    forces: int = 43
    people: int = 100_000
    years: int = 10
    seed: int = 1
    incident_rate: float = 0.0145  # domestic abuse incidents per person per year (~20,000 a force nationally)
    planted: Optional[int] = None  # planted serial perpetrators (default: people // 2000, at least 10, at most people // 6)
    per_force: bool = False
    noise: dict = field(default_factory=dict)  # overrides of NOISE

    def planted_count(self) -> int:
        if self.planted is not None:
            return self.planted
        # each planted perpetrator brings ~3 partners and ~2 children: six people of the total
        return min(max(10, self.people // 2000), self.people // PEOPLE_PER_PLANTED) if self.forces >= 2 else 0

    def check(self) -> None:
        """Refuse settings that cannot give what they ask for (a ValueError saying why)."""
        if self.people < 1:
            raise ValueError("--people must be at least 1")
        if not 1 <= self.forces <= 43:
            raise ValueError("--forces must be between 1 and 43")
        if self.planted and self.planted * PEOPLE_PER_PLANTED > self.people:
            raise ValueError(f"{self.planted} planted serial perpetrators need at least "
                             f"{self.planted * PEOPLE_PER_PLANTED:,} people (--people)")


PEOPLE_PER_PLANTED = 6


NOISE = {
    "nickname": 0.05,
    "forename_typo": 0.03,
    "surname_typo": 0.03,
    "other_surname": 0.08,  # a record made after a surname change still holds the old one, or vice versa
    "dob_missing": 0.04,
    "dob_year_month": 0.015,
    "dob_year_only": 0.015,
    "dob_transposed": 0.025,
    "dob_typo": 0.02,
    "sex_missing": 0.02,
    "sex_wrong": 0.003,
    "postcode_missing": 0.05,
    "duplicate_record": 0.04,  # a contact opens a second record at the same agency
}


class _Builder:
    """Collects people and contacts as numpy arrays, then makes records and files."""

    def __init__(self, config: SynthConfig):
        self.config = config
        self.rng = np.random.default_rng(config.seed)
        self.forces: list[SynthForce] = synth_forces(config.forces)
        self.force_p = np.array([f.population for f in self.forces])
        self.force_p = self.force_p / self.force_p.sum()
        self.district_names: list[str] = []
        self.district_offset = []
        for f in self.forces:
            self.district_offset.append(len(self.district_names))
            self.district_names.extend(f.districts)
        self.district_offset = np.array(self.district_offset)
        self.district_count = np.array([len(f.districts) for f in self.forces])
        self.start_day = _day(dt.date(END_YEAR - config.years + 1, 1, 1))
        self.end_day = _day(dt.date(END_YEAR, 12, 31))
        self.noise = {**NOISE, **config.noise}
        # people (parallel lists of arrays, concatenated later)
        self.p_cols: dict[str, list[np.ndarray]] = {k: [] for k in (
            "sex", "forename", "surname_birth", "surname_now", "surname_change", "y", "m", "d", "hard")}
        self.n_people = 0
        # contacts
        self.c_cols: dict[str, list[np.ndarray]] = {k: [] for k in ("person", "force", "district", "agency", "day", "kind")}
        self.n_contacts = 0
        # incidents: contact indexes of victim and suspect
        self.inc_cols: dict[str, list[np.ndarray]] = {k: [] for k in ("victim", "suspect", "day", "force")}
        # stated relationships: pairs of contact indexes (parent first for "parent")
        self.rel_cols: dict[str, list[np.ndarray]] = {k: [] for k in ("a", "b", "kind")}
        self.planted_rows: list[tuple] = []

    # ----------------------------------------------------------------- people

    def add_people(self, sex, forename, surname_birth, surname_now, surname_change, y, m, d, hard=None) -> np.ndarray:
        n = len(sex)
        ids = np.arange(self.n_people, self.n_people + n)
        for key, val in (("sex", sex), ("forename", forename), ("surname_birth", surname_birth),
                         ("surname_now", surname_now), ("surname_change", surname_change),
                         ("y", y), ("m", m), ("d", d),
                         ("hard", np.zeros(n, bool) if hard is None else hard)):
            self.p_cols[key].append(np.asarray(val))
        self.n_people += n
        return ids

    def add_contacts(self, person, force, district, agency, day, kind=None) -> np.ndarray:
        person = np.asarray(person, np.int64)
        n = len(person)
        ids = np.arange(self.n_contacts, self.n_contacts + n)
        b = np.broadcast_to
        self.c_cols["person"].append(person)
        self.c_cols["force"].append(b(np.asarray(force, np.int32), n).copy())
        self.c_cols["district"].append(b(np.asarray(district, np.int32), n).copy())
        self.c_cols["agency"].append(b(np.asarray(agency, np.int32), n).copy())
        self.c_cols["day"].append(b(np.asarray(day, np.int32), n).copy())
        kind = self.rng.random(n) if kind is None else kind
        self.c_cols["kind"].append(b(np.asarray(kind, np.float64), n).copy())
        self.n_contacts += n
        return ids

    def random_dob(self, years: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        n = len(years)
        m = self.rng.integers(1, 13, n)
        dim = _days_in_month(years, m)
        d = 1 + (self.rng.random(n) * dim).astype(np.int64)
        return years.astype(np.int64), m, d

    def random_district(self, force: np.ndarray) -> np.ndarray:
        return self.district_offset[force] + (self.rng.random(len(force)) * self.district_count[force]).astype(np.int64)

    def random_days(self, n: int, lo=None, hi=None) -> np.ndarray:
        lo = self.start_day if lo is None else lo
        hi = self.end_day if hi is None else hi
        return (lo + self.rng.random(n) * (np.asarray(hi) - np.asarray(lo) + 1)).astype(np.int64)

    def forename_sample(self, sex: np.ndarray) -> np.ndarray:
        out = np.empty(len(sex), dtype=object)
        for s, code in ((0, "M"), (1, "F")):
            idx = np.flatnonzero(sex == s)
            table = names.forenames(code)
            out[idx] = np.array(table.names, dtype=object)[table.sample(self.rng, len(idx))]
        return out

    def surname_sample(self, n: int) -> np.ndarray:
        table = names.surnames()
        return np.array(table.names, dtype=object)[table.sample(self.rng, n)]

    # ----------------------------------------------------------------- background population

    def background(self, n_people: int) -> None:
        rng = self.rng
        if n_people <= 0:
            return
        n_fam = int(n_people / 2.3) + 50
        while True:
            n_adults = 1 + (rng.random(n_fam) < 0.62)
            n_kids = np.minimum(rng.poisson(1.0, n_fam), 4)
            size = n_adults + n_kids
            if size.sum() >= n_people:
                break
            n_fam *= 2  # pragma: no cover - only for tiny populations
        cum = np.cumsum(size)
        n_fam = int(np.searchsorted(cum, n_people) + 1)
        n_adults, n_kids, size, cum = n_adults[:n_fam], n_kids[:n_fam], size[:n_fam], cum[:n_fam]
        fam = np.repeat(np.arange(n_fam), size)[:n_people]
        pos = np.arange(n_people) - (cum - size)[fam]
        couple = n_adults[fam] == 2
        adult0 = pos == 0
        adult1 = (pos == 1) & couple
        kid = ~(adult0 | adult1)
        # couple type: 0 opposite-sex, 1 two men, 2 two women
        ctype = rng.choice(3, n_fam, p=[0.95, 0.025, 0.025])
        single_female = rng.random(n_fam) < 0.7
        sex = np.where(kid, rng.integers(0, 2, n_people), 0)
        fam_couple = n_adults == 2
        sex0 = np.where(fam_couple, np.where(ctype == 2, 1, 0), np.where(single_female, 1, 0))
        sex1 = np.where(ctype == 1, 0, 1)
        sex = np.where(adult0, sex0[fam], np.where(adult1, sex1[fam], sex))
        # dates of birth
        y0 = rng.integers(1950, 2001, n_fam)
        y1 = np.clip(y0 + np.round(rng.normal(1.5, 4, n_fam)).astype(np.int64), 1948, 2003)
        ref = np.where(fam_couple, y1, y0)
        y = np.where(adult0, y0[fam], np.where(adult1, y1[fam], 0))
        y = np.where(kid, np.minimum(ref[fam] + rng.integers(18, 41, n_people), END_YEAR), y)
        y, m, d = self.random_dob(y)
        twin = kid & (pos >= 3) & (rng.random(n_people) < 0.02)
        prev = np.maximum(np.arange(n_people) - 1, 0)
        y, m, d = (np.where(twin, a[prev], a) for a in (y, m, d))
        # names
        forename = self.forename_sample(sex)
        fam_surname = self.surname_sample(n_fam)
        surname_now = fam_surname[fam]
        surname_birth = surname_now.copy()
        surname_change = np.full(n_people, 9999, np.int64)
        own = self.surname_sample(n_people)
        married = rng.random(n_fam) < 0.55
        # partner: married ones take the family surname (in the marriage year), others keep their own
        marriage_year = y1 + rng.integers(20, 46, n_fam)
        a1 = np.flatnonzero(adult1)
        surname_birth[a1] = own[a1]
        surname_now[a1] = np.where(married[fam[a1]], fam_surname[fam[a1]], own[a1])
        surname_change[a1] = np.where(married[fam[a1]], marriage_year[fam[a1]], 9999)
        # some single mothers kept a former partner's surname long ago
        a0 = np.flatnonzero(adult0 & ~couple & (sex == 1) & (rng.random(n_people) < 0.3))
        surname_birth[a0] = own[a0]
        surname_change[a0] = y[a0] + 22
        # sons named after their father
        first = (cum - size)[fam]
        junior = kid & (sex == 0) & couple & (sex0[fam] == 0) & (rng.random(n_people) < 0.05)
        forename[junior] = forename[first[junior]]
        people = self.add_people(sex, forename, surname_birth, surname_now, surname_change, y, m, d)
        # where the family lives, and a move for some
        f0 = rng.choice(len(self.forces), n_fam, p=self.force_p)
        d0 = self.random_district(f0)
        moves = rng.random(n_fam) < 0.25
        move_day = np.where(moves, self.random_days(n_fam), np.iinfo(np.int32).max)
        other_force = rng.random(n_fam) < 0.25
        f1 = np.where(other_force, rng.choice(len(self.forces), n_fam, p=self.force_p), f0)
        d1 = self.random_district(f1)

        def where_lives(person_local: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            fm = fam[person_local]
            after = day >= move_day[fm]
            return np.where(after, f1[fm], f0[fm]), np.where(after, d1[fm], d0[fm])

        born_day = _days(y, m, d)
        # ordinary agency contacts
        lam = np.where(kid, 1.2, 1.7)
        n_c = rng.poisson(lam)
        n_c = np.where(n_c + 0 == 0, (rng.random(n_people) < 0.6).astype(np.int64), n_c)
        who = np.repeat(np.arange(n_people), n_c)
        day = self.random_days(len(who), lo=np.maximum(born_day[who], self.start_day))
        day = np.minimum(day, self.end_day)
        is_kid_c = (y[who] >= (END_YEAR - 17)) | kid[who]
        agency = np.where(
            is_kid_c,
            rng.choice(len(AGENCIES), len(who), p=CHILD_AGENCY_WEIGHTS),
            rng.choice(len(AGENCIES), len(who), p=ADULT_AGENCY_WEIGHTS),
        )
        force, district = where_lives(who, day)
        self.add_contacts(people[who], force, district, agency, day)
        # police contacts that are not domestic abuse
        pc = rng.random(n_people) < 0.12
        who = np.flatnonzero(pc & ~kid)
        day = self.random_days(len(who))
        force, district = where_lives(who, day)
        self.add_contacts(people[who], force, district, POLICE, day)
        # domestic abuse between partners
        couples = np.flatnonzero(fam_couple & (cum <= n_people))
        target = self.config.incident_rate * n_people * self.config.years
        n_abusive = min(len(couples), int(round(target / 3.5)))
        abusive = np.sort(rng.choice(couples, n_abusive, replace=False))
        per = 1 + rng.poisson(2.5, n_abusive)
        fam_i = np.repeat(abusive, per)
        a0_idx = (cum - size)[fam_i]
        a1_idx = a0_idx + 1
        female_victim = np.where(ctype[fam_i] == 0, rng.random(len(fam_i)) < 0.8, rng.random(len(fam_i)) < 0.5)
        victim = np.where(female_victim, a1_idx, a0_idx)
        suspect = np.where(female_victim, a0_idx, a1_idx)
        day = self.random_days(len(fam_i))
        force, district = where_lives(victim, day)
        self.add_incidents(people[victim], people[suspect], force, district, day)
        # children's social care for some families with incidents: records of the children and
        # both parents at that council, stating who the parents are
        inc_fams, first_inc = np.unique(fam_i, return_index=True)
        has_kids = n_kids[inc_fams] > 0
        csc = inc_fams[has_kids & (rng.random(len(inc_fams)) < 0.5)]
        csc_day = day[first_inc[np.searchsorted(inc_fams, csc)]]
        self._csc_families(csc, csc_day, fam, pos, size, cum, n_people, people, where_lives)

    def _csc_families(self, csc_fams, csc_day, fam, pos, size, cum, n_people, people, where_lives):
        first = (cum - size)[csc_fams]
        for_parent = []
        kid_rows = []
        for f, start, sz, day in zip(csc_fams, first, size[csc_fams], csc_day):
            members = [i for i in range(start, min(start + sz, n_people))]
            if len(members) < 3:
                continue
            for k in members[2:]:
                kid_rows.append((members[0], members[1], k, day))
        if not kid_rows:
            return
        arr = np.array(kid_rows, dtype=np.int64)
        p0, p1, k, day = arr.T
        force, district = where_lives(k, day)
        ck = self.add_contacts(people[k], force, district, CSC, day)
        cp0 = self.add_contacts(people[p0], force, district, CSC, day)
        cp1 = self.add_contacts(people[p1], force, district, CSC, day)
        self.add_relationships(cp0, ck, "parent")
        self.add_relationships(cp1, ck, "parent")

    def add_incidents(self, victim, suspect, force, district, day) -> None:
        cv = self.add_contacts(victim, force, district, POLICE, day)
        cs = self.add_contacts(suspect, force, district, POLICE, day)
        for key, val in (("victim", cv), ("suspect", cs), ("day", day), ("force", force)):
            self.inc_cols[key].append(np.asarray(val, np.int64))
        self.add_relationships(cs, cv, "partner")
        # victims at high risk are referred to an IDVA
        n = len(cv)
        referred = self.rng.random(n) < 0.15
        self.add_contacts(np.asarray(victim)[referred], np.asarray(force)[referred],
                          np.asarray(district)[referred], IDVA,
                          np.minimum(np.asarray(day)[referred] + 7, self.end_day))

    def add_relationships(self, a, b, kind: str) -> None:
        self.rel_cols["a"].append(np.asarray(a, np.int64))
        self.rel_cols["b"].append(np.asarray(b, np.int64))
        self.rel_cols["kind"].append(np.full(len(a), 0 if kind == "partner" else 1, np.int8))

    # ----------------------------------------------------------------- planted serial perpetrators

    def planted(self, count: int) -> int:
        """Serial perpetrators with one partner (and maybe children) in each of 2-4 force areas.
        Returns the number of people added."""
        rng = self.rng
        n_forces = len(self.forces)
        if count and n_forces < 2:
            raise ValueError("planted serial perpetrators need at least 2 force areas")
        added = 0
        years = self.config.years
        for j in range(count):
            k = int(min(rng.integers(2, 5), n_forces, max(2, years)))
            forces = rng.choice(n_forces, k, replace=False, p=self.force_p)
            sex_p = 0 if rng.random() < 0.9 else 1
            py = int(rng.integers(1965, 1998))
            y, m, d = self.random_dob(np.array([py]))
            pf = self.forename_sample(np.array([sex_p]))
            ps = self.surname_sample(1)
            perp = self.add_people(np.array([sex_p]), pf, ps, ps, np.array([9999]), y, m, d,
                                   hard=np.array([True]))[0]
            added += 1
            span = (self.end_day - self.start_day + 1) / k
            seg = [(int(self.start_day + i * span), int(self.start_day + (i + 1) * span) - 1) for i in range(k)]
            perp_police: list[int] = []  # contact of the perp's police record in each force
            partners: list[tuple[int, int]] = []  # (person, police contact)
            children: list[list[tuple[int, int]]] = []  # per relationship: (person, csc contact)
            for i, (lo, hi) in enumerate(seg):
                f = int(forces[i])
                dist = int(self.random_district(np.array([f]))[0])
                vy = np.array([min(2003, py + int(round(rng.normal(0, 5))))])
                vsex = np.array([1 - sex_p])
                vs = self.surname_sample(1)
                vy, vm, vd = self.random_dob(vy)
                v = self.add_people(vsex, self.forename_sample(vsex), vs, vs, np.array([9999]), vy, vm, vd)[0]
                added += 1
                n_inc = 1 + int(rng.poisson(1.5))
                days = np.sort(self.random_days(n_inc, lo=lo + 60, hi=hi))
                first_inc = self.n_contacts
                self.add_incidents(np.full(n_inc, v), np.full(n_inc, perp), np.full(n_inc, f),
                                   np.full(n_inc, dist), days)
                partners.append((v, first_inc))
                perp_police.append(first_inc + n_inc)
                # everyday contacts of both in that area
                self.add_contacts(np.array([v, perp]), f, dist, HEALTH, self.random_days(2, lo=lo, hi=hi))
                kids: list[tuple[int, int]] = []
                if rng.random() < 0.6:
                    n_k = int(rng.integers(1, 3))
                    ksex = rng.integers(0, 2, n_k)
                    kyear = np.array([_year_of(int(lo) + int((hi - lo) * 0.2))] * n_k)
                    ky, km, kd = self.random_dob(kyear)
                    ks = vs if rng.random() < 0.5 else ps
                    kp = self.add_people(ksex, self.forename_sample(ksex), np.repeat(ks, n_k), np.repeat(ks, n_k),
                                         np.full(n_k, 9999), ky, km, kd)
                    added += n_k
                    cday = int(days[-1])
                    ck = self.add_contacts(kp, f, dist, CSC, cday)
                    cperp = self.add_contacts(np.full(n_k, perp), f, dist, CSC, cday)
                    cv = self.add_contacts(np.full(n_k, v), f, dist, CSC, cday)
                    self.add_relationships(cperp, ck, "parent")
                    self.add_relationships(cv, ck, "parent")
                    kids = list(zip(kp.tolist(), ck.tolist()))
                children.append(kids)
            self.planted_rows.append((j, perp, forces.tolist(), perp_police, partners, children))
        return added

    # ----------------------------------------------------------------- records and files

    def build(self, out_dir: Path) -> dict:
        rng = self.rng
        cfg = self.config
        planted_n = cfg.planted_count()
        # each planted perpetrator brings ~3 partners and ~2 children
        self.background(max(0, cfg.people - planted_n * PEOPLE_PER_PLANTED))
        self.planted(planted_n)
        P = {k: np.concatenate(v) for k, v in self.p_cols.items()}
        C = {k: np.concatenate(v) for k, v in self.c_cols.items()}
        n_sources = len(self.forces) * len(AGENCIES)
        source = C["force"].astype(np.int64) * len(AGENCIES) + C["agency"]
        # a contact usually goes on the person's existing record at that agency; some open a duplicate
        dup = np.where(rng.random(len(source)) < self.noise["duplicate_record"], rng.integers(1, 4, len(source)), 0)
        key = (C["person"] * n_sources + source) * 4 + dup
        uniq, first_idx, rec_of_contact = np.unique(key, return_index=True, return_inverse=True)
        # the record's first contact gives its date and district
        order = np.lexsort((C["day"], rec_of_contact))
        first_contact = order[np.r_[0, np.flatnonzero(np.diff(rec_of_contact[order])) + 1]]
        n_rec = len(uniq)
        rec_person = C["person"][first_contact]
        rec_source = source[first_contact]
        rec_day = C["day"][first_contact]
        rec_district = C["district"][first_contact]
        serial = rng.permutation(n_rec)
        rec_force = rec_source // len(AGENCIES)
        rec_agency = rec_source % len(AGENCIES)
        codes = np.array([f.code for f in self.forces], dtype=object)
        prefixes = np.array([a[1] for a in AGENCIES], dtype=object)
        record_id = codes[rec_force] + "-" + prefixes[rec_agency] + "-" + _zfill(serial.astype(str), 8).astype(object)
        src_names = np.array([f"{a[0]}/{f.slug}" for f in self.forces for a in AGENCIES], dtype=object)
        force_names = np.array([f.name for f in self.forces], dtype=object)
        # the record a review starts from (a planted perpetrator's police record in the force area
        # of the latest relationship) is verified, as it would be after a homicide: no noise
        verified = np.zeros(n_rec, dtype=bool)
        verified[[rec_of_contact[row[3][-1]] for row in self.planted_rows]] = True
        fields = self._noisy_fields(P, rec_person, rec_day, verified)
        district = np.array(self.district_names, dtype=object)[rec_district]
        district[(rng.random(n_rec) < self.noise["postcode_missing"]) & ~verified] = ""
        out_dir.mkdir(parents=True, exist_ok=True)
        order_out = np.argsort(serial)
        _write_csv(out_dir / "people_records.csv", {
            "record_id": record_id, "source": src_names[rec_source], "force_area": force_names[rec_force],
            "forename": fields["forename"], "surname": fields["surname"], "date_of_birth": fields["dob"],
            "sex": fields["sex"], "postcode_district": district,
        }, order_out)
        person_ids = np.char.add("P", _zfill(np.arange(self.n_people).astype(str), 8)).astype(object)
        _write_csv(out_dir / "truth.csv", {"record_id": record_id, "person_id": person_ids[rec_person]}, order_out)
        # incidents
        I = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in self.inc_cols.items()}
        inc_order = np.lexsort((rec_of_contact[I["victim"]], I["day"]))
        n_inc = len(inc_order)
        _write_csv(out_dir / "incidents.csv", {
            "incident_id": np.char.add("INC-", _zfill(np.arange(n_inc).astype(str), 8)).astype(object),
            "force_area": force_names[I["force"][inc_order]],
            "date": _iso(I["day"][inc_order]),
            "victim_record_id": record_id[rec_of_contact[I["victim"][inc_order]]],
            "suspect_record_id": record_id[rec_of_contact[I["suspect"][inc_order]]],
            "type": np.array(INCIDENT_TYPES, dtype=object)[rng.choice(len(INCIDENT_TYPES), n_inc, p=INCIDENT_TYPE_P)],
            "dash_level": np.array(DASH_LEVELS, dtype=object)[rng.choice(3, n_inc, p=DASH_P)],
            "outcome": np.array(OUTCOMES, dtype=object)[rng.choice(len(OUTCOMES), n_inc, p=OUTCOME_P)],
        }, None)
        # stated relationships between records (one row per pair of records)
        R = {k: np.concatenate(v) for k, v in self.rel_cols.items()}
        ra, rb = rec_of_contact[R["a"]], rec_of_contact[R["b"]]
        rel_key = (ra * n_rec + rb) * 2 + R["kind"]
        _, keep = np.unique(rel_key, return_index=True)
        keep = keep[np.argsort(serial[ra[keep]] * n_rec + serial[rb[keep]], kind="stable")]
        _write_csv(out_dir / "relationships.csv", {
            "source": src_names[rec_source[ra[keep]]],
            "record_id": record_id[ra[keep]],
            "relationship": np.array(["partner", "parent"], dtype=object)[R["kind"][keep]],
            "related_record_id": record_id[rb[keep]],
        }, None)
        # other agency contacts
        non_police = np.flatnonzero(C["agency"] != POLICE)
        non_police = non_police[np.lexsort((serial[rec_of_contact[non_police]], C["day"][non_police]))]
        kinds = C["kind"][non_police]
        ctype = np.empty(len(non_police), dtype=object)
        for ag, options in CONTACT_TYPES.items():
            sel = C["agency"][non_police] == ag
            ctype[sel] = np.array(options, dtype=object)[(kinds[sel] * len(options)).astype(np.int64)]
        _write_csv(out_dir / "contacts.csv", {
            "contact_id": np.char.add("CON-", _zfill(np.arange(len(non_police)).astype(str), 9)).astype(object),
            "source": src_names[source[non_police]],
            "force_area": force_names[C["force"][non_police]],
            "date": _iso(C["day"][non_police]),
            "record_id": record_id[rec_of_contact[non_police]],
            "type": ctype,
        }, None)
        planted_rows = self._planted_answers(record_id, rec_of_contact, person_ids, force_names)
        _write_csv(out_dir / "planted.csv", {k: np.array([r[i] for r in planted_rows], dtype=object)
                                             for i, k in enumerate(PLANTED_COLUMNS)}, None)
        if cfg.per_force:
            self._per_force(out_dir)
        manifest = {
            "format": "dhrkg-synth/1",
            "parameters": {k: v for k, v in asdict(cfg).items() if k not in ("per_force",)},
            "end_year": END_YEAR,
            "force_areas": [f.name for f in self.forces],
            "counts": {"people": int(self.n_people), "records": int(n_rec), "incidents": int(n_inc),
                       "relationships": int(len(keep)), "contacts": int(len(non_police)),
                       "planted_perpetrators": planted_n, "planted_answers": len(planted_rows)},
        }
        (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        return manifest

    def _planted_answers(self, record_id, rec_of_contact, person_ids, force_names) -> list[tuple]:
        rows: list[tuple] = []
        for j, perp, forces, perp_police, partners, children in self.planted_rows:
            pid = f"PLANTED-{j:04d}"
            last = record_id[rec_of_contact[perp_police[-1]]]
            for i, (v, vc) in enumerate(partners[:-1]):
                rows.append((pid, "linked-prior-partners", last, record_id[rec_of_contact[vc]],
                             person_ids[v], force_names[forces[i]]))
            for i, kids in enumerate(children[:-1]):
                for kp, kc in kids:
                    rows.append((pid, "linked-children-across-households", last, record_id[rec_of_contact[kc]],
                                 person_ids[kp], force_names[forces[i]]))
            rows.append((pid, "linked-serial-perpetrators", "", last, person_ids[perp], force_names[forces[-1]]))
        return rows

    def _noisy_fields(self, P, rec_person, rec_day, verified) -> dict[str, np.ndarray]:
        rng, nz = self.rng, self.noise
        n = len(rec_person)
        sex = P["sex"][rec_person]
        hard = P["hard"][rec_person]
        # forename: nickname or typo
        forename = P["forename"][rec_person].copy()
        nick_of = names.nicknames_of()
        u = rng.random(n)
        pick = rng.random(n)
        hard_kind = np.where(hard & (rng.random(n) < 0.2), rng.integers(0, 5, n), -1)
        use_nick = (u < nz["nickname"]) | (hard_kind == 0)
        for i in np.flatnonzero(use_nick):
            options = nick_of.get(forename[i])
            if options:
                forename[i] = options[int(pick[i] * len(options))]
        r1, r2 = rng.random(n), rng.random(n)
        typo_f = ((u >= nz["nickname"]) & (u < nz["nickname"] + nz["forename_typo"])) | (hard_kind == 1)
        for i in np.flatnonzero(typo_f):
            forename[i] = names.typo(forename[i], r1[i], r2[i])
        # surname: before/after a change, then typos
        year = _years(rec_day)
        changed = year >= P["surname_change"][rec_person]
        flip = rng.random(n) < nz["other_surname"]
        changed = np.where(P["surname_change"][rec_person] < 9999, changed ^ flip, changed)
        surname = np.where(changed, P["surname_now"][rec_person], P["surname_birth"][rec_person])
        u = rng.random(n)
        typo_s = (u < nz["surname_typo"]) | (hard_kind == 2)
        r1, r2 = rng.random(n), rng.random(n)
        for i in np.flatnonzero(typo_s):
            surname[i] = names.typo(surname[i], r1[i], r2[i])
        # date of birth
        y, m, d = P["y"][rec_person].copy(), P["m"][rec_person].copy(), P["d"][rec_person].copy()
        u = rng.random(n)
        cuts = np.cumsum([nz["dob_missing"], nz["dob_year_month"], nz["dob_year_only"], nz["dob_transposed"], nz["dob_typo"]])
        missing = (u < cuts[0]) | (hard_kind == 3)
        year_month = (u >= cuts[0]) & (u < cuts[1])
        year_only = (u >= cuts[1]) & (u < cuts[2])
        transposed = (((u >= cuts[2]) & (u < cuts[3])) | (hard_kind == 4)) & (d <= 12) & (d != m)
        m, d = np.where(transposed, d, m), np.where(transposed, m, d)
        typo_d = (u >= cuts[3]) & (u < cuts[4])
        shift = rng.choice(np.array([-10, -1, 1, 10]), n)
        d = np.where(typo_d, np.clip(d + shift, 1, 28), d)
        s_y = _zfill(y.astype(str), 4).astype(object)
        s_m = _zfill(m.astype(str), 2).astype(object)
        s_d = _zfill(d.astype(str), 2).astype(object)
        dob = s_y + "-" + s_m + "-" + s_d
        dob[year_month] = (s_y + "-" + s_m)[year_month]
        dob[year_only] = s_y[year_only]
        dob[missing] = ""
        # sex
        sx = SEX.astype(object)[sex]
        u = rng.random(n)
        sx[u < nz["sex_wrong"]] = SEX.astype(object)[1 - sex[u < nz["sex_wrong"]]]
        sx[(u >= nz["sex_wrong"]) & (u < nz["sex_wrong"] + nz["sex_missing"])] = ""
        v = np.flatnonzero(verified)
        pv = rec_person[v]
        forename[v] = P["forename"][pv]
        now = _years(rec_day[v]) >= P["surname_change"][pv]
        surname[v] = np.where(now, P["surname_now"][pv], P["surname_birth"][pv])
        dob[v] = (_zfill(P["y"][pv].astype(str), 4).astype(object) + "-"
                  + _zfill(P["m"][pv].astype(str), 2).astype(object) + "-"
                  + _zfill(P["d"][pv].astype(str), 2).astype(object))
        sx[v] = SEX.astype(object)[P["sex"][pv]]
        return {"forename": forename, "surname": surname, "dob": dob, "sex": sx}

    def _per_force(self, out_dir: Path) -> None:
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv

        for name in ("people_records", "incidents"):
            table = pacsv.read_csv(out_dir / f"{name}.csv", convert_options=_all_strings(out_dir / f"{name}.csv"))
            for f in self.forces:
                part = table.filter(pc.equal(table["force_area"], f.name))
                folder = out_dir / "forces" / f.slug
                folder.mkdir(parents=True, exist_ok=True)
                pacsv.write_csv(part, folder / f"{name}.csv", write_options=pacsv.WriteOptions(quoting_style="needed"))


# --------------------------------------------------------------------------- helpers

_EPOCH = dt.date(1970, 1, 1)


def _day(d: dt.date) -> int:
    return (d - _EPOCH).days


def _days(y, m, d) -> np.ndarray:
    ym = (np.asarray(y) - 1970) * 12 + (np.asarray(m) - 1)
    return (ym.astype("datetime64[M]").astype("datetime64[D]") + (np.asarray(d) - 1)).astype(np.int64)


def _years(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _year_of(day: int) -> int:
    return (_EPOCH + dt.timedelta(days=int(day))).year


def _days_in_month(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    start = _days(y, m, np.ones_like(m))
    nxt = _days(np.where(m == 12, y + 1, y), np.where(m == 12, 1, m + 1), np.ones_like(m))
    return nxt - start


def _iso(days: np.ndarray) -> np.ndarray:
    return np.asarray(days).astype("datetime64[D]").astype(str).astype(object)


def _all_strings(path: Path):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header = path.open(encoding="utf-8").readline().strip().split(",")
    return pacsv.ConvertOptions(column_types={c: pa.string() for c in header},
                                strings_can_be_null=False, quoted_strings_can_be_null=False)


def _write_csv(path: Path, columns: dict[str, np.ndarray], order: Optional[np.ndarray]) -> None:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    arrays = {k: pa.array((v if order is None else v[order]).tolist(), type=pa.string()) for k, v in columns.items()}
    table = pa.table(arrays)
    pacsv.write_csv(table, path, write_options=pacsv.WriteOptions(quoting_style="needed"))


def _zfill(numbers_as_text: "np.ndarray", width: int) -> "np.ndarray":
    """``np.char.zfill``, also for an empty array (numpy 2 fails on one: a small dataset can have
    no verified dates of birth in a force, for example)."""
    if numbers_as_text.size == 0:
        return numbers_as_text.astype(f"<U{width}")
    return np.char.zfill(numbers_as_text, width)


def generate(config: SynthConfig, out_dir: Path | str) -> dict:
    """Write the synthetic dataset to ``out_dir``; returns the manifest."""
    config.check()
    if config.years < 1:
        raise ValueError("--years must be at least 1")
    unknown = set(config.noise) - set(NOISE)
    if unknown:
        raise ValueError(f"unknown noise setting(s): {', '.join(sorted(unknown))}")
    return _Builder(config).build(Path(out_dir))

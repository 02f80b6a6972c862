"""Random families (generated, with random abuse, friends and households that cannot sit
together) drawn and checked against every geometric rule, in both household modes."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from dhrkg.model import CaseFile
from dhrkg.visualisation import GenogramOptions, genogram_svg

from test_genogram_helpers import check_drawing, read

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "genogram"
_spec = importlib.util.spec_from_file_location("make_family", FIXTURES / "make_family.py")
make_family = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_family)


def random_review(seed: int) -> CaseFile:
    rng = random.Random(seed)
    data = make_family.make_family(rng.choice([15, 30, 60]), seed=seed)
    ids = [p["id"] for p in data["persons"]]
    for _ in range(rng.randint(0, 6)):
        a, b = rng.sample(ids, 2)
        kind = rng.choice(["physical", "emotional", "sexual", "coercive_control", "threats"])
        data["relationships"].append({"type": "abuse", "from": a, "to": b, "kinds": [kind]})
    for k in range(rng.randint(0, 4)):
        data["persons"].append({"id": f"sat{k}", "name": f"Friend {k}", "sex": rng.choice(["male", "female", "unknown"])})
        data["relationships"].append({"type": rng.choice(["friend", "associate", "relative"]),
                                      "from": rng.choice(ids), "to": f"sat{k}"})
    for k in range(rng.randint(0, 3)):
        data["households"].append({"id": f"hh-random-{k}", "members": rng.sample(ids, rng.randint(2, min(6, len(ids))))})
    return CaseFile.model_validate(data)


@pytest.mark.parametrize("seed", range(20))
def test_random_family(seed):
    case = random_review(seed)
    for households in ("current", "all"):
        problems = check_drawing(case, read(genogram_svg(case, GenogramOptions(households=households))),
                                 households=households)
        assert not problems, f"seed {seed}, households {households}:\n" + "\n".join(problems)


@pytest.mark.parametrize("seed", range(6))
def test_random_family_centred_on_someone(seed):
    from dhrkg.model.dates import PartialDate

    case = random_review(100 + seed)
    rng = random.Random(seed)
    for _ in range(3):
        opts = GenogramOptions(person=rng.choice(case.persons).id, up=rng.randint(0, 3), down=rng.randint(0, 2),
                               publication=rng.random() < 0.5, hide_children=rng.random() < 0.5,
                               households=rng.choice(["current", "all", "none"]),
                               reference_date=rng.choice([None, "2000", "2010-06-01"]))
        ids = {p.id: f"p{n + 1}" for n, p in enumerate(case.persons)} if opts.publication else None
        ref = PartialDate.parse(opts.reference_date) if opts.reference_date else None
        problems = check_drawing(case, read(genogram_svg(case, opts)), whole=False, households=opts.households,
                                 ids=ids, reference=ref)
        assert not problems, f"{opts}:\n" + "\n".join(problems)

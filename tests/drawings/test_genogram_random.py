"""Random families (generated, with random abuse, friends and households that cannot sit
together) drawn and checked against every geometric rule, in both household modes."""

from __future__ import annotations

import random

import pytest

from dhrkg.visualisation import GenogramOptions, genogram_svg

from support.svg_geometry import check_drawing, read
from support.random_family import random_review


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

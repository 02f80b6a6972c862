"""Random families for the drawing tests: a generated family (tests/fixtures/genogram/make_family.py)
with random abuse, friends and households that cannot sit together."""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

from dhrkg.model import CaseFile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "genogram"
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

"""The answers of the national scans, compared between ways of loading a synthetic national set
(tests/graph/test_scale_small.py, tests/graph/test_offline_load.py)."""

from __future__ import annotations

from dhrkg.graph import canned

#: the national scans and their parameters, compared answer for answer
SCANS = {"serial-perpetrators": {"min_partners": "1"}, "incidents-without-risk-assessment": {},
         "risk-not-shared": {"min_level": "low"}, "referrals-not-actioned": {}, "reviews": {}}


def answers(store) -> dict:
    lib = {q.name: q for q in canned.load_library(include_user=False)}
    out = {name: canned.run(store, lib[name], canned.bind(lib[name], params)).rows for name, params in SCANS.items()}
    out["stats"] = store.stats()
    return out

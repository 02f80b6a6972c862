"""The README's demo command runs to the end on the embedded default and writes what it says.

Runs scripts/demo.sh (without its set-up step: the test run is already set up) with its own
output and data directories, so it never touches the user's graph.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_runs_and_writes_its_outputs(tmp_path):
    out = tmp_path / "demo"
    env = dict(os.environ, DHRKG_SKIP_SETUP="1", DHRKG_DEMO_OUT=str(out), DHRKG_DATA_DIR=str(tmp_path / "data"))
    env.pop("NEO4J_URI", None)
    env.pop("DHRKG_BACKEND", None)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    proc = subprocess.run(["bash", "scripts/demo.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = proc.stdout
    # the graph answered: example 001's perpetrator's former partner, recorded in another force area
    assert "north-worcs-dhr-7/PFP" in text and "nothing_in_review_area : true" in text
    assert "3 reviews in the falkordb graph" in text
    assert "refused" in (text + proc.stderr).lower()
    for name in ["genogram-001.svg", "genogram-001-publication.pdf", "network-001.svg", "timeline-001.png",
                 "chronology-001.xlsx", "cross-area-history-001.csv", "agencies-saw-both-001.csv",
                 "draft-brackenford.yaml", "research.ttl"]:
        assert (out / name).stat().st_size > 0, name
    # the chronology round trip gives back the example's events
    back = yaml.safe_load((out / "case-001-from-chronology.yaml").read_text())
    orig = yaml.safe_load((ROOT / "examples/001_24bc3f827734f2c4.yaml").read_text())
    assert sorted(e["id"] for e in back["events"]) == sorted(e["id"] for e in orig["events"])
    # the DHRD was loaded: reviews by region lists the regions
    assert "London" in text and "Wales" in text
    assert "stopped" in text  # the embedded server was stopped at the end
    # the report shipped in examples/ was drafted, and the draft is a valid case file
    assert f"{out}/draft-brackenford.yaml: valid" in " ".join(text.split())  # a long path: 2 lines
    # a log, not a terminal: no colour codes
    assert "\033[" not in text, "raw colour codes in the demo's log"
    assert "gold" not in text.lower(), "the demo's step titles speak of gold files"
    # the web workspace was started briefly and answered the chair's token with her review
    assert "The workspace was at http://127.0.0.1:" in text and '"id": "north-worcs-dhr-7"' in text

"""Render the drawings shown in docs/genograms.md (docs/images/) from the examples.

    .venv/bin/python scripts/render_doc_images.py

Genograms and the contact network at zoom 1.5; the timeline, which is drawn at print size in
points, at 150 dpi (the 300 dpi a PNG gets from `dhrkg timeline` is more than a web page needs).
The "before" images in docs/images/before/ are kept as they were drawn before issue 16.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dhrkg.model import load_case  # noqa: E402
from dhrkg.visualisation import (  # noqa: E402
    GenogramOptions, TimelineOptions, genogram_svg, network_svg, timeline_svg, write_drawing,
)

IMAGES = ROOT / "docs" / "images"
EXAMPLES = {p.stem: p for p in sorted((ROOT / "examples").glob("*.yaml"))}


def main() -> None:
    for stem, path in EXAMPLES.items():
        write_drawing(genogram_svg(load_case(path)), IMAGES / f"genogram-{stem}.png", zoom=1.5)
    gold = load_case(EXAMPLES["001_24bc3f827734f2c4"])
    write_drawing(genogram_svg(gold, GenogramOptions(person="Perpetrator", up=1, down=2)),
                  IMAGES / "genogram-001-perpetrator.png", zoom=1.5)
    write_drawing(network_svg(gold), IMAGES / "network-001_24bc3f827734f2c4.png", zoom=1.5)
    svg = timeline_svg(gold, TimelineOptions(labels=True))
    png = subprocess.run(["rsvg-convert", "-f", "png", "-d", "150", "-p", "150", "-b", "white"],
                         input=svg.encode(), capture_output=True, check=True).stdout
    (IMAGES / "timeline-001_24bc3f827734f2c4.png").write_bytes(png)


if __name__ == "__main__":
    main()

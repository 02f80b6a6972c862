"""Where synthetic people live: police force areas, rough populations and postcode districts.

Populations (millions, rounded) and postcode areas are approximate, written by hand; they only
need to make the synthetic data look plausible (busier forces, districts such as "B23" or
"CF14"). Force area names are the ones ``dhrkg.places`` uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from dhrkg import places

# force area -> (population in millions, postcode areas)
_FORCES: dict[str, tuple[float, tuple[str, ...]]] = {
    "Avon and Somerset": (1.7, ("BS", "BA", "TA")),
    "Bedfordshire": (0.7, ("LU", "MK")),
    "Cambridgeshire": (0.9, ("CB", "PE")),
    "Cheshire": (1.1, ("CH", "CW", "WA")),
    "City of London": (0.01, ("EC",)),
    "Cleveland": (0.57, ("TS",)),
    "Cumbria": (0.5, ("CA", "LA")),
    "Derbyshire": (1.05, ("DE", "S")),
    "Devon and Cornwall": (1.8, ("EX", "PL", "TQ", "TR")),
    "Dorset": (0.78, ("BH", "DT")),
    "Durham": (0.63, ("DH", "DL")),
    "Essex": (1.85, ("CM", "CO", "SS", "RM")),
    "Gloucestershire": (0.65, ("GL",)),
    "Greater Manchester": (2.87, ("M", "BL", "OL", "SK", "WN")),
    "Hampshire": (2.0, ("SO", "PO", "RG", "GU")),
    "Hertfordshire": (1.2, ("AL", "HP", "SG", "WD", "EN")),
    "Humberside": (0.93, ("HU", "DN")),
    "Kent": (1.87, ("CT", "ME", "TN", "DA")),
    "Lancashire": (1.53, ("PR", "BB", "FY", "LA")),
    "Leicestershire": (1.1, ("LE",)),
    "Lincolnshire": (0.77, ("LN", "PE", "NG")),
    "Merseyside": (1.43, ("L", "CH", "WA")),
    "Metropolitan Police": (8.9, ("E", "N", "NW", "SE", "SW", "W", "BR", "CR", "HA", "IG", "KT", "SM", "TW", "UB")),
    "Norfolk": (0.92, ("NR", "PE", "IP")),
    "North Yorkshire": (0.83, ("YO", "HG", "DL")),
    "Northamptonshire": (0.79, ("NN",)),
    "Northumbria": (1.46, ("NE", "SR")),
    "Nottinghamshire": (1.17, ("NG",)),
    "South Yorkshire": (1.4, ("S", "DN")),
    "Staffordshire": (1.14, ("ST", "WS", "DE")),
    "Suffolk": (0.76, ("IP", "CB", "CO")),
    "Surrey": (1.2, ("GU", "KT", "RH", "CR")),
    "Sussex": (1.7, ("BN", "RH", "TN", "PO")),
    "Thames Valley": (2.4, ("OX", "RG", "SL", "MK", "HP")),
    "Warwickshire": (0.6, ("CV", "B")),
    "West Mercia": (1.3, ("WR", "HR", "SY", "TF", "DY")),
    "West Midlands": (2.93, ("B", "CV", "WV", "WS", "DY")),
    "West Yorkshire": (2.35, ("LS", "BD", "HD", "HX", "WF")),
    "Wiltshire": (0.73, ("SN", "SP", "BA")),
    "Dyfed-Powys": (0.52, ("SA", "LD", "SY")),
    "Gwent": (0.6, ("NP",)),
    "North Wales": (0.7, ("LL", "CH")),
    "South Wales": (1.3, ("CF", "SA")),
}


@dataclass(frozen=True)
class SynthForce:
    name: str
    code: str  # short code used in record ids and sources, e.g. "WMID"
    slug: str  # folder-friendly name, e.g. "west-midlands"
    population: float
    districts: tuple[str, ...]


def _code(name: str, taken: set[str]) -> str:
    letters = "".join(ch for ch in name.upper() if ch.isalpha())
    words = [w for w in name.upper().replace("-", " ").split() if w not in {"AND", "OF"}]
    candidates = ["".join(w[0] for w in words) if len(words) > 1 else "", letters[:4]]
    for cand in candidates + [letters[:3] + letters[i] for i in range(4, len(letters))]:
        if len(cand) >= 2 and cand not in taken:
            return cand
    raise ValueError(f"cannot make a code for {name}")  # pragma: no cover


def synth_forces(count: int) -> list[SynthForce]:
    """The first ``count`` territorial force areas of England and Wales (in ``dhrkg.places``
    order) with their postcode districts."""
    areas = [fa.name for fa in places.force_areas()]
    missing = [a for a in areas if a not in _FORCES]
    if missing:  # pragma: no cover - guards the table against places changes
        raise RuntimeError(f"no postcode areas for force area(s): {', '.join(missing)}")
    if not 1 <= count <= len(areas):
        raise ValueError(f"--forces must be between 1 and {len(areas)}, got {count}")
    out: list[SynthForce] = []
    taken: set[str] = set()
    for name in areas[:count]:
        population, areas_ = _FORCES[name]
        code = _code(name, taken)
        taken.add(code)
        per_area = max(3, min(30, int(round(14 * population / len(areas_)))))
        districts = tuple(f"{a}{n}" for a in areas_ for n in range(1, per_area + 1))
        slug = "-".join(name.lower().replace("-", " ").split())
        out.append(SynthForce(name, code, slug, population, districts))
    return out

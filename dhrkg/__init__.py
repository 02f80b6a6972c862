"""dhrkg: a knowledge graph for Domestic Homicide Reviews in England and Wales."""

__version__ = "0.1.0"

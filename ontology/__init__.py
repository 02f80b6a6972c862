"""dhrkg.ontology — see README.md and docs/."""
if __name__ != "dhrkg.ontology":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.ontology package; import it as 'dhrkg.ontology', not 'ontology'"
    )

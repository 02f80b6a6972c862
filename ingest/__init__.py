"""dhrkg.ingest — see README.md and docs/."""
if __name__ != "dhrkg.ingest":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.ingest package; import it as 'dhrkg.ingest', not 'ingest'"
    )

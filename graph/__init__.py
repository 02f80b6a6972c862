"""dhrkg.graph — see README.md and docs/."""
if __name__ != "dhrkg.graph":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.graph package; import it as 'dhrkg.graph', not 'graph'"
    )

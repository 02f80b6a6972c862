"""dhrkg.api — see README.md and docs/."""
if __name__ != "dhrkg.api":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.api package; import it as 'dhrkg.api', not 'api'"
    )

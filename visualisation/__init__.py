"""dhrkg.visualisation — see README.md and docs/."""
if __name__ != "dhrkg.visualisation":  # pragma: no cover - import guard
    raise ImportError(
        "this folder is the dhrkg.visualisation package; import it as 'dhrkg.visualisation', not 'visualisation'"
    )

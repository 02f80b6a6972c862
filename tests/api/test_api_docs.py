"""docs/api.md names every API endpoint the application serves (so the two do not drift)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_endpoint_is_in_the_api_doc():
    from dhrkg.api.app import ServerSettings, create_app

    doc = (ROOT / "docs" / "api.md").read_text()
    app = create_app(ServerSettings(data_dir=Path("/nonexistent")), store=object())
    for path in app.openapi()["paths"]:
        short = path.removeprefix("/api/v1")
        stem = short.split(".{fmt}")[0]
        assert stem in doc, f"docs/api.md does not mention {path}"

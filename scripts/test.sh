#!/usr/bin/env bash
# Sets up dhrkg with its test tools (scripts/setup.sh, plus the Neo4j test launcher)
# and runs the whole test suite on both graph engines.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -f tools/neo4j-launcher/pom.xml ]; then
  printf '\033[1m==> building the Neo4j test launcher (Maven)\033[0m\n' >&2
  (cd tools/neo4j-launcher && mvn -q -B -DskipTests package)
fi
export DHRKG_REQUIRE_NEO4J="${DHRKG_REQUIRE_NEO4J:-1}"
export DHRKG_REQUIRE_BROWSER="${DHRKG_REQUIRE_BROWSER:-1}"  # chromium + chromium-driver (setup.sh)
exec .venv/bin/python -m pytest "$@"

#!/usr/bin/env bash
# Sets up dhrkg with its test tools (scripts/setup.sh, plus the Neo4j test launcher)
# and runs the whole test suite on both graph engines.
#   bash scripts/test.sh [pytest options]
#   PYTHON=python3.13 DHRKG_VENV=.venv-3.13 bash scripts/test.sh    # another Python
#   DHRKG_WITH_NEO4J=0 bash scripts/test.sh                          # FalkorDB only, no Java needed
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
VENV="${DHRKG_VENV:-.venv}"
export DHRKG_REQUIRE_BROWSER="${DHRKG_REQUIRE_BROWSER:-1}"  # chromium + chromium-driver (setup.sh)
if [ "${DHRKG_WITH_NEO4J:-1}" = 0 ]; then
  export DHRKG_NEO4J_LAUNCHER=0 DHRKG_REQUIRE_NEO4J=0
  exec "$VENV/bin/python" -m pytest -m "not neo4j" "$@"
fi
if [ -f tools/neo4j-launcher/pom.xml ]; then
  if [ -t 2 ]; then printf '\033[1m==> %s\033[0m\n' "building the Neo4j test launcher (Maven)" >&2
  else printf '==> %s\n' "building the Neo4j test launcher (Maven)" >&2; fi
  (cd tools/neo4j-launcher && mvn -q -B -DskipTests package)
fi
export DHRKG_REQUIRE_NEO4J="${DHRKG_REQUIRE_NEO4J:-1}"
exec "$VENV/bin/python" -m pytest "$@"

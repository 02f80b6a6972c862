#!/usr/bin/env bash
# Installs everything dhrkg needs on a Debian machine with Python 3.11, 3.12 or 3.13:
# system packages (Graphviz, raptor, librsvg, poppler, Java 17 + Maven for the test Neo4j),
# a virtualenv in .venv with the pinned Python dependencies, and dhrkg itself.
#   bash scripts/setup.sh          # runtime + test tools
#   DHRKG_SKIP_APT=1 bash ...      # do not touch system packages
#   PYTHON=python3.13 DHRKG_VENV=.venv-3.13 bash ...   # another Python, in another virtualenv
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# --- system packages -------------------------------------------------------
APT_PACKAGES=(graphviz raptor2-utils librsvg2-bin poppler-utils fonts-dejavu-core)
APT_PACKAGES+=(chromium chromium-driver)  # the web workspace's browser test (Selenium)
need_java=0
command -v java >/dev/null 2>&1 || need_java=1
command -v mvn >/dev/null 2>&1 || need_java=1
[ "$need_java" = 1 ] && APT_PACKAGES+=(openjdk-17-jdk-headless maven)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ] && [ "${DHRKG_SKIP_APT:-0}" != 1 ]; then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  say "installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python ----------------------------------------------------------------
PY="${PYTHON:-}"
if [ -z "$PY" ]; then
  for candidate in python3.11 python3.12 python3.13 python3; do
    command -v "$candidate" >/dev/null 2>&1 && { PY="$candidate"; break; }
  done
fi
"$PY" -c 'import sys; assert (3, 11) <= sys.version_info[:2] <= (3, 13), sys.version' 2>/dev/null \
  || { echo "dhrkg needs Python 3.11, 3.12 or 3.13 (found: $("$PY" --version 2>&1))" >&2; exit 1; }
VENV="${DHRKG_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  say "creating $VENV with $("$PY" --version 2>&1)"
  "$PY" -m venv "$VENV"
fi
say "installing Python dependencies (pinned in constraints.txt)"
"$VENV/bin/python" -m pip install -q --upgrade pip
pip_log="$(mktemp)"
if ! "$VENV/bin/python" -m pip install -q -c constraints.txt -e '.[dev]' >"$pip_log" 2>&1; then
  cat "$pip_log" >&2
  echo "setup: pip could not install the dependencies (its output is above)" >&2
  exit 1
fi
rm -f "$pip_log"
say "dhrkg $("$VENV/bin/dhrkg" --version | cut -d' ' -f2) ready in $VENV ($("$VENV/bin/python" --version))"

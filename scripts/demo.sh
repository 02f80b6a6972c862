#!/usr/bin/env bash
# Sets up dhrkg (scripts/setup.sh) and runs the demo on the embedded default
# (FalkorDB, started and stopped by dhrkg itself in a demo data directory).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${DHRKG_SKIP_SETUP:-0}" = 1 ] || bash scripts/setup.sh
export PATH="$PWD/.venv/bin:$PATH"
OUT="${DHRKG_DEMO_OUT:-demo-output}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
# Colour the step titles only on a terminal: a log file gets plain text.
if [ -t 1 ]; then BOLD=$'\033[1;34m' PLAIN=$'\033[0m'; else BOLD='' PLAIN=''; fi
step() { printf '\n%s### %s%s\n$ %s\n' "$BOLD" "$1" "$PLAIN" "$2"; eval "$2"; }

step "Check the three example case files" "dhrkg validate examples/*.yaml"
step "What a chair checks first" "dhrkg summary examples/001_24bc3f827734f2c4.yaml"
for part in scripts/demo.d/*.sh; do
  [ -e "$part" ] && source "$part"
done
printf '\nDemo finished. Output files are in %s/\n' "$OUT"

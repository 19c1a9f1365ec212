#!/usr/bin/env bash
# The test command: format and lint (Biome), type checks of sources, tests and benches, layer rules, tests.
# Checks its prerequisites first and names in one line whatever is missing.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/system-packages.sh"
missing="$(phasewise_missing_packages)"
if [ -n "$missing" ]; then
  echo "phasewise tests: missing $missing — run: bash scripts/setup.sh as root, or: $(phasewise_install_command "$missing")" >&2
  exit 2
fi
source "$here/node-env.sh"
cd "$phasewise_root"
if [ ! -d node_modules ]; then
  echo "phasewise tests: no node_modules — run: bash scripts/setup.sh" >&2
  exit 2
fi
npm test

#!/usr/bin/env bash
# The test command: format and lint (Biome), type checks of sources, tests and benches, layer rules, tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$phasewise_root"
[ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error
npm test

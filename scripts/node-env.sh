#!/usr/bin/env bash
# Sourced by the other scripts: puts a Node.js >= 22.13 first on PATH.
# When the system Node is older, Node 22 is installed once from the npm registry (the `node` package ships
# the binary inside a registry package) into .tools/node22 of this checkout. Nothing is installed globally.
phasewise_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

phasewise_node_ok() {
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=13)?0:1)' 2>/dev/null
}

if command -v node >/dev/null 2>&1 && phasewise_node_ok node; then
  :
else
  local_bin="$phasewise_root/.tools/node22/node_modules/node/bin"
  if [ ! -x "$local_bin/node" ] || ! phasewise_node_ok "$local_bin/node"; then
    echo "phasewise: system Node is $(node -v 2>/dev/null || echo missing); installing Node 22 into .tools/node22 (once)" >&2
    mkdir -p "$phasewise_root/.tools/node22"
    npm install --prefix "$phasewise_root/.tools/node22" --no-save --no-audit --no-fund --loglevel=error node@22 >&2 \
      || { echo "phasewise: could not install Node 22 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$local_bin:$PATH"
fi

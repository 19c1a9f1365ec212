#!/usr/bin/env bash
# Set up a checkout: the Debian packages phasewise needs (bubblewrap, socat, chromium, git, postgresql), Node >= 22 (installed
# locally when the system one is older), the npm dependencies, the build.
#   bash scripts/setup.sh            set up
#   bash scripts/setup.sh --link     …and put `phasewise` on PATH (a symbolic link in /usr/local/bin as root,
#                                    else ~/.local/bin)
# PHASEWISE_SKIP_SYSTEM_PACKAGES=1 skips the Debian packages: phasewise then runs commands unsandboxed, with a
# warning, and the tests that need them cannot pass.
set -euo pipefail
here="$(dirname "${BASH_SOURCE[0]}")"
source "$here/system-packages.sh"

link=false
for argument in "$@"; do
  case "$argument" in
    --link) link=true ;;
    -h | --help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup: unknown option $argument (see bash scripts/setup.sh --help)" >&2; exit 2 ;;
  esac
done

missing="$(phasewise_missing_packages)"
if [ -n "$missing" ] && [ "${PHASEWISE_SKIP_SYSTEM_PACKAGES:-}" != 1 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "phasewise: installing Debian's $missing (needed for the command sandbox, the browser tests, fanned-out phases and the shared-database tests)" >&2
    # shellcheck disable=SC2086 # one word per package
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing) >&2 \
      || { echo "phasewise: apt-get could not install $missing; run: $(phasewise_install_command "$missing")" >&2; exit 1; }
  else
    {
      echo "phasewise: missing system packages: $missing"
      if command -v apt-get >/dev/null 2>&1; then
        echo "  install them with:  $(phasewise_install_command "$missing")"
      else
        echo "  install them with your package manager (the programs: bwrap, socat, chromium, git, PostgreSQL's server)"
      fi
      echo "  then run this again; or skip them with PHASEWISE_SKIP_SYSTEM_PACKAGES=1 bash scripts/setup.sh"
    } >&2
    exit 1
  fi
fi

source "$here/node-env.sh"
cd "$phasewise_root"
echo "phasewise: using Node $(node -v) at $(command -v node)" >&2
npm ci --no-audit --no-fund --loglevel=error >&2
npm run --silent build >&2

on_path() { case ":$PATH:" in *":$1:"*) return 0 ;; *) return 1 ;; esac; }
if [ "$link" = true ]; then
  if [ "$(id -u)" = 0 ]; then bin_dir=/usr/local/bin; else bin_dir="$HOME/.local/bin"; fi
  mkdir -p "$bin_dir"
  ln -sfn "$phasewise_root/phasewise" "$bin_dir/phasewise"
  echo "phasewise: linked $bin_dir/phasewise → $phasewise_root/phasewise" >&2
  on_path "$bin_dir" || echo "phasewise: $bin_dir is not on your PATH; add it (export PATH=\"$bin_dir:\$PATH\")" >&2
  echo "phasewise: ready — run phasewise --help" >&2
elif [ "$(command -v phasewise 2>/dev/null || true)" -ef "$phasewise_root/phasewise" ]; then
  echo "phasewise: ready — run phasewise --help" >&2
else
  echo "phasewise: ready — run ./phasewise --help (to type just \`phasewise\` anywhere: bash scripts/setup.sh --link)" >&2
fi

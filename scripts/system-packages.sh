#!/usr/bin/env bash
# Sourced by setup.sh and test.sh: the Debian packages phasewise and its tests need, and which are missing.
#   bubblewrap  the sandbox commands run in (sandbox: auto uses it when it works)
#   socat       Claude Code's own command sandbox needs it beside bubblewrap (the claude-code runtime)
#   chromium    the HTML report and the tests that render it in a real, headless browser
#   git         fanned-out phases (one git worktree per work item) and the demo, which fans out
#   postgresql  the throwaway server scripts/postgres.sh starts for the shared-database tests
phasewise_system_packages=(bubblewrap socat chromium git postgresql)

# The packages of phasewise_system_packages whose program is not on PATH, space-separated.
phasewise_missing_packages() {
  local missing=() package program
  for package in "${phasewise_system_packages[@]}"; do
    case "$package" in
      bubblewrap) program=bwrap ;;
      # Debian keeps the server's programs off PATH, in a folder per major version.
      postgresql) compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=("$package"); continue ;;
      *) program="$package" ;;
    esac
    command -v "$program" >/dev/null 2>&1 || missing+=("$package")
  done
  echo "${missing[*]}"
}

# The one command that installs them, as this user would type it.
phasewise_install_command() {
  local prefix=''
  [ "$(id -u)" = 0 ] || prefix='sudo '
  echo "${prefix}apt-get update && ${prefix}apt-get install -y $*"
}

#!/usr/bin/env bash
# Installs what Faultline's build and tests need, checking versions rather than mere presence.
# Usage: scripts/setup.sh [rust] [trunk] [wasm-bindgen] [node] [browser] ...   (or: all)
# Every step is idempotent and fast when nothing is missing. Nothing is downloaded from outside
# the package registries (crates.io, npm, Debian).
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_SERIES="0.21"          # trunk 0.22 needs a newer rustc than this toolchain
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf 'setup: %s\n' "$*" >&2; }
fail() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

need_command() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 is not installed: $2"
}

# The wasm-bindgen version pinned by Cargo.lock; the CLI must match it exactly or trunk tries to
# download one (which fails offline).
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup_rust() {
  need_command rustup "install rustup from your distribution or rustup.rs"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  # fmt and clippy are part of `make test`.
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^$component"; then
      say "adding rustup component $component"
      rustup component add "$component"
    fi
  done
}

setup_trunk() {
  local have
  have=$(trunk --version 2>/dev/null | awk '{print $2}') || true
  if [[ "$have" != "$TRUNK_SERIES".* ]]; then
    say "installing trunk $TRUNK_SERIES.x (had: ${have:-none}); this takes about 9 minutes once"
    cargo install trunk --version "~$TRUNK_SERIES" --locked
  fi
}

setup_wasm_bindgen() {
  [[ -f Cargo.lock ]] || cargo generate-lockfile
  local want have
  want=$(locked_wasm_bindgen_version)
  [[ -n "$want" ]] || fail "could not read the wasm-bindgen version from Cargo.lock"
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}') || true
  if [[ "$have" != "$want" ]]; then
    say "installing wasm-bindgen-cli $want (had: ${have:-none}); this takes about 6 minutes once"
    # Not --locked: the CLI's own lock file pins a crate the registry no longer serves.
    cargo install wasm-bindgen-cli --version "=$want" --force
  fi
}

setup_node() {
  need_command npm "install Node.js 20+ and npm (Debian: apt-get install nodejs npm)"
  # Reinstall when node_modules is missing or older than the lock file.
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    say "installing npm packages (wasm-opt from binaryen, Playwright)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
  wasm-opt --version >/dev/null 2>&1 || fail "wasm-opt from npm binaryen did not install"
}

chromium_major() { "$1" --version 2>/dev/null | grep -oE '[0-9]+\.[0-9.]+' | head -n1 | cut -d. -f1; }

setup_browser() {
  local browser=/usr/bin/chromium driver=/usr/bin/chromedriver
  local have_browser have_driver
  have_browser=$(chromium_major "$browser" || true)
  have_driver=$(chromium_major "$driver" || true)
  if [[ -n "$have_browser" && "$have_browser" == "$have_driver" ]]; then
    return
  fi
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    fail "browser tests need Debian's Chromium and its driver at the same version: run 'sudo apt-get install -y chromium chromium-driver'"
  fi
  say "installing Debian's chromium and chromium-driver (browser ${have_browser:-none}, driver ${have_driver:-none})"
  DEBIAN_FRONTEND=noninteractive apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver
}

steps=("$@")
[[ ${#steps[@]} -gt 0 && "${steps[0]}" != all ]] || steps=(rust trunk wasm-bindgen node browser)
for step in "${steps[@]}"; do
  case "$step" in
    rust) setup_rust ;;
    trunk) setup_trunk ;;
    wasm-bindgen) setup_wasm_bindgen ;;
    node) setup_node ;;
    browser) setup_browser ;;
    *) fail "unknown step '$step' (rust, trunk, wasm-bindgen, node, browser, all)" ;;
  esac
done

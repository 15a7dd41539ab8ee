#!/usr/bin/env bash
# Installs what dbkeeper and its tests need and builds it. Idempotent: only missing Debian
# packages are installed, and `apt-get update` runs only when something is missing.
#
#   scripts/setup.sh            install what is missing, then build the release binary
#   scripts/setup.sh --no-build install only
set -euo pipefail
cd "$(dirname "$0")/.."

# PostgreSQL server + client (initdb, postgres, pg_dump, pg_basebackup), MariaDB server, client
# and mariabackup, and what crates with C parts need to build.
packages=(
  postgresql postgresql-client
  mariadb-server mariadb-client mariadb-backup
  build-essential pkg-config ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  # Installing the server packages must not start (or need) system services: dbkeeper's
  # tests and demo run their own scratch servers on free ports.
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present" >&2
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo is missing; install a Rust toolchain (https://rustup.rs) and rerun" >&2
  exit 69
fi

if [ "${1:-}" != "--no-build" ]; then
  cargo build --release --bin dbkeeper
  echo "setup: built target/release/dbkeeper" >&2
fi

#!/usr/bin/env bash
# The whole test suite, as CI runs it: packages, formatting, lints, then every test — unit tests
# and end-to-end tests against scratch PostgreSQL and MariaDB servers that the tests start
# themselves on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh --no-build

echo "== cargo fmt --check" >&2
cargo fmt --all -- --check

echo "== cargo clippy" >&2
cargo clippy --workspace --all-targets -- -D warnings

echo "== cargo test" >&2
# Two test threads: each end-to-end test starts its own server, and the machine has 2 cores.
cargo test --workspace --no-fail-fast -- --test-threads="${DBKEEPER_TEST_THREADS:-2}"

#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as the README tells a newcomer to.
# Formatting and lints first: they are cheap and their failures are the clearest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared ]; then
  echo "notice: ../shared is absent: the tests over the peers' corpora will be skipped" >&2
fi

cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo test --locked --workspace --all-targets

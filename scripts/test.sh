#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run) and as the README tells a newcomer to.
# Formatting and lints first: they are cheap and their failures are the clearest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d ../shared ]; then
  echo "notice: ../shared is absent: the tests over the peers' corpora will be skipped" >&2
fi

# Reference tools the tests compare with (Sarif.Multitool); the tests skip what needs them when
# they cannot be installed, except under CI=true, where they fail.
scripts/setup-test-tools.sh >/dev/null || echo "notice: reference test tools not installed" >&2

# GitHub's full OpenAPI description (@octokit/openapi 23.0.2 by npm ci from
# testserver/openapi/package-lock.json, integrity-checked): the test GitHub server adds to
# ../shared's subset the operations it lacks from it. Without it those tests skip, except under
# CI=true, where a failed install fails here.
if ! testserver/fetch-openapi.sh >/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "error: testserver/fetch-openapi.sh could not install GitHub's OpenAPI description" >&2
    exit 1
  fi
  echo "notice: GitHub's full OpenAPI description not installed: tests needing it will be skipped" >&2
fi

cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
# The static release binary the Action ships (fat LTO: minutes); tests/it/action.rs checks it.
scripts/check-static.sh >/dev/null
cargo test --locked --workspace --all-targets

#!/usr/bin/env bash
# Installs the reference tools the test suite compares shipgate with, at pinned versions,
# from the package registries. Idempotent: does nothing when they are installed already.
#
#   Sarif.Multitool (npm @microsoft/sarif-multitool-linux, exact version and integrity from
#   scripts/test-tools/package-lock.json): the SARIF SDK's validator, whose GitHub ingestion
#   rules (`validate --rule-kind Ghas`) every SARIF shipgate writes must pass.
#
#   diff-cover and coverage.py (argument `diff-cover`, see below).
#
#   check-jsonschema (PyPI, exact versions and hashes from
#   scripts/test-tools/requirements-action.txt, in the venv .cache/test-tools/venv): validates
#   action.yml against SchemaStore's github-action schema in tests/it/action.rs and CI. Its
#   failure to install is a notice; the action tests then skip that cross-check (not under CI).
#
# Prints the path of the multitool on success. Exit 1 when it cannot be installed (no npm,
# no registry): tests then skip with a notice, except under CI=true where they fail.
set -euo pipefail
cd "$(dirname "$0")/test-tools"

# `setup-test-tools.sh diff-cover`: diff-cover and coverage.py (versions and hashes in
# requirements-diff-cover.txt) in a venv under .cache/test-tools/; prints the venv's bin
# directory. Idempotent: reinstalls only when the requirements file changed.
if [ "${1:-}" = "diff-cover" ]; then
  VENV="$(cd ../.. && pwd)/.cache/test-tools/venv-diff-cover"
  REQ="$PWD/requirements-diff-cover.txt"
  STAMP="$VENV/.requirements"
  if [ ! -x "$VENV/bin/diff-cover" ] || ! cmp -s "$REQ" "$STAMP"; then
    PY="$(command -v python3 || true)"
    if [ -z "$PY" ]; then
      echo "setup-test-tools: python3 is not installed; cannot install diff-cover" >&2
      exit 1
    fi
    rm -rf "$VENV"
    "$PY" -m venv "$VENV" >&2
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
      --only-binary=:all: -r "$REQ" >&2
    cp "$REQ" "$STAMP"
  fi
  printf '%s\n' "$VENV/bin"
  exit 0
fi
cd ../..
venv=.cache/test-tools/venv
req=scripts/test-tools/requirements-action.txt
stamp="$venv/.requirements-action.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$want" ]; then
  if python3 -m venv "$venv" >&2 &&
    "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r "$req" >&2; then
    printf '%s\n' "$want" >"$stamp"
  else
    echo "setup-test-tools: could not install check-jsonschema into $venv" >&2
  fi
fi
cd scripts/test-tools
MT=node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$MT" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "setup-test-tools: npm is not installed; cannot install Sarif.Multitool" >&2
    exit 1
  fi
  # npm ci checks every tarball against the lockfile's integrity hash.
  npm ci --silent --no-audit --no-fund >&2
fi
if [ ! -x "$MT" ]; then
  echo "setup-test-tools: $MT missing after npm ci" >&2
  exit 1
fi
printf '%s\n' "$PWD/$MT"

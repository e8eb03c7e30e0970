#!/usr/bin/env bash
# Installs GitHub's full OpenAPI description (npm package @octokit/openapi 23.0.2, exact version
# and integrity hash from testserver/openapi/package-lock.json, checked by `npm ci`) into the
# cache directory where the test GitHub server looks for it:
#   ${SHIPGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shipgate}/node_modules/@octokit/openapi/
# The server uses it alone when ../shared/github-openapi is absent, and otherwise takes from it
# the operations it adds to ../shared's subset (testserver/src/widen.rs).
#
# Idempotent: does nothing when the installed copy came from the same lockfile. Prints the
# file's path. Exit 1 when it cannot be installed (no npm, no registry, a hash mismatch): tests
# that need it then skip with a notice, except under CI=true, where scripts/test.sh fails.
set -euo pipefail
here="$(cd "$(dirname "$0")/openapi" && pwd)"
cache="${SHIPGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shipgate}"
file="$cache/node_modules/@octokit/openapi/generated/api.github.com.json"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
stamp="$cache/.openapi-lock.sha256"
if [ -f "$file" ] && [ "$(cat "$stamp" 2>/dev/null || true)" = "$want" ]; then
  echo "$file"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "fetch-openapi: npm is not installed; cannot install @octokit/openapi" >&2
  exit 1
fi
mkdir -p "$cache"
cp "$here/package.json" "$here/package-lock.json" "$cache/"
rm -f "$stamp"
# npm ci installs exactly the lockfile and checks every tarball against its integrity hash.
(cd "$cache" && npm ci --silent --no-audit --no-fund --ignore-scripts >&2)
if [ ! -f "$file" ]; then
  echo "fetch-openapi: $file missing after npm ci" >&2
  exit 1
fi
printf '%s\n' "$want" >"$stamp"
echo "$file"

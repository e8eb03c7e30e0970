#!/usr/bin/env bash
# Installs GitHub's full OpenAPI description (npm package @octokit/openapi 23.0.2) into the cache
# directory where the test GitHub server looks for it when ../shared/github-openapi is absent:
# ${SHIPGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shipgate}/node_modules/@octokit/openapi/
set -euo pipefail
cache="${SHIPGATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/shipgate}"
file="$cache/node_modules/@octokit/openapi/generated/api.github.com.json"
if [ -f "$file" ]; then
  echo "$file"
  exit 0
fi
mkdir -p "$cache"
npm install --silent --no-audit --no-fund --no-save --prefix "$cache" @octokit/openapi@23.0.2 >&2
test -f "$file"
echo "$file"

#!/usr/bin/env bash
# Places release binaries in dist/ under the names dist/launcher.sh looks for and writes
# dist/SHA256SUMS over every binary there (sha256sum's own format).
#
#   scripts/package-dist.sh BINARY PLATFORM [BINARY PLATFORM]...
#
# PLATFORM is <os>-<arch> as the launcher names them: linux-x64, linux-arm64, macos-x64,
# macos-arm64, windows-x64 (its file gets .exe). The release workflow, the CI dogfooding job
# and scripts/bench-action.sh use it; the files are git-ignored except on the release commit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ] || [ $(($# % 2)) -ne 0 ]; then
  echo "usage: scripts/package-dist.sh BINARY PLATFORM [BINARY PLATFORM]..." >&2
  exit 2
fi
while [ $# -gt 0 ]; do
  src="$1" platform="$2"
  shift 2
  case "$platform" in
    linux-x64 | linux-arm64 | macos-x64 | macos-arm64) name="shipgate-$platform" ;;
    windows-x64 | windows-arm64) name="shipgate-$platform.exe" ;;
    *) echo "package-dist: unknown platform $platform" >&2; exit 2 ;;
  esac
  cp -- "$src" "dist/$name"
  chmod 755 "dist/$name"
done
cd dist
# Every binary present, in a stable order.
find . -maxdepth 1 -type f -name 'shipgate-*' -printf '%f\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS
cat SHA256SUMS

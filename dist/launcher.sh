#!/usr/bin/env bash
# Starts the shipgate binary for this runner: dist/shipgate-<os>-<arch>[.exe], chosen from
# RUNNER_OS and RUNNER_ARCH (else uname), after checking its SHA-256 against dist/SHA256SUMS.
# A binary whose checksum does not match, or that SHA256SUMS does not list, is refused.
#
# The binaries and SHA256SUMS are placed in dist/ by the release workflow
# (.github/workflows/release.yml) on the release commit that a vX.Y.Z tag points at; they are
# not committed on main. Without a binary for this platform (a branch checkout, an unusual
# platform), it says so in one line and, if cargo is on PATH, builds shipgate from source with
# `cargo build --release --locked` (slow: several minutes) and runs that build.
#
# It finds the action through GITHUB_ACTION_PATH (set by the runner for composite steps), else
# through its own location; it never reads github.action_ref, which is empty in composite steps.
#
# Usage: launcher.sh ARGS...   (the arguments go to shipgate unchanged)
set -euo pipefail

say() { printf 'shipgate launcher: %s\n' "$*" >&2; }

root="${GITHUB_ACTION_PATH:-}"
if [ -z "$root" ]; then
  root="$(cd "$(dirname "$0")/.." && pwd)"
fi
dist="$root/dist"

os="${RUNNER_OS:-$(uname -s)}"
arch="${RUNNER_ARCH:-$(uname -m)}"
case "$os" in
  Linux | linux) os=linux ;;
  macOS | Darwin | darwin) os=macos ;;
  Windows | MINGW* | MSYS* | CYGWIN*) os=windows ;;
  *) os=unknown ;;
esac
case "$arch" in
  X64 | x86_64 | amd64) arch=x64 ;;
  ARM64 | arm64 | aarch64) arch=arm64 ;;
  *) arch=unknown ;;
esac
name="shipgate-$os-$arch"
if [ "$os" = windows ]; then
  name="$name.exe"
fi
bin="$dist/$name"

# From standard input: a file name with a backslash (Windows paths) would make sha256sum
# prefix its line with `\`.
sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum <"$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 <"$1" | cut -d' ' -f1
  else
    return 1
  fi
}

if [ ! -f "$bin" ]; then
  if ! command -v cargo >/dev/null 2>&1; then
    say "no binary for ${RUNNER_OS:-$os}/${RUNNER_ARCH:-$arch} ($name) in $dist and no Rust toolchain to build one; use a release tag (vX.Y.Z or v1)"
    exit 2
  fi
  say "no binary for ${RUNNER_OS:-$os}/${RUNNER_ARCH:-$arch} ($name) in $dist; building from source with cargo (slow: several minutes)"
  target="${SHIPGATE_BUILD_DIR:-${RUNNER_TEMP:-$root}/shipgate-target}"
  CARGO_TARGET_DIR="$target" cargo build --release --locked --quiet \
    --manifest-path "$root/Cargo.toml" --bin shipgate >&2
  exe=""
  if [ "$os" = windows ]; then exe=".exe"; fi
  exec "$target/release/shipgate$exe" "$@"
fi

sums="$dist/SHA256SUMS"
if [ ! -f "$sums" ]; then
  say "refusing to run $name: $sums is missing"
  exit 2
fi
# A line of sha256sum's output: the digest, a space, a space or `*`, the file name.
expected="$(awk -v n="$name" '$2 == n || $2 == "*" n { print tolower($1); exit }' "$sums")"
if [ -z "$expected" ]; then
  say "refusing to run $name: it is not listed in $sums"
  exit 2
fi
if ! actual="$(sha256_of "$bin")"; then
  say "refusing to run $name: neither sha256sum nor shasum is installed to check it"
  exit 2
fi
if [ "$actual" != "$expected" ]; then
  say "refusing to run $name: SHA-256 mismatch (expected $expected, got $actual)"
  exit 2
fi
if [ ! -x "$bin" ]; then
  chmod +x "$bin" 2>/dev/null || true
fi
exec "$bin" "$@"

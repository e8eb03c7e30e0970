#!/usr/bin/env bash
# Builds the release binary statically linked and checks it: ldd finds no dynamic dependency,
# the dependency tree has no OpenSSL or native-tls (rustls only), and the binary runs.
# Prints the binary's size, and its path on the last line.
#
#   scripts/check-static.sh                 build (release profile: fat LTO, one codegen unit,
#                                           stripped) and check
#   scripts/check-static.sh --no-build      check the binary an earlier run built
#   scripts/check-static.sh --target T      another target (default: x86_64-unknown-linux-musl
#                                           when installed, else the host's linux-gnu with
#                                           crt-static, i.e. glibc linked statically)
#
# The release workflow builds musl binaries; on a machine without the musl target (rustup
# cannot download it offline), glibc with `-C target-feature=+crt-static` is the static build.
# Flags go through CARGO_TARGET_<TRIPLE>_RUSTFLAGS with an explicit --target, so they reach the
# shipped binary but not build scripts and proc macros, which must stay dynamic.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --target) target="$2"; shift ;;
    *) echo "check-static: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

host_arch="$(uname -m)"
if [ -z "$target" ]; then
  if rustup target list --installed 2>/dev/null | grep -qx "$host_arch-unknown-linux-musl"; then
    target="$host_arch-unknown-linux-musl"
  else
    target="$host_arch-unknown-linux-gnu"
  fi
fi
upper="$(printf '%s' "$target" | tr 'a-z-' 'A-Z_')"
export "CARGO_TARGET_${upper}_RUSTFLAGS=-C target-feature=+crt-static"

target_dir="${CARGO_TARGET_DIR:-target}"
bin="$target_dir/$target/release/shipgate"

if [ "$build" = 1 ]; then
  echo "check-static: building $target (release profile; takes minutes)" >&2
  cargo build --release --locked --target "$target" --bin shipgate >&2
fi
if [ ! -x "$bin" ]; then
  echo "check-static: $bin is missing (run scripts/check-static.sh without --no-build)" >&2
  exit 1
fi

# ldd prints "not a dynamic executable" (static) or "statically linked" (static-pie) and
# exits 1 for the first; anything naming a library (libc.so.6, libssl...) fails.
ldd_out="$(ldd "$bin" 2>&1 || true)"
case "$ldd_out" in
  *"not a dynamic executable"* | *"statically linked"*) ;;
  *)
    echo "check-static: $bin is dynamically linked:" >&2
    printf '%s\n' "$ldd_out" >&2
    exit 1 ;;
esac
if command -v readelf >/dev/null 2>&1 && readelf -l "$bin" | grep -q 'INTERP'; then
  echo "check-static: $bin has a program interpreter (PT_INTERP)" >&2
  exit 1
fi

# The shipped crate's normal and build dependencies, for that target: no OpenSSL, no
# native-tls (the testserver's dev-dependencies are not shipped).
tree="$(cargo tree --locked -p shipgate -e normal,build --target "$target" --prefix none --format '{p}')"
bad="$(printf '%s\n' "$tree" | grep -Ei '^(openssl|openssl-sys|native-tls|hyper-tls|tokio-native-tls) ' || true)"
if [ -n "$bad" ]; then
  echo "check-static: OpenSSL or native-tls in the dependency tree:" >&2
  printf '%s\n' "$bad" | sort -u >&2
  exit 1
fi
if ! printf '%s\n' "$tree" | grep -q '^rustls '; then
  echo "check-static: rustls is not in the dependency tree" >&2
  exit 1
fi

version="$("$bin" --version)"
size="$(wc -c <"$bin" | tr -d ' ')"
echo "check-static: ok: $version, $target, static ($ldd_out), no OpenSSL, $size bytes" >&2
printf '%s\n' "$bin"

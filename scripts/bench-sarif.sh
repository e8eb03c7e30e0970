#!/usr/bin/env bash
# SARIF benchmark: `shipgate sarif validate` and `merge` on a generated 50,000-result,
# 800-rule SARIF file of about 43 MB, side by side with Sarif.Multitool (validate, merge) and
# sarif-tools (`sarif summary`) on the same file in the same run. Results: one JSON line per
# command in bench-data/sarif-results.jsonl (wall seconds, peak RSS).
#
#   scripts/bench-sarif.sh              everything (Sarif.Multitool validate takes minutes)
#   SKIP_PEERS=1 scripts/bench-sarif.sh   shipgate only
#   SKIP_BUILD=1 scripts/bench-sarif.sh   the release binary as built (under CARGO_TARGET_DIR)
#
# shipgate's validate uses two threads (reading and splitting on one, checking results on
# the other); the peers use what they use.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=$ROOT/bench-data
TOOLS=$ROOT/.cache/bench-tools
RESULTS=$DATA/sarif-results.jsonl
mkdir -p "$DATA"

# SKIP_BUILD=1 measures the release binary already built.
[ "${SKIP_BUILD:-0}" = 1 ] || cargo build --release --locked --bin shipgate >&2
BIN=${CARGO_TARGET_DIR:-$ROOT/target}/release/shipgate
[ -f "$DATA/bench.sarif" ] || python3 scripts/bench/gen_sarif.py "$DATA/bench.sarif"
ls -l "$DATA/bench.sarif" >&2

if [ "${SKIP_PEERS:-0}" != 1 ]; then
  MT=$(scripts/setup-test-tools.sh)
  if [ ! -x "$TOOLS/sarif-venv/bin/sarif" ]; then
    python3 -m venv "$TOOLS/sarif-venv"
    # Every download checked against its SHA-256 (scripts/bench/requirements-sarif-tools.txt).
    "$TOOLS/sarif-venv/bin/pip" install -q --require-hashes --only-binary=:all: \
      -r scripts/bench/requirements-sarif-tools.txt
  fi
fi

: > "$RESULTS"
measure() { python3 scripts/bench/measure.py "$@" | tee -a "$RESULTS"; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

measure "cat bench.sarif" -- cat "$DATA/bench.sarif"
for i in 1 2 3; do
  measure "shipgate sarif validate" -- "$BIN" sarif validate "$DATA/bench.sarif"
  measure "shipgate sarif merge" -- "$BIN" sarif merge "$DATA/bench.sarif" -o "$OUT/shipgate-merged.sarif" --root "$OUT"
done
if [ "${SKIP_PEERS:-0}" != 1 ]; then
  export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1
  measure "sarif-tools sarif summary" -- "$TOOLS/sarif-venv/bin/sarif" summary "$DATA/bench.sarif"
  measure "Sarif.Multitool merge" -- "$MT" merge "$DATA/bench.sarif" --output-directory "$OUT" --output-file mt-merged.sarif
  # Its default skips files over 10 MB.
  measure "Sarif.Multitool validate" -- "$MT" validate --max-file-size-in-kb 1000000 -o "$OUT/mt-validate.sarif" "$DATA/bench.sarif"
fi
python3 - "$RESULTS" "$DATA/bench.sarif" <<'PY'
import json, os, sys
size = os.path.getsize(sys.argv[2]) / 1e6
print(f"\n{size:.1f} MB input")
for line in open(sys.argv[1]):
    r = json.loads(line)
    print(f"{r['label']:<28} {r['seconds']:>8.2f} s {size / max(r['seconds'], 1e-3):>8.1f} MB/s {r['peak_rss_kib'] / 1024:>8.0f} MiB  exit {r['exit']}")
PY

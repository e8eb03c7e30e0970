#!/usr/bin/env bash
# Throughput and peak memory of shipgate's parsers on large generated inputs, side by side with
# peers run on the same files in the same run. Pinned to one core (taskset -c 0).
#
#   scripts/bench.sh            generate inputs (bench-data/), install peers (.cache/bench-tools/), measure
#   SKIP_PEERS=1 scripts/bench.sh   shipgate only
#
# Inputs (examples/gen_bench.rs, deterministic): a Cobertura file of 5,000 source files
# (~218 MB), the same coverage as LCOV (~84 MB), and a JUnit file of 100,000 test cases.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=$ROOT/bench-data
TOOLS=$ROOT/.cache/bench-tools
CORE="taskset -c 0"
RESULTS=$DATA/results.jsonl

cargo build --release --locked --example gen_bench --bin shipgate >&2
if [ ! -f "$DATA/expected.json" ]; then
  ./target/release/examples/gen_bench "$DATA"
fi
BIN=$ROOT/target/release/shipgate

if [ "${SKIP_PEERS:-0}" != 1 ]; then
  if [ ! -x "$TOOLS/venv/bin/diff-cover" ]; then
    python3 -m venv "$TOOLS/venv"
    "$TOOLS/venv/bin/pip" install -q --require-hashes --no-deps -r scripts/bench/requirements.txt
  fi
  if [ ! -d "$TOOLS/node/node_modules/lcov-parse" ]; then
    mkdir -p "$TOOLS/node"
    # npm ci installs exactly scripts/bench/node/package-lock.json, integrity hashes checked.
    cp scripts/bench/node/package.json scripts/bench/node/package-lock.json "$TOOLS/node/"
    (cd "$TOOLS/node" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
  # diff-cover wants a git diff: a throwaway repository whose one change touches a file the
  # coverage report names; it still parses the whole report.
  DC=$DATA/diff-cover-repo
  if [ ! -d "$DC/.git" ]; then
    mkdir -p "$DC/src/pkg0"
    (cd "$DC" && git init -q -b base && printf 'a = 1\n' > src/pkg0/module_0.py \
      && git add -A && git -c user.name=b -c user.email=b@b commit -qm base \
      && git checkout -q -b change && seq 1 40 | sed 's/^/x = /' >> src/pkg0/module_0.py \
      && git -c user.name=b -c user.email=b@b commit -qam change)
  fi
fi

: > "$RESULTS"
measure() { python3 scripts/bench/measure.py "$@" | tee -a "$RESULTS"; }


for f in cobertura.xml lcov.info junit.xml; do
  measure "cat $f" -- $CORE cat "$DATA/$f"
  for i in 1 2 3 4 5; do
    measure "shipgate $f" -- $CORE "$BIN" inspect --json --root "$DATA" "$DATA/$f"
  done
done
if [ "${SKIP_PEERS:-0}" != 1 ]; then
  measure "diff-cover cobertura.xml" --cwd "$DATA/diff-cover-repo" -- $CORE "$TOOLS/venv/bin/diff-cover" "$DATA/cobertura.xml" --compare-branch=base
  measure "pycobertura cobertura.xml" -- $CORE "$TOOLS/venv/bin/pycobertura" show "$DATA/cobertura.xml"
  measure "lcov-parse lcov.info" -- $CORE env NODE_PATH="$TOOLS/node/node_modules" node "$ROOT/scripts/bench/lcov_parse.js" "$DATA/lcov.info"
  measure "junitparser junit.xml" -- $CORE "$TOOLS/venv/bin/python" -c \
    "import sys; from junitparser import JUnitXml; x = JUnitXml.fromfile(sys.argv[1]); print(sum(1 for s in x for c in s))" "$DATA/junit.xml"
fi

# Totals shipgate printed against what the generator wrote, then a table.
python3 - "$DATA" "$BIN" <<'PY'
import json, os, subprocess, sys
data, binary = sys.argv[1], sys.argv[2]
exp = json.load(open(os.path.join(data, "expected.json")))
for f, want in exp.items():
    out = json.loads(subprocess.run([binary, "inspect", "--json", "--root", data, os.path.join(data, f)],
                                    capture_output=True, text=True, check=True).stdout)
    got = out.get("coverage") or out.get("tests")
    bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
    print(f"check {f}: " + ("totals equal the generator's" if not bad else f"MISMATCH {bad}"))
rows = [json.loads(l) for l in open(os.path.join(data, "results.jsonl"))]
best = {}
for r in rows:
    if r["exit"] != 0:
        print(f"{r['label']}: exit {r['exit']}: {r['stderr']}")
        continue
    if r["label"] not in best or r["seconds"] < best[r["label"]]["seconds"]:
        best[r["label"]] = r
print(f"\n{'command (one core)':32} {'MB':>7} {'seconds':>8} {'MB/s':>8} {'peak RSS MB':>12} {'RSS/input':>10}")
for label, r in best.items():
    name = label.split()[-1]
    size = os.path.getsize(os.path.join(data, name)) / 1e6
    rss = r["peak_rss_kib"] / 1024
    print(f"{label:32} {size:7.1f} {r['seconds']:8.3f} {size / r['seconds']:8.0f} {rss:12.1f} {rss / size:9.0%}")
PY

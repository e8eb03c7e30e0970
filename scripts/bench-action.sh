#!/usr/bin/env bash
# The cost of the whole Action step, next to a Python-based and a Node-based peer doing
# comparable work (read a coverage report and a JUnit report, print totals).
#
#   scripts/bench-action.sh [RUNS]      (default 20 runs each; hyperfine when installed)
#
# shipgate: the action's own step script (extracted from action.yml) run by bash as the runner
# runs it: launcher → SHA-256 of the binary against SHA256SUMS → exec → gate over the example
# reports (coverage.py Cobertura, pytest JUnit, Ruff, mypy, Pylint, metrics), with
# GITHUB_OUTPUT and GITHUB_STEP_SUMMARY written, and the verdict published (`publish: "true"`:
# check run in_progress then completed with annotations, the PR comment, the changed lines of
# the pull request from the API) to the test GitHub server (testserver/'s `shipgate-testserver`
# bin, a debug build, on 127.0.0.1: no network latency, so a floor for publishing). Also the
# same step without publishing, and the launcher alone (`--version`).
# Python peer: junitparser + pycobertura (PyPI, hashes pinned in scripts/bench/requirements.txt)
# on the same two files, run alone, and with the per-run install a Python action pays (a fresh
# venv and pip install of the same wheels from a local directory: no network, so a floor).
# Node peer: junit2json + fast-xml-parser (npm, integrity-checked) on the same files, as a
# bundled JavaScript action runs it (no install per run).
#
# Numbers on a shared 2-core machine are noisy; the script prints hyperfine's mean ± σ.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
RUNS="${1:-20}"
WORK="$ROOT/bench-data/action"
TOOLS="$ROOT/.cache/bench-tools"
rm -rf "$WORK"
mkdir -p "$WORK"

# The binary the Action ships: the static release build (built when missing or stale).
BIN="$(scripts/check-static.sh | tail -n 1)"
BIN="$(cd "$(dirname "$BIN")" && pwd)/shipgate"

# The action as a release lays it out: action.yml, dist/launcher.sh, the binary, SHA256SUMS.
ACTION="$WORK/action"
mkdir -p "$ACTION/dist"
cp action.yml "$ACTION/"
cp dist/launcher.sh "$ACTION/dist/"
cp "$BIN" "$ACTION/dist/shipgate-linux-x64"
(cd "$ACTION/dist" && sha256sum shipgate-linux-x64 >SHA256SUMS)
# The step's run: block, dedented (the YAML literal block under `run: |`).
awk '/^      run: \|$/ { f = 1; next }
     f && /^        / { sub(/^        /, ""); print; next }
     f && /^$/ { print; next }
     f { exit }' action.yml >"$WORK/step.sh"
grep -q 'launcher.sh' "$WORK/step.sh"

# The workspace: the example's reports.
WS="$WORK/workspace"
mkdir -p "$WS"
cp tests/fixtures/real/coverage-py/coverage.xml tests/fixtures/real/pytest/junit.xml \
  tests/fixtures/real/ruff/ruff.json tests/fixtures/real/mypy/mypy.json \
  tests/fixtures/real/pylint/pylint.json examples/metrics.json "$WS/"
# The test GitHub server, seeded by its bin with octo/app, a pull request and the token ghs_test.
cargo build --quiet -p shipgate-testserver --bin shipgate-testserver
TS_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/shipgate-testserver"
"$TS_BIN" >"$WORK/testserver.url" 2>"$WORK/testserver.log" &
TS_PID=$!
trap 'kill "$TS_PID" 2>/dev/null || true' EXIT
for _ in $(seq 200); do
  if [ -s "$WORK/testserver.url" ] && grep -q 'pull request #' "$WORK/testserver.log"; then break; fi
  sleep 0.1
done
API="$(head -n 1 "$WORK/testserver.url")"
PR="$(sed -n 's/.*pull request #\([0-9]*\).*/\1/p' "$WORK/testserver.log" | head -n 1)"
curl -fsS -H 'Authorization: Bearer ghs_test' "$API/repos/octo/app/pulls/$PR" >"$WORK/pull.json"
HEAD_SHA="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["head"]["sha"])' "$WORK/pull.json")"
python3 - "$WORK/pull.json" "$WORK/event.json" <<'PY'
import json, sys
pr = json.load(open(sys.argv[1]))
event = {"action": "opened", "number": pr["number"], "pull_request": pr,
         "repository": {"full_name": "octo/app", "default_branch": "main"}}
json.dump(event, open(sys.argv[2], "w"))
PY
cat >"$WORK/step-env.sh" <<EOF
export GITHUB_ACTIONS=true GITHUB_WORKSPACE="$WS" GITHUB_ACTION_PATH="$ACTION"
export GITHUB_OUTPUT="$WORK/output" GITHUB_STEP_SUMMARY="$WORK/summary"
export GITHUB_EVENT_NAME=pull_request GITHUB_REF=refs/pull/$PR/merge RUNNER_OS=Linux RUNNER_ARCH=X64
export GITHUB_EVENT_PATH="$WORK/event.json" GITHUB_REPOSITORY=octo/app GITHUB_SHA=$HEAD_SHA
export GITHUB_API_URL="$API" GITHUB_SERVER_URL="$API"
export SHIPGATE_COMMAND=gate SHIPGATE_WORKING_DIRECTORY=. SHIPGATE_LOG=warn
export INPUT_CONFIG= INPUT_ENVIRONMENT= INPUT_COVERAGE=coverage.xml INPUT_TESTS=junit.xml
export INPUT_FINDINGS=\$'ruff.json\nmypy.json\npylint.json' INPUT_SECURITY= INPUT_DOCUMENTATION=
export INPUT_METRICS=metrics.json INPUT_REPORT=report.json INPUT_SARIF=shipgate.sarif INPUT_CATEGORY=
export INPUT_MIN_SEVERITY= INPUT_PUBLISH=true INPUT_TOKEN=ghs_test
EOF
# The gate fails on purpose on these reports (exit 1): the step's cost is what is measured.
cat >"$WORK/run-step.sh" <<EOF
. "$WORK/step-env.sh"
cd "$WS"
: >"$WORK/output"; : >"$WORK/summary"
bash --noprofile --norc -eo pipefail "$WORK/step.sh" >/dev/null 2>&1 || [ \$? -eq 1 ]
EOF
cat >"$WORK/run-step-local.sh" <<EOF
. "$WORK/step-env.sh"
export INPUT_PUBLISH=false INPUT_TOKEN=
cd "$WS"
: >"$WORK/output"; : >"$WORK/summary"
bash --noprofile --norc -eo pipefail "$WORK/step.sh" >/dev/null 2>&1 || [ \$? -eq 1 ]
EOF
bash "$WORK/run-step.sh"
grep -q '^passed<<' "$WORK/output"
grep -q '^check-run-id<<' "$WORK/output" || { echo "bench: the step did not publish (see $WORK/testserver.log)" >&2; exit 1; }
echo "shipgate step: $(grep -A1 '^summary<<' "$WORK/output" | tail -n 1); check run $(grep -A1 '^check-run-url<<' "$WORK/output" | tail -n 1)" >&2
bash "$WORK/run-step-local.sh"
if grep -q '^check-run-id<<' "$WORK/output"; then echo "bench: the local step published" >&2; exit 1; fi

# Peers.
if [ ! -x "$TOOLS/venv/bin/python" ] || ! "$TOOLS/venv/bin/python" -c 'import junitparser, pycobertura' 2>/dev/null; then
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --require-hashes --no-deps -r scripts/bench/requirements.txt
fi
WHEELS="$TOOLS/wheels"
if [ ! -d "$WHEELS" ]; then
  "$TOOLS/venv/bin/pip" download -q --require-hashes --no-deps -r scripts/bench/requirements.txt -d "$WHEELS"
fi
if [ ! -d "$TOOLS/node-junit/node_modules/junit2json" ]; then
  mkdir -p "$TOOLS/node-junit"
  # npm ci installs exactly scripts/bench/node/package-lock.json, integrity hashes checked.
  cp scripts/bench/node/package.json scripts/bench/node/package-lock.json "$TOOLS/node-junit/"
  (cd "$TOOLS/node-junit" && npm ci --silent --no-audit --no-fund >/dev/null)
fi
cat >"$WORK/peer.py" <<'PY'
import sys
from junitparser import JUnitXml
from pycobertura import Cobertura
cov = Cobertura(sys.argv[1])
tests = JUnitXml.fromfile(sys.argv[2])
cases = [c for s in tests for c in s]
failed = sum(1 for c in cases if c.result and c.result[0]._tag in ("failure", "error"))
print(f"coverage {cov.line_rate() * 100:.2f}% tests {len(cases)} failed {failed}")
PY
cat >"$WORK/peer.mjs" <<'JS'
import { readFileSync } from "node:fs";
import { parse } from "junit2json";
import { XMLParser } from "fast-xml-parser";
const cov = new XMLParser({ ignoreAttributes: false }).parse(readFileSync(process.argv[2], "utf8"));
const junit = await parse(readFileSync(process.argv[3], "utf8"));
let total = 0, failed = 0;
const walk = (s) => {
  for (const c of s.testcase ?? []) { total++; if (c.failure || c.error) failed++; }
  for (const t of s.testsuite ?? []) walk(t);
};
walk(junit);
const rate = Number(cov.coverage["@_line-rate"]) * 100;
console.log(`coverage ${rate.toFixed(2)}% tests ${total} failed ${failed}`);
JS
cp "$WORK/peer.mjs" "$TOOLS/node-junit/peer.mjs"
echo "python peer: $("$TOOLS/venv/bin/python" "$WORK/peer.py" "$WS/coverage.xml" "$WS/junit.xml")" >&2
echo "node peer:   $(node "$TOOLS/node-junit/peer.mjs" "$WS/coverage.xml" "$WS/junit.xml")" >&2
cat >"$WORK/python-install-and-run.sh" <<EOF
rm -rf "$WORK/pyvenv"
python3 -m venv "$WORK/pyvenv"
"$WORK/pyvenv/bin/pip" install -q --disable-pip-version-check --no-index --find-links "$WHEELS" \\
  --require-hashes --no-deps -r "$ROOT/scripts/bench/requirements.txt"
"$WORK/pyvenv/bin/python" "$WORK/peer.py" "$WS/coverage.xml" "$WS/junit.xml" >/dev/null
EOF

cmds=(
  "bash $WORK/run-step.sh"
  "bash $WORK/run-step-local.sh"
  "env RUNNER_OS=Linux RUNNER_ARCH=X64 GITHUB_ACTION_PATH=$ACTION bash $ACTION/dist/launcher.sh --version"
  "$TOOLS/venv/bin/python $WORK/peer.py $WS/coverage.xml $WS/junit.xml"
  "bash $WORK/python-install-and-run.sh"
  "node $TOOLS/node-junit/peer.mjs $WS/coverage.xml $WS/junit.xml"
)
names=(
  "shipgate: whole step (launcher, SHA-256, gate on 6 reports, publish to the local test server)"
  "shipgate: the same step without publishing"
  "shipgate: launcher + SHA-256 + --version"
  "python: junitparser + pycobertura (installed)"
  "python: venv + pip install (local wheels) + run"
  "node: junit2json + fast-xml-parser (bundled)"
)
if command -v hyperfine >/dev/null 2>&1; then
  args=()
  for i in "${!cmds[@]}"; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$WORK/results.md" "${args[@]}" >&2
  cat "$WORK/results.md"
else
  for i in "${!cmds[@]}"; do
    start=$(date +%s%N)
    for _ in $(seq "$RUNS"); do ${cmds[$i]} >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    printf '%s: %d ms mean over %d runs\n' "${names[$i]}" $(((end - start) / RUNS / 1000000)) "$RUNS"
  done
fi
printf 'binary: %s bytes (%s)\n' "$(wc -c <"$BIN" | tr -d ' ')" "$BIN"
printf 'test server: %s check runs on the head commit (all runs), %s OpenAPI violations\n' \
  "$(curl -fsS -H 'Authorization: Bearer ghs_test' "$API/repos/octo/app/commits/$HEAD_SHA/check-runs?filter=all" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_count"])')" \
  "$(grep -c '^violation' "$WORK/testserver.log" || true)"

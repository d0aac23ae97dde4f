#!/usr/bin/env bash
# ScriptForge Apps benchmark (part of `make bench`, or `make bench-apps` alone): one runner on 127.0.0.1
# with an embedded PostgreSQL serving a bench App; bench/AppBench.java drives two AppWebsocket sessions.
# Measures SqlExec of 10,000 rows (rows/s; the runner's peak heap, sampled with jstat) and the SqlMonitor
# notification latency between two sessions (p50/p99). Writes bench/results/apps.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RESULTS=$ROOT/bench/results
APP_PORT=${APP_PORT:-18090}
BENCH_ROWS=${BENCH_ROWS:-10000}
RUNNER_DIR=${BENCH_RUNNER_DIR:-function-runner/target}
RUN_JAR=$RUNNER_DIR/quarkus-app/quarkus-run.jar
JVM_ARGS=$RUNNER_DIR/jvm.args

die() { printf 'bench-apps: error: %s\n' "$*" >&2; exit 1; }
[[ $APP_PORT =~ ^[0-9]+$ && $BENCH_ROWS =~ ^[0-9]+$ ]] || die "APP_PORT and BENCH_ROWS must be whole numbers"
command -v java >/dev/null && command -v jstat >/dev/null || die "java and jstat (a JDK >= 21) must be on PATH: run through 'make bench'"
[[ -f $RUN_JAR && -f $JVM_ARGS ]] || die "$RUN_JAR is missing: build the runner first ('make bench' does)"
(exec 3<>"/dev/tcp/127.0.0.1/$APP_PORT") 2>/dev/null && die "port $APP_PORT is in use: set APP_PORT"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scriptforge-bench-apps.XXXXXX")
mkdir -p "$WORK/apps" "$RESULTS"
RUNNER_PID= JSTAT_PID=
cleanup() {
    local rc=$?
    [[ -n $JSTAT_PID ]] && kill "$JSTAT_PID" 2>/dev/null || true
    if [[ -n $RUNNER_PID ]]; then
        kill -TERM "$RUNNER_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$RUNNER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$RUNNER_PID" 2>/dev/null || true
        wait "$RUNNER_PID" 2>/dev/null || true
    fi
    ((rc == 0)) || { echo "bench-apps: failed (exit $rc); the runner's log:" >&2; tail -n 30 "$WORK/runner.log" >&2 || true; }
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT

cat >"$WORK/apps/bench.yaml" <<'YAML'
apiVersion: v1
kind: Secret
metadata: {name: bench-secret}
stringData: {password: bench}
---
apiVersion: scriptforge.io/v1alpha1
kind: App
metadata: {name: bench}
spec:
  domain: example.com
  passwordSecretRef: {name: bench-secret, key: password}
  database:
    init:
      - {cmd: table, name: rows, init: [
          {cmd: column, name: id, type: BIGSERIAL PRIMARY KEY},
          {cmd: column, name: n, type: BIGINT},
          {cmd: column, name: text, type: TEXT}]}
      - {cmd: statement, name: count, query: "SELECT count(*) AS n FROM rows", args: []}
      - {cmd: statement, name: fill, query: "INSERT INTO rows (n, text) SELECT g, md5(g::text) FROM generate_series(1, %i) g",
         args: [{name: count, type: int}]}
      - {cmd: statement, name: all, query: "SELECT id, n, text FROM rows ORDER BY id LIMIT %i", args: [{name: limit, type: int}]}
      - {cmd: statement, name: add, query: "INSERT INTO rows (n, text) VALUES (0, %s)", args: [{name: text, type: string}], monitor: rows}
YAML

echo "bench-apps: starting the runner on 127.0.0.1:$APP_PORT (embedded PostgreSQL)"
CONTROL_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n') # the runner's control API (GET /v1/apps)
SCRIPTFORGE_CONTROL_TOKEN=$CONTROL_TOKEN java @"$JVM_ARGS" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$APP_PORT" -Dscriptforge.dir="$WORK/apps" \
    -Dscriptforge.database.embedded-dir="$WORK/pgdata" -jar "$RUN_JAR" >"$WORK/runner.log" 2>&1 &
RUNNER_PID=$!
for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$APP_PORT/q/health/ready" || true) == 200 ]] && break
    kill -0 "$RUNNER_PID" 2>/dev/null || die "the runner exited"
    sleep 0.2
done
apps=$(curl -s -H "Authorization: Bearer $CONTROL_TOKEN" "http://127.0.0.1:$APP_PORT/v1/apps")
[[ $apps == *'"ready":true'* ]] || die "the bench App is not served: $apps"

# Used heap (survivors + eden + old, KiB) every 50 ms while the client runs.
jstat -gc "$RUNNER_PID" 50 >"$WORK/jstat.txt" 2>/dev/null &
JSTAT_PID=$!
java -Drows="$BENCH_ROWS" bench/AppBench.java "$APP_PORT" | tee "$WORK/client.txt"
kill "$JSTAT_PID" 2>/dev/null || true
JSTAT_PID=

peak_mib=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { used = $3 + $4 + $6 + $8; if (used > max) max = used } END { printf "%.0f", max / 1024 }' "$WORK/jstat.txt")
start_mib=$(awk 'NR == 2 { printf "%.0f", ($3 + $4 + $6 + $8) / 1024 }' "$WORK/jstat.txt")
# The old generation alone: what survives collections, so what a result held whole in memory would grow.
old_start_mib=$(awk 'NR == 2 { printf "%.0f", $8 / 1024 }' "$WORK/jstat.txt")
old_peak_mib=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { if ($8 > max) max = $8 } END { printf "%.0f", max / 1024 }' "$WORK/jstat.txt")
exec_line=$(grep '^RESULT exec_rows' "$WORK/client.txt")
monitor_line=$(grep '^RESULT monitor_samples' "$WORK/client.txt")
value() { sed -E "s/.*$1=([0-9.]+).*/\1/" <<<"$2"; }
{
    echo "# Apps benchmark ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
    echo
    echo "One runner with an embedded PostgreSQL; the client (bench/AppBench.java) and the server on 127.0.0.1."
    echo "Each SqlRow is one WebSocket message, streamed at the client's pace."
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| SqlExec of $(value exec_rows "$exec_line") rows: rows/s, median of $(value exec_runs "$exec_line") runs | $(value rows_per_s_median "$exec_line") (min $(value rows_per_s_min "$exec_line"), max $(value rows_per_s_max "$exec_line")) |"
    echo "| runner's used heap: when the client started, and the peak during the run (jstat, 50 ms samples; young garbage included) | ${start_mib} MiB, peak ${peak_mib} MiB |"
    echo "| runner's old generation (what survives collections): at start, and its peak | ${old_start_mib} MiB, peak ${old_peak_mib} MiB |"
    echo "| SqlMonitor notification latency, insert → SqlUpdate on another session: p50 | $(value p50_ms "$monitor_line") ms |"
    echo "| same: p99 ($(value monitor_samples "$monitor_line") samples) | $(value p99_ms "$monitor_line") ms |"
} | tee "$RESULTS/apps.md"

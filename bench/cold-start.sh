#!/usr/bin/env bash
# Cold start of a new runner process, as the autoscaler adds one under load: the time from process start
# to /q/health/ready, then wrk at once (the first seconds after ready), and again once the same process is
# warm; with the warm-up off and on, interleaved. See bench/README.md ("Cold start").
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH=$ROOT/bench
RESULTS=$BENCH/results
RAW=$RESULTS/raw/cold-start
LOGS=$RESULTS/logs/cold-start
HOST=127.0.0.1

# ---- knobs ---------------------------------------------------------------------------------
COLD_RUNS=${COLD_RUNS:-3}
COLD_SECONDS=${COLD_SECONDS:-10}
COLD_WARM_SECONDS=${COLD_WARM_SECONDS:-30}
COLD_THREADS=${COLD_THREADS:-2}
COLD_CONNECTIONS=${COLD_CONNECTIONS:-16}
COLD_TARGETS=${COLD_TARGETS:-hello fib20}
COLD_MODES=${COLD_MODES:-off on}
COLD_START_TIMEOUT=${COLD_START_TIMEOUT:-240}
COLD_JAVA_OPTS=${COLD_JAVA_OPTS:-}
SF_PORT=${SF_PORT:-18090}
RUNNER_DIR=${BENCH_RUNNER_DIR:-function-runner/target}
RUN_JAR=$RUNNER_DIR/quarkus-app/quarkus-run.jar
JVM_ARGS=$RUNNER_DIR/jvm.args
HELLO_UUID=7f0c5a4e-3b1d-4c2a-9e8f-1a2b3c4d5e6f

say() { printf '%s\n' "$*"; }
warn() { printf 'cold-start: warning: %s\n' "$*" >&2; }
die() { printf 'cold-start: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

for knob in COLD_RUNS COLD_SECONDS COLD_WARM_SECONDS COLD_THREADS COLD_CONNECTIONS COLD_START_TIMEOUT SF_PORT; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number, not '${!knob}'"
done
((COLD_RUNS >= 1 && COLD_SECONDS >= 1 && COLD_CONNECTIONS >= COLD_THREADS && COLD_THREADS >= 1)) \
    || die "need COLD_RUNS >= 1, COLD_SECONDS >= 1 and COLD_CONNECTIONS >= COLD_THREADS >= 1"
read -ra TARGETS <<<"$COLD_TARGETS"
read -ra MODES <<<"$COLD_MODES"
read -ra JAVA_EXTRA <<<"$COLD_JAVA_OPTS"
for mode in "${MODES[@]}"; do [[ $mode == on || $mode == off ]] || die "COLD_MODES takes on and off, not '$mode'"; done
for target in "${TARGETS[@]}"; do
    [[ $target == hello || -f $BENCH/functions/$target.js ]] || die "no target '$target': hello, or a bench/functions/*.js name"
done

need_wrk
command -v curl >/dev/null 2>&1 || die "curl not found: install curl"
command -v java >/dev/null 2>&1 || die "java not found: run with the JDK make selects (JAVA_HOME=\$(hack/find-jdk.sh))"
[[ -f $RUN_JAR && -f $JVM_ARGS ]] || die "$RUN_JAR or $JVM_ARGS is missing: build the runner first (make build)"
(exec 3<>"/dev/tcp/$HOST/$SF_PORT") 2>/dev/null && die "port $SF_PORT on $HOST is in use: set SF_PORT"

mkdir -p "$RESULTS"
rm -rf "$RAW" "$LOGS"
mkdir -p "$RAW" "$LOGS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scriptforge-cold.XXXXXX")
RUNNER_PID=''

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_runner
    rm -rf "$WORK"
    ((rc == 0)) || printf 'cold-start: failed (exit %s); runner logs in %s\n' "$rc" "${LOGS#"$ROOT"/}" >&2
    exit "$rc"
}
stop_runner() {
    [[ -n $RUNNER_PID ]] || return 0
    kill -TERM "$RUNNER_PID" 2>/dev/null || true
    local deadline=$((SECONDS + 15))
    while kill -0 "$RUNNER_PID" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    kill -KILL "$RUNNER_PID" 2>/dev/null || true
    wait "$RUNNER_PID" 2>/dev/null || true
    RUNNER_PID=''
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- the Scripts: examples/hello.yaml as it is, and each other target as a type script --------
mkdir -p "$WORK/scripts"
cp examples/hello.yaml "$WORK/scripts/hello.yaml"
declare -A UUID=([hello]=$HELLO_UUID)
i=0
for target in "${TARGETS[@]}"; do
    [[ $target == hello ]] && continue
    i=$((i + 1))
    UUID[$target]=$(printf '00000000-0000-4000-8000-00000000c%03d' "$i")
    {
        printf 'apiVersion: scriptforge.io/v1alpha1\nkind: Script\nmetadata: {name: cold-%s, namespace: default}\n' "$target"
        printf 'spec:\n  type: script\n  uuid: %s\n  timeout: 10s\n  vars: {name: World}\n  code: |\n' "${UUID[$target]}"
        sed -e 's/\r$//' -e 's/^/    /' "$BENCH/functions/$target.js"
    } >"$WORK/scripts/$target.yaml"
done

url_of() { printf 'http://%s:%s/v1/invoke/%s' "$HOST" "$SF_PORT" "${UUID[$1]}"; }

wrk_to() { # target seconds out
    wrk -t"$COLD_THREADS" -c"$COLD_CONNECTIONS" -d"$2s" --timeout 10s --latency -s "$BENCH/post.lua" "$(url_of "$1")" >"$3" 2>&1 \
        || die "wrk failed against $1: $(tail -n 5 "$3")"
}

# one_process target mode run: a fresh runner; start -> ready, the first COLD_SECONDS after ready, warm.
declare -A READY=() COLD_RPS=() COLD_P50=() COLD_P99=() WARM_RPS=() WARM_P50=() WARM_P99=() WARMUP_LINE=() LOAD=()
one_process() {
    local target=$1 mode=$2 run=$3 key="$1/$2" log t0 t_ready code name=$1-$2-run$3
    log=$LOGS/$name.log
    # The machine's 1-minute load average as the run starts: other work on the same cores shows in every figure.
    local load
    load=$(cut -d' ' -f1 /proc/loadavg)
    LOAD[$key]+="$load "
    now_us t0
    java "@$JVM_ARGS" "-Dquarkus.http.port=$SF_PORT" "-Dquarkus.http.host=$HOST" "-Dscriptforge.dir=$WORK/scripts" \
        "-Dscriptforge.warmup.enabled=$([[ $mode == on ]] && echo true || echo false)" "${JAVA_EXTRA[@]}" -jar "$RUN_JAR" >"$log" 2>&1 &
    RUNNER_PID=$!
    while :; do
        kill -0 "$RUNNER_PID" 2>/dev/null || { tail -n 30 "$log" >&2; die "the runner exited before it was ready"; }
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://$HOST:$SF_PORT/q/health/ready" 2>/dev/null || true)
        [[ $code == 200 ]] && break
        (((${EPOCHREALTIME/[.,]/} - t0) / 1000000 < COLD_START_TIMEOUT)) || die "not ready within ${COLD_START_TIMEOUT}s (see $log)"
        sleep 0.01
    done
    now_us t_ready
    wrk_to "$target" "$COLD_SECONDS" "$RAW/$name-first.txt"
    ((COLD_WARM_SECONDS == 0)) || wrk_to "$target" "$COLD_WARM_SECONDS" "$RAW/$name-warming.txt"
    wrk_to "$target" "$COLD_SECONDS" "$RAW/$name-warm.txt"
    stop_runner
    local rps p50 p99 errors ms
    ms=$(((t_ready - t0) / 1000))
    READY[$key]+="$ms "
    read -r rps p50 p99 errors < <(parse_wrk "$RAW/$name-first.txt") || die "cannot read $RAW/$name-first.txt"
    ((errors == 0)) || warn "$name: $errors errors in the first ${COLD_SECONDS}s"
    COLD_RPS[$key]+="$rps " COLD_P50[$key]+="$p50 " COLD_P99[$key]+="$p99 "
    local first="$rps $p50"
    read -r rps p50 p99 errors < <(parse_wrk "$RAW/$name-warm.txt") || die "cannot read $RAW/$name-warm.txt"
    WARM_RPS[$key]+="$rps " WARM_P50[$key]+="$p50 " WARM_P99[$key]+="$p99 "
    WARMUP_LINE[$key]=$(grep -oE 'warm-up: ([0-9,]+ invocations in .*|off .*)' "$log" | head -n 1 || true)
    read -r cold_rps cold_p50 <<<"$first"
    printf 'cold-start: %-6s warm-up %-3s run %d (load %s): ready after %6d ms; first %ds %8.0f req/s p50 %8.2f ms; warm %8.0f req/s p50 %6.2f ms\n' \
        "$target" "$mode" "$run" "$load" "$ms" "$COLD_SECONDS" "$cold_rps" "$cold_p50" "$rps" "$p50"
}

say "cold-start: ${#TARGETS[@]} target(s) × warm-up ${COLD_MODES} × ${COLD_RUNS} run(s), one fresh runner each;" \
    "wrk -t$COLD_THREADS -c$COLD_CONNECTIONS: ${COLD_SECONDS}s at ready, ${COLD_WARM_SECONDS}s more, ${COLD_SECONDS}s warm"
for ((run = 1; run <= COLD_RUNS; run++)); do
    for target in "${TARGETS[@]}"; do
        for mode in "${MODES[@]}"; do
            one_process "$target" "$mode" "$run"
        done
    done
done

# ---- report --------------------------------------------------------------------------------
m() { # list -> median
    # shellcheck disable=SC2086 # space-separated numbers
    median $1
}
paired() { # on-list off-list -> the median of the runs' on/off ratios, as "1.23×"
    local -a on off ratios=()
    read -ra on <<<"$1"
    read -ra off <<<"$2"
    for i in "${!on[@]}"; do ratios+=("$(awk -v a="${on[$i]}" -v b="${off[$i]}" 'BEGIN { print (b + 0 == 0) ? 0 : a / b }')"); done
    fmt "$(median "${ratios[@]}")" '%.2f×'
}
REPORT=$RESULTS/cold-start.md
{
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo none)
    git diff --quiet HEAD -- 2>/dev/null || commit+=" (dirty)"
    say "# Cold start of a runner: warm-up off and on"
    say
    say "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $commit; \`bench/cold-start.sh\`"
    say "- machine: $(uname -sm), $(nproc) CPU(s); wrk and the runner share them; $(java -version 2>&1 | head -n 1)"
    say "- each run: a fresh runner process in local mode (examples/hello.yaml and the bench functions as type script)," \
        "ready = first 200 of \`/q/health/ready\` (polled every 10 ms) after the process started;" \
        "then \`wrk -t$COLD_THREADS -c$COLD_CONNECTIONS -d${COLD_SECONDS}s --latency\` at once (**first ${COLD_SECONDS} s**)," \
        "${COLD_WARM_SECONDS} s more load, and the same wrk again (**warm**); medians of $COLD_RUNS run(s), modes interleaved"
    say
    say "| target | warm-up | start → ready ms | first ${COLD_SECONDS} s req/s | first p50 ms | first p99 ms | warm req/s | warm p50 ms | first/warm req/s |"
    say "|---|---|---:|---:|---:|---:|---:|---:|---:|"
    for target in "${TARGETS[@]}"; do
        for mode in "${MODES[@]}"; do
            k=$target/$mode
            say "| $target | $mode | $(fmt "$(m "${READY[$k]}")" '%.0f') | $(fmt "$(m "${COLD_RPS[$k]}")" '%.0f') |" \
                "$(fmt "$(m "${COLD_P50[$k]}")" '%.2f') | $(fmt "$(m "${COLD_P99[$k]}")" '%.2f') | $(fmt "$(m "${WARM_RPS[$k]}")" '%.0f') |" \
                "$(fmt "$(m "${WARM_P50[$k]}")" '%.2f') | $(ratio "$(m "${COLD_RPS[$k]}")" "$(m "${WARM_RPS[$k]}")") |"
        done
    done
    if [[ " ${MODES[*]} " == *" on "* && " ${MODES[*]} " == *" off "* ]]; then
        say
        say "Warm-up on over off: the ratio of the medians, then the median of each run's own ratio (its off and on"
        say "processes ran one after the other, so they shared the machine's state most closely):"
        say
        say "| target | start → ready | first ${COLD_SECONDS} s req/s | first p50 | warm req/s | first req/s, per run | first p50, per run |"
        say "|---|---:|---:|---:|---:|---:|---:|"
        for target in "${TARGETS[@]}"; do
            say "| $target | $(ratio "$(m "${READY[$target/on]}")" "$(m "${READY[$target/off]}")") |" \
                "$(ratio "$(m "${COLD_RPS[$target/on]}")" "$(m "${COLD_RPS[$target/off]}")") |" \
                "$(ratio "$(m "${COLD_P50[$target/on]}")" "$(m "${COLD_P50[$target/off]}")") |" \
                "$(ratio "$(m "${WARM_RPS[$target/on]}")" "$(m "${WARM_RPS[$target/off]}")") |" \
                "$(paired "${COLD_RPS[$target/on]}" "${COLD_RPS[$target/off]}") | $(paired "${COLD_P50[$target/on]}" "${COLD_P50[$target/off]}") |"
        done
    fi
    say
    say "Each run (the 1-minute load average as it started; start → ready ms; first and warm req/s):"
    say
    for target in "${TARGETS[@]}"; do
        for mode in "${MODES[@]}"; do
            k=$target/$mode
            say "- $target, warm-up $mode: load ${LOAD[$k]% }; ready ${READY[$k]% }; first $(for r in ${COLD_RPS[$k]}; do fmt "$r" '%.0f '; done| sed 's/ $//');" \
                "warm $(for r in ${WARM_RPS[$k]}; do fmt "$r" '%.0f '; done | sed 's/ $//')${WARMUP_LINE[$k]:+; last run logged \`${WARMUP_LINE[$k]}\`}"
        done
    done
} >"$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
say
cat "$REPORT"
say
say "cold-start: written to ${REPORT#"$ROOT"/}; wrk outputs in ${RAW#"$ROOT"/}, runner logs in ${LOGS#"$ROOT"/}"

#!/usr/bin/env bash
# ScriptForge HTTP benchmark (`make bench`): the runner's `script` and `worker` types against a
# Node.js `http` server running the same functions with node:vm (fresh and reused contexts),
# all in one run on 127.0.0.1 with wrk, so every figure comes with a ratio. See bench/README.md.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
BENCH=$ROOT/bench
RESULTS=$BENCH/results
RAW=$RESULTS/raw
LOGS=$RESULTS/logs
HOST=127.0.0.1

# ---- knobs ---------------------------------------------------------------------------------
BENCH_SECONDS=${BENCH_SECONDS:-10}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_WARMUP=${BENCH_WARMUP:-3}
# On a stock JDK the Graal compiler is itself Java bytecode that must be JIT-compiled first, so the
# runner needs tens of seconds of load before its figures settle: spread over its targets.
BENCH_JIT_WARMUP=${BENCH_JIT_WARMUP:-30}
BENCH_THREADS=${BENCH_THREADS:-2}
BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64}
BENCH_COLD_REPEATS=${BENCH_COLD_REPEATS:-5}
BENCH_FUNCTIONS=${BENCH_FUNCTIONS:-hello fib json}
BENCH_NODE_ONLY=${BENCH_NODE_ONLY:-0}
BENCH_NODE_WORKERS=${BENCH_NODE_WORKERS:-1}
BENCH_START_TIMEOUT=${BENCH_START_TIMEOUT:-120}
BENCH_SETTLE=${BENCH_SETTLE:-0.5}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
SF_PORT=${SF_PORT:-18080}
NODE_REUSED_PORT=${NODE_REUSED_PORT:-18081}
NODE_FRESH_PORT=${NODE_FRESH_PORT:-18082}

RUNNER_DIR=${BENCH_RUNNER_DIR:-function-runner/target}
RUN_JAR=$RUNNER_DIR/quarkus-app/quarkus-run.jar
JVM_ARGS=$RUNNER_DIR/jvm.args
BODY='{"name":"bench"}'

say() { printf '%s\n' "$*"; }
warn() { printf 'bench: warning: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source "$BENCH/lib.sh"

for knob in BENCH_SECONDS BENCH_RUNS BENCH_WARMUP BENCH_JIT_WARMUP BENCH_THREADS BENCH_CONNECTIONS BENCH_COLD_REPEATS \
            BENCH_NODE_WORKERS BENCH_START_TIMEOUT SF_PORT NODE_REUSED_PORT NODE_FRESH_PORT; do
    [[ ${!knob} =~ ^[0-9]+$ ]] || die "$knob must be a whole number, not '${!knob}'"
done
[[ $BENCH_SETTLE =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_SETTLE must be a number of seconds, not '$BENCH_SETTLE'"
((BENCH_SECONDS >= 1 && BENCH_RUNS >= 1 && BENCH_THREADS >= 1 && BENCH_CONNECTIONS >= BENCH_THREADS)) \
    || die "need BENCH_SECONDS >= 1, BENCH_RUNS >= 1 and BENCH_CONNECTIONS >= BENCH_THREADS >= 1"
[[ $BENCH_NODE_ONLY == 0 || $BENCH_NODE_ONLY == 1 ]] || die "BENCH_NODE_ONLY must be 0 or 1"
read -ra FUNCTIONS <<<"$BENCH_FUNCTIONS"
((${#FUNCTIONS[@]} > 0)) || die "BENCH_FUNCTIONS is empty"
for fn in "${FUNCTIONS[@]}"; do
    [[ $fn =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]] || die "function name '$fn' must be lower-case letters, digits and dashes"
    [[ -f $BENCH/functions/$fn.js ]] || die "no bench/functions/$fn.js (BENCH_FUNCTIONS='$BENCH_FUNCTIONS')"
done
read -ra JAVA_EXTRA <<<"$BENCH_JAVA_OPTS"

# ---- prerequisites -------------------------------------------------------------------------
need_wrk
command -v node >/dev/null 2>&1 || die "node not found: the Node.js peer needs Node.js >= 18 on PATH"
command -v curl >/dev/null 2>&1 || die "curl not found: install curl"
if [[ $BENCH_NODE_ONLY == 0 ]]; then
    command -v java >/dev/null 2>&1 || die "java not found: run through 'make bench', which sets JAVA_HOME and PATH"
    [[ -f $RUN_JAR ]] || die "$RUN_JAR is missing: build the runner first ('make bench' does)"
    [[ -f $JVM_ARGS ]] || die "$JVM_ARGS is missing: build the runner first ('make bench' does)"
fi

port_busy() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
PORTS=("$NODE_REUSED_PORT" "$NODE_FRESH_PORT")
[[ $BENCH_NODE_ONLY == 1 ]] || PORTS+=("$SF_PORT")
for p in "${PORTS[@]}"; do
    port_busy "$p" && die "port $p on $HOST is in use: stop what listens there, or set SF_PORT / NODE_REUSED_PORT / NODE_FRESH_PORT"
done
[[ $(printf '%s\n' "${PORTS[@]}" | sort -u | wc -l) == "${#PORTS[@]}" ]] || die "SF_PORT, NODE_REUSED_PORT and NODE_FRESH_PORT must differ"

# ---- work space and cleanup ----------------------------------------------------------------
mkdir -p "$RESULTS"
rm -rf "$RAW" "$LOGS"
mkdir -p "$RAW" "$LOGS"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scriptforge-bench.XXXXXX")
CONTROL_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n') # the runner's control API (GET /v1/scripts)
SCRIPTS=$WORK/scripts   # the runner's scriptforge.dir
STAGING=$WORK/staging   # same file system: new files are renamed into SCRIPTS in one step
mkdir -p "$SCRIPTS" "$STAGING"

declare -a PIDS=()
declare -A PID_NAME=()

cleanup() {
    local rc=$? pid deadline
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    deadline=$((SECONDS + 10))
    for pid in "${PIDS[@]}"; do
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            warn "${PID_NAME[$pid]} (pid $pid) ignored SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
    ((rc == 0)) || printf 'bench: failed (exit %s); server logs are in %s, wrk outputs in %s\n' "$rc" "${LOGS#"$ROOT"/}" "${RAW#"$ROOT"/}" >&2
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() { # name log command...
    local name=$1 log=$2
    shift 2
    "$@" >"$log" 2>&1 &
    PIDS+=("$!")
    PID_NAME[$!]=$name
    LAST_PID=$!
}

alive_or_die() { # pid
    kill -0 "$1" 2>/dev/null && return 0
    local log=$LOGS/${PID_NAME[$1]}.log
    printf 'bench: %s (pid %s) exited; the end of its log:\n' "${PID_NAME[$1]}" "$1" >&2
    tail -n 30 "$log" >&2 || true
    exit 1
}

# http_code VAR method url [body-file-out [max-seconds]]: the status (000 when unreachable), never fails.
http_code() {
    local -n _out=$1
    local method=$2 url=$3 body_out=${4:-/dev/null} max=${5:-5} args=()
    [[ $method == POST ]] && args=(-X POST -H 'Content-Type: application/json' --data-binary "$BODY")
    _out=$(curl -s -o "$body_out" -w '%{http_code}' --max-time "$max" "${args[@]}" "$url" 2>/dev/null) || true
    [[ -n $_out ]] || _out=000
}

wait_200() { # pid what method url
    local pid=$1 what=$2 method=$3 url=$4 code deadline=$((SECONDS + BENCH_START_TIMEOUT))
    while :; do
        alive_or_die "$pid"
        http_code code "$method" "$url"
        [[ $code == 200 ]] && return 0
        ((SECONDS < deadline)) || die "$what did not answer 200 within ${BENCH_START_TIMEOUT}s (last status $code; $method $url)"
        sleep 0.2
    done
}

# ---- targets -------------------------------------------------------------------------------
KINDS=(sf-script sf-worker node-reused node-fresh)
[[ $BENCH_NODE_ONLY == 1 ]] && KINDS=(node-reused node-fresh)
declare -A LABEL=([sf-script]="ScriptForge script" [sf-worker]="ScriptForge worker"
                  [node-reused]="Node vm reused" [node-fresh]="Node vm fresh")
declare -A UUID=()
i=0
for fn in "${FUNCTIONS[@]}"; do
    i=$((i + 1))
    UUID[$fn/sf-script]=$(printf '00000000-0000-4000-8000-%012d' $((i * 10 + 1)))
    UUID[$fn/sf-worker]=$(printf '00000000-0000-4000-8000-%012d' $((i * 10 + 2)))
done

url_of() { # fn kind
    case $2 in
        sf-*) printf 'http://%s:%s/v1/invoke/%s' "$HOST" "$SF_PORT" "${UUID[$1/$2]}" ;;
        node-reused) printf 'http://%s:%s/v1/invoke/%s' "$HOST" "$NODE_REUSED_PORT" "$1" ;;
        node-fresh) printf 'http://%s:%s/v1/invoke/%s' "$HOST" "$NODE_FRESH_PORT" "$1" ;;
    esac
}
pid_of_kind() { # kind -> the server process
    case $1 in sf-*) printf '%s' "$SF_PID" ;; node-reused) printf '%s' "$NODE_REUSED_PID" ;; node-fresh) printf '%s' "$NODE_FRESH_PID" ;; esac
}

# write_yaml file name type uuid code-file: one Script custom resource, as the runner reads it.
write_yaml() {
    local file=$1 name=$2 type=$3 uuid=$4 code=$5
    [[ $(grep -m1 -v '^[[:space:]]*$' "$code" || true) =~ ^[[:space:]] ]] \
        && die "$code: the first non-blank line must not be indented (it would break the YAML block scalar)"
    {
        printf 'apiVersion: scriptforge.io/v1alpha1\n'
        printf 'kind: Script\n'
        printf 'metadata:\n  name: %s\n  namespace: bench\n' "$name"
        printf 'spec:\n  type: %s\n  uuid: %s\n  timeout: 10s\n  vars:\n    name: World\n  code: |\n' "$type" "$uuid"
        sed -e 's/\r$//' -e 's/^/    /' "$code"
    } >"$file"
}

# ---- start the servers ---------------------------------------------------------------------
say "bench: ${#FUNCTIONS[@]} function(s) × ${#KINDS[@]} targets, ${BENCH_RUNS} run(s) of ${BENCH_SECONDS}s each" \
    "after ${BENCH_WARMUP}s warm-up (wrk -t${BENCH_THREADS} -c${BENCH_CONNECTIONS});" \
    "about $(((${#FUNCTIONS[@]} * ${#KINDS[@]} * (BENCH_RUNS * (BENCH_SECONDS + 1) + BENCH_WARMUP + 1) + 59) / 60)) min of load"

SF_PID='' NODE_REUSED_PID='' NODE_FRESH_PID=''
start node-reused "$LOGS/node-reused.log" node "$BENCH/node-vm-server.js" --host "$HOST" --port "$NODE_REUSED_PORT" --mode reused --workers "$BENCH_NODE_WORKERS"
NODE_REUSED_PID=$LAST_PID
start node-fresh "$LOGS/node-fresh.log" node "$BENCH/node-vm-server.js" --host "$HOST" --port "$NODE_FRESH_PORT" --mode fresh --workers "$BENCH_NODE_WORKERS"
NODE_FRESH_PID=$LAST_PID

if [[ $BENCH_NODE_ONLY == 0 ]]; then
    for fn in "${FUNCTIONS[@]}"; do
        for kind in sf-script sf-worker; do
            write_yaml "$SCRIPTS/bench-$fn-${kind#sf-}.yaml" "bench-$fn-${kind#sf-}" "${kind#sf-}" "${UUID[$fn/$kind]}" "$BENCH/functions/$fn.js"
        done
    done
    start runner "$LOGS/runner.log" env SCRIPTFORGE_CONTROL_TOKEN="$CONTROL_TOKEN" java "@$JVM_ARGS" \
        "-Dquarkus.http.port=$SF_PORT" -Dquarkus.http.host=$HOST "-Dscriptforge.dir=$SCRIPTS" \
        "${JAVA_EXTRA[@]}" -jar "$RUN_JAR"
    SF_PID=$LAST_PID
fi

say "bench: waiting for the servers"
wait_200 "$NODE_REUSED_PID" "Node vm reused server" GET "http://$HOST:$NODE_REUSED_PORT/"
wait_200 "$NODE_FRESH_PID" "Node vm fresh server" GET "http://$HOST:$NODE_FRESH_PORT/"
if [[ $BENCH_NODE_ONLY == 0 ]]; then
    t_start=$SECONDS
    wait_200 "$SF_PID" "ScriptForge runner readiness" GET "http://$HOST:$SF_PORT/q/health/ready"
    for fn in "${FUNCTIONS[@]}"; do
        for kind in sf-script sf-worker; do
            wait_200 "$SF_PID" "ScriptForge $fn (${kind#sf-}, ${UUID[$fn/$kind]})" POST "$(url_of "$fn" "$kind")"
        done
    done
    say "bench: runner ready after $((SECONDS - t_start))s"
fi

# ---- check that every target computes the same answer --------------------------------------
for fn in "${FUNCTIONS[@]}"; do
    http_code code POST "$(url_of "$fn" node-reused)" "$WORK/expected"
    [[ $code == 200 ]] || die "Node vm reused: $fn answered $code: $(head -c 300 "$WORK/expected")"
    for kind in "${KINDS[@]}"; do
        http_code code POST "$(url_of "$fn" "$kind")" "$WORK/got"
        [[ $code == 200 ]] || die "${LABEL[$kind]}: $fn answered $code: $(head -c 300 "$WORK/got")"
        cmp -s "$WORK/expected" "$WORK/got" \
            || warn "${LABEL[$kind]}: $fn answered '$(head -c 200 "$WORK/got")', Node vm reused '$(head -c 200 "$WORK/expected")'"
    done
    say "bench: $fn -> $(head -c 120 "$WORK/expected")"
done
case " ${FUNCTIONS[*]} " in *" hello "*)
    for kind in "${KINDS[@]}"; do
        got=$(curl -s --max-time 5 -X POST -H 'Content-Type: application/json' --data-binary '' "$(url_of hello "$kind")" || true)
        [[ $got == "Hello, World" ]] || warn "${LABEL[$kind]}: hello with an empty body answered '$got', not 'Hello, World' (vars default)"
    done
esac

# ---- load ----------------------------------------------------------------------------------
# run_wrk fn kind seconds out: wrk against one target; dies if wrk or the server fails.
run_wrk() {
    local fn=$1 kind=$2 secs=$3 out=$4 pid url code
    pid=$(pid_of_kind "$kind")
    url=$(url_of "$fn" "$kind")
    wrk -t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${secs}s" --timeout 10s --latency \
        -s "$BENCH/post.lua" "$url" >"$out" 2>&1 \
        || { alive_or_die "$pid"; die "wrk failed against ${LABEL[$kind]} $fn: $(tail -n 5 "$out")"; }
    alive_or_die "$pid"
    # When wrk stops, up to -c requests are still in flight on the server. One more call queues
    # behind them, so the next target starts on an idle machine; it also checks the target still works.
    http_code code POST "$url" "$WORK/drain" 120
    [[ $code == 200 ]] || { alive_or_die "$pid"; die "${LABEL[$kind]} $fn answered $code after the load: $(head -c 300 "$WORK/drain")"; }
    sleep "$BENCH_SETTLE"
}

SF_KINDS=()
for kind in "${KINDS[@]}"; do [[ $kind == sf-* ]] && SF_KINDS+=("$kind"); done
if ((BENCH_JIT_WARMUP > 0 && ${#SF_KINDS[@]} > 0)); then
    each=$(((BENCH_JIT_WARMUP + ${#FUNCTIONS[@]} * ${#SF_KINDS[@]} - 1) / (${#FUNCTIONS[@]} * ${#SF_KINDS[@]})))
    say "bench: JIT warm-up of the runner, ${BENCH_JIT_WARMUP}s over its targets"
    for fn in "${FUNCTIONS[@]}"; do
        for kind in "${SF_KINDS[@]}"; do
            run_wrk "$fn" "$kind" "$each" "$RAW/jit-warmup-$fn-$kind.txt"
        done
    done
fi

say "bench: warm-up, ${BENCH_WARMUP}s per target"
if ((BENCH_WARMUP > 0)); then
    for fn in "${FUNCTIONS[@]}"; do
        for kind in "${KINDS[@]}"; do
            run_wrk "$fn" "$kind" "$BENCH_WARMUP" "$RAW/warmup-$fn-$kind.txt"
        done
    done
fi

declare -A RPS=() P50=() P99=() ERRORS=()
for ((run = 1; run <= BENCH_RUNS; run++)); do
    for fn in "${FUNCTIONS[@]}"; do
        for kind in "${KINDS[@]}"; do
            out=$RAW/$fn-$kind-run$run.txt
            run_wrk "$fn" "$kind" "$BENCH_SECONDS" "$out"
            read -r rps p50 p99 errors < <(parse_wrk "$out") || die "could not read wrk output $out"
            RPS[$fn/$kind]+="$rps " P50[$fn/$kind]+="$p50 " P99[$fn/$kind]+="$p99 "
            ERRORS[$fn/$kind]=$((${ERRORS[$fn/$kind]:-0} + errors))
            awk -v r="$rps" 'BEGIN { exit !(r < 1) }' && warn "${LABEL[$kind]} $fn completed no request in run $run (see ${out#"$ROOT"/})"
            printf 'bench: run %d/%d  %-5s %-19s %9.0f req/s  p50 %8.2f ms  p99 %8.2f ms%s\n' \
                "$run" "$BENCH_RUNS" "$fn" "${LABEL[$kind]}" "$rps" "$p50" "$p99" \
                "$( ((errors == 0)) || printf '  (%d errors)' "$errors")"
        done
    done
done

declare -A M_RPS=() M_P50=() M_P99=()
for fn in "${FUNCTIONS[@]}"; do
    for kind in "${KINDS[@]}"; do
        # shellcheck disable=SC2086 # the lists are space-separated numbers
        M_RPS[$fn/$kind]=$(median ${RPS[$fn/$kind]})
        # shellcheck disable=SC2086
        M_P50[$fn/$kind]=$(median ${P50[$fn/$kind]})
        # shellcheck disable=SC2086
        M_P99[$fn/$kind]=$(median ${P99[$fn/$kind]})
    done
done

# ---- first answer of a newly loaded script in a warm runner --------------------------------
declare -a COLD_ROWS=() COLD_WATCH=() COLD_FIRST=() COLD_TOTAL=()
cold_start() {
    local n name uuid t0 t_listed t_post t_ok list code time_total status load_error first_ms watch_ms total_ms deadline
    for ((n = 1; n <= BENCH_COLD_REPEATS; n++)); do
        name=bench-cold-$n
        uuid=$(printf '00000000-0000-4000-8000-0000000c%04d' "$n")
        printf 'function main(data) { return "Hello again #%d, " + data.name; }\n' "$n" >"$STAGING/$name.js"
        write_yaml "$STAGING/$name.yaml" "$name" script "$uuid" "$STAGING/$name.js"
        deadline=$((SECONDS + 30))

        now_us t0
        mv "$STAGING/$name.yaml" "$SCRIPTS/$name.yaml"
        while :; do
            list=$(curl -s --max-time 2 -H "Authorization: Bearer $CONTROL_TOKEN" "http://$HOST:$SF_PORT/v1/scripts" 2>/dev/null || true)
            [[ $list == *"$uuid"* ]] && break
            ((SECONDS < deadline)) || die "the runner did not list $name ($uuid) within 30s of writing it"
            sleep 0.01
        done
        now_us t_listed
        now_us t_post
        read -r code time_total < <(curl -s -o "$WORK/cold.body" -w '%{http_code} %{time_total}\n' --max-time 10 \
            -X POST -H 'Content-Type: application/json' --data-binary "$BODY" "http://$HOST:$SF_PORT/v1/invoke/$uuid" 2>/dev/null \
            || printf '000 0\n')
        status=$code
        if [[ $code == 200 ]]; then
            total_ms=$(awk -v a="$t0" -v b="$t_post" -v t="$time_total" 'BEGIN { printf "%.1f", (b - a) / 1000 + t * 1000 }')
            [[ $(cat "$WORK/cold.body") == "Hello again #$n, bench" ]] \
                || warn "$name answered '$(head -c 200 "$WORK/cold.body")', not 'Hello again #$n, bench'"
        else
            load_error=$(node -e '
                const [text, uuid] = process.argv.slice(1);
                let list; try { list = JSON.parse(text); } catch (e) { console.log("(/v1/scripts is not JSON)"); process.exit(); }
                if (!Array.isArray(list)) list = list.scripts || list.items || [];
                const s = list.find((x) => String(x.uuid).toLowerCase() === uuid);
                console.log(!s ? "(not listed)" : s.loadError == null ? "" : typeof s.loadError === "string" ? s.loadError : JSON.stringify(s.loadError));
            ' "$list" "$uuid" 2>/dev/null || true)
            warn "$name: first call answered $code: $(head -c 200 "$WORK/cold.body")${load_error:+; loadError: $load_error}"
            # keep calling until the first 200, to still time write -> first 200
            while :; do
                ((SECONDS < deadline)) || die "$name ($uuid) never answered 200 within 30s of writing it"
                sleep 0.01
                http_code code POST "http://$HOST:$SF_PORT/v1/invoke/$uuid"
                [[ $code == 200 ]] && break
            done
            now_us t_ok
            total_ms=$(awk -v a="$t0" -v b="$t_ok" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
        fi
        watch_ms=$(awk -v a="$t0" -v b="$t_listed" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
        first_ms=$(awk -v t="$time_total" 'BEGIN { printf "%.1f", t * 1000 }')
        COLD_WATCH+=("$watch_ms") COLD_FIRST+=("$first_ms") COLD_TOTAL+=("$total_ms")
        COLD_ROWS+=("| $name | $watch_ms | $first_ms | $total_ms | $status |")
        say "bench: new script $name: listed after $watch_ms ms, first call $first_ms ms (status $status), write -> first 200 $total_ms ms"
    done
}
if [[ $BENCH_NODE_ONLY == 0 && $BENCH_COLD_REPEATS -gt 0 ]]; then
    say "bench: first answer of newly loaded scripts, ${BENCH_COLD_REPEATS} time(s)"
    cold_start
fi

# ---- report --------------------------------------------------------------------------------
REPORT=$RESULTS/latest.md
{
    say "# ScriptForge benchmark"
    say
    if commit=$(git rev-parse --short HEAD 2>/dev/null); then
        git diff --quiet HEAD -- 2>/dev/null || commit+=" (dirty)"
    else
        commit=none
    fi
    say "- date: $(date -u '+%Y-%m-%d %H:%M UTC'); commit: $commit"
    say "- machine: $(uname -sm), $(nproc) CPU(s) ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || echo unknown)); wrk, servers and clients share them"
    [[ $BENCH_NODE_ONLY == 1 ]] || say "- java: $(java -version 2>&1 | head -n 1)"
    say "- node: $(node --version) (${BENCH_NODE_WORKERS} process(es) per Node server); $(wrk -v 2>&1 | head -n 1 | awk '{ print $1, $2 }')"
    say "- load: \`wrk -t${BENCH_THREADS} -c${BENCH_CONNECTIONS} -d${BENCH_SECONDS}s --latency\`, POST \`$BODY\`," \
        "${BENCH_WARMUP}s warm-up per target, ${BENCH_RUNS} interleaved run(s) per target, medians shown"
    say
    say "| function | target | req/s | p50 ms | p99 ms | req/s of each run | errors |"
    say "|---|---|---:|---:|---:|---|---:|"
    for fn in "${FUNCTIONS[@]}"; do
        for kind in "${KINDS[@]}"; do
            runs=$(for r in ${RPS[$fn/$kind]}; do fmt "$r" '%.0f '; done)
            say "| $fn | ${LABEL[$kind]} | $(fmt "${M_RPS[$fn/$kind]}" '%.0f') | $(fmt "${M_P50[$fn/$kind]}" '%.2f') |" \
                "$(fmt "${M_P99[$fn/$kind]}" '%.2f') | ${runs% } | ${ERRORS[$fn/$kind]} |"
        done
    done
    if [[ $BENCH_NODE_ONLY == 0 ]]; then
        say
        say "Ratios, ScriptForge over Node (req/s: above 1× means ScriptForge serves more;" \
            "time: p50 and p99 latency, below 1× means ScriptForge answers sooner):"
        say
        say "| function | comparison | req/s ratio | p50 time ratio | p99 time ratio |"
        say "|---|---|---:|---:|---:|"
        for fn in "${FUNCTIONS[@]}"; do
            for pair in "sf-worker node-reused" "sf-script node-fresh" "sf-script node-reused"; do
                read -r a b <<<"$pair"
                say "| $fn | ${LABEL[$a]} vs ${LABEL[$b]} | $(ratio "${M_RPS[$fn/$a]:-}" "${M_RPS[$fn/$b]:-}") |" \
                    "$(ratio "${M_P50[$fn/$a]:-}" "${M_P50[$fn/$b]:-}") | $(ratio "${M_P99[$fn/$a]:-}" "${M_P99[$fn/$b]:-}") |"
            done
        done
    fi
    if ((${#COLD_ROWS[@]} > 0)); then
        say
        say "First answer of a newly loaded \`script\` in the warm runner (file renamed into scriptforge.dir," \
            "\`/v1/scripts\` polled every 10 ms, then one curl POST):"
        say
        say "| sample | write → listed ms | first call ms | write → first 200 ms | status |"
        say "|---|---:|---:|---:|---|"
        printf '%s\n' "${COLD_ROWS[@]}"
        say "| **median** | **$(median "${COLD_WATCH[@]}")** | **$(median "${COLD_FIRST[@]}")** | **$(median "${COLD_TOTAL[@]}")** | |"
    fi
    if [[ $BENCH_NODE_ONLY == 1 ]]; then
        say
        say "BENCH_NODE_ONLY=1: the ScriptForge runner was not started."
    fi
} >"$REPORT.tmp"
mv "$REPORT.tmp" "$REPORT"
say
cat "$REPORT"
say
say "bench: written to ${REPORT#"$ROOT"/}; wrk outputs in ${RAW#"$ROOT"/}, server logs in ${LOGS#"$ROOT"/}"

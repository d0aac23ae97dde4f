# Shell functions the benchmark scripts share (run.sh, cold-start.sh); sourced, never run.
# The caller defines say, warn and die.

now_us() { printf -v "$1" '%s' "${EPOCHREALTIME/[.,]/}"; }

# need_wrk: installs wrk with apt-get when missing and run as root, else dies saying how to get it.
need_wrk() {
    if ! command -v wrk >/dev/null 2>&1; then
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
            say "bench: wrk not found; installing it with apt-get"
            { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
                || die "could not install wrk with apt-get"
        else
            die "wrk not found: install it (Debian/Ubuntu: sudo apt-get install wrk; macOS: brew install wrk) and run again"
        fi
    fi
    command -v wrk >/dev/null 2>&1 || die "wrk is still not on PATH"
}

# parse_wrk file -> "req/s p50_ms p99_ms errors" (errors: non-2xx responses + socket errors)
parse_wrk() {
    awk '
        function ms(v,   n, u) {
            n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u)
            if (u == "us") return n / 1000
            if (u == "ms") return n + 0
            if (u == "s") return n * 1000
            if (u == "m") return n * 60000
            if (u == "h") return n * 3600000
            return -1
        }
        /^[ \t]*50%[ \t]/ { p50 = ms($2) }
        /^[ \t]*99%[ \t]/ { p99 = ms($2) }
        /^Requests\/sec:/ { rps = $2 }
        /Non-2xx or 3xx responses:/ { errors += $NF }
        /Socket errors:/ { for (i = 1; i <= NF; i++) { f = $i; gsub(/,/, "", f); if (f ~ /^[0-9]+$/) errors += f } }
        END {
            if (rps == "" || p50 == "" || p99 == "" || p50 < 0 || p99 < 0) exit 1
            printf "%s %.4f %.4f %d\n", rps, p50, p99, errors
        }' "$1"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

fmt() { awk -v v="$1" -v f="$2" 'BEGIN { printf f, v }'; }

ratio() { # a b -> a/b as "1.23×" or n/a
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'
}

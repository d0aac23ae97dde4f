#!/usr/bin/env bash
# Builds the test node's add-ons from the Go module proxy, once, into a cache:
#   ~/.cache/scriptforge/node-addons/metrics-server-<version>/metrics-server   (the HPA's resource metrics)
#   ~/.cache/scriptforge/node-addons/coredns-<version>/coredns                 (cluster DNS, hack/node/coredns)
# Prints the directory holding both. Safe to rerun: what the cache holds is reused as is.
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
METRICS_SERVER=${METRICS_SERVER_VERSION:-0.8.0}
COREDNS=${COREDNS_VERSION:-1.12.4}
CACHE=${SCRIPTFORGE_CACHE:-$HOME/.cache/scriptforge}
OUT=$CACHE/node-addons/ms-$METRICS_SERVER-coredns-$COREDNS
have() { for b in "$@"; do [ -x "$OUT/$b" ] || return 1; done; }
if have metrics-server coredns; then echo "$OUT"; exit 0; fi

source "$HACK/lib/go.sh"
log() { echo "node-addons: $*" >&2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
quiet() { "$@" >"$WORK/step.log" 2>&1 || { cat "$WORK/step.log" >&2; echo "error: failed: $*" >&2; exit 1; }; }
mkdir -p "$OUT" "$WORK/bin"
started=$(date +%s)

if ! have metrics-server; then
  log "building metrics-server v$METRICS_SERVER"
  mkdir "$WORK/ms" && cd "$WORK/ms"
  go mod init local/metricsserver >/dev/null 2>&1
  quiet go get "sigs.k8s.io/metrics-server@v$METRICS_SERVER"
  go build -trimpath -ldflags "-s -w -X sigs.k8s.io/metrics-server/pkg/version.gitVersion=v$METRICS_SERVER" \
    -o "$WORK/bin/metrics-server" sigs.k8s.io/metrics-server/cmd/metrics-server
fi

if ! have coredns; then
  log "building coredns v$COREDNS (plugins: bind cache errors kubernetes ready template)"
  mkdir "$WORK/coredns" && cd "$WORK/coredns"
  go mod init local/coredns >/dev/null 2>&1
  cp "$HACK/node/coredns/main.go" .
  quiet go get "github.com/coredns/coredns@v$COREDNS"
  quiet go mod tidy
  go build -trimpath -ldflags "-s -w" -o "$WORK/bin/coredns" .
fi

for b in metrics-server coredns; do
  [ -e "$WORK/bin/$b" ] || continue
  cp "$WORK/bin/$b" "$OUT/.$b.partial" && chmod 755 "$OUT/.$b.partial" && mv -f "$OUT/.$b.partial" "$OUT/$b"
done
have metrics-server coredns || { echo "error: the build finished but $OUT lacks metrics-server or coredns" >&2; exit 1; }
log "done in $(( $(date +%s) - started )) s"
echo "$OUT"

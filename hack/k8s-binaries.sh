#!/usr/bin/env bash
# Builds the Kubernetes binaries the tests run: kube-apiserver, kube-controller-manager, kube-scheduler, kubectl,
# and the node's kubelet and kube-proxy (k8s.io/kubernetes, one build), etcd and kwok, from the Go module proxy
# (no prebuilt downloads), once, into a cache:
#   ~/.cache/scriptforge/k8s/<k8s version>/{kube-apiserver,...,kubelet,kube-proxy,etcd,kwok}
# Prints that directory. Safe to rerun: what the cache holds is reused as is, and only a group with a missing
# binary is built (Go's own build cache makes adding one to a group cheap).
set -euo pipefail

K8S=${K8S_VERSION:-1.32.3}
ETCD=${ETCD_VERSION:-3.5.24}
KWOK=${KWOK_VERSION:-0.7.0}
CACHE=${SCRIPTFORGE_CACHE:-$HOME/.cache/scriptforge}
OUT=$CACHE/k8s/$K8S
K8S_BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl kubelet kube-proxy)
BINARIES=("${K8S_BINARIES[@]}" etcd kwok)

have() { for b in "$@"; do [ -x "$OUT/$b" ] || return 1; done; }
if have "${BINARIES[@]}"; then echo "$OUT"; exit 0; fi

source "$(dirname "$0")/lib/go.sh"
echo "k8s-binaries: using $("$GO" version)" >&2
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Everything is built into $BUILT first and only then moved into $OUT, one rename per binary: an interrupted
# build never leaves a truncated binary that the completeness check above would take for a good one.
BUILT=$WORK/bin
mkdir -p "$BUILT"
# The checksum database reached through the module proxy answers 404 for some k8s.io staging tags
# (k8s.io/kube-controller-manager, k8s.io/endpointslice v0.32.3): those modules are verified against
# the hashes the proxy serves, recorded in the wrapper's go.sum, instead.
export GONOSUMDB=${GONOSUMDB:-k8s.io}

log() { echo "k8s-binaries: $*" >&2; }
# Runs a quiet step; shows its output only when it fails (e.g. the module proxy is unreachable).
quiet() { "$@" >"$WORK/step.log" 2>&1 || { cat "$WORK/step.log" >&2; echo "error: failed: $*" >&2; exit 1; }; }
started=$(date +%s)

if ! have "${K8S_BINARIES[@]}"; then
# Kubernetes: its staging modules (k8s.io/api, ...) are pinned as v0.0.0 + replace in its own go.mod;
# a wrapper module must repeat those replaces with the matching v0.<minor>.<patch> tags.
MINOR=$(echo "$K8S" | cut -d. -f2)
STAGING=v0.$MINOR.$(echo "$K8S" | cut -d. -f3)
mkdir "$WORK/k8s" && cd "$WORK/k8s"
go mod init local/k8sbins >/dev/null 2>&1
GOMOD=$(go mod download -json "k8s.io/kubernetes@v$K8S" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')
for m in $(sed -n 's#^[[:space:]]*\(k8s\.io/[a-z0-9-]*\) v0\.0\.0$#\1#p' "$GOMOD"); do
  go mod edit -replace="$m=$m@$STAGING"
done
log "resolving k8s.io/kubernetes v$K8S"
quiet go get "k8s.io/kubernetes@v$K8S"
LD="-s -w -X k8s.io/component-base/version.gitVersion=v$K8S -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$MINOR -X k8s.io/component-base/version.gitTreeState=clean"
log "building ${K8S_BINARIES[*]}"
go build -trimpath -ldflags "$LD" -o "$BUILT/" $(printf 'k8s.io/kubernetes/cmd/%s ' "${K8S_BINARIES[@]}")
fi

if ! have etcd; then
# etcd: its server module carries replace directives, so `go install` refuses it; a wrapper works.
mkdir "$WORK/etcd" && cd "$WORK/etcd"
go mod init local/etcdbin >/dev/null 2>&1
log "building etcd v$ETCD"
quiet go get "go.etcd.io/etcd/server/v3@v$ETCD"
go build -trimpath -ldflags "-s -w" -o "$BUILT/etcd" go.etcd.io/etcd/server/v3
fi

if ! have kwok; then
  log "building kwok v$KWOK"
  GOBIN=$BUILT go install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK"
fi

for b in "${BINARIES[@]}"; do
  [ -e "$BUILT/$b" ] || continue
  cp "$BUILT/$b" "$OUT/.$b.partial" && chmod 755 "$OUT/.$b.partial" && mv -f "$OUT/.$b.partial" "$OUT/$b"
done

have "${BINARIES[@]}" || { echo "error: the build finished but $OUT lacks some of: ${BINARIES[*]}" >&2; exit 1; }
log "done in $(( $(date +%s) - started )) s"
echo "$OUT"

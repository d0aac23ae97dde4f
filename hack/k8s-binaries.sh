#!/usr/bin/env bash
# Builds the Kubernetes control plane the operator's integration tests run against: kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl (k8s.io/kubernetes), etcd and kwok, from the Go
# module proxy (no prebuilt downloads), once, into a cache:
#   ~/.cache/scriptforge/k8s/<k8s version>/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl,etcd,kwok}
# Prints that directory. Safe to rerun: a complete cache is reused as is.
set -euo pipefail

K8S=${K8S_VERSION:-1.32.3}
ETCD=${ETCD_VERSION:-3.5.24}
KWOK=${KWOK_VERSION:-0.7.0}
CACHE=${SCRIPTFORGE_CACHE:-$HOME/.cache/scriptforge}
OUT=$CACHE/k8s/$K8S
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok)

complete() { for b in "${BINARIES[@]}"; do [ -x "$OUT/$b" ] || return 1; done; }
if complete; then echo "$OUT"; exit 0; fi

# Go: the one on PATH or in /usr/local/go if it is recent enough, else a toolchain fetched once from the Go
# module proxy (golang.org/toolchain, the same zips `go` itself downloads when a module asks for a newer one).
GO_TOOLCHAIN=${GO_TOOLCHAIN:-go1.24.4}
go_ok() { "$1" version 2>/dev/null | grep -Eq 'go1\.(2[3-9]|[3-9][0-9])'; }
GO=""
for candidate in "$(command -v go || true)" /usr/local/go/bin/go "$CACHE/go/$GO_TOOLCHAIN/bin/go"; do
  if [ -n "$candidate" ] && go_ok "$candidate"; then GO=$candidate; break; fi
done
if [ -z "$GO" ]; then
  PROXY=${GOPROXY:-https://proxy.golang.org}; PROXY=${PROXY%%,*}
  ZIP_URL="$PROXY/golang.org/toolchain/@v/v0.0.1-$GO_TOOLCHAIN.linux-amd64.zip"
  echo "k8s-binaries: no Go >= 1.23 found; fetching $GO_TOOLCHAIN from $ZIP_URL" >&2
  mkdir -p "$CACHE/go"
  TMPZIP=$(mktemp)
  curl -fsSL -o "$TMPZIP" "$ZIP_URL" || { echo "error: building the test control plane needs Go >= 1.23 (https://go.dev/dl), and $ZIP_URL could not be fetched" >&2; exit 1; }
  UNPACK=$(mktemp -d "$CACHE/go/unpack.XXXXXX")
  if command -v unzip >/dev/null; then unzip -q "$TMPZIP" -d "$UNPACK"; else python3 -m zipfile -e "$TMPZIP" "$UNPACK"; fi
  rm -f "$TMPZIP"
  rm -rf "$CACHE/go/$GO_TOOLCHAIN"
  mv "$UNPACK/golang.org/toolchain@v0.0.1-$GO_TOOLCHAIN.linux-amd64" "$CACHE/go/$GO_TOOLCHAIN"
  rm -rf "$UNPACK"
  chmod +x "$CACHE/go/$GO_TOOLCHAIN/bin/"* "$CACHE/go/$GO_TOOLCHAIN/pkg/tool/"*/* 2>/dev/null || true
  GO=$CACHE/go/$GO_TOOLCHAIN/bin/go
  go_ok "$GO" || { echo "error: the fetched Go toolchain does not run: $("$GO" version 2>&1)" >&2; exit 1; }
fi
export PATH="$(dirname "$GO"):$PATH"
echo "k8s-binaries: using $("$GO" version)" >&2
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Everything is built into $BUILT first and only then moved into $OUT, one rename per binary: an interrupted
# build never leaves a truncated binary that the completeness check above would take for a good one.
BUILT=$WORK/bin
mkdir -p "$BUILT"
export GOFLAGS=-mod=mod CGO_ENABLED=0
# The checksum database reached through the module proxy answers 404 for some k8s.io staging tags
# (k8s.io/kube-controller-manager, k8s.io/endpointslice v0.32.3): those modules are verified against
# the hashes the proxy serves, recorded in the wrapper's go.sum, instead.
export GONOSUMDB=${GONOSUMDB:-k8s.io}

log() { echo "k8s-binaries: $*" >&2; }
# Runs a quiet step; shows its output only when it fails (e.g. the module proxy is unreachable).
quiet() { "$@" >"$WORK/step.log" 2>&1 || { cat "$WORK/step.log" >&2; echo "error: failed: $*" >&2; exit 1; }; }
started=$(date +%s)

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
log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl"
go build -trimpath -ldflags "$LD" -o "$BUILT/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
  k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl

# etcd: its server module carries replace directives, so `go install` refuses it; a wrapper works.
mkdir "$WORK/etcd" && cd "$WORK/etcd"
go mod init local/etcdbin >/dev/null 2>&1
log "building etcd v$ETCD"
quiet go get "go.etcd.io/etcd/server/v3@v$ETCD"
go build -trimpath -ldflags "-s -w" -o "$BUILT/etcd" go.etcd.io/etcd/server/v3

log "building kwok v$KWOK"
GOBIN=$BUILT go install "sigs.k8s.io/kwok/cmd/kwok@v$KWOK"

for b in "${BINARIES[@]}"; do
  cp "$BUILT/$b" "$OUT/.$b.partial" && chmod 755 "$OUT/.$b.partial" && mv -f "$OUT/.$b.partial" "$OUT/$b"
done

complete || { echo "error: the build finished but $OUT lacks some of: ${BINARIES[*]}" >&2; exit 1; }
log "done in $(( $(date +%s) - started )) s"
echo "$OUT"

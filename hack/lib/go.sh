# Sourced by the build scripts: puts a Go >= 1.23 first on PATH. It is the one on PATH or in /usr/local/go if
# recent enough, else a toolchain fetched once from the Go module proxy (golang.org/toolchain, the same zips
# `go` itself downloads when a module asks for a newer one) into $CACHE/go.
# Needs: CACHE (the cache root). Sets: GO.
GO_TOOLCHAIN=${GO_TOOLCHAIN:-go1.24.4}
go_ok() { "$1" version 2>/dev/null | grep -Eq 'go1\.(2[3-9]|[3-9][0-9])'; }
GO=""
for candidate in "$(command -v go || true)" /usr/local/go/bin/go "$CACHE/go/$GO_TOOLCHAIN/bin/go"; do
  if [ -n "$candidate" ] && go_ok "$candidate"; then GO=$candidate; break; fi
done
if [ -z "$GO" ]; then
  PROXY=${GOPROXY:-https://proxy.golang.org}; PROXY=${PROXY%%,*}
  ZIP_URL="$PROXY/golang.org/toolchain/@v/v0.0.1-$GO_TOOLCHAIN.linux-amd64.zip"
  echo "no Go >= 1.23 found; fetching $GO_TOOLCHAIN from $ZIP_URL" >&2
  mkdir -p "$CACHE/go"
  TMPZIP=$(mktemp)
  curl -fsSL -o "$TMPZIP" "$ZIP_URL" || { echo "error: this build needs Go >= 1.23 (https://go.dev/dl), and $ZIP_URL could not be fetched" >&2; exit 1; }
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
export GOFLAGS=-mod=mod CGO_ENABLED=0

#!/usr/bin/env bash
# Builds, without a Docker engine or a registry, the images a machine with no registry needs, once, into
# ~/.cache/scriptforge/images/ (docker-archive tarballs, as `docker save` writes them):
#   pause       localhost/scriptforge/pause:1.0      the pod sandbox's pause process (hack/node/images/pause.c)
#   jre         localhost/scriptforge/jre:<java>     libc6 + busybox from Debian packages, a jlink'd JRE of the
#                                                    JDK `make` found: the base Jib builds the project's images on
#   postgresql  localhost/scriptforge/postgresql:15  Debian's postgresql-15 with an entrypoint honouring POSTGRES_*
# Prints one `<name> <image> <tarball>` line per image. A tarball is rebuilt when this script, its inputs
# or the JDK change. Usage: node-images.sh [pause|jre|postgresql ...] (default: all three).
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
CACHE=${SCRIPTFORGE_CACHE:-$HOME/.cache/scriptforge}
OUT=$CACHE/images
source "$HACK/lib/packages.sh"
log() { echo "node-images: $*" >&2; }

[ "$(id -u)" = 0 ] || { echo "error: node-images.sh builds root file systems with mmdebstrap and needs root" >&2; exit 1; }
. /etc/os-release
SUITE=${NODE_IMAGES_SUITE:-${VERSION_CODENAME:-bookworm}}
need_packages mmdebstrap=mmdebstrap umoci=umoci skopeo=skopeo gcc=gcc
JAVA_HOME=${JAVA_HOME:-$("$HACK/find-jdk.sh")}
[ -x "$JAVA_HOME/bin/jlink" ] || { echo "error: $JAVA_HOME has no jlink: the jre image needs a full JDK" >&2; exit 1; }
JAVA_VERSION=$(sed -n 's/^JAVA_VERSION="\(.*\)"$/\1/p' "$JAVA_HOME/release")
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# A key over what an image is made of: the functions building it, the files given, and extra words (versions).
key() { { declare -f rootfs dir_layer image "${FUNCNAME[1]}"; for f in "$@"; do [ -f "$f" ] && cat "$f" || echo "$f"; done; } | sha256sum | cut -c1-12; }

# Debian packages extracted into a directory (never configured), without docs or package manager state, with
# busybox's applets linked and a /tmp.
rootfs() { # <dir> <packages,comma,separated>
  local dir=$1 packages=$2
  mmdebstrap --quiet --variant=extract --include="$packages" --skip=output/dev --skip=output/mknod \
    "$SUITE" "$dir" >"$WORK/mmdebstrap.log" 2>&1 \
    || { cat "$WORK/mmdebstrap.log" >&2; echo "error: mmdebstrap could not build a $SUITE root file system with $packages" >&2; exit 1; }
  rm -rf "$dir"/usr/share/{doc,man,info,locale,lintian} "$dir"/etc/{apt,dpkg} "$dir"/var/{lib/apt,cache/apt,lib/dpkg} "$dir"/var/log/*
  local applet
  for applet in $("$dir/bin/busybox" --list); do
    [ -e "$dir/bin/$applet" ] || [ -e "$dir/usr/bin/$applet" ] || [ -e "$dir/sbin/$applet" ] || [ -e "$dir/usr/sbin/$applet" ] \
      || ln -s busybox "$dir/bin/$applet"
  done
  mkdir -p "$dir/tmp" && chmod 1777 "$dir/tmp"
}

# A tar of a directory's contents, owned by root, with fixed times: the same input gives the same layer.
dir_layer() { tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$1" -cf "$2" .; }

# An OCI layout holding the given layers and config, saved as a docker-archive tarball under its name.
# Its tools talk on stderr: stdout is this script's answer, one line per image, which callers parse.
image() { # <name> <ref> <out.tar> <layer.tar...> -- <umoci config args...>
  image_steps "$@" >&2
}
image_steps() {
  local name=$1 ref=$2 out=$3; shift 3
  local layout=$WORK/$name-oci layers=()
  while [ "$1" != "--" ]; do layers+=("$1"); shift; done; shift
  umoci init --layout "$layout"
  umoci new --image "$layout:latest"
  for l in "${layers[@]}"; do umoci raw add-layer --image "$layout:latest" "$l"; done
  umoci config --image "$layout:latest" --history.created_by="hack/node-images.sh" "$@"
  rm -f "$out.partial"
  skopeo --insecure-policy copy --quiet "oci:$layout:latest" "docker-archive:$out.partial:$ref"
  mv -f "$out.partial" "$out"
  # Older builds of the same image go.
  find "$OUT" -maxdepth 1 -name "$name-*.tar" ! -path "$out" -delete
}

build_pause() {
  local ref=localhost/scriptforge/pause:1.0 out=$OUT/pause-$(key "$HACK/node/images/pause.c").tar
  if [ ! -s "$out" ]; then
    log "building $ref"
    mkdir -p "$WORK/pause"
    gcc -Os -static -s -o "$WORK/pause/pause" "$HACK/node/images/pause.c"
    dir_layer "$WORK/pause" "$WORK/pause.tar"
    image pause "$ref" "$out" "$WORK/pause.tar" -- --config.entrypoint=/pause --config.user=65535:65535
  fi
  echo "pause $ref $out"
}

build_jre() {
  local ref=localhost/scriptforge/jre:$JAVA_VERSION out=$OUT/jre-$(key "$JAVA_HOME/release" "$SUITE").tar
  if [ ! -s "$out" ]; then
    log "building $ref: Debian $SUITE libc6 + busybox-static, and a JRE of $JAVA_HOME with every module (JVMCI included)"
    local root=$WORK/jre-root
    rootfs "$root" libc6,busybox-static
    printf 'root:x:0:0:root:/root:/bin/sh\ndefault:x:185:0:default:/deployments:/bin/sh\n' > "$root/etc/passwd"
    printf 'root:x:0:\n' > "$root/etc/group"
    dir_layer "$root" "$WORK/jre-rootfs.tar"
    mkdir -p "$WORK/jre/opt/java"
    # Every module of the JDK (the runner needs jdk.internal.vm.ci for the Graal compiler) but jlink and jpackage
    # (which needs it): a JDK without jmods/, linking from its own run-time image, cannot copy jlink.
    local modules
    modules=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//' | grep -vxE 'jdk\.(jlink|jpackage)' | paste -sd, -)
    "$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
      --compress=zip-6 --output "$WORK/jre/opt/java/openjdk" >&2
    dir_layer "$WORK/jre" "$WORK/jre.tar"
    image jre "$ref" "$out" "$WORK/jre-rootfs.tar" "$WORK/jre.tar" -- \
      --config.env=PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --config.env=JAVA_HOME=/opt/java/openjdk --config.env=LANG=C.UTF-8 --config.user=185:0
  fi
  echo "jre $ref $out"
}

build_postgresql() {
  local ref=localhost/scriptforge/postgresql:15 out=$OUT/postgresql-$(key "$HACK/node/images/postgresql-entrypoint.sh" "$SUITE").tar
  if [ ! -s "$out" ]; then
    log "building $ref from Debian $SUITE's postgresql-15"
    # The LLVM JIT (and its 130 MB of libraries), perl and the locales are left out: jit=off, the C locale (UTF8).
    local root=$WORK/pg-root lib
    rootfs "$root" postgresql-15,busybox-static
    lib=$root/usr/lib/x86_64-linux-gnu
    rm -rf "$lib"/libLLVM* "$lib"/libz3* "$lib"/perl* "$lib"/libperl* "$root"/usr/lib/postgresql/15/lib/llvmjit* \
      "$root"/usr/lib/postgresql/15/lib/bitcode "$root"/usr/share/i18n "$root"/usr/lib/locale "$root"/usr/bin/perl* "$root"/usr/share/perl*
    printf 'root:x:0:0:root:/root:/bin/sh\npostgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\n' > "$root/etc/passwd"
    printf 'root:x:0:\npostgres:x:999:\n' > "$root/etc/group"
    install -d -o 999 -g 999 "$root/var/lib/postgresql"
    install -d -o 999 -g 999 -m 2775 "$root/var/run/postgresql"
    install -D -m 755 "$HACK/node/images/postgresql-entrypoint.sh" "$root/usr/local/bin/docker-entrypoint.sh"
    # Owners kept (postgres' directories), times fixed.
    tar --numeric-owner --mtime=@0 --sort=name -C "$root" -cf "$WORK/pg-rootfs.tar" .
    image postgresql "$ref" "$out" "$WORK/pg-rootfs.tar" -- \
      --config.env=PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
      --config.user=999:999 --config.entrypoint=/usr/local/bin/docker-entrypoint.sh \
      --config.exposedports=5432/tcp --config.volume=/var/lib/postgresql/data
  fi
  echo "postgresql $ref $out"
}

[ $# -gt 0 ] || set -- pause jre postgresql
for name in "$@"; do
  case $name in
    pause|jre|postgresql) "build_$name" ;;
    *) echo "error: unknown image '$name' (pause, jre, postgresql)" >&2; exit 2 ;;
  esac
done

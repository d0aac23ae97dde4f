#!/usr/bin/env bash
# Prints the base image Jib builds the project's images on (its -Dimage.base):
#   $IMAGE_BASE when set (a registry image such as eclipse-temurin:25-jre, or tar:///path/to/image.tar);
#   the registry's eclipse-temurin:25-jre when Docker Hub answers;
#   else tar://<a local base>: Debian's libc6 and busybox plus a jlink'd JRE of the JDK `make` found, built once
#   from Debian packages by hack/node-images.sh (needs root for mmdebstrap) into ~/.cache/scriptforge/images.
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
REGISTRY_BASE=eclipse-temurin:25-jre
if [ -n "${IMAGE_BASE:-}" ]; then echo "$IMAGE_BASE"; exit 0; fi
# Docker Hub answers 401 to an anonymous /v2/ when it is reachable.
code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' https://registry-1.docker.io/v2/ 2>/dev/null || true)
if [ "$code" = 401 ] || [ "$code" = 200 ]; then echo "$REGISTRY_BASE"; exit 0; fi
echo "image-base: no registry reachable (Docker Hub answered '${code:-nothing}'): building on a local base" >&2
tar=$(bash "$HACK/node-images.sh" jre | awk 'END {print $3}')
[ -s "$tar" ] || { echo "error: hack/node-images.sh built no jre image" >&2; exit 1; }
echo "tar://$tar"

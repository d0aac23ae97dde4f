#!/usr/bin/env bash
# make e2e: the *E2E tests on a real single-node cluster of this machine (hack/node.sh), always torn down.
# Builds what is missing (node binaries, images), starts the node, imports the images, runs the tests
# (integration-tests, profile e2e), and takes the node down however the run ends.
# SCRIPTFORGE_E2E_KEEP_NODE=1 leaves the node up afterwards for a look (hack/node.sh down removes it).
# Arguments go to Maven, e.g. hack/e2e-node.sh -Dit.test=ChartE2E,ExamplesE2E
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p target
HACK=$PWD/hack
MVN=(./mvnw -B --no-transfer-progress)
started=$(date +%s)
lap() { echo "e2e: $* ($(( $(date +%s) - started )) s)" >&2; }

[ "$(id -u)" = 0 ] || { echo "error: make e2e runs a real node (namespaces, mounts, cgroups) and needs root" >&2; exit 1; }
if [ ! -f operator/target/quarkus-app/quarkus-run.jar ] || [ ! -f function-runner/target/quarkus-app/quarkus-run.jar ]; then
  "${MVN[@]}" -q -DskipTests install
fi
base=$("$HACK/image-base.sh")
"${MVN[@]}" -q -pl operator,function-runner jib:buildTar -Dimage.base="$base"
postgres=$(bash "$HACK/node-images.sh" postgresql)
lap "images built on $base"

# However the run ends, the node goes, and the machine must be exactly as before it came.
source "$HACK/lib/machine-state.sh"
machine_state > target/machine-before.txt 2>&1 || true
node_down() {
  local status=$?
  bash "$HACK/node.sh" down || { echo "e2e: node.sh down failed: run it again" >&2; exit 1; }
  machine_state > target/machine-after.txt 2>&1 || true
  if ! diff -u target/machine-before.txt target/machine-after.txt >&2; then
    echo "e2e: error: the node left the machine changed (above: before -> after)" >&2
    exit 1
  fi
  echo "e2e: the machine is as it was before the node" >&2
  exit $status
}
if [ "${SCRIPTFORGE_E2E_KEEP_NODE:-0}" != 1 ]; then
  trap node_down EXIT
fi
FIGURES=integration-tests/target/e2e-logs/figures.md
rm -f "$FIGURES" # each run reports its own
bash "$HACK/node.sh" up
lap "node up"
bash "$HACK/node.sh" import operator/target/jib-image.tar function-runner/target/jib-image.tar "$(awk '{print $3}' <<<"$postgres")"
lap "images imported"
"${MVN[@]}" -pl integration-tests -Pe2e verify \
  -Dscriptforge.e2e.kubeconfig="${SCRIPTFORGE_NODE_DIR:-/var/lib/scriptforge-node}/kubeconfig" \
  -Dscriptforge.e2e.postgresql-image="$(awk '{print $2}' <<<"$postgres")" "$@"
lap "E2E tests passed"
if [ -f "$FIGURES" ]; then echo "e2e: the figures of this run ($FIGURES):" >&2; cat "$FIGURES" >&2; fi

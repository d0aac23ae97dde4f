#!/usr/bin/env bash
# End to end on a real cluster, for machines with a Docker engine (CI machines here have none): a Kind
# cluster, the images `make image` built, the chart, the examples, and one invocation of each.
set -euo pipefail
cd "$(dirname "$0")/.."
CLUSTER=${E2E_CLUSTER:-scriptforge-e2e}
NS=${E2E_NAMESPACE:-scriptforge}
TAG=$(sed -n 's/.*<image.tag>\(.*\)<\/image.tag>.*/\1/p' pom.xml)
for tool in docker kind kubectl helm curl; do
  command -v "$tool" >/dev/null || { echo "e2e needs $tool on PATH (and a running Docker engine)" >&2; exit 1; }
done

kind get clusters | grep -qx "$CLUSTER" || kind create cluster --name "$CLUSTER" --wait 120s
kind load image-archive operator/target/jib-image.tar --name "$CLUSTER"
kind load image-archive function-runner/target/jib-image.tar --name "$CLUSTER"

# Kind has no metrics-server: the autoscaler holds the pool at minReplicas, which is all e2e needs.
helm upgrade --install scriptforge helm/scriptforge -n "$NS" --create-namespace --wait --timeout 5m \
  --set operator.image.tag="$TAG" --set runner.image.tag="$TAG" \
  --set operator.image.pullPolicy=Never --set runner.image.pullPolicy=Never
kubectl -n "$NS" apply -f examples/
kubectl -n "$NS" wait --for=condition=Ready script --all --timeout=180s

kubectl -n "$NS" port-forward svc/scriptforge-runner-default 18080:80 >/dev/null 2>&1 &
trap 'kill $! 2>/dev/null' EXIT
for _ in $(seq 30); do curl -sf localhost:18080/q/health/ready >/dev/null && break; sleep 1; done
for script in hello dnc-check counter; do
  uuid=$(kubectl -n "$NS" get script "$script" -o jsonpath='{.status.uuid}')
  echo "== $script ($uuid)"
  curl -sS --fail-with-body -X POST "localhost:18080/v1/invoke/$uuid" -H 'content-type: application/json' -d '{"name":"e2e","number":"+15550100"}'
  echo
done
echo "e2e passed; delete the cluster with: kind delete cluster --name $CLUSTER"

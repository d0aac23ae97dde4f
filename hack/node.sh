#!/usr/bin/env bash
# A real single-node Kubernetes cluster on this Linux machine, without Docker and without a registry:
# etcd, kube-apiserver, kube-controller-manager, kube-scheduler, containerd + runc + CNI, kubelet, kube-proxy,
# CoreDNS and metrics-server, every one of them inside a network namespace of its own that has no default route
# (nothing leaves the machine, no port collides with the machine's) and a mount namespace of its own (every mount
# the node makes dies with it).
#
#   hack/node.sh up       build what is missing (cached in ~/.cache/scriptforge), start the node, wait until Ready
#   hack/node.sh down     stop it and leave the machine as it was; also cleans up after a crashed or killed run
#   hack/node.sh status   whether it runs, and how to reach it
#   hack/node.sh import <docker-archive.tar>...   load images into the node's containerd (imagePullPolicy: Never/IfNotPresent)
#
# The admin kubeconfig is $SCRIPTFORGE_NODE_DIR/kubeconfig (default /var/lib/scriptforge-node/kubeconfig).
# From the machine, the API server, the Service ClusterIPs (through kube-proxy) and the pod IPs are routed into
# the node's namespace over a veth pair; pods cannot open connections out of it. Needs root (namespaces, mounts,
# cgroups) on Linux; installs containerd, runc, the CNI plugins, iptables and conntrack on Debian/Ubuntu.
# The pitfalls of this machine that shaped it are in ../shared/notes/real-node.md, beside the repository.
set -euo pipefail
HACK=$(cd "$(dirname "$0")" && pwd)
source "$HACK/lib/packages.sh"

STATE=${SCRIPTFORGE_NODE_DIR:-/var/lib/scriptforge-node}
NETNS=${SCRIPTFORGE_NODE_NETNS:-scriptforge-node}
NODE_NAME=scriptforge-node
HOST_IP=${SCRIPTFORGE_NODE_HOST_IP:-10.213.0.1}       # the machine's end of the veth pair
NODE_IP=${SCRIPTFORGE_NODE_IP:-10.213.0.2}            # the node's address: API server, kubelet, DNS
POD_CIDR=${SCRIPTFORGE_NODE_POD_CIDR:-10.214.0.0/24}
POD_GATEWAY=${POD_CIDR%.*}.1
SERVICE_CIDR=${SCRIPTFORGE_NODE_SERVICE_CIDR:-10.215.0.0/24}
API_SERVICE_IP=${SERVICE_CIDR%.*}.1
DNS_SERVICE_IP=${SERVICE_CIDR%.*}.10
HOST_LINK=sfnode0   # in the machine's namespace
NODE_LINK=sfnode1   # in the node's namespace
BRIDGE=sfcni0
# Global sysctls the kubelet insists on (it sets them when it starts); saved before and restored after.
SYSCTLS=(vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes)
KUBECONFIG_FILE=$STATE/kubeconfig
MNTNS=$STATE/ns/mnt
# Paths containerd, runc, the CNI plugins and the kubelet write to whatever they are told: inside the node's mount
# namespace each is a bind mount of a directory under $STATE, so nothing of theirs lands on the machine's own.
NODE_PATHS=(/run/containerd /var/lib/cni /var/lib/kubelet /var/log/containers)

log() { echo "node: $*" >&2; }
die() { echo "node: error: $*" >&2; exit 1; }

require_root() {
  [ "$(uname -s)" = Linux ] || die "the node needs Linux (namespaces, cgroups, overlayfs)"
  [ "$(id -u)" = 0 ] || die "the node needs root (network and mount namespaces, cgroups, iptables): run it with sudo"
}

# Runs a command inside the node's network and mount namespaces.
in_node() { nsenter --net="/run/netns/$NETNS" --mount="$MNTNS" -- "$@"; }

# Starts a node process in the background, detached, its output in $STATE/logs/<name>.log, its pid in $STATE/pids.
start() { # <name> <command...>
  local name=$1; shift
  mkdir -p "$STATE/logs" "$STATE/pids"
  in_node setsid sh -c 'echo $$ > "$0"; exec "$@"' "$STATE/pids/$name.pid" "$@" </dev/null >>"$STATE/logs/$name.log" 2>&1 &
  local i
  for i in $(seq 50); do [ -s "$STATE/pids/$name.pid" ] && return 0; sleep 0.1; done
  die "$name did not start; see $STATE/logs/$name.log"
}

alive() { local pid; pid=$(cat "$STATE/pids/$1.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null; }

# Waits until a probe succeeds, failing early (with its log) when the process behind it has exited.
await() { # <what> <process> <seconds> <probe command...>
  local what=$1 process=$2 seconds=$3; shift 3
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    if [ -n "$process" ] && ! alive "$process"; then
      tail -n 30 "$STATE/logs/$process.log" >&2 || true
      die "$process exited while waiting for $what (log: $STATE/logs/$process.log)"
    fi
    [ "$(date +%s)" -lt "$deadline" ] || { [ -z "$process" ] || tail -n 30 "$STATE/logs/$process.log" >&2; die "timed out after ${seconds}s waiting for $what"; }
    sleep 0.5
  done
}

kubectl() { "$K8S_BIN/kubectl" --kubeconfig="$KUBECONFIG_FILE" "$@"; }

# ---------------------------------------------------------------------------------------------------- up

cmd_up() {
  require_root
  need_packages containerd=containerd runc=runc iptables=iptables conntrack=conntrack nsenter=util-linux \
    ip=iproute2 openssl=openssl curl=curl
  [ -x /usr/lib/cni/bridge ] || [ -x /opt/cni/bin/bridge ] || need_packages /usr/lib/cni/bridge=containernetworking-plugins
  CNI_BIN=/usr/lib/cni; [ -x $CNI_BIN/bridge ] || CNI_BIN=/opt/cni/bin
  [ -d /sys/fs/cgroup/memory ] || die "this script drives cgroup v1 (the kubelet's cgroupfs driver); /sys/fs/cgroup/memory is missing"
  local started; started=$(date +%s)
  K8S_BIN=$(bash "$HACK/k8s-binaries.sh")
  ADDONS_BIN=$(bash "$HACK/node-addons.sh")
  PAUSE_TAR=$(bash "$HACK/node-images.sh" pause | awk '{print $3}')
  log "binaries and images ready in $(( $(date +%s) - started )) s"

  if [ -e "$STATE/up" ] || ip netns list 2>/dev/null | grep -qw "$NETNS"; then
    log "a node from an earlier run is still here: taking it down first"
    cmd_down
  fi
  local t0; t0=$(date +%s)
  mkdir -p "$STATE"
  touch "$STATE/up"
  save_sysctls
  make_namespaces
  write_pki
  write_configs
  start_control_plane
  start_node_processes
  start_addons
  log "up in $(( $(date +%s) - t0 )) s (after the builds): export KUBECONFIG=$KUBECONFIG_FILE"
}

save_sysctls() {
  [ -s "$STATE/sysctl.saved" ] && return 0   # a crashed run's saved values are the machine's own: keep them
  local key
  for key in "${SYSCTLS[@]}"; do echo "$key=$(sysctl -n "$key")"; done > "$STATE/sysctl.saved.partial"
  mv "$STATE/sysctl.saved.partial" "$STATE/sysctl.saved"
}

make_namespaces() {
  # Network: a veth pair to the machine, routes in for the node, the Services and the pods, and no way out.
  [ -d /run/netns ] || echo /run/netns >> "$STATE/created-dirs"
  ip netns add "$NETNS"
  ip link add "$HOST_LINK" type veth peer name "$NODE_LINK"
  ip link set "$NODE_LINK" netns "$NETNS"
  ip addr add "$HOST_IP/30" dev "$HOST_LINK"
  ip link set "$HOST_LINK" up
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" addr add "$NODE_IP/30" dev "$NODE_LINK"
  ip -n "$NETNS" link set "$NODE_LINK" up
  ip route add "$SERVICE_CIDR" via "$NODE_IP" dev "$HOST_LINK"
  ip route add "$POD_CIDR" via "$NODE_IP" dev "$HOST_LINK"
  # The kernel may lack the dummy link type: a veth pair inside the node carries the Service CIDR's route, which
  # the node's own processes need before kube-proxy's DNAT can apply (there is no default route to fall back on).
  ip -n "$NETNS" link add sfsvc0 type veth peer name sfsvc1
  ip -n "$NETNS" link set sfsvc0 up
  ip -n "$NETNS" link set sfsvc1 up
  ip -n "$NETNS" route add "$SERVICE_CIDR" dev sfsvc0
  ip netns exec "$NETNS" sysctl -qw net.ipv4.ip_forward=1
  # Pods may answer the machine, but never open a connection to it.
  ip netns exec "$NETNS" iptables -t mangle -A PREROUTING -i "$BRIDGE" -d "$HOST_IP/32" -m conntrack --ctstate NEW -j DROP

  # Mount: a namespace of the node's own, kept by a bind mount on $MNTNS (whose directory must be a private mount).
  mkdir -p "$STATE/ns"
  mount --bind "$STATE/ns" "$STATE/ns"
  mount --make-private "$STATE/ns"
  touch "$MNTNS"
  unshare --mount="$MNTNS" --propagation slave true
  local path
  for path in "${NODE_PATHS[@]}"; do
    [ -e "$path" ] || { mkdir -p "$path"; echo "$path" >> "$STATE/created-dirs"; }
    mkdir -p "$STATE/paths$path"
    nsenter --mount="$MNTNS" -- mount --bind "$STATE/paths$path" "$path"
  done

  # cgroups: the pods' tree under the cgroup this script runs in (so the machine's accounting still holds them).
  CGROUP_ROOT=$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)
  CGROUP_ROOT=${CGROUP_ROOT%/}/$NODE_NAME
  echo "$CGROUP_ROOT" > "$STATE/cgroup-root"
  local hierarchy
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -e "$hierarchy/cgroup.procs" ] && [ "$(basename "$hierarchy")" != unified ] || continue
    mkdir -p "$hierarchy$CGROUP_ROOT"
    if [ -e "$hierarchy/cpuset.cpus" ]; then   # a new cpuset takes no task until it has cpus and mems
      local dir=$hierarchy parent
      for part in ${CGROUP_ROOT//\// }; do
        parent=$dir; dir=$dir$part/
        [ -s "$dir/cpuset.cpus" ] || cat "$parent/cpuset.cpus" > "$dir/cpuset.cpus"
        [ -s "$dir/cpuset.mems" ] || cat "$parent/cpuset.mems" > "$dir/cpuset.mems"
      done
    fi
  done
}

write_pki() {
  local pki=$STATE/pki
  mkdir -p "$pki"
  cd "$pki"
  openssl_quiet() { openssl "$@" >/dev/null 2>&1 || { openssl "$@"; die "openssl $1 failed"; }; }
  ca() { openssl_quiet req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$2" -keyout "$1.key" -out "$1.crt"; }
  cert() { # <name> <ca> <subject> [subjectAltName]
    openssl_quiet req -newkey rsa:2048 -nodes -subj "$3" -keyout "$1.key" -out "$1.csr"
    local ext; ext=$(mktemp)
    { echo "basicConstraints=CA:FALSE"; echo "keyUsage=digitalSignature,keyEncipherment"
      if [ -n "${4:-}" ]; then echo "extendedKeyUsage=serverAuth"; echo "subjectAltName=$4"; else echo "extendedKeyUsage=clientAuth"; fi
    } > "$ext"
    openssl_quiet x509 -req -in "$1.csr" -CA "$2.crt" -CAkey "$2.key" -CAcreateserial -days 30 -extfile "$ext" -out "$1.crt"
    rm -f "$1.csr" "$ext"
  }
  ca ca scriptforge-node-ca
  cert apiserver ca "/CN=kube-apiserver" "IP:$NODE_IP,IP:$API_SERVICE_IP,IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local"
  cert apiserver-kubelet-client ca "/O=system:masters/CN=kube-apiserver-kubelet-client"
  ca front-proxy-ca front-proxy-ca
  cert front-proxy-client front-proxy-ca "/CN=front-proxy-client"
  openssl_quiet genrsa -out sa.key 2048
  openssl_quiet rsa -in sa.key -pubout -out sa.pub
  chmod 600 ./*.key
  cd - >/dev/null

  # Static tokens, one per component (and the admin): token,user,uid,"groups".
  token() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  : > "$STATE/tokens.csv"
  chmod 600 "$STATE/tokens.csv"
  local name user groups t
  mkdir -p "$STATE/kubeconfigs"
  for name in admin kubelet kube-controller-manager kube-scheduler kube-proxy coredns metrics-server; do
    case $name in
      admin) user=kubernetes-admin; groups=system:masters ;;
      kubelet) user=system:node:$NODE_NAME; groups=system:nodes ;;
      kube-controller-manager|kube-scheduler|kube-proxy) user=system:$name; groups= ;;
      *) user=scriptforge-node:$name; groups= ;;
    esac
    t=$(token)
    echo "$t,$user,$name,\"$groups\"" >> "$STATE/tokens.csv"
    kubeconfig_for "$STATE/kubeconfigs/$name.kubeconfig" "$user" "$t"
  done
  cp "$STATE/kubeconfigs/admin.kubeconfig" "$KUBECONFIG_FILE"
}

kubeconfig_for() { # <file> <user> <token>
  cat > "$1" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $NODE_NAME
  cluster:
    server: https://$NODE_IP:6443
    certificate-authority: $STATE/pki/ca.crt
users:
- name: $2
  user:
    token: $3
contexts:
- name: $NODE_NAME
  context: {cluster: $NODE_NAME, user: $2}
current-context: $NODE_NAME
EOF
  chmod 600 "$1"
}

write_configs() {
  local pause_ref=localhost/scriptforge/pause:1.0
  mkdir -p "$STATE/containerd" "$STATE/cni/net.d" "$STATE/kubelet" "$STATE/coredns" "$STATE/volumes"
  cat > "$STATE/containerd/config.toml" <<EOF
version = 2
root = "$STATE/containerd/root"
state = "$STATE/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$STATE/containerd/containerd.sock"
[ttrpc]
  address = "$STATE/containerd/containerd.sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$STATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$pause_ref"
  # No CAP_SYS_RESOURCE in some VMs: runc must not lower oom_score_adj below its own.
  restrict_oom_score_adj = true
  enable_selinux = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "$CNI_BIN"
    conf_dir = "$STATE/cni/net.d"
EOF
  cat > "$STATE/cni/net.d/10-scriptforge.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "scriptforge",
  "plugins": [
    {"type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$STATE/cni/ipam", "ranges": [[{"subnet": "$POD_CIDR", "gateway": "$POD_GATEWAY"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
  cat > "$STATE/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: 10250
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $STATE/pki/ca.crt}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: $(cat "$STATE/cgroup-root")
containerRuntimeEndpoint: unix://$STATE/containerd/containerd.sock
failSwapOn: false
clusterDomain: cluster.local
clusterDNS: [$DNS_SERVICE_IP]
resolvConf: ""
podLogsDir: $STATE/pod-logs
# The images were imported, not pulled: they could not come back, so the kubelet must never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
serializeImagePulls: false
syncFrequency: 10s
rotateCertificates: false
serverTLSBootstrap: false
protectKernelDefaults: false
shutdownGracePeriod: 0s
EOF
  # kube-proxy exits when its configuration changes under it: written once, before it starts.
  cat > "$STATE/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $STATE/kubeconfigs/kube-proxy.kubeconfig}
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
clusterCIDR: $POD_CIDR
mode: iptables
# Every Service connection is masqueraded, so replies between pods on the one bridge come back through kube-proxy's
# rules (the kernel's bridge netfilter hook is not needed).
iptables: {masqueradeAll: true, minSyncPeriod: 0s, syncPeriod: 30s}
# Leave the machine's global conntrack settings alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$NODE_IP/32"]
EOF
  # No upstream: names outside the cluster answer NXDOMAIN at once (no SERVFAIL after a timeout).
  cat > "$STATE/coredns/Corefile" <<EOF
cluster.local:53 in-addr.arpa:53 ip6.arpa:53 {
    bind $NODE_IP
    errors
    ready 127.0.0.1:8181
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        kubeconfig $STATE/kubeconfigs/coredns.kubeconfig
        pods insecure
        ttl 5
    }
    cache 5
}
.:53 {
    bind $NODE_IP
    errors
    template ANY ANY {
        rcode NXDOMAIN
    }
}
EOF
}

start_control_plane() {
  local pki=$STATE/pki
  start etcd "$K8S_BIN/etcd" --name="$NODE_NAME" --data-dir="$STATE/etcd" \
    --listen-client-urls=http://127.0.0.1:2379 --advertise-client-urls=http://127.0.0.1:2379 \
    --listen-peer-urls=http://127.0.0.1:2380 --initial-advertise-peer-urls=http://127.0.0.1:2380 \
    --initial-cluster="$NODE_NAME=http://127.0.0.1:2380" --listen-metrics-urls=http://127.0.0.1:2381 \
    --unsafe-no-fsync=true --log-level=warn
  await "etcd" etcd 60 in_node curl -fsS http://127.0.0.1:2379/health
  start kube-apiserver "$K8S_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
    --bind-address=0.0.0.0 --advertise-address="$NODE_IP" --secure-port=6443 \
    --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --token-auth-file="$STATE/tokens.csv" --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --allow-privileged=true \
    --kubelet-client-certificate="$pki/apiserver-kubelet-client.crt" --kubelet-client-key="$pki/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP \
    --requestheader-client-ca-file="$pki/front-proxy-ca.crt" --requestheader-allowed-names=front-proxy-client \
    --requestheader-extra-headers-prefix=X-Remote-Extra- --requestheader-group-headers=X-Remote-Group \
    --requestheader-username-headers=X-Remote-User \
    --proxy-client-cert-file="$pki/front-proxy-client.crt" --proxy-client-key-file="$pki/front-proxy-client.key" \
    --enable-aggregator-routing=true --profiling=false
  await "kube-apiserver /readyz" kube-apiserver 90 kubectl get --raw /readyz
  start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$STATE/kubeconfigs/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/kubeconfigs/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/kubeconfigs/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --service-cluster-ip-range="$SERVICE_CIDR" --horizontal-pod-autoscaler-sync-period=5s \
    --flex-volume-plugin-dir="$STATE/flexvolume" --profiling=false
  start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig="$STATE/kubeconfigs/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/kubeconfigs/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/kubeconfigs/kube-scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
}

start_node_processes() {
  start containerd containerd --config "$STATE/containerd/config.toml"
  await "containerd" containerd 30 ctr_node version
  ctr_node images import "$PAUSE_TAR" >/dev/null
  start kubelet "$K8S_BIN/kubelet" --config="$STATE/kubelet/config.yaml" \
    --kubeconfig="$STATE/kubeconfigs/kubelet.kubeconfig" --root-dir="$STATE/kubelet/root" \
    --cert-dir="$STATE/kubelet/pki" --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1
  start kube-proxy "$K8S_BIN/kube-proxy" --config="$STATE/kube-proxy.yaml"
  await "node $NODE_NAME Ready" kubelet 120 node_ready
}

node_ready() { kubectl get node "$NODE_NAME" -o 'jsonpath={.status.conditions[?(@.type=="Ready")].status}' | grep -qx True; }

ctr_node() { in_node ctr --address "$STATE/containerd/containerd.sock" -n k8s.io "$@"; }

start_addons() {
  kubectl apply -f - >/dev/null <<EOF
$(addon_manifests)
EOF
  start coredns "$ADDONS_BIN/coredns" -conf "$STATE/coredns/Corefile"
  start metrics-server "$ADDONS_BIN/metrics-server" --secure-port=4443 --bind-address="$NODE_IP" \
    --cert-dir="$STATE/metrics-server" --kubeconfig="$STATE/kubeconfigs/metrics-server.kubeconfig" \
    --authentication-kubeconfig="$STATE/kubeconfigs/metrics-server.kubeconfig" \
    --authorization-kubeconfig="$STATE/kubeconfigs/metrics-server.kubeconfig" \
    --kubelet-insecure-tls --kubelet-preferred-address-types=InternalIP --kubelet-use-node-status-port \
    --metric-resolution=10s --kubelet-request-timeout=5s
  await "CoreDNS" coredns 60 in_node curl -fsS http://127.0.0.1:8181/ready
  await "ServiceAccount default" "" 60 kubectl -n default get serviceaccount default
  await "the metrics API (metrics-server's first scrape)" metrics-server 120 kubectl get --raw "/apis/metrics.k8s.io/v1beta1/nodes/$NODE_NAME"
}

# What the node's add-ons need from the API: their RBAC, the Services the cluster reaches them by (their
# endpoints are the node's own address, where they run as processes), the metrics APIService, and a default
# StorageClass with volumes on the node's disk for PersistentVolumeClaims.
addon_manifests() {
  cat <<EOF
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "scriptforge-node:coredns"}
rules:
- {apiGroups: [""], resources: [endpoints, services, pods, namespaces], verbs: [list, watch]}
- {apiGroups: [discovery.k8s.io], resources: [endpointslices], verbs: [list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "scriptforge-node:coredns"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "scriptforge-node:coredns"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "scriptforge-node:coredns"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: "scriptforge-node:metrics-server"}
rules:
- {apiGroups: [""], resources: [nodes/metrics], verbs: [get]}
- {apiGroups: [""], resources: [pods, nodes], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "scriptforge-node:metrics-server"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "scriptforge-node:metrics-server"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "scriptforge-node:metrics-server"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: "scriptforge-node:metrics-server:auth-delegator"}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:auth-delegator"}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "scriptforge-node:metrics-server"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: "scriptforge-node:metrics-server:auth-reader", namespace: kube-system}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: "scriptforge-node:metrics-server"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: "scriptforge-node:aggregated-metrics-reader"
  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true", rbac.authorization.k8s.io/aggregate-to-edit: "true", rbac.authorization.k8s.io/aggregate-to-admin: "true"}
rules:
- {apiGroups: [metrics.k8s.io], resources: [pods, nodes], verbs: [get, list, watch]}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
spec:
  clusterIP: $DNS_SERVICE_IP
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
---
apiVersion: v1
kind: Endpoints
metadata: {name: kube-dns, namespace: kube-system, labels: {k8s-app: kube-dns}}
subsets:
- addresses: [{ip: $NODE_IP}]
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
---
apiVersion: v1
kind: Service
metadata: {name: metrics-server, namespace: kube-system, labels: {k8s-app: metrics-server}}
spec:
  ports: [{name: https, port: 443, targetPort: 4443, protocol: TCP}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: metrics-server, namespace: kube-system, labels: {k8s-app: metrics-server}}
subsets:
- addresses: [{ip: $NODE_IP}]
  ports: [{name: https, port: 4443, protocol: TCP}]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: {name: v1beta1.metrics.k8s.io}
spec:
  service: {name: metrics-server, namespace: kube-system, port: 443}
  group: metrics.k8s.io
  version: v1beta1
  # metrics-server serves a certificate it made itself; the API server reaches it on the node's own address.
  insecureSkipTLSVerify: true
  groupPriorityMinimum: 100
  versionPriority: 100
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  name: local
  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: WaitForFirstConsumer
reclaimPolicy: Delete
EOF
  local i
  for i in 1 2 3 4; do
    # Writable by any uid: a hostPath volume ignores fsGroup.
    mkdir -p "$STATE/volumes/pv-$i" && chmod 0777 "$STATE/volumes/pv-$i"
    cat <<EOF
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: scriptforge-node-pv-$i}
spec:
  capacity: {storage: 20Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  storageClassName: local
  hostPath: {path: $STATE/volumes/pv-$i, type: Directory}
EOF
  done
}

# ---------------------------------------------------------------------------------------------------- down

cmd_down() {
  require_root
  local t0; t0=$(date +%s)
  # Graceful first, in reverse order of start, so that the kubelet stops its pods and nothing restarts them.
  local name
  for name in metrics-server coredns kube-proxy kubelet; do stop_process "$name" 10; done
  kill_pods
  for name in containerd kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_process "$name" 10; done
  kill_namespace_processes
  kill_pods   # what a crashed run left behind has no kubelet to stop it
  remove_cgroups
  if [ -e "$MNTNS" ]; then umount "$MNTNS" 2>/dev/null || umount -l "$MNTNS" 2>/dev/null || true; fi
  if mountpoint -q "$STATE/ns" 2>/dev/null; then umount "$STATE/ns" 2>/dev/null || umount -l "$STATE/ns"; fi
  ip netns delete "$NETNS" 2>/dev/null || true
  ip link delete "$HOST_LINK" 2>/dev/null || true
  remove_dead_pod_netns
  restore_sysctls
  # The mount points made for NODE_PATHS (and /run/netns) are empty again: those the machine did not have go.
  if [ -s "$STATE/created-dirs" ]; then
    tac "$STATE/created-dirs" | while IFS= read -r dir; do
      # `ip netns add` bind-mounts /run/netns on itself: once it is empty, that mount goes too.
      if mountpoint -q "$dir" && [ -z "$(ls -A "$dir")" ]; then umount "$dir" 2>/dev/null || true; fi
      rmdir "$dir" 2>/dev/null || log "left $dir in place (not empty, or still mounted)"
    done
  fi
  # Nothing of the node's is mounted any more (its mount namespace is gone): its files can go.
  if grep -q " $STATE[/ ]" /proc/self/mountinfo; then
    die "something is still mounted under $STATE (see /proc/self/mountinfo): not deleting it"
  fi
  rm -rf "$STATE"
  log "down in $(( $(date +%s) - t0 )) s; the machine is as it was"
}

stop_process() { # <name> <seconds>
  local pid
  pid=$(cat "$STATE/pids/$1.pid" 2>/dev/null) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  local i
  for i in $(seq $(( $2 * 10 ))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Every process in the node's network or mount namespace: shims, and what an earlier run left behind.
kill_namespace_processes() {
  local net mnt pid round
  net=$(stat -L -c %i "/run/netns/$NETNS" 2>/dev/null || true)
  mnt=$( [ -e "$MNTNS" ] && nsenter --mount="$MNTNS" -- stat -L -c %i /proc/self/ns/mnt 2>/dev/null || true)
  [ -n "$net$mnt" ] || return 0
  for round in 1 2 3; do
    local victims=()
    for pid in /proc/[0-9]*; do
      pid=${pid#/proc/}
      [ "$pid" = $$ ] && continue
      local n m
      n=$(stat -L -c %i "/proc/$pid/ns/net" 2>/dev/null) || continue
      m=$(stat -L -c %i "/proc/$pid/ns/mnt" 2>/dev/null) || continue
      if { [ -n "$net" ] && [ "$n" = "$net" ]; } || { [ -n "$mnt" ] && [ "$m" = "$mnt" ]; }; then victims+=("$pid"); fi
    done
    [ ${#victims[@]} -gt 0 ] || return 0
    kill -KILL "${victims[@]}" 2>/dev/null || true
    sleep 0.5
  done
}

# Every task in the pods' cgroups (containers live in namespaces of their own, so only their cgroups find them).
kill_pods() {
  local root; root=$(cat "$STATE/cgroup-root" 2>/dev/null) || return 0
  local round
  for round in 1 2 3 4 5; do
    local pids
    pids=$(find /sys/fs/cgroup/*"$root" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u || true)
    [ -n "$pids" ] || return 0
    # shellcheck disable=SC2086
    kill -KILL $pids 2>/dev/null || true
    sleep 0.5
  done
}

remove_cgroups() {
  local root; root=$(cat "$STATE/cgroup-root" 2>/dev/null) || return 0
  [ -n "$root" ] && [ "$root" != / ] || return 0
  local dir
  for dir in /sys/fs/cgroup/*"$root"; do
    [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
}

# containerd names each pod's network namespace /run/netns/cni-*; the bind mount died with the node's mount
# namespace, an empty file stays: remove those that are no longer mounted (never a live one of another runtime).
remove_dead_pod_netns() {
  local f
  for f in /run/netns/cni-*; do
    [ -e "$f" ] || continue
    mountpoint -q "$f" || rm -f "$f"
  done
}

restore_sysctls() {
  [ -s "$STATE/sysctl.saved" ] || return 0
  local line
  while IFS= read -r line; do sysctl -qw "$line" || log "could not restore $line"; done < "$STATE/sysctl.saved"
}

# ---------------------------------------------------------------------------------------------------- other

cmd_status() {
  if [ ! -e "$STATE/up" ]; then echo "no node (hack/node.sh up starts one)"; exit 1; fi
  K8S_BIN=$(bash "$HACK/k8s-binaries.sh")
  local name
  for name in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet kube-proxy coredns metrics-server; do
    if alive "$name"; then echo "$name: running (pid $(cat "$STATE/pids/$name.pid"))"; else echo "$name: not running (log: $STATE/logs/$name.log)"; fi
  done
  echo "KUBECONFIG=$KUBECONFIG_FILE"
  kubectl get nodes -o wide
}

cmd_import() {
  require_root
  [ -e "$STATE/up" ] || die "no node: hack/node.sh up first"
  local tar
  for tar in "$@"; do
    [ -s "$tar" ] || die "no image tarball at $tar"
    # Absolute: entering the node's mount namespace moves the working directory to its root.
    ctr_node images import "$(realpath "$tar")" | sed 's/^/node: imported /' >&2
  done
}

case ${1:-} in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  import) shift; cmd_import "$@" ;;
  *) echo "usage: hack/node.sh up | down | status | import <image.tar>..." >&2; exit 2 ;;
esac

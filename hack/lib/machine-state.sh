# Sourced by hack/e2e-node.sh: what of this machine a node could leave behind, as text to compare before and
# after (network namespaces, links, routes, mount points, the kubelet's global sysctls, the node's processes,
# cgroups and directories).
machine_state() {
  echo "## network namespaces"; ip netns list 2>/dev/null | awk '{print $1}' | sort
  echo "## links"; ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort
  echo "## routes"; ip route | sort
  echo "## mount points"; awk '{print $5}' /proc/self/mountinfo | sort
  echo "## sysctls"; sysctl vm.overcommit_memory vm.panic_on_oom kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes
  echo "## node processes"; pgrep -a -f '(kube-apiserver|kube-controller-manager|kube-scheduler|kubelet|kube-proxy|etcd|containerd|metrics-server|coredns) ' | awk '{print $2}' | sort
  echo "## cgroups"; find /sys/fs/cgroup -maxdepth 8 -type d -name 'scriptforge-node*' 2>/dev/null | sort
  echo "## directories"; ls -d /run/netns /run/containerd /var/lib/cni /var/lib/kubelet /var/log/containers /var/lib/scriptforge-node 2>/dev/null
}

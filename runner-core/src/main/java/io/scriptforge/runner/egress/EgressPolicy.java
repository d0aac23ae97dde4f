package io.scriptforge.runner.egress;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the Scripts of a RunnerPool may send HTTP requests. A host name must match {@code allowHosts}
 * (exact names, or {@code *.example.com} for any subdomain) unless that list is empty (any name);
 * then every address it resolves to is checked: private, loopback, link-local, metadata and other
 * special ranges are refused unless an {@code allowCidrs} range contains the address. The check is
 * on the resolved address the client then connects to, so a name cannot be re-pointed in between.
 */
public record EgressPolicy(List<String> allowHosts, List<Cidr> allowCidrs) {
    /** The default: any public address, nothing private. */
    public static final EgressPolicy DEFAULT = new EgressPolicy(List.of(), List.of());

    /**
     * Ranges no Script reaches unless allowCidrs names them: not the public internet, or a cloud's metadata service.
     * Every IPv6 form that carries an IPv4 address to a translator (IPv4-compatible {@code ::/96}, IPv4-translated
     * {@code ::ffff:0:0:0/96}, NAT64 {@code 64:ff9b::/96} and {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16}) is
     * refused whole, so no such form reaches a refused IPv4 address; IPv4-mapped {@code ::ffff:0:0/96} counts as
     * the IPv4 address it maps.
     */
    static final List<Cidr> SPECIAL = List.of(
                    "0.0.0.0/8",
                    "10.0.0.0/8",
                    "100.64.0.0/10",
                    "127.0.0.0/8",
                    "169.254.0.0/16",
                    "172.16.0.0/12",
                    "192.0.0.0/24",
                    "192.0.2.0/24",
                    "192.88.99.0/24",
                    "192.168.0.0/16",
                    "198.18.0.0/15",
                    "198.51.100.0/24",
                    "203.0.113.0/24",
                    "224.0.0.0/4",
                    "240.0.0.0/4",
                    "::/128",
                    "::1/128",
                    "::/96",
                    "::ffff:0:0:0/96",
                    "64:ff9b::/96",
                    "64:ff9b:1::/48",
                    "100::/64",
                    "2001:db8::/32",
                    "2002::/16",
                    "fc00::/7",
                    "fe80::/10",
                    "fec0::/10",
                    "ff00::/8")
            .stream()
            .map(Cidr::parse)
            .toList();

    public EgressPolicy {
        allowHosts = allowHosts.stream()
                .map(h -> h.trim().toLowerCase(Locale.ROOT))
                .filter(h -> !h.isEmpty())
                .toList();
        allowCidrs = List.copyOf(allowCidrs);
        for (String host : allowHosts) {
            if (host.contains("*") && !(host.startsWith("*.") && host.indexOf('*', 1) < 0)) {
                throw new IllegalArgumentException(
                        "allowed host '" + host + "': a wildcard is only allowed as a leading '*.' (*.example.com)");
            }
        }
    }

    public static EgressPolicy of(List<String> allowHosts, List<String> allowCidrs) {
        return new EgressPolicy(
                allowHosts,
                allowCidrs.stream().filter(c -> !c.isBlank()).map(Cidr::parse).toList());
    }

    /** Why a request to {@code host} is refused before any name is resolved, or empty when the name is allowed. */
    public Optional<String> refuseHost(String host) {
        if (allowHosts.isEmpty()) {
            return Optional.empty();
        }
        String name = normalise(host);
        for (String allowed : allowHosts) {
            if (allowed.startsWith("*.") ? name.endsWith(allowed.substring(1)) : name.equals(allowed)) {
                return Optional.empty();
            }
        }
        return Optional.of("host '" + host + "' is not in the pool's allowed hosts " + allowHosts);
    }

    /** Why connecting to {@code address} is refused, or empty when it is allowed. */
    public Optional<String> refuseAddress(InetAddress address) {
        for (Cidr allowed : allowCidrs) {
            if (allowed.contains(address)) {
                return Optional.empty();
            }
        }
        for (Cidr special : SPECIAL) {
            if (special.contains(address)) {
                return Optional.of(
                        "the address " + address.getHostAddress() + " is in " + special + ", a private, loopback,"
                                + " link-local or otherwise non-public range: allow it with the pool's spec.egress.allowCidrs");
            }
        }
        return Optional.empty();
    }

    private static String normalise(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}

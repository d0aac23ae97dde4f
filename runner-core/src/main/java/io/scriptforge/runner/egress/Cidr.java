package io.scriptforge.runner.egress;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An address range, {@code 10.0.0.0/8} or {@code fd00::/8} (a bare address is a range of one). */
public record Cidr(byte[] network, int prefixLength, String text) {
    private static final Pattern LITERAL = Pattern.compile("[0-9a-fA-F:.]+");

    /** Parses a range; only IP literals, so parsing never resolves a name. */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        if (!LITERAL.matcher(address).matches() || !(address.contains(".") || address.contains(":"))) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR range such as 10.0.0.0/8 or fd00::/8");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR range such as 10.0.0.0/8 or fd00::/8", e);
        }
        int max = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the prefix length is not a number", e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("'" + text + "': the prefix length must be between 0 and " + max);
        }
        return new Cidr(bytes, prefix, trimmed);
    }

    /** True when {@code address} is in the range; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    public boolean contains(InetAddress address) {
        byte[] candidate = comparable(address);
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    /** The address's bytes, IPv4-mapped IPv6 ({@code ::ffff:a.b.c.d}) unwrapped to IPv4. */
    static byte[] comparable(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && isMapped(bytes)) {
            byte[] v4 = new byte[4];
            System.arraycopy(bytes, 12, v4, 0, 4);
            return v4;
        }
        return bytes;
    }

    private static boolean isMapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}

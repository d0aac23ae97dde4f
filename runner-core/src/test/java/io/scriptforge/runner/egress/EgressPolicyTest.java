package io.scriptforge.runner.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which hosts and addresses a pool's Scripts may reach: names first, then every resolved address. */
class EgressPolicyTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.10.0.3",
                "10.1.2.3",
                "172.16.0.1",
                "172.31.255.255",
                "192.168.1.1",
                "169.254.169.254",
                "169.254.1.1",
                "100.64.0.1",
                "0.0.0.0",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd12:3456::1",
                "ff02::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::ffff:169.254.169.254",
                "64:ff9b::a00:1",
                "2002:a00:1::1"
            })
    void theDefaultPolicyRefusesPrivateLoopbackLinkLocalAndMetadataAddresses(String address) throws Exception {
        assertThat(EgressPolicy.DEFAULT.refuseAddress(ip(address))).as(address).isPresent();
    }

    /** 127.0.0.1 and 169.254.169.254 in every IPv6 form a translator may turn into them; public ones too (allowCidrs opens them). */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "::ffff:0:7f00:1",
                "::ffff:0:a9fe:a9fe",
                "::ffff:0:808:808", // IPv4-translated (RFC 2765)
                "::7f00:1",
                "::a9fe:a9fe", // IPv4-compatible
                "64:ff9b::7f00:1",
                "64:ff9b::a9fe:a9fe",
                "64:ff9b:1::7f00:1",
                "64:ff9b:1:ffff::a9fe:a9fe", // NAT64
                "2002:7f00:1::1",
                "2002:a9fe:a9fe::"
            }) // 6to4
    void noIpv6TransitionFormReachesAnIpv4AddressUnlessAllowed(String address) throws Exception {
        assertThat(EgressPolicy.DEFAULT.refuseAddress(ip(address))).as(address).isPresent();
        assertThat(EgressPolicy.of(List.of(), List.of("::ffff:0:0:0/96", "::/96", "64:ff9b::/32", "2002::/16"))
                        .refuseAddress(ip(address)))
                .as("%s, its range allowed", address)
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.216.34",
                "8.8.8.8",
                "172.32.0.1",
                "192.169.0.1",
                "2606:2800:220:1:248:1893:25c8:1946",
                "::ffff:8.8.8.8"
            })
    void theDefaultPolicyAllowsPublicAddresses(String address) throws Exception {
        assertThat(EgressPolicy.DEFAULT.refuseAddress(ip(address))).as(address).isEmpty();
    }

    @Test
    void aRefusalNamesTheRangeAndTheSettingThatWouldAllowIt() throws Exception {
        assertThat(EgressPolicy.DEFAULT.refuseAddress(ip("169.254.169.254")).orElseThrow())
                .isEqualTo(
                        "the address 169.254.169.254 is in 169.254.0.0/16, a private, loopback, link-local or otherwise"
                                + " non-public range: allow it with the pool's spec.egress.allowCidrs");
    }

    @Test
    void allowedCidrsOpenPrivateRangesAndOnlyThose() throws Exception {
        EgressPolicy policy = EgressPolicy.of(List.of(), List.of("10.20.0.0/16", "127.0.0.1", "fd00::/8"));
        assertThat(policy.refuseAddress(ip("10.20.3.4"))).isEmpty();
        assertThat(policy.refuseAddress(ip("::ffff:10.20.3.4")))
                .as("mapped IPv6 counts as its IPv4 address")
                .isEmpty();
        assertThat(policy.refuseAddress(ip("10.21.0.1"))).isPresent();
        assertThat(policy.refuseAddress(ip("127.0.0.1"))).isEmpty();
        assertThat(policy.refuseAddress(ip("127.0.0.2"))).isPresent();
        assertThat(policy.refuseAddress(ip("fd00::5"))).isEmpty();
        assertThat(policy.refuseAddress(ip("fc00::5"))).isPresent();
        assertThat(policy.refuseAddress(ip("169.254.169.254"))).isPresent();
    }

    @Test
    void noAllowedHostsMeansAnyNameButAListRestrictsNamesToExactOnesAndSubdomains() {
        assertThat(EgressPolicy.DEFAULT.refuseHost("api.stripe.com")).isEmpty();
        EgressPolicy policy = EgressPolicy.of(List.of("api.stripe.com", "*.example.org"), List.of());
        assertThat(policy.refuseHost("api.stripe.com")).isEmpty();
        assertThat(policy.refuseHost("API.Stripe.com."))
                .as("case and a trailing dot do not matter")
                .isEmpty();
        assertThat(policy.refuseHost("feeds.example.org")).isEmpty();
        assertThat(policy.refuseHost("a.b.example.org")).isEmpty();
        assertThat(policy.refuseHost("example.org"))
                .as("*.example.org is its subdomains only")
                .isPresent();
        assertThat(policy.refuseHost("evilexample.org")).isPresent();
        assertThat(policy.refuseHost("stripe.com")).isPresent();
        assertThat(policy.refuseHost("api.stripe.com.evil.net").orElseThrow())
                .isEqualTo(
                        "host 'api.stripe.com.evil.net' is not in the pool's allowed hosts [api.stripe.com, *.example.org]");
    }

    @Test
    void badSettingsAreRefusedSayingWhatIsExpected() {
        assertThatThrownBy(() -> EgressPolicy.of(List.of("api.*.com"), List.of()))
                .hasMessageContaining("leading '*.'");
        assertThatThrownBy(() -> EgressPolicy.of(List.of(), List.of("10.0.0.0/33")))
                .hasMessageContaining("between 0 and 32");
        assertThatThrownBy(() -> EgressPolicy.of(List.of(), List.of("intranet.local/8")))
                .hasMessageContaining("not a CIDR range");
    }
}

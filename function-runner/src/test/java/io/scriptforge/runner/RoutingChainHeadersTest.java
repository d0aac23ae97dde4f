package io.scriptforge.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.scriptforge.runner.gateway.RoutingHeaders;
import io.scriptforge.runner.gateway.RoutingHeaders.Header;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The header rules of a routing chain (RoutingHeaders), one rule a test. */
class RoutingChainHeadersTest {
    private static final String TWO_DESTINATIONS =
            "{\"routing\":{},\"egress_routing\":[{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"},{\"key\":\"X-Keep\",\"value\":\"k\"}]},{}]}";

    private static List<List<Header>> effective(String input, String output) {
        return RoutingHeaders.effective(RunnerClient.parse(input), RunnerClient.parse(output));
    }

    private static Header h(String key, String value) {
        return new Header(key, value);
    }

    @Test
    void untouchedDestinationsKeepTheHeadersTheyCameWith() {
        assertThat(effective(TWO_DESTINATIONS, TWO_DESTINATIONS))
                .containsExactly(List.of(h("X-Customer-ID", "9"), h("X-Keep", "k")), List.of());
    }

    @Test
    void topLevelHeadersAreAddedToEveryDestination() {
        String out =
                "{\"routing\":{},\"headers\":[{\"key\":\"X-A\",\"value\":1234}],\"egress_routing\":[{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"},{\"key\":\"X-Keep\",\"value\":\"k\"}]},{}]}";
        assertThat(effective(TWO_DESTINATIONS, out))
                .as("a number value becomes text")
                .containsExactly(
                        List.of(h("X-Customer-ID", "9"), h("X-Keep", "k"), h("X-A", "1234")),
                        List.of(h("X-A", "1234")));
    }

    @Test
    void aDestinationsHeadersAreAddedToItAloneAfterTheTopLevelOnes() {
        String out = "{\"routing\":{},\"headers\":[{\"key\":\"X-All\",\"value\":\"a\"}],\"egress_routing\":[{},"
                + "{\"headers\":[{\"key\":\"X-One\",\"value\":1}]}]}";
        assertThat(effective("{\"routing\":{},\"egress_routing\":[{},{}]}", out))
                .containsExactly(List.of(h("X-All", "a")), List.of(h("X-All", "a"), h("X-One", "1")));
    }

    @Test
    void topLevelRemoveHeadersRemoveFromEveryDestinationIgnoringCase() {
        String in =
                "{\"routing\":{},\"egress_routing\":[{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"},{\"key\":\"X-Keep\",\"value\":\"k\"}]},{\"headers\":[{\"key\":\"x-customer-id\",\"value\":\"8\"}]}]}";
        String out =
                in.replace("{\"routing\":{},", "{\"routing\":{},\"remove_headers\":[{\"key\":\"X-CUSTOMER-ID\"}],");
        assertThat(effective(in, out)).containsExactly(List.of(h("X-Keep", "k")), List.of());
    }

    @Test
    void aDestinationsRemoveHeadersRemoveFromItAlone() {
        String in =
                "{\"routing\":{},\"egress_routing\":[{\"headers\":[{\"key\":\"X-C\",\"value\":\"1\"}]},{\"headers\":[{\"key\":\"X-C\",\"value\":\"2\"}]}]}";
        String out =
                "{\"routing\":{},\"egress_routing\":[{\"headers\":[{\"key\":\"X-C\",\"value\":\"1\"}],\"remove_headers\":[{\"key\":\"x-c\"}]},{\"headers\":[{\"key\":\"X-C\",\"value\":\"2\"}]}]}";
        assertThat(effective(in, out)).containsExactly(List.of(), List.of(h("X-C", "2")));
    }

    @Test
    void removeThenAddReplacesWhileAnAddAloneAppendsAnotherValue() {
        String in =
                "{\"routing\":{},\"egress_routing\":[{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"}]},{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"}]}]}";
        String out =
                "{\"routing\":{},\"egress_routing\":[{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"},{\"key\":\"X-Customer-ID\",\"value\":\"1234\"}],"
                        + "\"remove_headers\":[{\"key\":\"X-Customer-ID\"}]},{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"},{\"key\":\"X-Customer-ID\",\"value\":\"5\"}]}]}";
        assertThat(effective(in, out))
                .containsExactly(
                        List.of(h("X-Customer-ID", "1234")), List.of(h("X-Customer-ID", "9"), h("X-Customer-ID", "5")));
        String all =
                "{\"routing\":{},\"remove_headers\":[{\"key\":\"X-Customer-ID\"}],\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"1\"}],"
                        + "\"egress_routing\":[{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"}]},{\"headers\":[{\"key\":\"X-Customer-ID\",\"value\":\"9\"}]}]}";
        assertThat(effective(in, all))
                .containsExactly(List.of(h("X-Customer-ID", "1")), List.of(h("X-Customer-ID", "1")));
    }

    @Test
    void egressRoutingUnderRoutingWorksLikeTopLevelWhichWinsWhenBothArePresent() {
        String in = "{\"routing\":{\"egress_routing\":[{\"headers\":[{\"key\":\"X-C\",\"value\":\"1\"}]}]}}";
        String out =
                "{\"routing\":{\"egress_routing\":[{\"headers\":[{\"key\":\"X-C\",\"value\":\"1\"},{\"key\":\"X-D\",\"value\":\"2\"}]}]},\"remove_headers\":[{\"key\":\"X-C\"}]}";
        assertThat(effective(in, out)).containsExactly(List.of(h("X-D", "2")));
        String both =
                "{\"routing\":{\"egress_routing\":[{},{}]},\"egress_routing\":[{\"headers\":[{\"key\":\"X-Top\",\"value\":\"t\"}]}]}";
        assertThat(effective(in, both))
                .as("top level wins; the starting headers still come from the request's routing.egress_routing")
                .containsExactly(List.of(h("X-C", "1"), h("X-Top", "t")));
        assertThat(effective("{\"routing\":{}}", "{\"routing\":{},\"headers\":[{\"key\":\"X-A\",\"value\":\"1\"}]}"))
                .as("no destinations")
                .isEmpty();
    }
}

package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The header changes a routing chain declared, applied per destination (pure: no I/O). Scripts only
 * declare them, as the seed shows: {@code headers} / {@code remove_headers} at the top level apply to
 * every destination, the same fields inside {@code egress_routing[i]} to that destination only.
 *
 * <p>For destination {@code i}, starting from the headers it came with (the request's
 * {@code egress_routing[i].headers}), in this order:
 * <ol>
 *   <li>the top-level {@code remove_headers} (every header with that key goes),</li>
 *   <li>its own {@code remove_headers},</li>
 *   <li>the top-level {@code headers} are appended,</li>
 *   <li>its own {@code headers} are appended, less the entries it came with (those are already there).</li>
 * </ol>
 * So a header is replaced by removing it and adding it; an add alone appends another value. Keys
 * match case-insensitively, as SIP header names do; values are text (a number becomes its digits).
 *
 * <p>Destinations are {@code egress_routing} at the top level when that is a non-empty array, else
 * {@code routing.egress_routing}; the same rule picks the starting headers from the request.
 */
public final class RoutingHeaders {
    /** One SIP header. */
    public record Header(String key, String value) {}

    private RoutingHeaders() {}

    /** The effective headers of each destination of {@code output}, given the chain's {@code input}. */
    public static List<List<Header>> effective(JsonNode input, JsonNode output) {
        JsonNode destinations = destinations(output);
        JsonNode original = destinations(input);
        List<Header> removeAll = list(output.path("remove_headers"));
        List<Header> addAll = list(output.path("headers"));
        List<List<Header>> result = new ArrayList<>();
        for (int i = 0; i < destinations.size(); i++) {
            JsonNode destination = destinations.get(i);
            List<Header> start = list(original.path(i).path("headers"));
            List<Header> headers = new ArrayList<>(start);
            remove(headers, removeAll);
            remove(headers, list(destination.path("remove_headers")));
            headers.addAll(addAll);
            List<Header> own = new ArrayList<>(list(destination.path("headers")));
            for (Header came : start) { // what it came with is not an add (multiset difference)
                for (int j = 0; j < own.size(); j++) {
                    if (same(own.get(j), came)) {
                        own.remove(j);
                        break;
                    }
                }
            }
            headers.addAll(own);
            result.add(List.copyOf(headers));
        }
        return result;
    }

    /** The destinations of a routing object: top-level egress_routing if a non-empty array, else routing.egress_routing. */
    static JsonNode destinations(JsonNode data) {
        JsonNode top = data.path("egress_routing");
        if (top.isArray() && !top.isEmpty()) {
            return top;
        }
        JsonNode nested = data.path("routing").path("egress_routing");
        return nested.isArray() ? nested : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void remove(List<Header> headers, List<Header> removals) {
        for (Header r : removals) {
            headers.removeIf(h -> h.key().equalsIgnoreCase(r.key()));
        }
    }

    private static boolean same(Header a, Header b) {
        return a.key().equalsIgnoreCase(b.key()) && a.value().equals(b.value());
    }

    /** A list of {key, value}; entries without a text key are skipped, a missing value is empty. */
    private static List<Header> list(JsonNode node) {
        List<Header> headers = new ArrayList<>();
        if (!node.isArray()) {
            return headers;
        }
        for (JsonNode entry : node) {
            JsonNode key = entry.path("key");
            if (!key.isTextual() || key.asText().isBlank()) {
                continue;
            }
            JsonNode value = entry.path("value");
            headers.add(new Header(
                    key.asText(),
                    value.isMissingNode() || value.isNull()
                            ? ""
                            : value.isValueNode() ? value.asText() : value.toString()));
        }
        return headers;
    }
}

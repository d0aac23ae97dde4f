package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Values cross between Java and the service's JavaScript as JSON text: the context parses and
 * stringifies it itself, so no host object ever reaches the sandbox.
 */
final class ServiceJson {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Beyond ±2^53 a JavaScript number silently loses digits: such integers travel as strings. */
    static final long MAX_SAFE_INTEGER = (1L << 53) - 1;

    private ServiceJson() {}

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written: " + e.getOriginalMessage(), e);
        }
    }

    static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** An integer as a JavaScript number when it is exact there, else as its decimal string. */
    static JsonNode integer(long value) {
        return Math.abs(value) <= MAX_SAFE_INTEGER ? NODES.numberNode(value) : TextNode.valueOf(Long.toString(value));
    }

    static JsonNode integer(BigInteger value) {
        return value.bitLength() < 54 ? NODES.numberNode(value.longValue()) : TextNode.valueOf(value.toString());
    }

    /** A double as a number; NaN and the infinities, which JSON cannot hold, as their names. */
    static JsonNode floating(double value) {
        return Double.isFinite(value) ? NODES.numberNode(value) : TextNode.valueOf(Double.toString(value));
    }

    /** A decimal as a number when a double holds it exactly, else as its string (no digit is lost). */
    static JsonNode decimal(BigDecimal value) {
        double asDouble = value.doubleValue();
        if (Double.isFinite(asDouble) && BigDecimal.valueOf(asDouble).compareTo(value) == 0) {
            return value.stripTrailingZeros().scale() <= 0 ? integer(value.toBigInteger()) : NODES.numberNode(asDouble);
        }
        return TextNode.valueOf(value.toPlainString());
    }

    /** A tree with every integer beyond JavaScript's exact range turned into a string. */
    static JsonNode safeForJs(JsonNode node) {
        if (node == null) {
            return NODES.nullNode();
        }
        if (node.isIntegralNumber()) {
            return integer(node.bigIntegerValue());
        }
        if (node.isObject()) {
            ObjectNode copy = NODES.objectNode();
            node.properties().forEach(e -> copy.set(e.getKey(), safeForJs(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(item -> copy.add(safeForJs(item)));
            return copy;
        }
        return node;
    }

    static ObjectNode objectOf(Map<String, JsonNode> values) {
        ObjectNode object = NODES.objectNode();
        values.forEach((name, value) -> object.set(name, safeForJs(value)));
        return object;
    }
}

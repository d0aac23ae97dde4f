package io.scriptforge.manifest;

import static io.scriptforge.manifest.WholeNumbers.INT_MAX;
import static io.scriptforge.manifest.WholeNumbers.INT_MIN;
import static io.scriptforge.manifest.WholeNumbers.LONG_MAX;
import static io.scriptforge.manifest.WholeNumbers.LONG_MIN;
import static io.scriptforge.manifest.WholeNumbers.ULONG64_MAX;
import static io.scriptforge.manifest.WholeNumbers.UNSIGNED_MAX;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import io.scriptforge.manifest.AppManifest.ConfigItem;
import java.math.BigInteger;

/** The values a config item accepts: its type's range, its min/max, its options. */
public final class ConfigValues {

    private ConfigValues() {}

    /** Why {@code value} is not acceptable for {@code item}, or null when it is. */
    public static String problem(ConfigItem item, JsonNode value) {
        try {
            normalize(item, value);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /**
     * The value in its canonical JSON form (numbers as numbers, booleans as booleans).
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static JsonNode normalize(ConfigItem item, JsonNode value) {
        if (value == null || value.isNull() || value.isContainerNode()) {
            throw new IllegalArgumentException(item.name() + " needs a " + item.type() + " value");
        }
        return switch (item.type()) {
            case STRING -> TextNode.valueOf(value.asText());
            case CHOICE -> {
                if (!item.options().contains(value.asText())) {
                    throw new IllegalArgumentException(
                            item.name() + ": '" + value.asText() + "' is not one of " + item.options());
                }
                yield TextNode.valueOf(value.asText());
            }
            case BOOL -> {
                if (value.isBoolean()) {
                    yield value;
                }
                if (value.asText().equals("true") || value.asText().equals("false")) {
                    yield BooleanNode.valueOf(Boolean.parseBoolean(value.asText()));
                }
                throw new IllegalArgumentException(item.name() + ": '" + value.asText() + "' is not true or false");
            }
            case INT -> number(item, value, INT_MIN, INT_MAX);
            case DWORD -> number(item, value, BigInteger.ZERO, UNSIGNED_MAX);
            case LONG64 -> number(item, value, LONG_MIN, LONG_MAX);
            case ULONG64 -> number(item, value, BigInteger.ZERO, ULONG64_MAX);
        };
    }

    private static JsonNode number(ConfigItem item, JsonNode value, BigInteger typeMin, BigInteger typeMax) {
        BigInteger number;
        try {
            if (value.isNumber() && !value.isIntegralNumber()) {
                throw new NumberFormatException();
            }
            number = value.isIntegralNumber()
                    ? value.bigIntegerValue()
                    : new BigInteger(value.asText().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(item.name() + ": '" + value.asText() + "' is not a whole number");
        }
        BigInteger min = item.min() != null ? item.min().max(typeMin) : typeMin;
        BigInteger max = item.max() != null ? item.max().min(typeMax) : typeMax;
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    item.name() + ": " + number + " is out of range [" + min + ", " + max + "]");
        }
        return JsonNodeFactory.instance.numberNode(number);
    }
}

package io.scriptforge.runner.invoke;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scriptforge.crd.SipStatus;

/**
 * Reads the runtime's one-string answer: a tag character then the payload. Strings cross the
 * polyglot boundary far cheaper than objects, which matters at tens of thousands of calls a second.
 */
final class ResultDecoder {
    private final ObjectMapper json;

    ResultDecoder(ObjectMapper json) {
        this.json = json;
    }

    InvocationResult decode(String encoded) {
        char tag = encoded.charAt(0);
        String payload = encoded.substring(1);
        return switch (tag) {
            case 'S' -> new InvocationResult.Text(payload);
            case 'J' -> new InvocationResult.Json(payload);
            case 'U' -> InvocationResult.EMPTY;
            case 'E' -> failure(payload);
            default -> throw new IllegalStateException("unknown runtime answer tag " + tag);
        };
    }

    private InvocationResult.Failure failure(String payload) {
        try {
            JsonNode error = json.readTree(payload);
            if (error.path("sip").asBoolean()) {
                return new InvocationResult.Failure(
                        new SipStatus(
                                error.path("code").asInt(), error.path("reason").asText()),
                        null,
                        null,
                        0,
                        0);
            }
            String message = error.path("name").asText("Error") + ": "
                    + error.path("message").asText();
            JsonNode where = error.path("where");
            if (where.isObject()) {
                int line = where.path("line").asInt();
                int column = where.path("column").asInt();
                String at = where.path("file").asText() + ":" + line + ":" + column;
                return new InvocationResult.Failure(
                        new SipStatus(500, "Internal Server Error"), message, at, line, column);
            }
            return new InvocationResult.Failure(new SipStatus(500, "Internal Server Error"), message, null, 0, 0);
        } catch (Exception e) {
            return InvocationResult.Failure.of(
                    500, "Internal Server Error", "unreadable error from the sandbox: " + e.getMessage());
        }
    }
}

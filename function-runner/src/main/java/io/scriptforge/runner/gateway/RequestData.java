package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Turns what a client sent (JSON, a form, a query string) into the JSON text handed to main. */
final class RequestData {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper JSON = new ObjectMapper(FACTORY);

    /** The client's input was not what it claimed; the message says where. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    private RequestData() {}

    /** Null when there is no body: then data is the spec's vars alone. */
    static String fromBody(String contentType, String body) throws BadInput {
        if (body == null || body.isBlank()) {
            return null;
        }
        String type = contentType == null ? "" : contentType.toLowerCase();
        if (type.startsWith("application/x-www-form-urlencoded") && !looksLikeJson(body)) {
            return fromForm(new QueryStringDecoder(body, false).parameters());
        }
        checkJson(body);
        return body;
    }

    /** GET: the query's fields, or null when there are none. */
    static String fromQuery(Map<String, List<String>> query) {
        return query.isEmpty() ? null : fromForm(query);
    }

    /** Fields as an object: one value as a string, repeated ones as an array. */
    private static String fromForm(Map<String, List<String>> fields) {
        ObjectNode object = JSON.createObjectNode();
        fields.forEach((name, values) -> {
            if (values.size() == 1) {
                object.put(name, values.get(0));
            } else {
                ArrayNode array = object.putArray(name);
                values.forEach(array::add);
            }
        });
        return object.toString();
    }

    /** curl -d sends JSON as a form by default: a body that starts like JSON is taken as JSON. */
    private static boolean looksLikeJson(String body) {
        char first = body.stripLeading().charAt(0);
        return first == '{' || first == '[';
    }

    /** Validates without building a tree: the sandbox parses it once, where it is used. */
    private static void checkJson(String body) throws BadInput {
        try (JsonParser parser = FACTORY.createParser(body)) {
            if (parser.nextToken() == null) {
                throw new BadInput("the body is empty");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new BadInput(
                        "malformed JSON at line " + parser.currentLocation().getLineNr() + ", column "
                                + parser.currentLocation().getColumnNr() + ": more than one JSON value in the body");
            }
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new BadInput("malformed JSON at line " + (at == null ? 0 : at.getLineNr()) + ", column "
                    + (at == null ? 0 : at.getColumnNr()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadInput("unreadable body: " + e.getMessage());
        }
    }
}

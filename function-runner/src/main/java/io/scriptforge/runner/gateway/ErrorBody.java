package io.scriptforge.runner.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.scriptforge.crd.SipStatus;
import io.scriptforge.runner.invoke.InvocationResult;
import io.vertx.core.http.HttpServerResponse;

/** The one error format of the gateway: {@code {"error":{"code","reason",...}}} plus X-ScriptForge-Status. */
final class ErrorBody {
    static final String STATUS_HEADER = "X-ScriptForge-Status";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorBody() {}

    /** An HTTP error with the standard reason phrase of its code (403: "Forbidden"). */
    static void send(HttpServerResponse response, int code, String message) {
        send(response, code, HttpResponseStatus.valueOf(code).reasonPhrase(), message);
    }

    static void send(HttpServerResponse response, int code, String reason, String message) {
        send(response, InvocationResult.Failure.of(code, reason, message));
    }

    static void send(HttpServerResponse response, InvocationResult.Failure failure) {
        SipStatus status = failure.status();
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status.code());
        error.put("reason", status.reason());
        if (failure.message() != null) {
            error.put("message", failure.message());
        }
        if (failure.at() != null) {
            error.put("at", failure.at());
            error.put("line", failure.line());
            error.put("column", failure.column());
        }
        if (response.ended() || response.closed()) {
            return;
        }
        try {
            response.setStatusCode(status.httpStatus())
                    .putHeader(STATUS_HEADER, status.toString())
                    .putHeader("Content-Type", "application/json")
                    .end(body.toString());
        } catch (RuntimeException e) { // a header Vert.x refuses: still answer, without it
            response.headers().remove(STATUS_HEADER);
            response.setStatusCode(500)
                    .putHeader("Content-Type", "application/json")
                    .end(
                            "{\"error\":{\"code\":500,\"reason\":\"Internal Server Error\",\"message\":\"unsendable status\"}}");
        }
    }
}

package io.scriptforge.runner.app.service;

import org.graalvm.polyglot.Value;

/**
 * The entries of the service library (app-service.js) that Java calls; only ever on the app's
 * loop thread, inside a bounded entry.
 */
final class ServiceRuntime {
    private final Value connected;
    private final Value message;
    private final Value closed;
    private final Value request;
    private final Value fireTimer;
    private final Value settle;
    private final Value configChanged;

    ServiceRuntime(Value runtime) {
        this.connected = runtime.getMember("connected");
        this.message = runtime.getMember("message");
        this.closed = runtime.getMember("closed");
        this.request = runtime.getMember("request");
        this.fireTimer = runtime.getMember("fireTimer");
        this.settle = runtime.getMember("settle");
        this.configChanged = runtime.getMember("configChanged");
    }

    void connected(String sessionId, String identityJson) {
        connected.executeVoid(sessionId, identityJson);
    }

    void message(String sessionId, String api, String messageJson) {
        message.executeVoid(sessionId, api, messageJson);
    }

    void closed(String sessionId) {
        closed.executeVoid(sessionId);
    }

    void request(long requestId, String prefix, String requestJson) {
        request.executeVoid(requestId, prefix, requestJson);
    }

    void fireTimer(long timerId) {
        fireTimer.executeVoid(timerId);
    }

    /** Settles a host operation: {@code json} is the value (ok) or {message, code} (failed). */
    void settle(long operation, boolean ok, String json) {
        settle.executeVoid(operation, ok, json);
    }

    void configChanged(String valuesJson, String namesJson) {
        configChanged.executeVoid(valuesJson, namesJson);
    }
}

package io.scriptforge.runner.app.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scriptforge.runner.app.session.SessionIdentity;

/** A logged-in AppWebsocket session, as the app's service JS sees it. */
public interface ServiceConnection {
    /** Unique per session for the runner's lifetime. */
    String id();

    SessionIdentity identity();

    /** Sends a message to the client; safe from any thread, never blocks. */
    void send(ObjectNode message);

    /** Closes the session (the client sees the WebSocket close). */
    void close();
}

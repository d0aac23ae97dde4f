package io.scriptforge.runner.app;

import io.scriptforge.runner.app.service.ServiceConnection;
import java.util.concurrent.CompletionStage;

/**
 * A client's live connection to an App (its AppWebsocket session), as the App's runtime holds it: to send it
 * config updates, keep its dbfiles key fresh, and end it when the App goes. The transport (app.ws) implements it.
 */
public interface AppConnection extends ServiceConnection {
    /** The key this session's dbfiles requests carry; null before login. */
    String dbfilesKey();

    /**
     * Ends the session with 1001 (going away) and {@code reason}, so the client connects again; completes once
     * the close frame is written, or at once if the session had ended.
     */
    CompletionStage<Void> goAway(String reason);
}
